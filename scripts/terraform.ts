/**
 * Runs the real Terraform CLI on synthesized stacks: init (offline from a provider mirror when
 * one is present), validate, and plan with empty state.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measure, type Measurement } from './measure';
import type { SynthesizedStack } from './stack-graph';

/** Provider mirror in filesystem-mirror layout; `TF_PLUGIN_MIRROR` points elsewhere. */
export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

export class TerraformError extends Error {}

/**
 * Checks that terraform runs and writes a CLI config that installs the AWS provider from the
 * mirror (where it exists). Returns the environment terraform must run with.
 * Where the mirror is missing, plain `terraform init` downloads the provider, except under CI,
 * which has no way to download it and fails here with what is missing.
 */
export function terraformEnvironment(workDir: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const version = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: base });
  if (version.error || version.status !== 0) {
    throw new TerraformError('terraform is not on PATH: install Terraform 1.10 or newer (it validates and plans every stack)');
  }
  const hasMirror = fs.existsSync(path.join(PLUGIN_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'));
  if (!hasMirror && base.CI) {
    throw new TerraformError(`no AWS provider mirror at ${PLUGIN_MIRROR} (set TF_PLUGIN_MIRROR): CI cannot download providers`);
  }
  fs.mkdirSync(workDir, { recursive: true });
  const cliConfig = path.join(workDir, 'terraform.tfrc');
  fs.writeFileSync(
    cliConfig,
    hasMirror
      ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(PLUGIN_MIRROR)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`
      : '',
  );
  return {
    ...base,
    TF_CLI_CONFIG_FILE: cliConfig,
    // Terraform and the provider processes it starts are short-lived Go programs that allocate
    // their schemas at start: half as many garbage collections cost a tenth more memory and save
    // a seventh of the CPU of an offline plan (measured on four provider configurations).
    GOGC: base.GOGC ?? '200',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** One terraform command: its output, exit code, wall time and peak memory with the provider processes it starts. */
export type TerraformResult = Measurement;

/** Terraform processes started here and still running, so that a command being stopped can stop them by id. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
}

/** Starts one terraform command in a stack's folder (output piped, `-no-color` added), tracked until it exits. */
export function spawnTerraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn('terraform', [...args, '-no-color'], { cwd, env });
  track(child);
  return child;
}

/**
 * Sends `signal` to every terraform process still running (Terraform stops gracefully on SIGTERM
 * and SIGINT), and SIGCONT, so that a paused one handles it too.
 */
export function stopRunningTerraform(signal: NodeJS.Signals = 'SIGTERM'): number {
  for (const child of running) {
    child.kill(signal);
    child.kill('SIGCONT');
  }
  return running.size;
}

/** Runs one terraform command in a stack's folder and resolves with its result, whatever its exit code. */
export function terraformExit(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  return measure('terraform', [...args, '-no-color'], { cwd, env, onStart: track });
}

/**
 * Runs one terraform command with the terminal attached (the user sees its output, in colour) and
 * resolves with its exit code. Given streams other than the process's own (a command run
 * in-process), its output goes to them instead.
 */
export function terraformAttached(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  output: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream } = process,
): Promise<number> {
  const terminal = output.stdout === process.stdout && output.stderr === process.stderr;
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args], { cwd, env, stdio: terminal ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(output.stdout, { end: false });
    child.stderr?.pipe(output.stderr, { end: false });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** Terraform quotes the offending source line, which in synthesized JSON is the whole file. */
const QUOTED_LINE_LIMIT = 300;

function failure(args: readonly string[], cwd: string, result: TerraformResult): TerraformError {
  const output = (result.stderr || result.stdout)
    .split('\n')
    .map((line) => (line.length > QUOTED_LINE_LIMIT ? `${line.slice(0, QUOTED_LINE_LIMIT)} …` : line))
    .join('\n');
  return new TerraformError(`terraform ${args.join(' ')} failed in ${cwd} (exit ${result.exitCode}):\n${output}`);
}

/** Runs one terraform command in a stack's folder; rejects with its output when it fails. */
export async function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  const result = await terraformExit(args, cwd, env);
  if (result.exitCode !== 0) throw failure(args, cwd, result);
  return result;
}

/** Runs `work` on every item, at most `limit` at a time, keeping the order of results. */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** How many terraform processes run at once: one per core (each provider process is large). */
export const TERRAFORM_PARALLELISM = Math.max(1, Math.min(2, os.availableParallelism()));

/** `terraform init`, with the stack's backend or without (`-backend=false`, for validate). */
export async function initStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv, options: { readonly backend: boolean }): Promise<void> {
  await terraform(['init', '-input=false', ...(options.backend ? [] : ['-backend=false'])], stack.dir, env);
}

/**
 * Terraform starts one AWS provider process for every provider configuration it validates, and
 * keeps them all running until the run ends: a run over every stack of the example would hold 51 of
 * them. A validate run holds at most this many configurations. Eight take about 1.2 GB (the
 * processes share the provider's executable; scripts/measure.ts), so two runs side by side leave
 * the machine room. Stacks validated together load the provider's schema once: with eight rather
 * than six, `npm run validate` of the example takes 7 runs instead of 9 (21 s instead of 24 s).
 */
export const PROVIDER_CONFIGURATIONS_PER_RUN = 8;

/** How many provider configurations a synthesized stack declares. */
export function providerConfigurations(stack: SynthesizedStack): number {
  const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as { provider?: Record<string, unknown[]> };
  return Object.values(json.provider ?? {}).reduce((sum, configurations) => sum + configurations.length, 0);
}

/**
 * Stacks grouped, in their order, so that no group declares more than `limit` provider
 * configurations (a stack that alone declares more is a group of its own).
 */
export function batchesOf<T>(items: readonly T[], weight: (item: T) => number, limit: number): T[][] {
  const batches: { items: T[]; weight: number }[] = [];
  for (const item of items) {
    const w = weight(item);
    const fitting = batches.find((b) => b.weight + w <= limit);
    if (fitting) {
      fitting.items.push(item);
      fitting.weight += w;
    } else {
      batches.push({ items: [item], weight: w });
    }
  }
  return batches.map((b) => b.items);
}

/** Where a root module re-exports a stack's output: `stack.id` and the output's name in the stack. */
export type ReexportedOutputs = ReadonlyMap<string, { readonly stackId: string; readonly output: string }>;

/**
 * A root module in `workDir` that calls each stack's folder as a child module and re-exports
 * every stack's outputs (a plan shows the root module's outputs only). cdktf writes asset paths
 * relative to the stack's folder, and terraform reads them relative to the folder it runs in: the
 * stacks' assets are linked in.
 */
export function writeRootModule(stacks: readonly SynthesizedStack[], workDir: string): ReexportedOutputs {
  fs.rmSync(workDir, { recursive: true, force: true });
  const assets = path.join(workDir, 'assets');
  fs.mkdirSync(assets, { recursive: true });
  const modules: Record<string, { source: string }> = {};
  const outputs: Record<string, { value: string; sensitive?: boolean }> = {};
  const reexported = new Map<string, { stackId: string; output: string }>();
  for (const stack of stacks) {
    modules[stack.id] = { source: path.relative(workDir, stack.dir) || '.' };
    const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as { output?: Record<string, { sensitive?: boolean }> };
    for (const [output, definition] of Object.entries(json.output ?? {})) {
      const name = `${stack.id}--${output}`;
      outputs[name] = { value: `\${module.${stack.id}.${output}}`, ...(definition.sensitive ? { sensitive: true } : {}) };
      reexported.set(name, { stackId: stack.id, output });
    }
    const stackAssets = path.join(stack.dir, 'assets');
    if (!fs.existsSync(stackAssets)) continue;
    for (const asset of fs.readdirSync(stackAssets)) {
      const link = path.join(assets, asset);
      const target = path.join(stackAssets, asset);
      if (fs.existsSync(link)) {
        // cdktf names an asset's folder by its construct and holds it in a folder named by its content's hash
        if (fs.readdirSync(link).join() === fs.readdirSync(target).join()) continue;
        throw new TerraformError(`two stacks hold different assets named ${asset}; they cannot be run together`);
      }
      fs.symlinkSync(target, link);
    }
  }
  fs.writeFileSync(path.join(workDir, 'main.tf.json'), JSON.stringify({ module: modules, ...(Object.keys(outputs).length > 0 ? { output: outputs } : {}) }, null, 2));
  return reexported;
}

/** What validating every stack cost: wall time of the whole, and the largest memory of one run. */
export interface ValidateResult {
  readonly wallSeconds: number;
  readonly runs: number;
  readonly peakMegabytes: number;
}

/**
 * `terraform validate` of every given stack, a few stacks per terraform run (see
 * PROVIDER_CONFIGURATIONS_PER_RUN): each run's root module calls its stacks' folders as child
 * modules, so that a run loads the provider's schema once for several stacks. Backends are not
 * validated (as with `init -backend=false`); everything else of each stack is, with the provider's
 * own validators. Rejects with terraform's output, which names the stack's file.
 */
export async function validateStacks(stacks: readonly SynthesizedStack[], workDir: string, env: NodeJS.ProcessEnv): Promise<ValidateResult> {
  const started = Date.now();
  fs.rmSync(workDir, { recursive: true, force: true });
  const batches = batchesOf(stacks, providerConfigurations, PROVIDER_CONFIGURATIONS_PER_RUN);
  const runs = await inParallel(batches, TERRAFORM_PARALLELISM, async (batch) => {
    const dir = path.join(workDir, batch.map((s) => s.id).join('+'));
    writeRootModule(batch, dir);
    await terraform(['init', '-backend=false', '-input=false'], dir, env);
    return terraform(['validate'], dir, env);
  });
  return { wallSeconds: (Date.now() - started) / 1000, runs: runs.length, peakMegabytes: Math.max(...runs.map((r) => r.peakMegabytes)) };
}

/** Terraform's JSON plan representation (`terraform show -json`), as far as the tools read it. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly after?: Record<string, unknown> | null };
  }>;
  readonly planned_values?: { readonly root_module: { readonly resources?: ReadonlyArray<{ readonly address: string; readonly type: string; readonly values: Record<string, unknown> }> } };
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly string[]; readonly before?: unknown; readonly after?: unknown }>>;
}

/** A stack's plan: whether it changes anything, its JSON, and what the terraform run that planned it cost. */
export interface StackPlan {
  readonly stack: SynthesizedStack;
  readonly plan: PlanJson;
  readonly hasChanges: boolean;
  /** The other stacks planned in the same terraform run (`planTogether`). */
  readonly plannedWith: readonly string[];
  readonly seconds: number;
  /** Peak memory of `terraform plan` with its provider processes. */
  readonly peakMegabytes: number;
}

export interface PlanOptions {
  /** @default plan.tfplan, in the stack's folder */
  readonly planFile?: string;
  /** Take the state lock (applied state); offline plans of empty state need none. @default false */
  readonly lock?: boolean;
}

/** A plan of an initialized folder: `terraform plan -detailed-exitcode -out`, then `terraform show -json` of the saved plan. */
async function planFolder(dir: string, env: NodeJS.ProcessEnv, options: PlanOptions): Promise<Omit<StackPlan, 'stack' | 'plannedWith'>> {
  const planFile = options.planFile ?? 'plan.tfplan';
  const args = ['plan', '-input=false', '-detailed-exitcode', `-lock=${options.lock ?? false}`, `-out=${planFile}`];
  const run = await terraformExit(args, dir, env);
  if (run.exitCode !== 0 && run.exitCode !== 2) throw failure(args, dir, run);
  const shown = await terraform(['show', '-json', planFile], dir, env);
  return { plan: JSON.parse(shown.stdout) as PlanJson, hasChanges: run.exitCode === 2, seconds: run.wallSeconds, peakMegabytes: run.peakMegabytes };
}

/** The one way every tool plans an initialized stack. Rejects with terraform's output when the plan fails. */
export async function planStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv, options: PlanOptions = {}): Promise<StackPlan> {
  return { stack, plannedWith: [], ...(await planFolder(stack.dir, env, options)) };
}

/**
 * Plans several stacks in one terraform run, each stack a child module of one root module in
 * `workDir` (their backends are not used: each plans from empty state), and returns each stack's
 * plan as its own plan would show it (see `planOfModule`). One run loads the provider's schema,
 * and shows its plan, once for all of them. `seconds` and `peakMegabytes` are the whole run's.
 */
export async function planTogether(stacks: readonly SynthesizedStack[], workDir: string, env: NodeJS.ProcessEnv): Promise<StackPlan[]> {
  const outputs = writeRootModule(stacks, workDir);
  await terraform(['init', '-input=false'], workDir, env);
  const { plan, seconds, peakMegabytes } = await planFolder(workDir, env, {});
  return stacks.map((stack) => {
    const own = planOfModule(plan, stack.id, outputs);
    const actions = [...(own.resource_changes ?? []).map((c) => c.change.actions), ...Object.values(own.output_changes ?? {}).map((c) => c.actions)];
    const hasChanges = actions.some((a) => !a.every((action) => action === 'no-op'));
    return { stack, plan: own, hasChanges, plannedWith: stacks.filter((s) => s !== stack).map((s) => s.id), seconds, peakMegabytes };
  });
}

type Json = Record<string, any>;

/**
 * A child module's part of a root module's plan JSON, as `terraform show -json` shows the plan of
 * that module alone: its resources, changes and configuration with the `module.NAME` prefix taken
 * off, and its outputs (re-exported by writeRootModule) under their own names.
 */
export function planOfModule(rootPlan: PlanJson, name: string, outputs: ReexportedOutputs): PlanJson {
  const prefix = `module.${name}`;
  const inside = (address: string) => address.startsWith(`${prefix}.`) || address.startsWith(`${prefix}:`);
  const relative = (address: string) => address.slice(prefix.length + 1);
  const relocate = ({ module_address: moduleAddress, ...item }: Json): Json => ({
    ...item,
    ...(item.address === undefined ? {} : { address: relative(item.address) }),
    ...(moduleAddress === undefined || moduleAddress === prefix ? {} : { module_address: relative(moduleAddress) }),
  });
  const relocateModule = (module: Json): Json => ({
    ...relocate(module),
    ...(module.resources ? { resources: module.resources.map(relocate) } : {}),
    ...(module.child_modules ? { child_modules: module.child_modules.map(relocateModule) } : {}),
  });
  const relocateConfiguration = (module: Json): Json => ({
    ...module,
    ...(module.resources ? { resources: module.resources.map((r: Json) => (inside(r.provider_config_key ?? '') ? { ...r, provider_config_key: relative(r.provider_config_key) } : r)) } : {}),
    ...(module.module_calls
      ? { module_calls: Object.fromEntries(Object.entries<Json>(module.module_calls).map(([call, c]) => [call, { ...c, module: relocateConfiguration(c.module ?? {}) }])) }
      : {}),
  });
  const ownOutputs = (all: Json | undefined): Json | undefined => {
    if (!all) return undefined;
    const own = Object.entries(all).flatMap(([key, value]) => {
      const source = outputs.get(key);
      return source?.stackId === name ? [[source.output, value]] : [];
    });
    return Object.fromEntries(own);
  };
  const ownValues = (values: Json | undefined): Json | undefined => {
    if (!values) return undefined;
    const child = (values.root_module?.child_modules ?? []).find((m: Json) => m.address === prefix) ?? {};
    const rootModule = relocateModule(child);
    delete rootModule.address;
    return { ...values, outputs: ownOutputs(values.outputs), root_module: rootModule };
  };
  const plan = rootPlan as unknown as Json;
  const ownChanges = (changes: Json[] | undefined) => changes?.filter((c) => inside(c.address)).map(relocate);
  const configuration = plan.configuration && {
    provider_config: Object.fromEntries(
      Object.entries<Json>(plan.configuration.provider_config ?? {})
        .filter(([key]) => inside(key))
        .map(([key, config]) => [relative(key), relocate(config)]),
    ),
    root_module: relocateConfiguration(plan.configuration.root_module?.module_calls?.[name]?.module ?? {}),
  };
  const own: Json = {
    ...plan,
    planned_values: ownValues(plan.planned_values),
    resource_changes: ownChanges(plan.resource_changes),
    resource_drift: ownChanges(plan.resource_drift),
    output_changes: ownOutputs(plan.output_changes),
    prior_state: plan.prior_state && { ...plan.prior_state, values: ownValues(plan.prior_state.values) },
    configuration,
    relevant_attributes: plan.relevant_attributes?.filter((a: Json) => inside(a.resource)).map((a: Json) => ({ ...a, resource: relative(a.resource) })),
  };
  for (const key of Object.keys(own)) if (own[key] === undefined) delete own[key];
  return own as PlanJson;
}

/**
 * Writes an empty state for every stack that has none: a new organization, before any deploy.
 * Later stacks read earlier stacks' outputs from these states (placeholders stand in offline).
 */
export function seedEmptyStates(stateDirectory: string, stackIds: readonly string[]): void {
  fs.mkdirSync(stateDirectory, { recursive: true });
  for (const id of stackIds) {
    const file = path.join(stateDirectory, `${id}.tfstate`);
    if (fs.existsSync(file)) continue;
    fs.writeFileSync(
      file,
      JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: `empty-${id}`, outputs: {}, resources: [] }),
    );
  }
}
