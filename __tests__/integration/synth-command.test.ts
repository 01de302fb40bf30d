/**
 * `npm run synth` as cdktf and the README run it, in a process of its own. Its errors and its
 * choice of config, in-process: __tests__/config.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { exampleRaw, REPOSITORY_ROOT as root } from '../helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-synth-command-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('synthesizes a good config, saying which on stderr and what it wrote on stdout', () => {
  const file = path.join(dir, 'config.yaml');
  const outdir = path.join(dir, 'out');
  fs.writeFileSync(file, stringify(exampleRaw()));
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/synth.ts', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, LZ_CONFIG: file, LZ_TARGET: 'offline' },
    encoding: 'utf8',
  });
  expect(run.stderr).toBe(`synth: config ${file} (LZ_CONFIG)\n`);
  expect(run.stdout).toMatch(/^synthesized 27 stacks for offline into .* \(config sha256 [0-9a-f]{12}\)\n$/);
  expect(run.status).toBe(0);
  expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
});
