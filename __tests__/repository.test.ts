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

describe('npm run test:unit, the quick loop', () => {
  // moto_server, a command started as the README or the workflow starts it (tsx, npm, bash)
  const slow = /startMoto\(|'tsx\/cjs'|tsx\/cli|spawnSync\('(npm|bash)'/;
  const tests = code.filter((f) => f.startsWith('__tests__/') && f.endsWith('.test.ts'));

  test('leaves out __tests__/terraform/ and __tests__/integration/', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts['test:unit']).toBe('jest --testPathIgnorePatterns /__tests__/terraform/ /__tests__/integration/');
  });

  test('starts neither the emulator nor a command in a process of its own: those tests are in __tests__/integration/', () => {
    const starting = tests.filter((f) => slow.test(fs.readFileSync(path.join(root, f), 'utf8')));
    expect(starting.length).toBeGreaterThan(0);
    expect(starting.filter((f) => !/^__tests__\/(integration|terraform)\//.test(f))).toEqual([]);
  });
});

test('every cdktf app of the tests is made by testApp (helpers.ts), whose folder is removed after the run', () => {
  const direct = code.filter((f) => f.startsWith('__tests__/') && f !== '__tests__/helpers.ts' && /Testing\.app\(/.test(fs.readFileSync(path.join(root, f), 'utf8')));
  expect(direct).toEqual([]);
});
