/**
 * CloudTrail's public keys, by fingerprint, per region: each region signs with its own private key
 * (CloudTrail API reference, ListPublicKeys: "When you validate a digest file from a specific
 * Region, you must look in the same Region for its corresponding public key"). They come from
 * ListPublicKeys in each region, or, offline, from what `aws cloudtrail list-public-keys` printed.
 */
import type { KeyObject } from 'node:crypto';
import { type CloudTrailClient, ListPublicKeysCommand } from '@aws-sdk/client-cloudtrail';
import { publicKeyFromDer } from './digest';

export interface PublicKeySource {
  /** The keys that signed the region's digests between the two times, by fingerprint. */
  keysFor(region: string, from: Date, to: Date): Promise<ReadonlyMap<string, KeyObject>>;
}

/** ListPublicKeys in each region, once per region and time range. */
export function cloudTrailPublicKeys(clientFor: (region: string) => CloudTrailClient): PublicKeySource {
  const cache = new Map<string, Promise<ReadonlyMap<string, KeyObject>>>();
  return {
    keysFor(region, from, to) {
      const id = `${region} ${from.toISOString()} ${to.toISOString()}`;
      let keys = cache.get(id);
      if (!keys) {
        keys = listPublicKeys(clientFor(region), from, to);
        cache.set(id, keys);
      }
      return keys;
    },
  };
}

async function listPublicKeys(client: CloudTrailClient, from: Date, to: Date): Promise<ReadonlyMap<string, KeyObject>> {
  const keys = new Map<string, KeyObject>();
  let token: string | undefined;
  do {
    const page = await client.send(new ListPublicKeysCommand({ StartTime: from, EndTime: to, NextToken: token }));
    for (const key of page.PublicKeyList ?? []) if (key.Fingerprint && key.Value) keys.set(key.Fingerprint, publicKeyFromDer(key.Value));
    token = page.NextToken;
  } while (token);
  return keys;
}

/** The JSON that `aws cloudtrail list-public-keys` prints (`Value` is base64 of the DER key). */
export interface PublicKeyListOutput {
  readonly PublicKeyList: ReadonlyArray<{
    readonly Fingerprint: string;
    readonly Value: string;
    readonly ValidityStartTime?: string | number;
    readonly ValidityEndTime?: string | number;
  }>;
}

/** One file of `list-public-keys` output, with the region it was listed in (undefined: any region). */
export interface PublicKeyFile {
  readonly region?: string;
  readonly output: unknown;
}

/**
 * Keys read from `list-public-keys` output. Problems (not that shape, a key that does not parse)
 * are thrown with the file's name by the caller.
 */
export function publicKeysFromFiles(files: readonly PublicKeyFile[]): PublicKeySource {
  const byRegion = new Map<string | undefined, Map<string, KeyObject>>();
  for (const file of files) {
    const list = (file.output as Partial<PublicKeyListOutput> | null)?.PublicKeyList;
    if (!Array.isArray(list)) throw new Error('not the output of `aws cloudtrail list-public-keys`: it has no PublicKeyList');
    const keys = byRegion.get(file.region) ?? new Map<string, KeyObject>();
    for (const [i, entry] of list.entries()) {
      if (typeof entry?.Fingerprint !== 'string' || typeof entry.Value !== 'string') throw new Error(`PublicKeyList[${i}] has no Fingerprint or Value`);
      try {
        keys.set(entry.Fingerprint, publicKeyFromDer(Buffer.from(entry.Value, 'base64')));
      } catch {
        throw new Error(`PublicKeyList[${i}] (fingerprint ${entry.Fingerprint}) is not a DER PKCS #1 RSA public key in base64`);
      }
    }
    byRegion.set(file.region, keys);
  }
  return {
    async keysFor(region) {
      return new Map([...(byRegion.get(undefined) ?? []), ...(byRegion.get(region) ?? [])]);
    },
  };
}
