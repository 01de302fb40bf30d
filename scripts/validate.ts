/**
 * `npm run validate`: `terraform validate`, with the real AWS provider, of every stack that
 * `npm run synth` wrote (a few stacks per terraform run; see validateStacks), then a line per stack. The
 * stacks must come from the config in use (LZ_CONFIG, or the example).
 * Usage: tsx scripts/validate.ts [--outdir DIR]   (default cdktf.out)
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { loadChosenConfig } from '../config/choice';
import { readManifest } from './stack-graph';
import { assertSynthesizedFrom } from './recorded-config';
import { terraformEnvironment, validateStacks } from './terraform';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'cdktf.out' } } });
  const outdir = path.resolve(values.outdir);
  const { config, choice } = loadChosenConfig('validate');
  assertSynthesizedFrom(outdir, config, choice);
  const stacks = readManifest(outdir);
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  console.log(`validating ${stacks.length} stacks of ${path.relative(process.cwd(), outdir) || '.'} against the AWS provider`);
  const run = await validateStacks(stacks, path.join(outdir, '.validate'), env);
  for (const stack of stacks) console.log(`valid  ${stack.id}`);
  console.log(`${stacks.length} stacks valid against the AWS provider in ${run.wallSeconds.toFixed(1)} s (${run.runs} terraform runs, largest ${run.peakMegabytes.toFixed(0)} MB)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
