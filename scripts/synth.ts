/** Synthesizes the landing zone in-process, for the validation harness, the tests and the benchmark. */
import * as path from 'node:path';
import { App } from 'cdktf';
import type { Config } from '../config/schema';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import type { DeployTarget } from '../stacks/infrastructure/providers';
import { buildLandingZone } from '../stacks/landing-zone';
import { readManifest, type SynthesizedStack } from './stack-graph';

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
