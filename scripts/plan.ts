/**
 * `npm run plan`: plans every stack of the config (LZ_CONFIG, or the example) offline: fake
 * credentials, local empty state, no AWS. Writes each plan's JSON to OUTDIR/plans/STACK.json.
 * Usage: tsx scripts/plan.ts [OUTDIR]   (default .offline-plan)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import { planOffline } from './offline-plan';

async function main(): Promise<void> {
  const outdir = path.resolve(process.argv[2] ?? '.offline-plan');
  const config = loadConfig(process.env.LZ_CONFIG ?? EXAMPLE_CONFIG_PATH);
  const started = Date.now();
  const plans = await planOffline(config, outdir);
  fs.mkdirSync(path.join(outdir, 'plans'), { recursive: true });
  for (const { stack, plan } of plans) {
    const file = path.join(outdir, 'plans', `${stack.id}.json`);
    fs.writeFileSync(file, JSON.stringify(plan));
    const creates = (plan.resource_changes ?? []).filter((c) => c.change.actions.includes('create')).length;
    console.log(`planned  ${stack.id.padEnd(28)} ${String(creates).padStart(4)} to create   ${path.relative(process.cwd(), file)}`);
  }
  console.log(`${plans.length} stacks planned offline in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
