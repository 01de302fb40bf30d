/**
 * `npm run plan [-- --outdir DIR]`: plans every stack of the config (LZ_CONFIG, or the example)
 * offline: fake credentials, local empty state, no AWS. Writes each plan's JSON to
 * DIR/plans/STACK.json (default .offline-plan), with a line per stack as it finishes, and the
 * config's digest to DIR/plans/config.sha256 (the Checkov gate compares it with the stacks').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { displayPath, loadChosenConfig } from '../config/choice';
import { creates, planOffline } from './offline-plan';
import { writePlansDigest } from './recorded-config';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { outdir: { type: 'string', default: '.offline-plan' } } });
  const outdir = path.resolve(values.outdir);
  const { config, choice } = loadChosenConfig('plan');
  const started = Date.now();
  const plansDirectory = path.join(outdir, 'plans');
  const plans = await planOffline(config, outdir, (planned, done, total) => {
    fs.mkdirSync(plansDirectory, { recursive: true });
    const file = path.join(plansDirectory, `${planned.stack.id}.json`);
    fs.writeFileSync(file, JSON.stringify(planned.plan));
    const run = `${planned.seconds.toFixed(1)} s${planned.plannedWith.length > 0 ? ` with ${planned.plannedWith.join(', ')}` : ''}`;
    console.log(`[${String(done).padStart(2)}/${total}] planned ${planned.stack.id.padEnd(28)} ${String(creates(planned)).padStart(4)} to create  ${path.relative(process.cwd(), file)}  (${run})`);
  });
  fs.mkdirSync(plansDirectory, { recursive: true });
  writePlansDigest(plansDirectory, config, displayPath(choice.file));
  console.log(`${plans.length} stacks planned offline in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
