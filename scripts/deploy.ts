/**
 * `npm run deploy -- STAGE... [--dry-run] [--auto-approve] [--allow-destroy] [--list]`: deploys the
 * chosen config (LZ_CONFIG) to AWS, one stack at a time in dependency order.
 *
 * Stages come from the synthesized stack graph: every stack is a stage of its own, except the
 * regional ones (`guardduty-eu-west-1`, ...), which form one stage named without the region
 * (`guardduty`); `all` is every stage. A stack the config turns off (Security Lake with
 * `securityLake.enabled: false`) is skipped with a note, so the same commands work for every config.
 *
 * Terraform runs directly in each synthesized stack's folder, as the pull-request workflow's apply
 * job does, rather than through `cdktf deploy`: that refuses a stack whose dependencies are not in
 * the same run (unless `--ignore-missing-stack-dependencies`), fails on a pattern matching no stack,
 * synthesizes through `cdktf synth` (printing every line of our stderr as an error), runs
 * `terraform providers lock` against the registry, and deploys independent stacks all at once.
 * Per stack: init, plan to a file, plan-review of that plan (refusing to delete or replace a
 * protected resource without --allow-destroy), a confirmation, apply of exactly that plan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { displayPath, refuseExampleAgainstAws } from '../config/choice';
import { ConfigError } from '../config/loader';
import { KNOWN_REGIONS } from '../facts/regions';
import { localStateDirectoryOf } from '../stacks/infrastructure/landing-zone-stack';
import { stacksTurnedOff, type TurnedOffStack } from '../stacks/landing-zone';
import { type CommandIo, loadCommandConfig, processIo } from './command-io';
import { planReview } from './plan-review';
import type { SynthesizedStack } from './stack-graph';
import { synthesize } from './synth';
import { terraform, terraformAttached, terraformEnvironment, TerraformError } from './terraform';
import { errorMessage } from './error-message';

export const USAGE = 'usage: npm run deploy -- STAGE... [--dry-run] [--auto-approve] [--allow-destroy] [--outdir cdktf.out]  (STAGE: all, a stage or a stack id; --list shows the stages)';

/** A command line that cannot be carried out as given. */
export class UsageError extends Error {}

export interface DeployOptions {
  readonly stages: readonly string[];
  /** Print the commands a deploy would run, run none of them. */
  readonly dryRun: boolean;
  /** Apply each reviewed plan without asking. */
  readonly autoApprove: boolean;
  /** Let plan-review pass plans that delete or replace protected resources. */
  readonly allowDestroy: boolean;
  /** Print the stages and their stacks, deploy nothing. */
  readonly list: boolean;
  /** Where the stacks are synthesized and Terraform keeps its working files. */
  readonly outdir: string;
}

export function parseDeployArgs(args: readonly string[]): DeployOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean', default: false },
        'auto-approve': { type: 'boolean', default: false },
        'allow-destroy': { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        outdir: { type: 'string', default: 'cdktf.out' },
      },
    });
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}; ${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0 && !values.list) throw new UsageError(`name the stages to deploy; ${USAGE}`);
  return {
    stages: positionals,
    dryRun: values['dry-run'],
    autoApprove: values['auto-approve'],
    allowDestroy: values['allow-destroy'],
    list: values.list,
    outdir: values.outdir,
  };
}

export interface Stage {
  readonly name: string;
  readonly stacks: readonly SynthesizedStack[];
}

/** The stage of a stack: its id, without the region for a regional stack. */
export function stageName(stackId: string): string {
  const region = KNOWN_REGIONS.find((r) => stackId.endsWith(`-${r}`));
  return region ? stackId.slice(0, -(region.length + 1)) : stackId;
}

/** The stages of stacks given in deployment order, each where its first stack comes. */
export function deploymentStages(stacks: readonly SynthesizedStack[]): Stage[] {
  const stages = new Map<string, SynthesizedStack[]>();
  for (const stack of stacks) {
    const name = stageName(stack.id);
    stages.set(name, [...(stages.get(name) ?? []), stack]);
  }
  return [...stages].map(([name, members]) => ({ name, stacks: members }));
}

export interface Selection {
  /** The stacks to deploy, in deployment order. */
  readonly stacks: readonly SynthesizedStack[];
  /** Named stacks this config turns off. */
  readonly skipped: readonly TurnedOffStack[];
  /** Stacks the selected ones depend on that are not selected: they must have been deployed before. */
  readonly before: readonly string[];
}

