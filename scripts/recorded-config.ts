/**
 * Which config the synthesized stacks and the offline plans come from, as synth records it in every
 * stack and `npm run plan` beside its plans. Read without loading cdktf or the stacks, so that a
 * command that only checks them (the Checkov gate) starts at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ConfigChoice, displayPath } from '../config/choice';
import { CONFIG_DIGEST_COMMENT, configDigest, shortDigest } from '../config/digest';
import { ConfigError } from '../config/loader';
import type { Config } from '../config/schema';
import { readManifest } from './stack-graph';

/** The config digest each synthesized stack records (undefined where a stack records none). */
export function stackConfigDigests(outdir: string): Map<string, string | undefined> {
  return new Map(readManifest(outdir).map((stack) => {
    let node: any = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8'));
    for (const key of CONFIG_DIGEST_COMMENT) node = node?.[key];
    return [stack.id, typeof node === 'string' ? node : undefined];
  }));
}

/** The one config digest of a synthesized app; refuses one whose stacks disagree or record none. */
export function synthesizedConfigDigest(outdir: string): string {
  const digests = stackConfigDigests(outdir);
  const distinct = new Set(digests.values());
  const [only] = distinct;
  if (distinct.size === 1 && only) return only;
  const unrecorded = [...digests].filter(([, d]) => !d).map(([id]) => id);
  throw new ConfigError(outdir, [], unrecorded.length > 0
    ? `${outdir}: the stacks ${unrecorded.join(', ')} record no config digest (synthesized by an older version); run npm run synth`
    : `${outdir}: the stacks come from ${distinct.size} different configs; remove the folder and run npm run synth`);
}

/** Refuses synthesized stacks that do not come from the config the command was given. */
export function assertSynthesizedFrom(outdir: string, config: Config, choice: ConfigChoice): void {
  const found = synthesizedConfigDigest(outdir);
  const expected = configDigest(config);
  if (found !== expected) {
    throw new ConfigError(outdir, [], `${displayPath(outdir)} was synthesized from another config (sha256 ${shortDigest(found)}) than ${choice.file} (sha256 ${shortDigest(expected)}); run npm run synth with the same LZ_CONFIG first`);
  }
}

/** The file beside the plans that names the config they were planned from (`sha256sum` layout). */
export const PLANS_DIGEST_FILE = 'config.sha256';

export function writePlansDigest(plansDirectory: string, config: Config, configFile: string): void {
  fs.writeFileSync(path.join(plansDirectory, PLANS_DIGEST_FILE), `${configDigest(config)}  ${configFile}\n`);
}

/** The digest and config file a plans folder was planned from; refuses a folder without one. */
export function readPlansDigest(plansDirectory: string): { readonly digest: string; readonly configFile: string } {
  const file = path.join(plansDirectory, PLANS_DIGEST_FILE);
  const match = fs.existsSync(file) ? /^([0-9a-f]{64}) {2}(.*)$/m.exec(fs.readFileSync(file, 'utf8')) : null;
  if (!match) {
    throw new ConfigError(plansDirectory, [], `${plansDirectory} holds no ${PLANS_DIGEST_FILE}, so nothing says which config its plans come from; run npm run plan`);
  }
  return { digest: match[1], configFile: match[2] };
}
