/**
 * jest's globalSetup: one folder per run in which the test files share the stacks they synthesize
 * (`SharedSynth` in __tests__/helpers.ts), so that the example's landing zone is built by the first
 * file that reads a stack of it, not by every file; the test apps' output folders are in it too
 * (`testApp`). Made empty before the run and removed after it (synth-cache-teardown.ts): nothing
 * synthesized from the sources of one run is read in another, and nothing is left behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The variable naming the run's folder; the workers, started after the setup, inherit it. */
export const SYNTH_CACHE_VARIABLE = 'LZ_TEST_SYNTH_CACHE';

export default function setup(): void {
  process.env[SYNTH_CACHE_VARIABLE] = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-test-synth-'));
}
