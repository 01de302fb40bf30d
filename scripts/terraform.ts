/**
 * Runs the real Terraform CLI on synthesized stacks: init (offline from a provider mirror when
 * one is present), validate, and plan with empty state.
 */
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SynthesizedStack } from './synth';

/** Provider mirror in filesystem-mirror layout; `TF_PLUGIN_MIRROR` points elsewhere. */
export const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

export class TerraformError extends Error {}

/**
 * Checks that terraform runs and writes a CLI config that installs the AWS provider from the
 * mirror (where it exists). Returns the environment terraform must run with.
 * Where the mirror is missing, plain `terraform init` downloads the provider, except under CI,
 * which has no way to download it and fails here with what is missing.
 */
export function terraformEnvironment(workDir: string): NodeJS.ProcessEnv {
  const version = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    throw new TerraformError('terraform is not on PATH: install Terraform 1.10 or newer (it validates and plans every stack)');
  }
  const hasMirror = fs.existsSync(path.join(PLUGIN_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws'));
  if (!hasMirror && process.env.CI) {
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
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface TerraformResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one terraform command in a stack's folder and resolves with its exit code, whatever it is. */
export function terraformExit(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult & { readonly code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function failure(args: readonly string[], cwd: string, result: TerraformResult & { readonly code: number }): TerraformError {
  return new TerraformError(`terraform ${args.join(' ')} failed in ${cwd} (exit ${result.code}):\n${result.stderr || result.stdout}`);
}

/** Runs one terraform command in a stack's folder; rejects with its output when it fails. */
export async function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> {
  const result = await terraformExit(args, cwd, env);
  if (result.code !== 0) throw failure(args, cwd, result);
  return { stdout: result.stdout, stderr: result.stderr };
}

/**
 * `terraform plan -detailed-exitcode -out=FILE`: true when it plans changes (exit 2), false when
 * there are none (exit 0); rejects with its output when the plan fails.
 */
export async function planHasChanges(cwd: string, env: NodeJS.ProcessEnv, planFile: string, extraArgs: readonly string[] = []): Promise<boolean> {
  const args = ['plan', '-input=false', '-detailed-exitcode', `-out=${planFile}`, ...extraArgs];
  const result = await terraformExit(args, cwd, env);
  if (result.code === 0 || result.code === 2) return result.code === 2;
  throw failure(args, cwd, result);
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

/** `terraform init -backend=false` and `terraform validate` of one stack. */
export async function validateStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<void> {
  await terraform(['init', '-backend=false', '-input=false'], stack.dir, env);
  await terraform(['validate'], stack.dir, env);
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
}

/**
 * Plans one stack synthesized for the `offline` target with local state: init, plan, show -json.
 * Every stack's local state must exist (see `seedEmptyStates`).
 */
export async function planStack(stack: SynthesizedStack, env: NodeJS.ProcessEnv): Promise<PlanJson> {
  await terraform(['init', '-input=false'], stack.dir, env);
  await terraform(['plan', '-input=false', '-lock=false', '-out=plan.tfplan'], stack.dir, env);
  const shown = await terraform(['show', '-json', 'plan.tfplan'], stack.dir, env);
  return JSON.parse(shown.stdout) as PlanJson;
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
