/**
 * `npm run bench`: how fast and how big the landing zone is on this machine.
 * - synth of the example (the exact command `cdktf synth` runs, from cdktf.json), and of generated
 *   organizations with 10, 100 and 1000 member accounts: wall time, peak memory, resource count;
 * - the offline `terraform plan` of every stack of the example (empty state): total wall time, and
 *   the peak memory of the largest terraform run (a few stacks planned together) with its provider processes;
 * - the digest-chain verification of a generated organization beside raw gunzip + SHA-256 of the
 *   same bytes (scripts/bench-integrity.ts);
 * - the wall time of the test suite (skip with --skip-tests).
 * Prints a markdown table and checks the budgets; exits 1 when one is broken.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import { benchIntegrity, integrityRows } from './bench-integrity';
import { measure, type Measurement } from './measure';
import { readManifest } from './stack-graph';
import { planOffline } from './offline-plan';
import { type StackPlan, TERRAFORM_PARALLELISM } from './terraform';

const root = path.join(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-bench-'));
const SYNTH_RUNS = 5;

/** The command cdktf runs to synthesize, as cdktf.json says. */
function appCommand(): string[] {
  const app = (JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { app: string }).app;
  const [command, ...args] = app.split(/\s+/);
  return [command === 'node' ? process.execPath : command, ...args];
}

function countResources(outdir: string): number {
  return readManifest(outdir).reduce((sum, stack) => {
    const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
    return sum + Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  }, 0);
}

interface SynthRow {
  readonly label: string;
  readonly medianSeconds: number;
  readonly peakMegabytes: number;
  readonly stacks: number;
  readonly resources: number;
}

async function benchSynth(label: string, configPath: string): Promise<SynthRow> {
  const [command, ...args] = appCommand();
  const outdir = path.join(work, label.replace(/\W+/g, '-'));
  const runs: Measurement[] = [];
  for (let i = 0; i < SYNTH_RUNS; i++) {
    fs.rmSync(outdir, { recursive: true, force: true });
    const run = await measure(command, args, { cwd: root, env: { ...process.env, LZ_CONFIG: configPath, CDKTF_OUTDIR: outdir } });
    if (run.exitCode !== 0) throw new Error(`synth of ${label} failed:\n${run.stderr}${run.stdout}`);
    runs.push(run);
  }
  const times = runs.map((r) => r.wallSeconds).sort((a, b) => a - b);
  return {
    label,
    medianSeconds: times[Math.floor(times.length / 2)],
    peakMegabytes: Math.max(...runs.map((r) => r.peakMegabytes)),
    stacks: readManifest(outdir).length,
    resources: countResources(outdir),
  };
}

function generatedConfig(members: number): string {
  const raw = parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
  raw.accounts.members = Array.from({ length: members }, (_, i) => ({ name: `member-${i}`, id: String(500000000000 + i) }));
  const file = path.join(work, `members-${members}.yaml`);
  fs.writeFileSync(file, stringify(raw));
  return file;
}

async function benchPlans(): Promise<{ plans: StackPlan[]; totalSeconds: number }> {
  const started = Date.now();
  const plans = await planOffline(loadConfig(EXAMPLE_CONFIG_PATH), path.join(work, 'plan'), (planned, done, total) =>
    progress(`planned ${planned.stack.id} (${done}/${total}) in ${planned.seconds.toFixed(1)} s, ${planned.peakMegabytes.toFixed(0)} MB`),
  );
  return { plans, totalSeconds: (Date.now() - started) / 1000 };
}

/** An npm test script exactly as the README gives it, timed; the bench fails when the tests fail. */
async function benchTests(script: 'test' | 'test:unit'): Promise<{ label: string; seconds: number; passed: boolean }> {
  const label = script === 'test' ? 'npm test' : `npm run ${script}`;
  progress(`running ${label}`);
  const run = await measure('npm', ['run', '--silent', script], { cwd: root });
  progress(`${label}: ${run.exitCode === 0 ? 'passed' : 'FAILED'} in ${run.wallSeconds.toFixed(1)} s`);
  return { label, seconds: run.wallSeconds, passed: run.exitCode === 0 };
}

