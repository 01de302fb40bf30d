import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..');
const tracked = spawnSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
const code = tracked.filter((f) => /\.(ts|js|mjs)$/.test(f) && f !== '__tests__/repository.test.ts' && fs.existsSync(path.join(root, f)));

describe('a clone with nothing beside it', () => {
  test('git lists the files (the test runs in a checkout)', () => {
    expect(code.length).toBeGreaterThan(50);
  });

  test('no code reads the folder beside the checkout', () => {
    const outside = code.filter((f) => {
      const text = fs.readFileSync(path.join(root, f), 'utf8');
      // __dirname of a file one level down, then up twice: outside the repository
      return /'\.\.',\s*'\.\.'/.test(text) || /\.\.\/shared\b|cloudtrail-samples/.test(text);
    });
    expect(outside).toEqual([]);
  });

  test('fixtures name no machine path', () => {
    const fixtures = tracked.filter((f) => f.startsWith('__tests__/fixtures/'));
    const withPaths = fixtures.filter((f) => /(?<![\w.])\/(work|tmp|home|root|Users|mnt)\//.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(withPaths).toEqual([]);
  });

  test('every vendored licence named by the fixtures is beside them', () => {
    const readme = fs.readFileSync(path.join(root, '__tests__', 'fixtures', 'README.md'), 'utf8');
    const named = [...readme.matchAll(/`([\w.-]+\.(?:MIT|Apache-2\.0)\.txt)`/g)].map((m) => m[1]);
    expect(named.length).toBe(3);
    for (const file of named) expect(fs.existsSync(path.join(root, '__tests__', 'fixtures', 'LICENSES', file))).toBe(true);
  });
});