/** The stacks that `names` (stages, stack ids or `all`) select from stacks in deployment order. */
export function selectStacks(stacks: readonly SynthesizedStack[], names: readonly string[], turnedOff: readonly TurnedOffStack[]): Selection {
  const stages = deploymentStages(stacks);
  const selected = new Set<string>();
  const skipped: TurnedOffStack[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const members = name === 'all' ? stacks : stages.find((s) => s.name === name)?.stacks ?? stacks.filter((s) => s.id === name);
    const off = turnedOff.find((t) => t.id === name || stageName(t.id) === name);
    if (members.length > 0) members.forEach((s) => selected.add(s.id));
    else if (off) skipped.push(off);
    else unknown.push(name);
  }
  if (unknown.length > 0) {
    throw new UsageError(`no stage or stack ${unknown.map((u) => `"${u}"`).join(', ')} in this config; its stages, in order: all, ${stages.map((s) => s.name).join(', ')}`);
  }
  const chosen = stacks.filter((s) => selected.has(s.id));
  const before = [...new Set(chosen.flatMap((s) => s.dependencies).filter((d) => !selected.has(d)))];
  return { stacks: chosen, skipped, before: stacks.filter((s) => before.includes(s.id)).map((s) => s.id) };
}

/** The saved plan each stack's apply applies, in the stack's folder. */
export const PLAN_FILE = 'deploy.tfplan';
const PLAN_JSON = 'deploy.plan.json';

/** What deploying one stack runs, as lines a user could type from the repository root. */
export function stackCommands(stack: SynthesizedStack, allowDestroy: boolean): string[] {
  const dir = displayPath(stack.dir);
  const tf = `terraform -chdir=${dir}`;
  return [
    `${tf} init -input=false`,
    `${tf} plan -input=false -detailed-exitcode -out=${PLAN_FILE}`,
    `${tf} show -json ${PLAN_FILE} > ${path.join(dir, PLAN_JSON)}`,
    `npm run plan-review --${allowDestroy ? ' --allow-destroy' : ''} ${path.join(dir, PLAN_JSON)}`,
    `${tf} apply -input=false ${PLAN_FILE}`,
  ];
}

/** What the run will do, before it does it. */
export function describeSelection(selection: Selection): string[] {
  const stages = deploymentStages(selection.stacks);
  const lines = [`deploy: ${selection.stacks.length} stack${selection.stacks.length === 1 ? '' : 's'} in ${stages.length} stage${stages.length === 1 ? '' : 's'}, in this order: ${selection.stacks.map((s) => s.id).join(', ') || '(none)'}`];
  if (selection.before.length > 0) lines.push(`  they need, deployed before this run: ${selection.before.join(', ')}`);
  for (const s of selection.skipped) lines.push(`  skipped: ${s.id} (this config turns it off: ${s.by})`);
  return lines;
}

export function describeStages(stacks: readonly SynthesizedStack[], turnedOff: readonly TurnedOffStack[]): string[] {
  const stages = deploymentStages(stacks);
  const width = Math.max(...stages.map((s) => s.name.length));
  return [
    'stages of this config, in deployment order (npm run deploy -- STAGE...; all = every stage):',
    ...stages.map((s) => `  ${s.name.padEnd(width)}  ${s.stacks.length === 1 ? s.stacks[0].id : `${s.stacks.length} stacks: ${s.stacks.map((x) => x.id).join(', ')}`}`),
    ...turnedOff.map((t) => `  (${t.id}: turned off by ${t.by})`),
  ];
}

/** A command's streams and environment, and the input it asks on (a terminal, or not). */
export interface DeployIo extends CommandIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Terraform's plan and apply write here (the terminal itself when these are the process's own). */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

