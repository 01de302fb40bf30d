/**
 * `npm run rehearse [-- OUTDIR]`: a deploy rehearsal against moto. Starts `moto_server` on 127.0.0.1,
 * gives it an organization, synthesizes the config in `LZ_CONFIG` (the bundled example when unset;
 * narrowed to two governed regions, with what moto cannot emulate left out: scripts/moto.ts) for the
 * `emulator` target with local state, and runs these steps, each reported PASS or FAIL:
 * 1. init + apply of every stack in dependency order;
 * 2. the first apply of one stack is interrupted once some resources exist, then applied again: it
 *    must converge with nothing created twice in the emulator;
 * 3. a second plan of every stack must show no changes;
 * 4. a second apply started while a first holds the stack's state lock must be refused;
 * 5. a harmful change planned against the applied state must be blocked by plan-review.
 * The server and every terraform process are stopped however the run ends. Outputs (synthesized
 * stacks, state, plans, logs) go to OUTDIR (default: a new folder under the system's temp folder).
 * `npm run scan` runs the same rehearsal and scans the emulator before it is stopped (scripts/scan.ts).
 */
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { type ConfigChoice, configChoice, configLine } from '../config/choice';
import { loadConfig, parseConfig } from '../config/loader';
import { DEFAULT_ENABLED_REGIONS } from '../facts/regions';
import type { Config } from '../config/schema';
import {
  createOrganization,
  describeLimits,
  EMULATOR_LIMITS,
  EMULATOR_VERSION,
  type EmulatedOrganization,
  emulatedBuckets,
  emulatedCustomerKeys,
  excludedStacks,
  freePort,
  type MotoServer,
  type RemovedResource,
  principalsAsObjects,
  removeExcludedResources,
  startMoto,
  TOLERATED_DRIFT,
} from './moto';
import { planReview } from './plan-review';
import { inDependencyOrder, type SynthesizedStack } from './stack-graph';
import { synthesize } from './synth';
import {
  initStack,
  inParallel,
  type PlanJson,
  planStack,
  spawnTerraform,
  stopRunningTerraform,
  TERRAFORM_PARALLELISM,
  terraform,
  terraformEnvironment,
  terraformExit,
} from './terraform';
import { errorMessage } from './error-message';

/** Regions rehearsed: two keep the run to a few minutes on two cores. */
const REHEARSED_REGION_COUNT = 2;

/** A change that must never reach apply unnoticed: switching the SCP guardrails off deletes them. */
export const HARMFUL_CHANGE = {
  stack: 'organization',
  description: 'guardrails.enabled: false (deletes the SCPs and their attachments)',
  apply: (raw: Record<string, any>) => void (raw.guardrails = { ...raw.guardrails, enabled: false }),
};

/**
 * The apply that is interrupted: the first apply of this stack gets `signal` (what Ctrl-C and a
 * cancelled CI job send) once this many of its resources have been created. Terraform then finishes
 * the calls in flight, records them in the state and exits; the next apply must create the rest and
 * nothing twice.
 */
export const INTERRUPTION = { stack: 'log-archive', afterCreated: 3, signal: 'SIGINT' as NodeJS.Signals };

/** The stack on which a second apply is started while a first one holds the state lock. */
export const LOCK_PROBE_STACK = 'log-archive';

/** The governed regions rehearsed: the home region first, then the next of the configured ones. */
export function rehearsedRegions(homeRegion: string, governed: readonly string[] = DEFAULT_ENABLED_REGIONS): string[] {
  return [...new Set([homeRegion, ...governed])].slice(0, REHEARSED_REGION_COUNT);
}

/**
 * A config as the emulator can hold it: the emulated organization's ids in place of the
 * config's own (everywhere they occur: ARNs, SCP targets), two governed regions, local state, and the
 * config limits of scripts/moto.ts applied.
 */
