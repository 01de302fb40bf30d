/**
 * `npm run bench`: how fast and how big the landing zone is on this machine.
 * - synth of the example (the exact command `cdktf synth` runs, from cdktf.json), and of generated
 *   organizations with 10, 100 and 1000 member accounts: wall time, peak memory, resource count;
 * - the offline `terraform plan` of every stack of the example (empty state): total wall time, and
 *   the peak memory of the largest single plan with its provider processes;
 * - the wall time of the test suite (skip with --skip-tests).
 * Prints a markdown table and checks the budgets; exits 1 when one is broken.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import { measure, type Measurement } from './measure';
import { readManifest, synthesize } from './synth';
import { inParallel, seedEmptyStates, TERRAFORM_PARALLELISM, terraform, terraformEnvironment } from './terraform';

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
    if (run.exitCode !== 0) throw new Error(`synth of ${label} failed:\n${run.output}`);
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

interface PlanRow {
  readonly stack: string;
  readonly seconds: number;
  readonly peakMegabytes: number;
}

async function benchPlans(): Promise<{ rows: PlanRow[]; totalSeconds: number }> {
  const outdir = path.join(work, 'plan');
  const localStateDirectory = path.join(outdir, 'state');
  const config = loadConfig(EXAMPLE_CONFIG_PATH);
  const stacks = synthesize({ ...config, state: { backend: 'local', directory: localStateDirectory } }, { outdir, target: 'offline', localStateDirectory });
  seedEmptyStates(localStateDirectory, stacks.map((s) => s.id));
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  await inParallel(stacks, TERRAFORM_PARALLELISM, (stack) => terraform(['init', '-input=false'], stack.dir, env));
  const started = Date.now();
  const rows = await inParallel(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    const run = await measure('terraform', ['plan', '-input=false', '-lock=false', '-no-color', '-out=plan.tfplan'], { cwd: stack.dir, env });
    if (run.exitCode !== 0) throw new Error(`plan of ${stack.id} failed:\n${run.output}`);
    return { stack: stack.id, seconds: run.wallSeconds, peakMegabytes: run.peakMegabytes };
  });
  return { rows, totalSeconds: (Date.now() - started) / 1000 };
}

function verdict(ok: boolean): string {
  return ok ? 'within budget' : '**over budget**';
}

async function main(): Promise<void> {
  const skipTests = process.argv.includes('--skip-tests');
  const synthRows = [await benchSynth('example (17 regions)', EXAMPLE_CONFIG_PATH)];
  for (const members of [10, 100, 1000]) synthRows.push(await benchSynth(`${members} member accounts`, generatedConfig(members)));
  const plans = await benchPlans();
  const largest = plans.rows.reduce((a, b) => (b.peakMegabytes > a.peakMegabytes ? b : a));
  const tests = skipTests ? undefined : await measure(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js')], { cwd: root });

  const [example, ten, , thousand] = synthRows;
  const budgets: Array<[string, boolean]> = [
    [`synth of the example ≤ 1.5 s (${example.medianSeconds.toFixed(2)} s)`, example.medianSeconds <= 1.5],
    [`synth of the example ≤ 300 MB (${example.peakMegabytes.toFixed(0)} MB)`, example.peakMegabytes <= 300],
    [`synth with 1000 accounts ≤ 1.3 × 10 accounts (${(thousand.medianSeconds / ten.medianSeconds).toFixed(2)} ×)`, thousand.medianSeconds <= 1.3 * ten.medianSeconds],
    [`resources do not grow with member accounts (${ten.resources} → ${thousand.resources})`, thousand.resources === ten.resources],
    [`largest single plan ≤ 1.5 GB (${largest.stack}: ${largest.peakMegabytes.toFixed(0)} MB)`, largest.peakMegabytes <= 1536],
    [`plan of all stacks ≤ 2 min (${plans.totalSeconds.toFixed(1)} s)`, plans.totalSeconds <= 120],
  ];

  const lines = [
    `Measured on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}.`,
    '',
    '| synth | median wall (of 5) | peak memory | stacks | resources |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...synthRows.map((r) => `| ${r.label} | ${r.medianSeconds.toFixed(2)} s | ${r.peakMegabytes.toFixed(0)} MB | ${r.stacks} | ${r.resources} |`),
    '',
    `| offline plan, empty state (${TERRAFORM_PARALLELISM} at a time) | wall | peak memory with providers |`,
    '| --- | ---: | ---: |',
    `| all ${plans.rows.length} stacks of the example | ${plans.totalSeconds.toFixed(1)} s | largest: ${largest.peakMegabytes.toFixed(0)} MB (${largest.stack}) |`,
    ...(tests ? ['', '| test suite | wall |', '| --- | ---: |', `| npm test | ${tests.wallSeconds.toFixed(1)} s${tests.exitCode === 0 ? '' : ' (failed)'} |`] : []),
    '',
    ...budgets.map(([text, ok]) => `- ${verdict(ok)}: ${text}`),
  ];
  console.log(lines.join('\n'));
  fs.rmSync(work, { recursive: true, force: true });
  if (budgets.some(([, ok]) => !ok) || (tests && tests.exitCode !== 0)) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
