/** Synthesizes every stack for the offline target with local state, and plans each with empty state. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/schema';
import { synthesize } from './synth';
import { initStack, inParallel, planStack, seedEmptyStates, type StackPlan, TERRAFORM_PARALLELISM, terraformEnvironment } from './terraform';

export type { StackPlan };

/** Called as each stack's plan finishes, for progress lines. */
export type OnPlanned = (plan: StackPlan, done: number, total: number) => void;

export async function planOffline(config: Config, outdir: string, onPlanned: OnPlanned = () => {}): Promise<StackPlan[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const localStateDirectory = path.join(outdir, 'state');
  const stacks = synthesize(
    { ...config, state: { backend: 'local', directory: localStateDirectory } },
    { outdir, target: 'offline', localStateDirectory },
  );
  seedEmptyStates(localStateDirectory, stacks.map((s) => s.id));
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  let done = 0;
  return inParallel(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    await initStack(stack, env, { backend: true });
    const planned = await planStack(stack, env);
    onPlanned(planned, ++done, stacks.length);
    return planned;
  });
}

/** How many resources a plan creates. */
export function creates(plan: StackPlan): number {
  return (plan.plan.resource_changes ?? []).filter((c) => c.change.actions.includes('create')).length;
}