export function rehearsalConfig(
  raw: Record<string, any>,
  organization: EmulatedOrganization,
  stateDirectory: string,
  change: (raw: Record<string, any>) => void = () => {},
): Config {
  const replacements = new Map<string, string>([
    [raw.organization.id, organization.id],
    [raw.organization.rootId, organization.rootId],
    [raw.accounts.management.id, organization.managementAccountId],
    ...[raw.accounts.logArchive, raw.accounts.audit, ...(raw.accounts.members ?? [])].map((a: { name: string; id: string }): [string, string] => [a.id, organization.accounts[a.name]]),
  ]);
  let text = JSON.stringify(raw);
  for (const [from, to] of replacements) {
    if (!to) throw new Error(`the emulated organization has no id for ${from}`);
    text = text.split(from).join(to);
  }
  const rehearsed = JSON.parse(text);
  rehearsed.governedRegions = rehearsedRegions(rehearsed.homeRegion, rehearsed.governedRegions);
  rehearsed.state = { backend: 'local', directory: stateDirectory };
  for (const limit of EMULATOR_LIMITS) if (limit.kind === 'config') limit.apply(rehearsed);
  change(rehearsed);
  return parseConfig(rehearsed, 'rehearsal config');
}

/** The attributes an update changes (known after apply counts as changed). */
function changedAttributes(change: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null; after_unknown?: Record<string, unknown> }): string[] {
  const before = change.before ?? {};
  const after = change.after ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(change.after_unknown ?? {})]);
  return [...keys].filter((k) => change.after_unknown?.[k] === true || JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Two JSON documents (as strings) that say the same. */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return typeof a === 'string' && typeof b === 'string' && JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}

/** Changes of a second plan that are not the emulator's known drift; each as "address: what". */
export function untoleratedChanges(plan: PlanJson): string[] {
  const problems: string[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const actions = rc.change.actions.join(',');
    if (actions === 'no-op' || actions === 'read') continue;
    if (actions !== 'update') {
      problems.push(`${rc.address}: ${actions}`);
      continue;
    }
    const change = rc.change as Parameters<typeof changedAttributes>[0];
    const tolerated = (attribute: string) =>
      TOLERATED_DRIFT.some((d) => d.type === rc.type && d.attribute === attribute && (!d.sameJson || sameJson(change.before?.[attribute], change.after?.[attribute])));
    const changed = changedAttributes(change).filter((a) => !tolerated(a));
    if (changed.length > 0) problems.push(`${rc.address}: update of ${changed.join(', ')}`);
  }
  return problems;
}

/** The chosen config as written, after checking it whole (its problems are reported against the file). */
function readRawConfig(choice: ConfigChoice): Record<string, any> {
  loadConfig(choice.file);
  return parse(fs.readFileSync(choice.file, 'utf8')) as Record<string, any>;
}

export type Log = (message: string) => void;

