/** Synthesizes every stack for the offline target with local state, and plans each with empty state. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configDigest } from '../config/digest';
import type { Config } from '../config/schema';
import type { SynthesizedStack } from './stack-graph';
import { synthesize } from './synth';
import { batchesOf, inParallel, planTogether, providerConfigurations, seedEmptyStates, type StackPlan, TERRAFORM_PARALLELISM, terraformEnvironment } from './terraform';

export type { StackPlan };

/** Called as each stack's plan finishes, for progress lines. */
export type OnPlanned = (plan: StackPlan, done: number, total: number) => void;

/**
 * Provider configurations in one offline plan: terraform starts an AWS provider process for each
 * and keeps it to the end of the run. Eight stay under 1.5 GB (the processes share the provider's
 * executable; scripts/measure.ts). Stacks planned together share one load of the provider's schema
 * and one `terraform show`, about 3 s of CPU each: eight rather than four cut the CPU of planning
 * the example by a third.
 */
export const PROVIDER_CONFIGURATIONS_PER_PLAN = 8;

/**
 * Plans every stack of a config offline with empty state, or those `choose` picks from the
 * synthesized stacks, a few stacks per terraform run (`planTogether`); returns the plans in
 * deployment order.
 */
export async function planOffline(
  config: Config,
  outdir: string,
  onPlanned: OnPlanned = () => {},
  choose: (stacks: readonly SynthesizedStack[], outdir: string) => readonly SynthesizedStack[] = (stacks) => stacks,
): Promise<StackPlan[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const localStateDirectory = path.join(outdir, 'state');
  const stacks = synthesize(
    { ...config, state: { backend: 'local', directory: localStateDirectory } },
    // the stacks record the config they were planned for, not its local-state variant
    { outdir, target: 'offline', localStateDirectory, configDigest: configDigest(config) },
  );
  seedEmptyStates(localStateDirectory, stacks.map((s) => s.id));
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  const chosen = choose(stacks, outdir);
  const batches = batchesOf(chosen, providerConfigurations, PROVIDER_CONFIGURATIONS_PER_PLAN);
  let done = 0;
  const planned = await inParallel(batches, TERRAFORM_PARALLELISM, async (batch) => {
    const plans = await planTogether(batch, path.join(outdir, 'runs', batch.map((s) => s.id).join('+')), env);
    for (const plan of plans) onPlanned(plan, ++done, chosen.length);
    return plans;
  });
  return planned.flat().sort((a, b) => chosen.indexOf(a.stack) - chosen.indexOf(b.stack));
}

/** How many resources a plan creates. */
export function creates(plan: StackPlan): number {
  return (plan.plan.resource_changes ?? []).filter((c) => c.change.actions.includes('create')).length;
}

