/**
 * `npm run scan [-- OUTDIR]`: the landing zone as an auditor's scanner sees it. Runs the rehearsal
 * (scripts/rehearse.ts) into moto, keeps the emulator up, runs Prowler (pinned in
 * requirements-prowler.txt, installed into `.venv-prowler` by this command: its pins clash with
 * Checkov's) against it with the newest CIS AWS Foundations framework that Prowler version ships,
 * limited to the checks of what the landing zone builds and to the rehearsed regions, and prints one
 * table: PASS, FAIL, NOT RUNNABLE (with the emulator limit that causes it, from EMULATOR_LIMITS) or
 * EXPECTED (listed, with the emulator's reason, in AWAITING_COMPLIANCE_LAYER). Exit 1 on any relevant FAIL or unexplained
 * result, 0 otherwise. Prowler's reports stay in OUTDIR/prowler.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configChoice } from '../config/choice';
import type { Config } from '../config/schema';
import { CIS_ALARMS, type CisControl } from '../facts/cis';
import { EMULATOR_LIMITS, type EmulatorLimit, type MotoServer } from './moto';
import { announce, type Log, outputFolder, progress, type Rehearsal, rehearse, stepSummary, withEmulator } from './rehearse';

const REPOSITORY = path.join(__dirname, '..');
export const PROWLER_VENV = path.join(REPOSITORY, '.venv-prowler');
export const PROWLER_REQUIREMENTS = path.join(REPOSITORY, 'requirements-prowler.txt');

/** A Prowler check that evaluates something the landing zone builds. */
export interface LandingZoneCheck {
  /** Prowler's check id. */
  readonly check: string;
  /** What of the landing zone it evaluates. */
  readonly evaluates: string;
  /** Resource types it reads: when the rehearsal left one of them out, the check cannot run. */
  readonly needs: readonly string[];
  /** Whether the config builds what the check evaluates. @default always */
  readonly appliesTo?: (config: Config) => boolean;
}

/** Prowler's check for each CIS metric filter and alarm (prowler/providers/aws/services/cloudwatch). */
export const PROWLER_METRIC_FILTER_CHECKS: Readonly<Record<CisControl, string>> = {
  'root-usage': 'cloudwatch_log_metric_filter_root_usage',
  'unauthorized-api-calls': 'cloudwatch_log_metric_filter_unauthorized_api_calls',
  'console-signin-without-mfa': 'cloudwatch_log_metric_filter_sign_in_without_mfa',
  'iam-policy-changes': 'cloudwatch_log_metric_filter_policy_changes',
  'cloudtrail-changes': 'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
  'console-auth-failures': 'cloudwatch_log_metric_filter_authentication_failures',
  'cmk-disable-or-deletion': 'cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk',
  's3-bucket-policy-changes': 'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes',
  'config-changes': 'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
  'security-group-changes': 'cloudwatch_log_metric_filter_security_group_changes',
  'nacl-changes': 'cloudwatch_changes_to_network_acls_alarm_configured',
  'network-gateway-changes': 'cloudwatch_changes_to_network_gateways_alarm_configured',
  'route-table-changes': 'cloudwatch_changes_to_network_route_tables_alarm_configured',
  'vpc-changes': 'cloudwatch_changes_to_vpcs_alarm_configured',
  'organizations-changes': 'cloudwatch_log_metric_filter_aws_organizations_changes',
};

const TRAIL = ['aws_cloudtrail'];
const METRIC_FILTER = [...TRAIL, 'aws_cloudwatch_log_group', 'aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_metric_alarm'];

/**
 * The CIS checks that judge what the landing zone builds: the Organization trail, the buckets and
 * keys, the metric filters and alarms, the Config recorders and Security Hub CSPM.
 * The benchmark's other checks judge what the landing zone does not manage (root credentials,
 * password policy, VPCs, databases) and are left out of the scan.
 */
