import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadConfig, parseConfig } from '../config/loader';
import { DEFAULT_ENABLED_REGIONS } from '../facts/regions';
import { renderJsonSchema, JSON_SCHEMA_PATH } from '../scripts/json-schema';
import { exampleRaw } from './helpers';

/** The problems a changed example config is refused with, as "path: message" lines. */
function problemsOf(change: (raw: Record<string, any>) => void): string[] {
  const raw = exampleRaw();
  change(raw);
  try {
    parseConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('the bundled example', () => {
  test('is accepted and governs the 17 default-enabled regions with a 7-year COMPLIANCE lock', () => {
    const config = loadConfig();
    expect(config.governedRegions).toEqual([...DEFAULT_ENABLED_REGIONS]);
    expect(config.governedRegions).toHaveLength(17);
    expect(config.archive.objectLock).toEqual({ mode: 'COMPLIANCE', retentionDays: 2557 });
    expect(config.deployment.roleName).toBe('OrganizationAccountAccessRole');
  });

  test('config/schema.json is the one generated from the schema (run npm run json-schema)', () => {
    expect(fs.readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(renderJsonSchema());
  });
});

describe('malformed configs are refused with the field and the fix', () => {
  const cases: Array<[string, (raw: Record<string, any>) => void, RegExp]> = [
    ['an unquoted account id', (r) => (r.accounts.audit.id = 333333333333), /^accounts\.audit\.id: .*quote it/],
    ['an 11-digit account id', (r) => (r.accounts.members[1].id = '44444444444'), /^accounts\.members\[1\]\.id: .*12 digits/],
    ['one account in two roles', (r) => (r.accounts.audit.id = r.accounts.logArchive.id), /^accounts\.audit\.id: account 222222222222 is already used by accounts\.logArchive\.id/],
    ['a malformed organization id', (r) => (r.organization.id = 'org-123'), /^organization\.id: .*"o-" followed by 10-32/],
    ['an unknown governed region', (r) => (r.governedRegions = ['eu-west-1', 'eu-westt-2']), /^governedRegions\[1\]: unknown region "eu-westt-2"/],
    ['a home region that is not governed', (r) => (r.governedRegions = ['us-east-1', 'us-west-2']), /^homeRegion: eu-west-1 is not among governedRegions; add it there or choose one of us-east-1, us-west-2/],
    ['expiration before the Object Lock retention', (r) => (r.archive.expirationDays = 2000), /^archive\.expirationDays: 2000 days is before the Object Lock retention \(archive\.objectLock\.retentionDays = 2557\); use 2557 or more/],
    ['noncurrent versions expiring before the retention', (r) => (r.archive.noncurrentVersionExpirationDays = 30), /^archive\.noncurrentVersionExpirationDays: 30 days is before the Object Lock retention/],
    ['transitions out of order', (r) => (r.archive.transitions = [{ days: 365, storageClass: 'DEEP_ARCHIVE' }, { days: 400, storageClass: 'GLACIER_IR' }]), /^archive\.transitions\[1\]\.storageClass: GLACIER_IR cannot follow DEEP_ARCHIVE/],
    ['Standard-IA before 30 days', (r) => (r.archive.transitions = [{ days: 7, storageClass: 'STANDARD_IA' }]), /^archive\.transitions\[0\]\.days: S3 moves objects to STANDARD_IA no earlier than 30 days/],
    ['a Glacier class left before its minimum', (r) => (r.archive.transitions = [{ days: 30, storageClass: 'GLACIER_IR' }, { days: 60, storageClass: 'DEEP_ARCHIVE' }]), /^archive\.transitions\[1\]\.days: must be at least 120/],
    ['a malformed e-mail address', (r) => (r.notifications.emails = ['security-alerts.acme.example']), /^notifications\.emails\[0\]: not an e-mail address/],
    ['an unknown Object Lock mode', (r) => (r.archive.objectLock.mode = 'COMPLIANT'), /^archive\.objectLock\.mode: must be one of "COMPLIANCE", "GOVERNANCE"/],
    ['a misspelt field', (r) => (r.archive.retentionDay = 10), /^archive: unknown field retentionDay; check the spelling against config\/schema\.json/],
    ['a prefix with capitals', (r) => (r.prefix = 'Acme'), /^prefix: use 2-20 lower-case letters/],
    ['a state bucket name S3 refuses', (r) => (r.state = { backend: 's3', bucket: 'Acme_State' }), /^state\.bucket: "Acme_State" may hold only lower-case letters/],
    ['a log retention CloudWatch does not offer', (r) => (r.trail.cloudWatchLogsRetentionDays = 100), /^trail\.cloudWatchLogsRetentionDays: CloudWatch Logs accepts only these retention periods: 1, 3, 5/],
    ['data events on the archive bucket itself', (r) => (r.trail.s3DataEvents = { mode: 'listed', buckets: ['acme-log-archive-222222222222-eu-west-1'] }), /^trail\.s3DataEvents\.buckets\[0\]: .*archive's own bucket/],
    ['a projection start that is not a date', (r) => (r.analytics = { projectionStartDate: '2024/02/30' }), /^analytics\.projectionStartDate: 2024\/02\/30 is not a calendar date/],
    ['a missing Log Archive account', (r) => delete r.accounts.logArchive, /^accounts\.logArchive: /],
  ];

  test.each(cases)('%s', (_name, change, expected) => {
    const problems = problemsOf(change);
    expect(problems).toContainEqual(expect.stringMatching(expected));
  });

  test(`${cases.length} different malformed configs are covered`, () => {
    expect(new Set(cases.map(([name]) => name)).size).toBeGreaterThanOrEqual(10);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf((r) => {
      r.accounts.audit.id = '1234';
      r.organization.id = 'o-x';
      r.governedRegions = ['eu-west-1', 'mars-north-1'];
    });
    expect(problems).toEqual([
      expect.stringMatching(/^organization\.id:/),
      expect.stringMatching(/^governedRegions\[1\]:/),
      expect.stringMatching(/^accounts\.audit\.id:/),
    ]);
  });
});

describe('the command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function synth(configText: string) {
    const file = path.join(dir, 'config.yaml');
    const outdir = path.join(dir, 'out');
    fs.writeFileSync(file, configText);
    fs.rmSync(outdir, { recursive: true, force: true });
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'main.ts'], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, LZ_CONFIG: file, CDKTF_OUTDIR: outdir, LZ_TARGET: 'offline' },
      encoding: 'utf8',
    });
    return { ...run, synthesized: fs.existsSync(path.join(outdir, 'manifest.json')) };
  }

  test('exits non-zero, lists every problem and synthesizes nothing for a bad config', () => {
    const raw = exampleRaw();
    raw.archive.expirationDays = 365;
    raw.accounts.members[0].id = 'abc';
    const run = synth(stringify(raw));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('1 problem in the config; nothing was synthesized');
    expect(run.stderr).toContain('accounts.members[0].id');
    expect(run.synthesized).toBe(false);
  });

  test('reports a YAML syntax error with its line', () => {
    const run = synth('prefix: acme\naccounts: [unclosed\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/\(YAML\): .*line/i);
    expect(run.synthesized).toBe(false);
  });

  test('synthesizes a good config', () => {
    const run = synth(stringify(exampleRaw()));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.synthesized).toBe(true);
  });
});