async function confirm(question: string, io: DeployIo): Promise<boolean> {
  if (!io.stdin.isTTY) {
    throw new UsageError('standard input is not a terminal, so nobody can confirm the apply: review the plan above, then run again with --auto-approve');
  }
  const rl = readline.createInterface({ input: io.stdin, output: io.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(0)} s`;

async function deployStack(stack: SynthesizedStack, step: string, env: NodeJS.ProcessEnv, options: DeployOptions, io: DeployIo): Promise<'applied' | 'unchanged'> {
  const started = Date.now();
  const log = (line: string) => io.stdout.write(`${line}\n`);
  log(`${step} ${stack.id}: terraform init`);
  await terraform(['init', '-input=false'], stack.dir, env);
  log(`${step} ${stack.id}: terraform plan`);
  const planned = await terraformAttached(['plan', '-input=false', '-detailed-exitcode', `-out=${PLAN_FILE}`], stack.dir, env, io);
  if (planned === 0) {
    log(`${step} ${stack.id}: no changes (${seconds(started)})`);
    return 'unchanged';
  }
  if (planned !== 2) throw new TerraformError(`terraform plan failed for ${stack.id} (its output is above); nothing of ${stack.id} was applied`);
  const shown = await terraform(['show', '-json', PLAN_FILE], stack.dir, env);
  const planJson = path.join(stack.dir, PLAN_JSON);
  fs.writeFileSync(planJson, shown.stdout);
  const review = planReview([...(options.allowDestroy ? ['--allow-destroy'] : []), planJson]);
  log(review.markdown.split('\n').filter((l) => !l.startsWith('<!--')).join('\n'));
  if (review.exitCode !== 0) {
    throw new TerraformError(`plan-review refuses the plan of ${stack.id} (exit ${review.exitCode}, see above); nothing of ${stack.id} was applied. If deleting or replacing those resources is intended, run again with --allow-destroy`);
  }
  if (!options.autoApprove && !(await confirm(`apply this plan of ${stack.id}? [y/N] `, io))) {
    throw new UsageError(`not confirmed; ${stack.id} and the stacks after it were not applied`);
  }
  log(`${step} ${stack.id}: terraform apply`);
  const applied = await terraformAttached(['apply', '-input=false', PLAN_FILE], stack.dir, env, io);
  if (applied !== 0) throw new TerraformError(`terraform apply failed for ${stack.id} (its output is above); re-run the same command to continue (docs/plan-review.md, Recovering)`);
  log(`${step} ${stack.id}: applied (${seconds(started)})`);
  return 'applied';
}

/** Deploys as the command line says; rejects with a UsageError, ConfigError or TerraformError saying why it stopped. */
export async function deploy(args: readonly string[], io: DeployIo): Promise<void> {
  const log = (line: string) => io.stdout.write(`${line}\n`);
  const options = parseDeployArgs(args);
  const { config, choice } = loadCommandConfig('deploy', io);
  if (io.env.LZ_TARGET && io.env.LZ_TARGET !== 'aws') {
    throw new UsageError(`deploy goes to AWS, but LZ_TARGET is ${io.env.LZ_TARGET}; unset it`);
  }
  if (!options.dryRun && !options.list) refuseExampleAgainstAws(choice, config, 'deploy');

  const outdir = path.resolve(options.outdir);
  const stacks = synthesize(config, { outdir, target: 'aws', localStateDirectory: localStateDirectoryOf(config) });
  const turnedOff = stacksTurnedOff(config);
  if (options.list) {
    for (const line of describeStages(stacks, turnedOff)) log(line);
    return;
  }
  const selection = selectStacks(stacks, options.stages, turnedOff);
  for (const line of describeSelection(selection)) log(line);
  const total = selection.stacks.length;
  if (options.dryRun) {
    log(`dry run: these are the commands the deploy runs (each apply after plan-review passes and you confirm); nothing was run`);
    selection.stacks.forEach((stack, i) => {
      log(`# [${i + 1}/${total}] ${stack.id}`);
      for (const line of stackCommands(stack, options.allowDestroy)) log(line);
    });
    return;
  }

  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'), io.env);
  // real credentials may come from the instance metadata service, which the offline harness turns off
  if (io.env.AWS_EC2_METADATA_DISABLED === undefined) delete env.AWS_EC2_METADATA_DISABLED;
  const started = Date.now();
  const results: string[] = [];
  for (const [i, stack] of selection.stacks.entries()) {
    results.push(`${stack.id} ${await deployStack(stack, `[${i + 1}/${total}]`, env, options, io)}`);
  }
  log(`deployed ${total} stack${total === 1 ? '' : 's'} in ${seconds(started)}: ${results.join(', ')}`);
}

/** The command line: resolves with the exit code, 1 with the reason on stderr when the deploy stops. */
export async function deployCommand(args: readonly string[], io: DeployIo): Promise<number> {
  try {
    await deploy(args, io);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof ConfigError || error instanceof TerraformError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void deployCommand(process.argv.slice(2), { ...processIo(), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }).then((code) => {
    process.exitCode = code;
  });
}
