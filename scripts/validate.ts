/**
 * `npm run validate`: runs `terraform init -backend=false` and `terraform validate`, with the real
 * AWS provider, on every stack that `cdktf synth` wrote.
 * Usage: tsx scripts/validate.ts [OUTDIR]   (default cdktf.out)
 */
import * as path from 'node:path';
import { readManifest } from './synth';
import { inParallel, TERRAFORM_PARALLELISM, terraformEnvironment, validateStack } from './terraform';

async function main(): Promise<void> {
  const outdir = path.resolve(process.argv[2] ?? 'cdktf.out');
  const stacks = readManifest(outdir);
  const env = terraformEnvironment(path.join(outdir, '.terraform-cli'));
  const started = Date.now();
  await inParallel(stacks, TERRAFORM_PARALLELISM, async (stack) => {
    await validateStack(stack, env);
    console.log(`valid  ${stack.id}`);
  });
  console.log(`${stacks.length} stacks valid against the AWS provider in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
