/**
 * `npm run checkov` in a process of its own, as the workflow runs it: without Checkov, and what it
 * loads. Which stacks and plans it accepts: __tests__/checkov-gate.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../../config/loader';
import { INSTALL_CHECKOV } from '../../scripts/checkov-gate';
import { writePlansDigest } from '../../scripts/recorded-config';
import { synthesize } from '../../scripts/synth';
import { exampleRaw, REPOSITORY_ROOT } from '../helpers';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-gate-command-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

test('without Checkov says how to install it, not a stack trace', () => {
  const raw = exampleRaw();
  raw.governedRegions = ['eu-west-1'];
  const config = parseConfig(raw, 'test');
  const file = path.join(work, 'config.yaml');
  fs.writeFileSync(file, stringify(raw));
  const stacks = path.join(work, 'cdktf.out');
  synthesize(config, { outdir: stacks, target: 'aws' });
  const plans = path.join(work, 'plans');
  fs.mkdirSync(plans);
  writePlansDigest(plans, config, file);
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/checkov-gate.ts', '--checkov', path.join(work, 'no-checkov'), '--stacks', stacks, '--plans', plans], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, LZ_CONFIG: file },
    encoding: 'utf8',
  });
  expect(run.stderr.trimEnd().split('\n')).toEqual([
    `checkov: config ${file} (LZ_CONFIG)`,
    `checkov is not installed (${path.join(work, 'no-checkov')} not found); install it into .venv with: ${INSTALL_CHECKOV}`,
  ]);
  expect(run.status).toBe(1);
});

test('loads neither cdktf nor the stacks to read what it checks, so that it answers at once', () => {
  const probe = "require('./scripts/checkov-gate'); const loaded = Object.keys(require.cache); console.log(JSON.stringify({ cdktf: loaded.some((f) => f.includes('/node_modules/cdktf/')), stacks: loaded.some((f) => f.includes('/stacks/')) }))";
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', probe], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(JSON.parse(run.stdout)).toEqual({ cdktf: false, stacks: false });
});
