/**
 * The stacks of a synthesized app and the order they deploy in: the one place that reads
 * `manifest.json` and walks the dependency graph (deploy, plan, rehearse, diff all use it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StackNode {
  readonly id: string;
  /** Ids of the stacks that must be deployed first. */
  readonly dependencies: readonly string[];
}

export interface SynthesizedStack extends StackNode {
  /** Folder holding cdk.tf.json, where terraform runs. */
  readonly dir: string;
}

/** Reads the stacks of a synthesized app (as `cdktf synth` leaves it) in deployment order. */
export function readManifest(outdir: string): SynthesizedStack[] {
  const file = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: synthesize first (npm run synth)`);
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    stacks: Record<string, { name: string; workingDirectory: string; dependencies: string[] }>;
  };
  return deploymentOrder(
    Object.values(manifest.stacks).map((s) => ({ id: s.name, dir: path.join(outdir, s.workingDirectory), dependencies: s.dependencies })),
  );
}

/** Orders stacks so that each comes after everything it depends on, keeping the given order otherwise. */
export function deploymentOrder<T extends StackNode>(stacks: readonly T[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  const known = new Set(stacks.map((s) => s.id));
  while (ordered.length < stacks.length) {
    const next = stacks.find((s) => !placed.has(s.id) && s.dependencies.every((d) => placed.has(d) || !known.has(d)));
    if (!next) throw new Error(`stack dependencies form a cycle among ${stacks.filter((s) => !placed.has(s.id)).map((s) => s.id).join(', ')}`);
    ordered.push(next);
    placed.add(next.id);
  }
  return ordered;
}

/**
 * The given stacks and every stack that depends on them, directly or not, each with the reason:
 * the given reason for the roots, "depends on X" for the rest.
 */
export function withDependents(stacks: readonly StackNode[], roots: ReadonlyMap<string, string>): Map<string, string> {
  const reached = new Map(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const stack of stacks) {
      const on = stack.dependencies.find((d) => reached.has(d));
      if (!reached.has(stack.id) && on) {
        reached.set(stack.id, `depends on ${on}, which is left out`);
        grew = true;
      }
    }
  }
  return reached;
}

/**
 * Runs `work` on every stack once all its dependencies (among `stacks`) are done, at most `limit`
 * at a time. Stops starting new work after the first failure and rejects with it.
 */
export async function inDependencyOrder<T extends StackNode>(stacks: readonly T[], limit: number, work: (stack: T) => Promise<void>): Promise<void> {
  const done = new Set<string>();
  const started = new Set<string>();
  const known = new Set(stacks.map((s) => s.id));
  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    const startReady = () => {
      if (failure !== undefined) {
        if (running === 0) reject(failure);
        return;
      }
      if (done.size === stacks.length) return resolve();
      const ready = stacks.filter((s) => !started.has(s.id) && s.dependencies.every((d) => done.has(d) || !known.has(d)));
      if (ready.length === 0 && running === 0) return reject(new Error(`stack dependencies form a cycle among ${stacks.filter((s) => !done.has(s.id)).map((s) => s.id).join(', ')}`));
      for (const stack of ready.slice(0, limit - running)) {
        started.add(stack.id);
        running++;
        work(stack).then(
          () => done.add(stack.id),
          (error: unknown) => (failure ??= error),
        ).finally(() => {
          running--;
          startReady();
        });
      }
    };
    startReady();
  });
}
