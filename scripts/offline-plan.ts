/** Synthesizes every stack for the offline target with local state, and plans each with empty state. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/schema';
import { synthesize, type SynthesizedStack } from './synth';
import { inParallel, type PlanJson, planStack, seedEmptyStates, TERRAFORM_PARALLELISM, terraformEnvironment } from './terraform';

export interface StackPlan {
  readonly stack: SynthesizedStack;
  readonly plan: PlanJson;
}

export async function planOffline(config: Config, outdir: string): Promise<StackPlan[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const localStateDirectory = path.join(outdir, 'state');
  const stacks = synthesize(
    { ...config, state: { backend: 'local', directory: localStateDirectory } },
    { outdir, target: 'offline', localStateDirectory },
  );
  seedEmptyStates(localStateDirectory, stacks.map((s) => s.id));
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  const plans = await inParallel(stacks, TERRAFORM_PARALLELISM, (stack) => planStack(stack, env));
  return stacks.map((stack, i) => ({ stack, plan: plans[i] }));
}
