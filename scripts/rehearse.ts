/**
 * `npm run rehearse [-- OUTDIR]`: a deploy rehearsal against moto. Starts `moto_server` on
 * 127.0.0.1, gives it an organization, synthesizes the example config (narrowed to two governed
 * regions, with what moto cannot emulate left out: scripts/moto.ts) for the `emulator` target with
 * local state, then: init + apply of every stack in dependency order; a second plan of each that
 * must show no changes; a harmful change planned against the applied state that plan-review must
 * block. The server is stopped however the run ends. Outputs (synthesized stacks, state, plans,
 * logs) go to OUTDIR (default: a new folder under the system's temp folder).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../config/loader';
import { DEFAULT_ENABLED_REGIONS } from '../facts/regions';
import type { Config } from '../config/schema';
import {
  createOrganization,
  describeLimits,
  EMULATOR_LIMITS,
  type EmulatedOrganization,
  excludedStacks,
  freePort,
  type MotoServer,
  type RemovedResource,
  removeExcludedResources,
  startMoto,
  TOLERATED_DRIFT,
} from './moto';
import { planReview } from './plan-review';
import { inDependencyOrder } from './stack-graph';
import { synthesize } from './synth';
import type { SynthesizedStack } from './stack-graph';
import { initStack, inParallel, type PlanJson, planStack, TERRAFORM_PARALLELISM, terraform, terraformEnvironment } from './terraform';

/** Regions rehearsed: two keep the run to a few minutes on two cores. */
const REHEARSED_REGION_COUNT = 2;

/** A change that must never reach apply unnoticed: switching the SCP guardrails off deletes them. */
export const HARMFUL_CHANGE = {
  stack: 'organization',
  description: 'guardrails.enabled: false (deletes the SCPs and their attachments)',
  apply: (raw: Record<string, any>) => void (raw.guardrails = { ...raw.guardrails, enabled: false }),
};

/** The governed regions rehearsed: the home region first, then the next of the configured ones. */
export function rehearsedRegions(homeRegion: string, governed: readonly string[] = DEFAULT_ENABLED_REGIONS): string[] {
  return [...new Set([homeRegion, ...governed])].slice(0, REHEARSED_REGION_COUNT);
}

/**
 * The example config as the emulator can hold it: the emulated organization's ids in place of the
 * example's (everywhere they occur: ARNs, SCP targets), two governed regions, local state, and the
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
    const tolerated = TOLERATED_DRIFT.filter((d) => d.type === rc.type).map((d) => d.attribute);
    const changed = changedAttributes(rc.change as Parameters<typeof changedAttributes>[0]).filter((a) => !tolerated.includes(a));
    if (changed.length > 0) problems.push(`${rc.address}: update of ${changed.join(', ')}`);
  }
  return problems;
}

function log(message: string): void {
  console.log(`[rehearse ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Synthesizes for the emulator, leaves out what it cannot hold, and returns the stacks to deploy in order. */
