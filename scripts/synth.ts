/** Synthesizes the landing zone in-process, for the validation harness, the tests and the benchmark. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { Config } from '../config/schema';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import type { DeployTarget } from '../stacks/infrastructure/providers';
import { buildLandingZone } from '../stacks/landing-zone';

export interface SynthesizedStack {
  readonly id: string;
  /** Folder holding cdk.tf.json, where terraform runs. */
  readonly dir: string;
  /** Ids of the stacks that must be deployed first. */
  readonly dependencies: readonly string[];
}

export interface SynthOptions {
  readonly outdir: string;
  readonly target: DeployTarget;
  /** Folder for local state files. @default `${outdir}/state` */
  readonly localStateDirectory?: string;
}

/** Synthesizes every stack and returns them in deployment order. */
export function synthesize(config: Config, options: SynthOptions): SynthesizedStack[] {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  buildLandingZone(app, landingZoneContext(config, options.target, options.localStateDirectory ?? path.join(options.outdir, 'state')));
  app.synth();
  return readManifest(options.outdir);
}

/** Reads the stacks of a synthesized app (as `cdktf synth` leaves it) in deployment order. */
export function readManifest(outdir: string): SynthesizedStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { name: string; workingDirectory: string; dependencies: string[] }>;
  };
  const stacks = Object.values(manifest.stacks).map((s) => ({
    id: s.name,
    dir: path.join(outdir, s.workingDirectory),
    dependencies: s.dependencies,
  }));
  return deploymentOrder(stacks);
}

/** Orders stacks so that each comes after everything it depends on, keeping the given order otherwise. */
export function deploymentOrder<T extends { id: string; dependencies: readonly string[] }>(stacks: readonly T[]): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  while (ordered.length < stacks.length) {
    const next = stacks.find((s) => !placed.has(s.id) && s.dependencies.every((d) => placed.has(d)));
    if (!next) throw new Error(`stack dependencies form a cycle among ${stacks.filter((s) => !placed.has(s.id)).map((s) => s.id).join(', ')}`);
    ordered.push(next);
    placed.add(next.id);
  }
  return ordered;
}
