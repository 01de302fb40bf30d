/**
 * The Checkov gate's check that the stacks and the plans come from the config in use. The command
 * in a process of its own: integration/checkov-gate-command.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configChoice } from '../config/choice';
import { ConfigError, parseConfig } from '../config/loader';
import { assertSameConfig, INSTALL_CHECKOV } from '../scripts/checkov-gate';
import { writePlansDigest } from '../scripts/recorded-config';
import { synthesize } from '../scripts/synth';
import { exampleRaw } from './helpers';

const root = path.join(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-gate-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function config(retentionDays: number) {
  const raw = exampleRaw();
  raw.governedRegions = ['eu-west-1'];
  raw.archive.objectLock.retentionDays = retentionDays;
  return parseConfig(raw, 'test');
}
const seven = config(2557);
const eight = config(2922);
const stacksDir = path.join(work, 'cdktf.out');
synthesize(seven, { outdir: stacksDir, target: 'aws' });
const choice = configChoice({ LZ_CONFIG: 'config/acme.yaml' });

function plansOf(name: string, planned: typeof seven | undefined): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  if (planned) writePlansDigest(dir, planned, 'config/acme.yaml');
  return dir;
}

describe('the Checkov gate', () => {
  test('accepts stacks and plans of the config in use', () => {
    expect(assertSameConfig(stacksDir, plansOf('same', seven), seven, choice)).toMatch(/^[0-9a-f]{64}$/);
  });

  test('refuses plans of another config (a changed retention is enough)', () => {
    expect(() => assertSameConfig(stacksDir, plansOf('other', eight), seven, choice)).toThrow(ConfigError);
    expect(() => assertSameConfig(stacksDir, plansOf('other', eight), seven, choice)).toThrow(/come from different configs; run npm run synth and npm run plan with the same LZ_CONFIG/);
  });

  test('refuses stacks and plans that agree but are not of the config in use', () => {
    expect(() => assertSameConfig(stacksDir, plansOf('same', seven), eight, choice)).toThrow(/come from another config .* than config\/acme\.yaml/);
  });

  test('refuses a plans folder that does not say its config', () => {
    expect(() => assertSameConfig(stacksDir, plansOf('unmarked', undefined), seven, choice)).toThrow(/holds no config\.sha256, so nothing says which config its plans come from; run npm run plan/);
  });
});

test('the README says how to install Checkov', () => {
  expect(fs.readFileSync(path.join(root, 'README.md'), 'utf8')).toContain(INSTALL_CHECKOV);
});

test('a synth removes the stack folders an earlier synth of another config left', () => {
  const outdir = path.join(work, 'resynth');
  const two = exampleRaw();
  two.governedRegions = ['eu-west-1', 'eu-central-1'];
  synthesize(parseConfig(two, 'two regions'), { outdir, target: 'aws' });
  expect(fs.existsSync(path.join(outdir, 'stacks', 'guardduty-eu-central-1'))).toBe(true);
  synthesize(seven, { outdir, target: 'aws' });
  expect(fs.existsSync(path.join(outdir, 'stacks', 'guardduty-eu-central-1'))).toBe(false);
  expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(fs.readdirSync(path.join(stacksDir, 'stacks')).sort());
});