function synthesizeForEmulator(config: Config, outdir: string, stateDirectory: string, quiet = false): SynthesizedStack[] {
  const stacks = synthesize(config, { outdir, target: 'emulator', localStateDirectory: stateDirectory });
  const excluded = excludedStacks(stacks);
  for (const [id, reason] of excluded) if (!quiet) log(`left out stack ${id}: ${reason}`);
  const kept = stacks.filter((s) => !excluded.has(s.id));
  for (const stack of kept) {
    const file = path.join(stack.dir, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    const removed = removeExcludedResources(json);
    fs.writeFileSync(file, JSON.stringify(json, null, 2));
    if (!quiet) for (const line of summarizeRemoved(removed)) log(`left out in ${stack.id}: ${line}`);
  }
  return kept;
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

async function rehearse(outdir: string, server: MotoServer): Promise<void> {
  const stateDirectory = path.join(outdir, 'state');
  const plansDirectory = path.join(outdir, 'plans');
  const logsDirectory = path.join(outdir, 'logs');
  fs.mkdirSync(plansDirectory, { recursive: true });
  fs.mkdirSync(logsDirectory, { recursive: true });

  const raw = parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')) as Record<string, any>;
  const accountNames = [raw.accounts.logArchive, raw.accounts.audit, ...(raw.accounts.members ?? [])].map((a: { name: string }) => a.name);
  const organization = await createOrganization(server.endpoint, accountNames);
  log(`emulated organization ${organization.id} (root ${organization.rootId}, management account ${organization.managementAccountId}, ${accountNames.length} accounts)`);

  const config = rehearsalConfig(raw, organization, stateDirectory);
  log(`rehearsing config/example.yaml narrowed to ${config.governedRegions.length} governed regions: ${config.governedRegions.join(', ')}`);
  const stacks = synthesizeForEmulator(config, path.join(outdir, 'cdktf.out'), stateDirectory);
  const env = { ...terraformEnvironment(path.join(outdir, '.terraform-cli')), AWS_ENDPOINT_URL: server.endpoint };

  await inDependencyOrder(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    const started = Date.now();
    await initStack(stack, env, { backend: true });
    const applied = await terraform(['apply', '-auto-approve', '-input=false'], stack.dir, env);
    fs.writeFileSync(path.join(logsDirectory, `${stack.id}.apply.log`), applied.stdout);
    log(`applied   ${stack.id.padEnd(23)} ${applied.stdout.match(/Resources: \d+ added/)?.[0] ?? ''} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });

  const drifting: string[] = [];
  await inParallel(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    const { hasChanges: changes, plan } = await planStack(stack, env, { planFile: 'replan.tfplan', lock: true });
    fs.writeFileSync(path.join(plansDirectory, `${stack.id}.json`), JSON.stringify(plan));
    const problems = changes ? untoleratedChanges(plan) : [];
    drifting.push(...problems.map((p) => `${stack.id} ${p}`));
    log(`replanned ${stack.id.padEnd(23)} ${!changes ? 'no changes' : problems.length === 0 ? 'only the emulator\'s known drift' : `${problems.length} changes`}`);
  });
  if (drifting.length > 0) {
    throw new Error(`a second plan right after apply must show no changes, but:\n  ${drifting.join('\n  ')}`);
  }

  log(`harmful change: ${HARMFUL_CHANGE.description}, planned against the applied ${HARMFUL_CHANGE.stack} stack`);
  const harmfulConfig = rehearsalConfig(raw, organization, stateDirectory, HARMFUL_CHANGE.apply);
  const harmful = synthesizeForEmulator(harmfulConfig, path.join(outdir, 'cdktf.out-harmful'), stateDirectory, true).find((s) => s.id === HARMFUL_CHANGE.stack);
  if (!harmful || !stacks.some((s) => s.id === HARMFUL_CHANGE.stack)) {
    throw new Error(`the ${HARMFUL_CHANGE.stack} stack was not rehearsed, so the harmful change cannot be planned`);
  }
  await initStack(harmful, env, { backend: true });
  const harmfulFile = path.join(plansDirectory, `${HARMFUL_CHANGE.stack}.harmful.json`);
  fs.writeFileSync(harmfulFile, JSON.stringify((await planStack(harmful, env, { planFile: 'harmful.tfplan', lock: true })).plan));
  const review = planReview([harmfulFile]);
  console.log(`\n${review.markdown}`);
  if (review.exitCode !== 1) throw new Error(`plan-review let the harmful change through (exit ${review.exitCode})`);
  log(`plan-review blocked the harmful change (exit ${review.exitCode}), as it must`);
}

async function main(): Promise<void> {
  const outdir = path.resolve(process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-rehearsal-')));
  fs.mkdirSync(outdir, { recursive: true });
  const started = Date.now();
  log(`outputs in ${outdir}`);
  log('what moto cannot emulate is left out (scripts/moto.ts):');
  for (const line of describeLimits()) console.log(`    ${line}`);
  for (const d of TOLERATED_DRIFT) console.log(`    drift       ${d.type}.${d.attribute}: ${d.reason}`);

  const port = await freePort();
  const server = await startMoto(port, path.join(outdir, 'moto.log'));
  log(`moto_server answers on ${server.endpoint}`);
  const stopOnSignal = (signal: NodeJS.Signals) => {
    server.stop();
    log(`stopped by ${signal}; moto_server stopped`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  process.once('exit', () => server.stop());
  try {
    await rehearse(outdir, server);
    log(`rehearsal passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    server.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`rehearsal failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