export const LANDING_ZONE_CHECKS: readonly LandingZoneCheck[] = [
  { check: 'cloudtrail_multi_region_enabled', evaluates: 'the Organization trail logs in every region', needs: TRAIL },
  { check: 'cloudtrail_log_file_validation_enabled', evaluates: 'the trail validates its log files', needs: TRAIL },
  { check: 'cloudtrail_logs_s3_bucket_access_logging_enabled', evaluates: 'the archive bucket logs its access', needs: [...TRAIL, 'aws_s3_bucket_logging'] },
  { check: 'cloudtrail_kms_encryption_enabled', evaluates: 'the trail encrypts with the archive key', needs: TRAIL },
  { check: 'cloudtrail_s3_dataevents_write_enabled', evaluates: 'the trail records S3 object writes', needs: TRAIL, appliesTo: (c) => c.trail.s3DataEvents.mode !== 'none' },
  { check: 'cloudtrail_s3_dataevents_read_enabled', evaluates: 'the trail records S3 object reads', needs: TRAIL, appliesTo: (c) => c.trail.s3DataEvents.mode !== 'none' },
  { check: 'kms_cmk_rotation_enabled', evaluates: 'every KMS key rotates', needs: ['aws_kms_key'] },
  { check: 's3_bucket_secure_transport_policy', evaluates: 'every bucket denies plain HTTP', needs: ['aws_s3_bucket_policy'] },
  { check: 's3_bucket_level_public_access_block', evaluates: 'every bucket blocks public access', needs: ['aws_s3_bucket_public_access_block'] },
  ...CIS_ALARMS.map(
    (control): LandingZoneCheck => ({
      check: PROWLER_METRIC_FILTER_CHECKS[control],
      evaluates: `the ${control} metric filter and its alarm`,
      needs: METRIC_FILTER,
      appliesTo: (c) => c.alarms.controls.includes(control),
    }),
  ),
  { check: 'config_recorder_all_regions_enabled', evaluates: 'an AWS Config recorder in every region', needs: [] },
  { check: 'securityhub_enabled', evaluates: 'Security Hub CSPM is enabled', needs: [] },
];

/**
 * Checks of the compliance layer that fail in the emulator although the landing zone builds what
 * they judge, reported as EXPECTED with the reason. AWS Config's recorders are rehearsed (the
 * management account's, in every rehearsed region), so `config_recorder_all_regions_enabled` is
 * judged like any other check. An entry whose check passes fails the scan (STALE), so the list
 * cannot outlive its reason: remove an entry when a moto release emulates what it names.
 */
export const AWAITING_COMPLIANCE_LAYER: ReadonlyArray<{ readonly check: string; readonly reason: string }> = [
  {
    check: 'securityhub_enabled',
    reason:
      'moto 5.2.5 has no Security Hub central configuration (configuration policies and their associations), which is what enables Security Hub CSPM in the management and member accounts, ' +
      'and answers GetEnabledStandards, which Prowler reads of every hub, with 404 Not yet implemented',
  },
];

/** One Prowler finding (from its JSON-OCSF report), as far as the scan reads it. */
export interface Finding {
  readonly check: string;
  readonly status: string;
  readonly detail: string;
  readonly resource: string;
  readonly region: string;
}

export type Verdict = 'PASS' | 'FAIL' | 'NOT RUNNABLE' | 'EXPECTED' | 'STALE' | 'NO RESULT';

