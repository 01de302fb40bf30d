/**
 * The pure parts of `npm run scan` (the scan itself needs the rehearsal and Prowler): which checks
 * are relevant, how each is judged, which framework is chosen, and what fails the scan.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CIS_ALARMS } from '../facts/cis';
import { EMULATOR_LIMITS } from '../scripts/moto';
import {
  AWAITING_COMPLIANCE_LAYER,
  FAILING_VERDICTS,
  type Finding,
  LANDING_ZONE_CHECKS,
  leftOutTypes,
  newestCisFramework,
  pinnedProwlerVersion,
  PROWLER_METRIC_FILTER_CHECKS,
  scanTable,
  verdicts,
} from '../scripts/scan';
import { exampleConfig } from './helpers';
import { SCANNER_EXPECTATIONS } from './support/scanner-patterns';

const requirements = new Map(LANDING_ZONE_CHECKS.map((c, i) => [c.check, [`9.${i}`]]));
const check = (id: string) => LANDING_ZONE_CHECKS.find((c) => c.check === id)!;
const finding = (id: string, status: string, detail = `${id} ${status}`, region = 'eu-west-1'): Finding => ({ check: id, status, detail, resource: 'arn:x', region });

describe('the checks the scan runs', () => {
  test('cover every CIS metric filter with the Prowler check the scanner expectations name', () => {
    for (const control of CIS_ALARMS) expect(PROWLER_METRIC_FILTER_CHECKS[control]).toBe(SCANNER_EXPECTATIONS[control].prowlerCheck);
  });

  test('follow the config: a control that is not configured, or S3 data events off, is not scanned', () => {
    const config = exampleConfig((raw) => {
      raw.alarms = { controls: ['root-usage'] };
      raw.trail = { ...raw.trail, s3DataEvents: { mode: 'none' } };
    });
    const scanned = LANDING_ZONE_CHECKS.filter((c) => c.appliesTo?.(config) ?? true).map((c) => c.check);
    expect(scanned).toContain('cloudwatch_log_metric_filter_root_usage');
    expect(scanned).not.toContain('cloudwatch_changes_to_vpcs_alarm_configured');
    expect(scanned).not.toContain('cloudtrail_s3_dataevents_read_enabled');
    expect(scanned).toContain('s3_bucket_secure_transport_policy');
  });

  test('only Security Hub CSPM, which moto cannot enable through central configuration, is awaited, with its reason; the Config recorders are judged', () => {
    expect(AWAITING_COMPLIANCE_LAYER.map((a) => a.check)).toEqual(['securityhub_enabled']);
    expect(AWAITING_COMPLIANCE_LAYER[0].reason).toMatch(/moto .* no Security Hub central configuration/);
    expect(LANDING_ZONE_CHECKS.map((c) => c.check)).toContain('config_recorder_all_regions_enabled');
    for (const a of AWAITING_COMPLIANCE_LAYER) expect(LANDING_ZONE_CHECKS.map((c) => c.check)).toContain(a.check);
  });
});

describe('the verdict on a check', () => {
  const all = [check('s3_bucket_secure_transport_policy'), check('cloudtrail_logs_s3_bucket_access_logging_enabled'), check('securityhub_enabled'), check('kms_cmk_rotation_enabled')];

  test('FAIL when any finding fails, naming what failed; PASS only when all pass', () => {
    const rows = verdicts(all.slice(0, 1), [finding(all[0].check, 'PASS'), finding(all[0].check, 'FAIL', 'bucket b allows HTTP')], new Map(), requirements);
    expect(rows[0]).toMatchObject({ verdict: 'FAIL', detail: 'bucket b allows HTTP [eu-west-1]' });
    const passing = verdicts(all.slice(0, 1), [finding(all[0].check, 'PASS'), finding(all[0].check, 'PASS')], new Map(), requirements);
    expect(passing[0]).toMatchObject({ verdict: 'PASS', detail: '2 of 2 findings pass' });
  });

  test('NOT RUNNABLE, with the emulator limit, when a resource type it reads was left out, whatever Prowler said', () => {
    const leftOut = new Map([['aws_s3_bucket_logging', 'moto fails on it']]);
    const [row] = verdicts([all[1]], [finding(all[1].check, 'FAIL')], leftOut, requirements);
    expect(row).toMatchObject({ verdict: 'NOT RUNNABLE', detail: 'aws_s3_bucket_logging left out of the rehearsal: moto fails on it' });
  });

  test('NOT RUNNABLE, with the reason, when EMULATOR_LIMITS says the emulator can hide from the check what it reads; a PASS was seen all the same', () => {
    const limit = EMULATOR_LIMITS.flatMap((l) => (l.kind === 'scan' ? [l] : []))[0];
    const limited = check(limit.checks[0]);
    expect(verdicts([limited], [finding(limited.check, 'FAIL')], new Map(), requirements)[0]).toMatchObject({ verdict: 'NOT RUNNABLE', detail: limit.reason });
    expect(verdicts([limited], [], new Map(), requirements)[0].verdict).toBe('NOT RUNNABLE');
    expect(verdicts([limited], [finding(limited.check, 'PASS')], new Map(), requirements)[0].verdict).toBe('PASS');
  });

  test('EXPECTED while awaiting the compliance layer; STALE, which fails, once it passes', () => {
    expect(verdicts([all[2]], [finding(all[2].check, 'FAIL', 'Security Hub is not enabled')], new Map(), requirements)[0]).toMatchObject({
      verdict: 'EXPECTED',
      detail: expect.stringContaining('Security Hub is not enabled'),
    });
    const [stale] = verdicts([all[2]], [finding(all[2].check, 'PASS')], new Map(), requirements);
    expect(stale.verdict).toBe('STALE');
    expect(FAILING_VERDICTS).toContain('STALE');
  });

  test('NO RESULT, which fails, when Prowler reports nothing or only MANUAL and no limit explains it', () => {
    expect(verdicts([all[3]], [], new Map(), requirements)[0].verdict).toBe('NO RESULT');
    expect(verdicts([all[3]], [finding(all[3].check, 'MANUAL', 'cannot list keys')], new Map(), requirements)[0]).toMatchObject({ verdict: 'NO RESULT', detail: 'Prowler: MANUAL: cannot list keys' });
    expect(FAILING_VERDICTS).toEqual(expect.arrayContaining(['FAIL', 'NO RESULT']));
    expect(FAILING_VERDICTS).not.toContain('NOT RUNNABLE');
    expect(FAILING_VERDICTS).not.toContain('EXPECTED');
  });

  test('carries the framework requirement ids into the table', () => {
    const rows = verdicts([all[0]], [finding(all[0].check, 'PASS')], new Map(), new Map([[all[0].check, ['3.1.1']]]));
    expect(scanTable('CIS 7.0', rows).split('\n')[2]).toBe('| 3.1.1 | s3_bucket_secure_transport_policy | PASS | s3_bucket_secure_transport_policy PASS |');
  });
});

test('the table is in the benchmark\'s order', () => {
  const row = (requirement: string) => ({ requirement, check: `c${requirement}`, verdict: 'PASS' as const, detail: '' });
  const table = scanTable('CIS 7.0', [row('4.10'), row('5.1'), row('4.9'), row('3.1.1')]);
  expect(table.split('\n').slice(2).map((l) => l.split(' | ')[0])).toEqual(['| 3.1.1', '| 4.9', '| 4.10', '| 5.1']);
});

test('the left-out resource types are those the rehearsal removed, with the EMULATOR_LIMITS reason', () => {
  const limit = EMULATOR_LIMITS.flatMap((l) => (l.kind === 'resource-type' ? [l] : []))[0];
  const types = leftOutTypes({
    removed: [
      { stack: 's', address: `${limit.type}.a`, reason: limit.reason },
      { stack: 's', address: 'output.x', reason: 'refers to it' },
    ],
  });
  expect([...types]).toEqual([[limit.type, limit.reason]]);
});

test('the newest CIS AWS framework is chosen by version number, with its requirement ids per check', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-test-'));
  const write = (version: string, id: string) =>
    fs.writeFileSync(path.join(folder, `cis_${version}_aws.json`), JSON.stringify({ Requirements: [{ Id: id, Checks: ['a_check'] }, { Id: `${id}.1`, Checks: ['a_check'] }] }));
  write('2.0', '1.1');
  write('10.0', '5.13');
  write('7.0', '4.1');
  fs.writeFileSync(path.join(folder, 'cis_2.0_gcp.json'), '{}');
  const cis = newestCisFramework(folder);
  expect(cis).toMatchObject({ name: 'cis_10.0_aws', label: 'CIS 10.0' });
  expect(cis.requirements.get('a_check')).toEqual(['5.13', '5.13.1']);
  fs.rmSync(folder, { recursive: true, force: true });
});

test('Prowler is pinned to one version', () => {
  expect(pinnedProwlerVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  expect(() => pinnedProwlerVersion('prowler>=5\n')).toThrow(/must pin prowler/);
});