/** Progress lines: `[tool HH:MM:SS] message`. */
export function progress(tool: string): Log {
  return (message) => console.log(`[${tool} ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** One step of the rehearsal and whether it held. */
export interface StepResult {
  readonly step: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface Rehearsal {
  /** The config as rehearsed: emulated ids, two regions, local state, the config limits applied. */
  readonly config: Config;
  readonly stacks: readonly SynthesizedStack[];
  /** Stacks left out, with why. */
  readonly excludedStacks: ReadonlyMap<string, string>;
  /** Resources removed from the rehearsed stacks, with why. */
  readonly removed: ReadonlyArray<RemovedResource & { readonly stack: string }>;
  readonly steps: readonly StepResult[];
  readonly passed: boolean;
}

/** Synthesizes for the emulator and leaves out what it cannot hold. */
function synthesizeForEmulator(config: Config, outdir: string, stateDirectory: string) {
  const all = synthesize(config, { outdir, target: 'emulator', localStateDirectory: stateDirectory });
  const excluded = excludedStacks(all);
  const stacks = all.filter((s) => !excluded.has(s.id));
  const removed: Array<RemovedResource & { stack: string }> = [];
  for (const stack of stacks) {
    const file = path.join(stack.dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    removed.push(...removeExcludedResources(json).map((r) => ({ ...r, stack: stack.id })));
    principalsAsObjects(json);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
  }
  return { stacks, excluded, removed };
}

/** Removed resources grouped by type and reason: "6 aws_guardduty_detector_feature (reason)". */
function summarizeRemoved(removed: readonly RemovedResource[]): string[] {
  const groups = new Map<string, number>();
  for (const r of removed) {
    const key = `${r.address.startsWith('output.') ? 'output' : r.address.split('.')[0]} (${r.reason})`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, count]) => `${count} ${key}`);
}

/** Addresses of the resources (not data sources) in a stack's state. */
async function stateResources(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<string[]> {
  const listed = await terraformExit(['state', 'list'], stack.dir, env);
  return listed.exitCode === 0 ? listed.stdout.split('\n').filter((a) => a && !a.startsWith('data.') && !a.includes('.data.')) : [];
}

interface InterruptedApply {
  readonly signalled: boolean;
  readonly exitCode: number;
  /** Resources in the state right after it exited. */
  readonly recorded: number;
  /** Of those, the ones Terraform marked tainted (their create was cut short). */
  readonly tainted: readonly string[];
  /** Of the tainted ones, those with `prevent_destroy`, untainted before the next apply. */
  readonly untainted: readonly string[];
  /** KMS keys whose create was cut short after the emulator made them, found and imported. */
  readonly adopted: readonly string[];
}

/** Ids of the KMS keys and names of the buckets that the stacks' states record. */
function recordedInStates(stacks: readonly SynthesizedStack[], stateDirectory: string): { keys: Set<string>; buckets: Set<string> } {
  const keys = new Set<string>();
  const buckets = new Set<string>();
  for (const stack of stacks) {
    const file = path.join(stateDirectory, `${stack.id}.tfstate`);
    if (!fs.existsSync(file)) continue;
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: Array<{ type: string; mode: string; instances: Array<{ attributes: Record<string, any> }> }> };
    for (const r of state.resources ?? []) {
      if (r.mode !== 'managed') continue;
      for (const i of r.instances) {
        if (r.type === 'aws_kms_key') keys.add(i.attributes.key_id);
        if (r.type === 'aws_s3_bucket') buckets.add(i.attributes.bucket);
      }
    }
  }
  return { keys, buckets };
}

/**
 * KMS keys of the stack that the state lacks but the emulator holds: a key has no name, so a
 * CreateKey that AWS carried out while the interrupt cancelled the call leaves a key nobody records,
 * and the next apply would create a second one. Each is found by the description it was planned
 * with, among the keys no state records, and imported.
 */
export async function adoptUnrecordedKeys(stack: SynthesizedStack, env: NodeJS.ProcessEnv, emulator: { endpoint: string; stacks: readonly SynthesizedStack[]; stateDirectory: string }): Promise<string[]> {
  const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as {
    provider?: { aws?: Array<{ alias?: string; region?: string }> };
    resource?: { aws_kms_key?: Record<string, { provider?: string; description?: string }> };
  };
  const inState = new Set(await stateResources(stack, env));
  const adopted: string[] = [];
  for (const [name, key] of Object.entries(json.resource?.aws_kms_key ?? {})) {
    const address = `aws_kms_key.${name}`;
    if (inState.has(address)) continue;
    const region = json.provider?.aws?.find((p) => `aws.${p.alias}` === key.provider)?.region;
    if (!region) continue;
    const recorded = recordedInStates(emulator.stacks, emulator.stateDirectory).keys;
    const orphans = (await emulatedCustomerKeys(emulator.endpoint, region)).filter((k) => !recorded.has(k.id) && k.description === key.description);
    if (orphans.length !== 1) continue;
    await terraform(['import', '-input=false', address, orphans[0].id], stack.dir, env);
    adopted.push(`${address} (${orphans[0].id})`);
  }
  return adopted;
}

/** Addresses of the tainted resources in a local state file. */
function taintedResources(stateFile: string): string[] {
  if (!fs.existsSync(stateFile)) return [];
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { resources?: Array<{ mode: string; type: string; name: string; instances: Array<{ status?: string }> }> };
  return (state.resources ?? []).filter((r) => r.mode === 'managed' && r.instances.some((i) => i.status === 'tainted')).map((r) => `${r.type}.${r.name}`);
}

/** Whether a resource of a synthesized stack carries `prevent_destroy`. */
function isProtected(stack: SynthesizedStack, address: string): boolean {
  const [type, name] = address.split('.');
  const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8'));
  return json.resource?.[type]?.[name]?.lifecycle?.prevent_destroy === true;
}

/**
 * The first apply of a stack, interrupted once `INTERRUPTION.afterCreated` resources exist, and the
 * recovery docs/rehearsal.md gives. Terraform cancels the calls in flight: what AWS had made before
 * a later step of its create was cut short is recorded tainted, to be replaced by the next apply; a
 * protected resource (`prevent_destroy`) cannot be replaced, so the next plan fails on it: it is
 * untainted, and the next apply reads it back and completes its settings. What AWS made while the
 * create call itself was cancelled is not recorded at all: a KMS key, having no name, is found and
 * imported (adoptUnrecordedKeys); a named resource would make the next apply fail loudly.
 */
async function interruptedApply(
  stack: SynthesizedStack,
  env: NodeJS.ProcessEnv,
  emulator: { endpoint: string; stacks: readonly SynthesizedStack[]; stateDirectory: string },
  logFile: string,
): Promise<InterruptedApply> {
  const stateFile = path.join(emulator.stateDirectory, `${stack.id}.tfstate`);
  const child = spawnTerraform(['apply', '-auto-approve', '-input=false'], stack.dir, env);
  let output = '';
  let signalled = false;
  const collect = (d: Buffer) => {
    output += d.toString();
    if (!signalled && (output.match(/: Creation complete after/g)?.length ?? 0) >= INTERRUPTION.afterCreated) {
      signalled = true;
      child.kill(INTERRUPTION.signal);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  fs.writeFileSync(logFile, output);
  const tainted = taintedResources(stateFile);
  const untainted = tainted.filter((address) => isProtected(stack, address));
  const recorded = (await stateResources(stack, env)).length;
  for (const address of untainted) await terraform(['untaint', address], stack.dir, env);
  const adopted = await adoptUnrecordedKeys(stack, env, emulator);
  return { signalled, exitCode: code ?? 1, recorded, tainted, untainted, adopted };
}

/**
 * Starts an apply, pauses it (SIGSTOP) as soon as it reads the state, that is while it holds the
 * state lock, and starts a second apply of the same stack that must be refused; then lets the
 * first one finish. The pause makes the overlap certain instead of a race of timings.
 */
async function concurrentApply(stack: SynthesizedStack, env: NodeJS.ProcessEnv, logFile: string): Promise<StepResult> {
  const step = `a second apply of ${stack.id} while a first holds its state lock is refused`;
  const first = spawnTerraform(['apply', '-auto-approve', '-input=false'], stack.dir, env);
  let firstOutput = '';
  const holdsLock = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 120_000);
    first.stdout!.on('data', (d: Buffer) => {
      firstOutput += d.toString();
      if (/Refreshing state\.\.\./.test(firstOutput)) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    first.once('close', () => resolve(false));
  });
  first.stderr!.on('data', (d: Buffer) => (firstOutput += d.toString()));
  const firstClosed = once(first, 'close') as Promise<[number | null]>;
  let second: Awaited<ReturnType<typeof terraformExit>> | undefined;
  try {
    if (!(await holdsLock)) return { step, passed: false, detail: 'the first apply never read its state, so it never held the lock' };
    first.kill('SIGSTOP');
    second = await terraformExit(['apply', '-auto-approve', '-input=false', '-lock-timeout=0s'], stack.dir, env);
  } finally {
    first.kill('SIGCONT');
  }
  const [firstCode] = await firstClosed;
  fs.writeFileSync(logFile, `== first apply (exit ${firstCode})\n${firstOutput}\n== second apply (exit ${second.exitCode})\n${second.stdout}${second.stderr}`);
  const secondOutput = second.stdout + second.stderr;
  const refused = second.exitCode !== 0 && /Error acquiring the state lock/.test(secondOutput);
  const holder = /Operation:\s*(\S+)/.exec(secondOutput)?.[1];
  if (!refused) return { step, passed: false, detail: `the second apply was not refused by the lock (exit ${second.exitCode})` };
  if (firstCode !== 0) return { step, passed: false, detail: `the second apply was refused, but the first one then failed (exit ${firstCode})` };
  return { step, passed: true, detail: `refused with "Error acquiring the state lock" (held by ${holder ?? 'the first apply'}); the first apply then finished (exit 0)` };
}

/**
 * What the emulator holds twice or without a record: customer managed KMS keys (which have no
 * name, so a create that ran twice leaves two) and S3 buckets, compared with every stack's state.
 */
async function unrecordedInEmulator(endpoint: string, regions: readonly string[], stacks: readonly SynthesizedStack[], stateDirectory: string): Promise<string[]> {
  const { keys: recordedKeys, buckets: recordedBuckets } = recordedInStates(stacks, stateDirectory);
  const extra: string[] = [];
  for (const region of regions) {
    for (const key of await emulatedCustomerKeys(endpoint, region)) {
      if (!recordedKeys.has(key.id)) extra.push(`KMS key ${key.id} in ${region} ("${key.description}")`);
    }
  }
  for (const bucket of await emulatedBuckets(endpoint)) if (!recordedBuckets.has(bucket)) extra.push(`S3 bucket ${bucket}`);
  return extra;
}

/** Runs every step of the rehearsal against a running emulator, which it leaves running. */
export async function rehearse(server: MotoServer, outdir: string, choice: ConfigChoice, log: Log): Promise<Rehearsal> {
  const stateDirectory = path.join(outdir, 'state');
  const plansDirectory = path.join(outdir, 'plans');
  const logsDirectory = path.join(outdir, 'logs');
  fs.mkdirSync(plansDirectory, { recursive: true });
  fs.mkdirSync(logsDirectory, { recursive: true });

  const raw = readRawConfig(choice);
  const accountNames = [raw.accounts.logArchive, raw.accounts.audit, ...(raw.accounts.members ?? [])].map((a: { name: string }) => a.name);
  const organization = await createOrganization(server.endpoint, accountNames);
  log(`emulated organization ${organization.id} (root ${organization.rootId}, management account ${organization.managementAccountId}, ${accountNames.length} accounts)`);

  const config = rehearsalConfig(raw, organization, stateDirectory);
  log(`rehearsing ${choice.file}, narrowed to ${config.governedRegions.length} governed regions: ${config.governedRegions.join(', ')}`);
  const { stacks, excluded, removed } = synthesizeForEmulator(config, path.join(outdir, 'cdktf.out'), stateDirectory);
  for (const [id, reason] of excluded) log(`left out stack ${id}: ${reason}`);
  for (const stack of stacks) for (const line of summarizeRemoved(removed.filter((r) => r.stack === stack.id))) log(`left out in ${stack.id}: ${line}`);
  const env = { ...terraformEnvironment(path.join(outdir, '.terraform-cli')), AWS_ENDPOINT_URL: server.endpoint };

  const steps: StepResult[] = [];
  const record = (result: StepResult) => {
    steps.push(result);
    log(`${result.passed ? 'PASS' : 'FAIL'}  ${result.step}: ${result.detail}`);
  };

  const interruptionStep = `an apply of ${INTERRUPTION.stack} interrupted by ${INTERRUPTION.signal}, then applied again, converges with nothing created twice`;
  let interrupted: InterruptedApply | undefined;
  try {
    await inDependencyOrder(stacks, TERRAFORM_PARALLELISM, async (stack) => {
      const started = Date.now();
      await initStack(stack, env, { backend: true });
      if (stack.id === INTERRUPTION.stack) {
        interrupted = await interruptedApply(stack, env, { endpoint: server.endpoint, stacks, stateDirectory }, path.join(logsDirectory, `${stack.id}.interrupted-apply.log`));
        log(
          `interrupted ${stack.id.padEnd(21)} ${INTERRUPTION.signal} once ${INTERRUPTION.afterCreated} resources were created: terraform stopped (exit ${interrupted.exitCode}) ` +
            `with ${interrupted.recorded} resources in the state, ${interrupted.tainted.length} tainted` +
            `${interrupted.untainted.length > 0 ? `; untainted the protected ${interrupted.untainted.join(', ')}` : ''}` +
            `${interrupted.adopted.length > 0 ? `; imported the unrecorded ${interrupted.adopted.join(', ')}` : ''}`,
        );
      }
      const applied = await terraform(['apply', '-auto-approve', '-input=false'], stack.dir, env).catch((error: unknown) => {
        throw Object.assign(error as Error, { stackId: stack.id });
      });
      fs.writeFileSync(path.join(logsDirectory, `${stack.id}.apply.log`), applied.stdout);
      log(`applied   ${stack.id.padEnd(23)} ${applied.stdout.match(/Resources: \d+ added/)?.[0] ?? ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    });
  } catch (error) {
    const failed = (error as { stackId?: string }).stackId;
    const message = error instanceof Error ? error.message : String(error);
    record(failed === INTERRUPTION.stack && interrupted ? { step: interruptionStep, passed: false, detail: `the apply after the interruption failed: ${message}` } : { step: 'apply every stack in dependency order', passed: false, detail: message });
    return { config, stacks, excludedStacks: excluded, removed, steps, passed: false };
  }
  record({ step: 'apply every stack in dependency order', passed: true, detail: `${stacks.length} stacks applied` });

  const drift = new Map<string, string[]>();
  await inParallel(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    const { hasChanges: changes, plan } = await planStack(stack, env, { planFile: 'replan.tfplan', lock: true });
    fs.writeFileSync(path.join(plansDirectory, `${stack.id}.json`), JSON.stringify(plan));
    const problems = changes ? untoleratedChanges(plan) : [];
    drift.set(stack.id, problems);
    log(`replanned ${stack.id.padEnd(23)} ${!changes ? 'no changes' : problems.length === 0 ? 'only the emulator\'s known drift' : `${problems.length} changes`}`);
  });

  if (!interrupted) {
    record({ step: interruptionStep, passed: false, detail: `the ${INTERRUPTION.stack} stack was not rehearsed` });
  } else {
    const unrecorded = await unrecordedInEmulator(server.endpoint, config.governedRegions, stacks, stateDirectory);
    const replanned = drift.get(INTERRUPTION.stack) ?? [];
    const failures = [
      ...(!interrupted.signalled ? [`the apply finished before ${INTERRUPTION.afterCreated} resources were created, so it was never interrupted`] : []),
      ...(interrupted.signalled && interrupted.exitCode === 0 ? ['terraform ignored the interrupt and finished'] : []),
      ...unrecorded.map((u) => `${u} exists in the emulator but in no state`),
      ...replanned.map((p) => `second plan: ${p}`),
    ];
    record({
      step: interruptionStep,
      passed: failures.length === 0,
      detail: failures.length > 0
        ? failures.join('; ')
        : `stopped with ${interrupted.recorded} resources in the state (${interrupted.tainted.length} tainted, ${interrupted.untainted.length} of them protected and untainted; ` +
          `${interrupted.adopted.length} unrecorded KMS keys imported); ` +
          'the next apply completed the stack; every KMS key and bucket in the emulator is in a state; the second plan is empty',
    });
  }

  const drifting = [...drift].flatMap(([id, problems]) => problems.map((p) => `${id} ${p}`));
  record({
    step: 'a second plan of every stack right after apply shows no changes',
    passed: drifting.length === 0,
    detail: drifting.length === 0 ? `${stacks.length} stacks, none with changes beyond the emulator's known drift` : drifting.join('; '),
  });

  const lockStack = stacks.find((s) => s.id === LOCK_PROBE_STACK);
  record(lockStack
    ? await concurrentApply(lockStack, env, path.join(logsDirectory, `${LOCK_PROBE_STACK}.concurrent-apply.log`))
    : { step: 'a second apply while a first holds the state lock is refused', passed: false, detail: `the ${LOCK_PROBE_STACK} stack was not rehearsed` });

  record(await harmfulChangeBlocked(raw, organization, stateDirectory, outdir, plansDirectory, stacks, env));

  return { config, stacks, excludedStacks: excluded, removed, steps, passed: steps.every((s) => s.passed) };
}