export interface ScanRow {
  /** The framework's requirement ids for the check, e.g. `5.13`. */
  readonly requirement: string;
  readonly check: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

/** Verdicts that fail the scan. */
export const FAILING_VERDICTS: readonly Verdict[] = ['FAIL', 'STALE', 'NO RESULT'];

/**
 * The verdict on each check, given Prowler's findings, the resource types the rehearsal left out
 * (with the EMULATOR_LIMITS reason), and the framework's requirement ids of each check.
 */
export function verdicts(
  checks: readonly LandingZoneCheck[],
  findings: readonly Finding[],
  leftOut: ReadonlyMap<string, string>,
  requirements: ReadonlyMap<string, readonly string[]>,
  awaiting: typeof AWAITING_COMPLIANCE_LAYER = AWAITING_COMPLIANCE_LAYER,
  limits: readonly EmulatorLimit[] = EMULATOR_LIMITS,
): ScanRow[] {
  return checks.map((c) => {
    const requirement = (requirements.get(c.check) ?? []).join(', ');
    const own = findings.filter((f) => f.check === c.check);
    const failed = own.filter((f) => f.status === 'FAIL');
    const passes = own.length > 0 && own.every((f) => f.status === 'PASS');
    const row = (verdict: Verdict, detail: string): ScanRow => ({ requirement, check: c.check, verdict, detail });
    const waiting = awaiting.find((a) => a.check === c.check);
    if (waiting) {
      if (passes) return row('STALE', 'passes now: remove it from AWAITING_COMPLIANCE_LAYER in scripts/scan.ts');
      return row('EXPECTED', `${waiting.reason}${failed[0] ? ` (Prowler: ${failed[0].detail})` : ''}`);
    }
    // A `scan` limit makes the emulator hide what was deployed from the check: a PASS was still seen
    // (and is reported), anything else cannot be told from the limit and is not runnable.
    const scanLimit = limits.find((l) => l.kind === 'scan' && l.checks.includes(c.check));
    if (scanLimit && !passes) return row('NOT RUNNABLE', scanLimit.reason);
    const missing = c.needs.find((type) => leftOut.has(type));
    if (missing) return row('NOT RUNNABLE', `${missing} left out of the rehearsal: ${leftOut.get(missing)}`);
    if (own.length === 0) return row('NO RESULT', 'Prowler reported nothing, and no emulator limit explains why');
    if (failed.length > 0) return row('FAIL', [...new Set(failed.map((f) => `${f.detail}${f.region ? ` [${f.region}]` : ''}`))].join('; '));
    const unclear = own.find((f) => f.status !== 'PASS');
    if (unclear) return row('NO RESULT', `Prowler: ${unclear.status}: ${unclear.detail}`);
    return row('PASS', own.length === 1 ? own[0].detail : `${own.length} of ${own.length} findings pass`);
  });
}

/**
 * The resource types the rehearsal left out, each with its reason; resources left out one by one
 * (a `resource` limit: one account's copy of what the others also make) leave their type in.
 */
export function leftOutTypes(rehearsal: Pick<Rehearsal, 'removed'>): Map<string, string> {
  const types = new Map<string, string>();
  for (const r of rehearsal.removed.filter((x) => !x.singly)) {
    const type = r.address.split('.')[0];
    if (type !== 'output' && !types.has(type)) types.set(type, r.reason);
  }
  return types;
}

/** Requirement ids in the benchmark's order: 3.1.1 before 4.1 before 4.10. */
function byRequirement(a: ScanRow, b: ScanRow): number {
  const [x, y] = [a.requirement.split(/[.,]/).map(Number), b.requirement.split(/[.,]/).map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The table, as Markdown, in the benchmark's order. */
export function scanTable(framework: string, rows: readonly ScanRow[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  return [
    `| ${framework} | Prowler check | result | detail |`,
    '| --- | --- | --- | --- |',
    ...[...rows].sort(byRequirement).map((r) => `| ${r.requirement || '-'} | ${r.check} | ${r.verdict} | ${cell(r.detail)} |`),
  ].join('\n');
}

/** Reads Prowler's JSON-OCSF report. */
export function readFindings(file: string): Finding[] {
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{
    metadata: { event_code: string };
    status_code: string;
    status_detail?: string;
    resources?: Array<{ uid?: string }>;
    cloud?: { region?: string };
  }>;
  return report.map((f) => ({
    check: f.metadata.event_code,
    status: f.status_code,
    detail: f.status_detail ?? '',
    resource: f.resources?.[0]?.uid ?? '',
    region: f.cloud?.region ?? '',
  }));
}

/** The pinned Prowler version, from requirements-prowler.txt. */
export function pinnedProwlerVersion(requirements = fs.readFileSync(PROWLER_REQUIREMENTS, 'utf8')): string {
  const pin = /^prowler==(\S+)/m.exec(requirements);
  if (!pin) throw new Error(`${PROWLER_REQUIREMENTS} must pin prowler (prowler==VERSION)`);
  return pin[1];
}

/** Runs a command to its end, output appended to a log file; tracked so that it can be stopped by id. */
function run(command: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv, running: Set<ChildProcess>): Promise<number> {
  const log = fs.openSync(logFile, 'a');
  // Its own process group, so that stopping it also stops what it starts (pip's builds).
  const child = spawn(command, args, { stdio: ['ignore', log, log], env, detached: true });
  fs.closeSync(log);
  running.add(child);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      running.delete(child);
      reject(new Error(`cannot run ${command}: ${error.message}`));
    });
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code ?? 1);
    });
  });
}