/** Progress goes to stderr, so that stdout is the table alone. */
function progress(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function verdict(ok: boolean): string {
  return ok ? 'within budget' : '**over budget**';
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'skip-tests': { type: 'boolean', default: false } } });
  const synthRows: SynthRow[] = [];
  for (const [label, file] of [['example (17 regions)', EXAMPLE_CONFIG_PATH], ...[10, 100, 1000].map((n) => [`${n} member accounts`, generatedConfig(n)])]) {
    progress(`synthesizing ${label}, ${SYNTH_RUNS} times`);
    synthRows.push(await benchSynth(label, file));
  }
  progress('planning every stack of the example offline');
  const plans = await benchPlans();
  const largest = plans.plans.reduce((a, b) => (b.peakMegabytes > a.peakMegabytes ? b : a));
  const largestRun = [largest.stack.id, ...largest.plannedWith].join(' + ');
  progress('verifying the digest chains of a generated organization');
  const integrity = await benchIntegrity(progress);
  const megabytesPerSecond = (t: { megabytes: number; seconds: number }) => (t.megabytes / t.seconds).toFixed(0);
  const tests = values['skip-tests']
    ? []
    : [await benchTests('test:unit'), await benchTests('test')];

  const [example, ten, , thousand] = synthRows;
  const budgets: Array<[string, boolean]> = [
    [`synth of the example ≤ 1.5 s (${example.medianSeconds.toFixed(2)} s)`, example.medianSeconds <= 1.5],
    [`synth of the example ≤ 300 MB (${example.peakMegabytes.toFixed(0)} MB)`, example.peakMegabytes <= 300],
    [`synth with 1000 accounts ≤ 1.3 × 10 accounts (${(thousand.medianSeconds / ten.medianSeconds).toFixed(2)} ×)`, thousand.medianSeconds <= 1.3 * ten.medianSeconds],
    [`resources do not grow with member accounts (${ten.resources} → ${thousand.resources})`, thousand.resources === ten.resources],
    [`largest terraform plan run ≤ 1.5 GB (${largestRun}: ${largest.peakMegabytes.toFixed(0)} MB)`, largest.peakMegabytes <= 1536],
    [`plan of all stacks ≤ 2 min (${plans.totalSeconds.toFixed(1)} s)`, plans.totalSeconds <= 120],
    [`log verification within 2 × raw gunzip + SHA-256 (${megabytesPerSecond(integrity.memory)} MB/s vs ${megabytesPerSecond(integrity.raw)} MB/s)`, integrity.ratio >= 0.5],
    ...tests.map((t): [string, boolean] => [`${t.label} passes (${t.passed ? 'passed' : 'failed'})`, t.passed]),
    ...tests.map((t): [string, boolean] => {
      const limit = t.label === 'npm test' ? 120 : 20;
      return [`${t.label} ≤ ${limit} s (${t.seconds.toFixed(1)} s)`, t.seconds <= limit];
    }),
  ];

  const lines = [
    `Measured on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    '',
    '| synth | median wall (of 5) | peak memory | stacks | resources |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...synthRows.map((r) => `| ${r.label} | ${r.medianSeconds.toFixed(2)} s | ${r.peakMegabytes.toFixed(0)} MB | ${r.stacks} | ${r.resources} |`),
    '',
    `| offline plan, empty state (${TERRAFORM_PARALLELISM} runs at a time, each init, plan, show of a few stacks) | wall | peak memory with providers |`,
    '| --- | ---: | ---: |',
    `| all ${plans.plans.length} stacks of the example | ${plans.totalSeconds.toFixed(1)} s | largest run: ${largest.peakMegabytes.toFixed(0)} MB (${largestRun}) |`,
    '',
    ...integrityRows(integrity),
    ...(tests.length > 0 ? ['', '| test suite | wall |', '| --- | ---: |', ...tests.map((t) => `| ${t.label} | ${t.seconds.toFixed(1)} s${t.passed ? '' : ' (failed)'} |`)] : []),
    '',
    ...budgets.map(([text, ok]) => `- ${verdict(ok)}: ${text}`),
  ];
  console.log(lines.join('\n'));
  fs.rmSync(work, { recursive: true, force: true });
  const broken = budgets.filter(([, ok]) => !ok).length;
  progress(broken === 0 ? 'every budget kept' : `${broken} budget${broken === 1 ? '' : 's'} broken`);
  if (broken > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
