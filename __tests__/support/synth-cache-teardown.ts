/** jest's globalTeardown: removes the run's folder of shared synthesized stacks (synth-cache.ts). */
import * as fs from 'node:fs';
import { SYNTH_CACHE_VARIABLE } from './synth-cache';

export default function teardown(): void {
  const folder = process.env[SYNTH_CACHE_VARIABLE];
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