function stopAll(running: Set<ChildProcess>): void {
  for (const child of running) {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  running.clear();
}

function prowlerVersionInstalled(): string | undefined {
  const prowler = path.join(PROWLER_VENV, 'bin', 'prowler');
  if (!fs.existsSync(prowler)) return undefined;
  const metadata = fs.readdirSync(path.join(PROWLER_VENV, 'lib')).flatMap((python) => {
    const site = path.join(PROWLER_VENV, 'lib', python, 'site-packages');
    return fs.existsSync(site) ? fs.readdirSync(site).filter((d) => /^prowler-[\d.]+\.dist-info$/.test(d)) : [];
  });
  return metadata[0]?.replace(/^prowler-|\.dist-info$/g, '');
}

/** Creates `.venv-prowler` and installs the pinned Prowler, unless that version is there already. */
async function installProwler(logFile: string, running: Set<ChildProcess>, log: Log): Promise<void> {
  const pinned = pinnedProwlerVersion();
  const installed = prowlerVersionInstalled();
  if (installed === pinned) return log(`Prowler ${pinned} is installed in ${path.relative(REPOSITORY, PROWLER_VENV)}`);
  const started = Date.now();
  log(`installing Prowler ${pinned} into ${path.relative(REPOSITORY, PROWLER_VENV)} (${installed ? `replacing ${installed}` : 'new virtualenv'}; log: ${logFile})`);
  if (!fs.existsSync(path.join(PROWLER_VENV, 'bin', 'pip'))) {
    const code = await run('python3', ['-m', 'venv', PROWLER_VENV], logFile, process.env, running);
    if (code !== 0) throw new Error(`python3 -m venv ${PROWLER_VENV} failed (exit ${code}); see ${logFile}`);
  }
  // --no-compile: byte-compiling Prowler's ~66,000 files (every cloud's SDK) takes minutes of disk
  // time; Python compiles the few thousand modules a scan imports as it imports them.
  const code = await run(path.join(PROWLER_VENV, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-compile', '-r', PROWLER_REQUIREMENTS], logFile, process.env, running);
  if (code !== 0) throw new Error(`installing Prowler failed (exit ${code}); see ${logFile}`);
  log(`installed Prowler ${pinned} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** The newest CIS AWS Foundations framework the installed Prowler ships, with its requirement ids per check. */
export function newestCisFramework(complianceFolder: string): { name: string; label: string; requirements: Map<string, string[]> } {
  const versions = fs
    .readdirSync(complianceFolder)
    .map((f) => /^cis_(\d+(?:\.\d+)*)_aws\.json$/.exec(f)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => {
      const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return 0;
    });
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no CIS AWS framework in ${complianceFolder}`);
  const framework = JSON.parse(fs.readFileSync(path.join(complianceFolder, `cis_${newest}_aws.json`), 'utf8')) as { Requirements: Array<{ Id: string; Checks: string[] }> };
  const requirements = new Map<string, string[]>();
  for (const r of framework.Requirements) for (const check of r.Checks) requirements.set(check, [...(requirements.get(check) ?? []), r.Id]);
  return { name: `cis_${newest}_aws`, label: `CIS ${newest}`, requirements };
}

function complianceFolder(): string {
  const lib = path.join(PROWLER_VENV, 'lib');
  const python = fs.readdirSync(lib).find((p) => fs.existsSync(path.join(lib, p, 'site-packages', 'prowler', 'compliance', 'aws')));
  if (!python) throw new Error(`Prowler's compliance frameworks are not in ${PROWLER_VENV}`);
  return path.join(lib, python, 'site-packages', 'prowler', 'compliance', 'aws');
}

/**
 * The environment Prowler runs in: the emulator's endpoint and fake credentials only, so that it
 * can never reach a real account whatever the caller's environment holds.
 */
function emulatorOnly(server: MotoServer, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  return { ...env, AWS_ENDPOINT_URL: server.endpoint, AWS_ACCESS_KEY_ID: 'offline', AWS_SECRET_ACCESS_KEY: 'offline', AWS_DEFAULT_REGION: region, AWS_EC2_METADATA_DISABLED: 'true' };
}

async function runProwler(server: MotoServer, config: Config, checks: readonly string[], outdir: string, running: Set<ChildProcess>, log: Log): Promise<string> {
  const reports = path.join(outdir, 'prowler');
  fs.mkdirSync(reports, { recursive: true });
  const logFile = path.join(reports, 'prowler.log');
  const args = [
    'aws', '--no-banner', '--no-color',
    '--checks', ...checks,
    '--region', ...config.governedRegions,
    '--output-formats', 'json-ocsf', 'csv', 'html',
    '--output-directory', reports,
    '--output-filename', 'landing-zone',
  ];
  log(`Prowler: ${checks.length} checks in ${config.governedRegions.join(', ')} against ${server.endpoint} (log: ${logFile})`);
  const started = Date.now();
  const heartbeat = setInterval(() => log(`Prowler still running (${((Date.now() - started) / 1000).toFixed(0)} s)`), 30_000);
  const code = await run(path.join(PROWLER_VENV, 'bin', 'prowler'), args, logFile, emulatorOnly(server, config.homeRegion), running).finally(() => clearInterval(heartbeat));
  // Prowler exits 3 when a check fails; anything else but 0 means it did not finish.
  if (code !== 0 && code !== 3) throw new Error(`Prowler failed (exit ${code}); see ${logFile}`);
  log(`Prowler finished in ${((Date.now() - started) / 1000).toFixed(0)} s; reports in ${reports}`);
  return path.join(reports, 'landing-zone.ocsf.json');
}

async function main(): Promise<void> {
  const log = progress('scan');
  const outdir = outputFolder(process.argv.slice(2), 'scan', 'landing-zone-scan-');
  const choice = configChoice();
  const started = Date.now();
  announce('scan', outdir, choice, log);
  const running = new Set<ChildProcess>();
  try {
    const { rows, framework } = await withEmulator(outdir, log, async (server, atStop) => {
      atStop(() => stopAll(running));
      // Prowler installs while the rehearsal runs: mostly downloads, beside terraform's work.
      const installed = installProwler(path.join(outdir, 'prowler-install.log'), running, log);
      installed.catch(() => undefined);
      const rehearsal = await rehearse(server, outdir, choice, log);
      console.log(`\nrehearsal steps:\n${stepSummary(rehearsal.steps)}\n`);
      if (!rehearsal.passed) throw new Error(`the rehearsal failed (${rehearsal.steps.filter((s) => !s.passed).length} steps), so nothing was scanned`);
      await installed;
      const cis = newestCisFramework(complianceFolder());
      const applicable = LANDING_ZONE_CHECKS.filter((c) => c.appliesTo?.(rehearsal.config) ?? true);
      for (const c of LANDING_ZONE_CHECKS.filter((c) => !applicable.includes(c))) log(`not scanned: ${c.check} (${c.evaluates}): turned off in the config`);
      const inFramework = applicable.filter((c) => cis.requirements.has(c.check));
      for (const c of applicable.filter((c) => !inFramework.includes(c))) log(`not scanned: ${c.check} is not part of ${cis.label}`);
      log(`scanning with ${cis.name}, the newest CIS framework of Prowler ${pinnedProwlerVersion()}`);
      const report = await runProwler(server, rehearsal.config, inFramework.map((c) => c.check), outdir, running, log);
      return { rows: verdicts(inFramework, readFindings(report), leftOutTypes(rehearsal), cis.requirements), framework: cis.label };
    });
    const table = scanTable(framework, rows);
    fs.writeFileSync(path.join(outdir, 'scan.md'), `${table}\n`);
    console.log(`\n${table}\n`);
    const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
    const summary = `${count('PASS')} pass, ${count('FAIL')} fail, ${count('NOT RUNNABLE')} not runnable in the emulator, ${count('EXPECTED')} expected until the compliance layer exists`;
    const failing = rows.filter((r) => FAILING_VERDICTS.includes(r.verdict));
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    if (failing.length > 0) throw new Error(`${failing.length} relevant checks did not pass (${failing.map((r) => `${r.requirement} ${r.verdict}`).join(', ')}); ${summary}; ${seconds} s`);
    log(`scan passed: ${summary}; ${seconds} s; table in ${path.join(outdir, 'scan.md')}`);
  } finally {
    stopAll(running);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`scan failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