/** Plans the harmful change against the applied state and runs plan-review on it, which must block it. */
async function harmfulChangeBlocked(
  raw: Record<string, any>,
  organization: EmulatedOrganization,
  stateDirectory: string,
  outdir: string,
  plansDirectory: string,
  stacks: readonly SynthesizedStack[],
  env: NodeJS.ProcessEnv,
): Promise<StepResult> {
  const step = `plan-review blocks a harmful change: ${HARMFUL_CHANGE.description}`;
  if (!stacks.some((s) => s.id === HARMFUL_CHANGE.stack)) return { step, passed: false, detail: `the ${HARMFUL_CHANGE.stack} stack was not rehearsed` };
  const harmfulConfig = rehearsalConfig(raw, organization, stateDirectory, HARMFUL_CHANGE.apply);
  const harmful = synthesizeForEmulator(harmfulConfig, path.join(outdir, 'cdktf.out-harmful'), stateDirectory).stacks.find((s) => s.id === HARMFUL_CHANGE.stack)!;
  await initStack(harmful, env, { backend: true });
  const harmfulFile = path.join(plansDirectory, `${HARMFUL_CHANGE.stack}.harmful.json`);
  fs.writeFileSync(harmfulFile, JSON.stringify((await planStack(harmful, env, { planFile: 'harmful.tfplan', lock: true })).plan));
  const review = planReview([harmfulFile]);
  console.log(`\n${review.markdown}`);
  return review.exitCode === 1
    ? { step, passed: true, detail: `planned against the applied ${HARMFUL_CHANGE.stack} stack; plan-review exited 1` }
    : { step, passed: false, detail: `plan-review let it through (exit ${review.exitCode})` };
}

