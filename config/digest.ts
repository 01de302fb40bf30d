/**
 * The fingerprint of a config with its defaults applied: the same for two files that differ only
 * in comments, layout or spelled-out defaults. Synth writes it into every stack and `npm run plan`
 * beside its plans, so tools that read both can tell when they come from different configs.
 */
import { createHash } from 'node:crypto';
import type { Config } from './schema';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** SHA-256 (hex) of the config's canonical JSON. */
export function configDigest(config: Config): string {
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}

/** Where synthesized stack JSON records the config it came from: `"//": {"landingZone": {"configSha256": ...}}`. */
export const CONFIG_DIGEST_COMMENT = ['//', 'landingZone', 'configSha256'] as const;

/** The first 12 hex digits, for messages. */
export const shortDigest = (digest: string) => digest.slice(0, 12);
