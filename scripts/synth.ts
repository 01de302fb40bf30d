/**
 * Synthesizes the landing zone in-process, for `npm run synth`, the validation harness, deploy,
 * the tests and the benchmark.
 * Usage: tsx scripts/synth.ts [--outdir DIR]   (default cdktf.out; LZ_CONFIG and LZ_TARGET as for every command)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { App } from 'cdktf';
import { displayPath } from '../config/choice';
import { configDigest, shortDigest } from '../config/digest';
import type { Config } from '../config/schema';
import { landingZoneContext, localStateDirectoryOf } from '../stacks/infrastructure/landing-zone-stack';
import { deployTarget, type DeployTarget } from '../stacks/infrastructure/providers';
import { buildLandingZone } from '../stacks/landing-zone';
import { type CommandIo, loadCommandConfig, processIo } from './command-io';
import { deploymentOrder, readManifest, type SynthesizedStack } from './stack-graph';
import { errorMessage } from './error-message';

export interface SynthOptions {
  readonly outdir: string;
  readonly target: DeployTarget;
  /** Folder for local state files. @default `${outdir}/state` */
  readonly localStateDirectory?: string;
  /** Digest recorded in every stack. @default the digest of `config` (config/digest.ts) */
  readonly configDigest?: string;
}

/**
 * Synthesizes every stack and returns them in deployment order; between stacks that do not depend
 * on each other, in the order the landing zone builds them (the order the README describes).
 */
export function synthesize(config: Config, options: SynthOptions): SynthesizedStack[] {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const built = buildLandingZone(app, landingZoneContext(config, options.target, options.localStateDirectory ?? path.join(options.outdir, 'state'), options.configDigest));
  app.synth();
  removeStaleStacks(options.outdir);
  const synthesized = new Map(readManifest(options.outdir).map((s) => [s.id, s]));
  return deploymentOrder(built.map((stack) => synthesized.get(stack.node.id)!));
}

/**
 * Removes stack folders an earlier synth left that this one did not write (a region no longer
 * governed, say), as `cdktf synth` does, so that tools scanning the folder see only this config.
 */
export function removeStaleStacks(outdir: string): string[] {
  const current = new Set(readManifest(outdir).map((s) => path.basename(s.dir)));
  const folder = path.join(outdir, 'stacks');
  const stale = fs.readdirSync(folder).filter((name) => !current.has(name) && fs.statSync(path.join(folder, name)).isDirectory());
  for (const name of stale) fs.rmSync(path.join(folder, name), { recursive: true, force: true });
  return stale;
}

/**
 * `npm run synth`: synthesizes the chosen config (LZ_CONFIG) for LZ_TARGET into the outdir.
 * Returns the exit code: 0, or 1 with the reason on stderr (a config problem, a wrong option).
 */
export function synthCommand(args: readonly string[], io: CommandIo): number {
  try {
    const { values } = parseArgs({ args: [...args], options: { outdir: { type: 'string', default: 'cdktf.out' } } });
    const outdir = path.resolve(values.outdir);
    const { config } = loadCommandConfig('synth', io);
    const target = deployTarget(io.env.LZ_TARGET);
    const started = Date.now();
    const stacks = synthesize(config, { outdir, target, localStateDirectory: localStateDirectoryOf(config) });
    io.stdout.write(`synthesized ${stacks.length} stacks for ${target} into ${displayPath(outdir)} in ${((Date.now() - started) / 1000).toFixed(1)} s (config sha256 ${shortDigest(configDigest(config))})\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${errorMessage(error)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = synthCommand(process.argv.slice(2), processIo());