/** Registers what must be stopped when the run ends early. */
export type AtStop = (stop: () => void) => void;

/**
 * Starts moto_server, runs `work` with it, and stops it, every terraform process and whatever
 * `work` registered, however the run ends (also on Ctrl-C and SIGTERM).
 */
export async function withEmulator<T>(outdir: string, log: Log, work: (server: MotoServer, atStop: AtStop) => Promise<T>): Promise<T> {
  // the deployment, plan and break-glass roles attach AWS managed policies
  const server = await startMoto(await freePort(), path.join(outdir, 'moto.log'), undefined, { awsManagedPolicies: true });
  log(`moto_server ${EMULATOR_VERSION} answers on ${server.endpoint} (pid ${server.process.pid})`);
  const stops: Array<() => void> = [];
  const stopAll = () => {
    for (const stop of stops.splice(0)) stop();
    stopRunningTerraform();
    server.stop();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopAll();
    log(`stopped by ${signal}; terraform, moto_server and every other process started were stopped`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', stopAll);
  try {
    return await work(server, (stop) => stops.push(stop));
  } finally {
    stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', stopAll);
  }
}

/** The start of every rehearsal: where outputs go, which config, and what the emulator cannot hold. */
export function announce(command: string, outdir: string, choice: ConfigChoice, log: Log): void {
  log(configLine(command, choice));
  log(`outputs in ${outdir}`);
  log(`what moto ${EMULATOR_VERSION} cannot emulate is left out (EMULATOR_LIMITS in scripts/moto.ts):`);
  for (const line of describeLimits()) console.log(`    ${line}`);
  for (const d of TOLERATED_DRIFT) console.log(`    drift       ${d.type}.${d.attribute}: ${d.reason}`);
}

/** The summary of the steps, one line each. */
export function stepSummary(steps: readonly StepResult[]): string {
  return steps.map((s) => `  ${s.passed ? 'PASS' : 'FAIL'}  ${s.step}`).join('\n');
}

/**
 * The output folder of `npm run COMMAND [-- FOLDER]`: the one argument, or a new folder under the
 * system's temp folder. Throws, with the usage, on any other argument.
 */
export function outputFolder(args: readonly string[], command: string, prefix: string): string {
  const usage = `usage: npm run ${command} [-- OUTPUT_FOLDER]`;
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} }));
  } catch (error) {
    throw new Error(`${errorMessage(error)}; ${usage}`);
  }
  if (positionals.length > 1) throw new Error(`one output folder at most; ${usage}`);
  const outdir = path.resolve(positionals[0] ?? fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.mkdirSync(outdir, { recursive: true });
  return outdir;
}

async function main(): Promise<void> {
  const log = progress('rehearse');
  const outdir = outputFolder(process.argv.slice(2), 'rehearse', 'landing-zone-rehearsal-');
  const choice = configChoice();
  const started = Date.now();
  announce('rehearse', outdir, choice, log);
  const rehearsal = await withEmulator(outdir, log, (server) => rehearse(server, outdir, choice, log));
  console.log(`\nrehearsal steps:\n${stepSummary(rehearsal.steps)}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (!rehearsal.passed) throw new Error(`${rehearsal.steps.filter((s) => !s.passed).length} of ${rehearsal.steps.length} steps failed (${seconds} s)`);
  log(`rehearsal passed: ${rehearsal.steps.length} steps in ${seconds} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`rehearsal failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
