/**
 * The verification of an Organization trail's digest chains, for the command (`npm run
 * verify-logs`) and the scheduled check alike. For one account and region over a time range it:
 * - lists the trail's digests (and those of the day before, to see the chains continue) and log files;
 * - verifies every digest in the range as CloudTrail's custom validation describes: found where it
 *   says it was written, signed (`signature` metadata), with a key CloudTrail lists for the region,
 *   the SHA256withRSA signature over end time, location, SHA-256 of the inflated digest and the
 *   previous signature; backfill digests the same way;
 * - follows every link (`previousDigestS3Object`): the predecessor must exist and be the digest
 *   that was signed (its signature and hash);
 * - verifies every log file a valid digest lists, by the SHA-256 of its inflated content, streamed;
 * - reports log files in the covered period that no valid digest lists (forged or injected), a
 *   chain that stops before the range ends with no later digest (deleted newest digests), and
 *   periods without digests where a new chain starts (logging or validation switched off).
 * Unlike `aws cloudtrail validate-logs`, which starts from the newest digest it finds, deleted
 * newest digests and files no digest mentions are found too.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { asDigestFile, DIGEST_METADATA, type DigestFile, type DigestLogFile, HASH_ALGORITHM, sha256Hex, SIGNATURE_ALGORITHM, signatureVerifies } from './digest';
import { type AccountRegion, daysBetween, dayFolder, isoSeconds, kindFolder, organizationFolder, parseDigestKey, parseLogFileKey, s3Uri, type TrailLocation } from './layout';
import { createLimiter, type Limiter } from './limit';
import type { PublicKeySource } from './public-keys';
import { ArchivedObjectError, type ObjectStore } from './store';

/** CloudTrail delivers a digest every hour, also for hours without log files. */
export const DIGEST_PERIOD_MS = 3_600_000;
/** How long after its period ends a digest may take to arrive before its absence counts. */
export const DELIVERY_GRACE_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Digests are parsed whole; one listing thousands of log files is well below this. */
const MAX_DIGEST_BYTES = 64 * 1024 * 1024;

export type FindingKind =
  | 'digest-modified'
  | 'digest-deleted'
  | 'digest-unsigned'
  | 'digest-unknown-key'
  | 'digest-moved'
  | 'log-modified'
  | 'log-deleted'
  | 'log-unreferenced'
  | 'chain-ends-early'
  | 'gap'
  | 'unreadable';

/** What each kind means, for reports. */
export const FINDING_MEANINGS: Readonly<Record<FindingKind, string>> = {
  'digest-modified': 'a digest whose content or signature is not what CloudTrail signed',
  'digest-deleted': 'a digest its successor names that is not in the bucket',
  'digest-unsigned': 'a digest without the signature metadata CloudTrail writes',
  'digest-unknown-key': 'a digest signed with a key CloudTrail does not list for the region',
  'digest-moved': 'a digest that is not at the location it was written for',
  'log-modified': 'a log file whose content is not what its digest recorded',
  'log-deleted': 'a log file its digest lists that is not in the bucket',
  'log-unreferenced': 'a log file in a digested period that no valid digest lists (forged or injected)',
  'chain-ends-early': 'the digests stop before the end of the range with no later digest (newest digests deleted, or logging stopped)',
  gap: 'a period without digests after which a new chain starts (logging or validation switched off): not tampering',
  unreadable: 'an object or listing that could not be read: nothing can be said about it',
};

export const TAMPERING: ReadonlySet<FindingKind> = new Set<FindingKind>([
  'digest-modified', 'digest-deleted', 'digest-unsigned', 'digest-unknown-key', 'digest-moved',
  'log-modified', 'log-deleted', 'log-unreferenced', 'chain-ends-early',
]);

export interface Finding {
  readonly kind: FindingKind;
  /** The object concerned, `s3://bucket/key`. */
  readonly object?: string;
  readonly message: string;
  /** The period concerned (gaps, chains that end early). */
  readonly from?: string;
  readonly to?: string;
}

export interface VerificationTarget extends AccountRegion {
  /** Whether digests must exist (asked for, or a core account in a governed region): with none, a gap is reported rather than nothing. */
  readonly expected: boolean;
}

export type TargetStatus = 'intact' | 'gaps' | 'failed' | 'unreadable' | 'no-deliveries';

export interface TargetResult extends AccountRegion {
  readonly status: TargetStatus;
  /** Valid digests verified, regular and backfill. */
  readonly digests: number;
  readonly backfillDigests: number;
  /** Log files whose content matched their digest. */
  readonly logFiles: number;
  /** Inflated bytes of those log files. */
  readonly inflatedBytes: number;
  /** The periods of the range that digests cover, ISO times. */
  readonly coverage: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly findings: readonly Finding[];
  readonly seconds: number;
}

export interface VerifyContext {
  readonly store: ObjectStore;
  readonly location: TrailLocation;
  readonly publicKeys: PublicKeySource;
  readonly start: Date;
  readonly end: Date;
  /** What counts as now when deciding which digests must have arrived. @default the current time */
  readonly now?: Date;
  /** Bounds the object reads and listings in flight. */
  readonly limit: Limiter;
}

export function isTampering(finding: Finding): boolean {
  return TAMPERING.has(finding.kind);
}

interface NamedDigest {
  readonly key: string;
  readonly end: Date;
  readonly backfill: boolean;
}

interface ValidDigest extends NamedDigest {
  readonly digest: DigestFile;
  readonly sha256: string;
  readonly signature: string;
}

interface Interval {
  readonly from: number;
  readonly to: number;
}

/** Gunzips a stream into the SHA-256 of its content and its length, chunk by chunk. */
export async function inflatedSha256(body: NodeJS.ReadableStream): Promise<{ readonly sha256: string; readonly bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(
    body,
    createGunzip({ chunkSize: 64 * 1024 }),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        bytes += chunk.length;
        done();
      },
    }),
  );
  return { sha256: hash.digest('hex'), bytes };
}

async function inflateDigest(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  await pipeline(
    body,
    createGunzip(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        if (bytes > MAX_DIGEST_BYTES) return done(new Error(`inflates to more than ${MAX_DIGEST_BYTES} bytes`));
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks);
}

function discard(body: NodeJS.ReadableStream): void {
  (body as { destroy?: () => void }).destroy?.();
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Reads and verifies one digest; a finding when it is not what CloudTrail delivered. */
async function readDigest(
  context: VerifyContext,
  target: AccountRegion,
  named: NamedDigest,
  keys: ReadonlyMap<string, KeyObject>,
): Promise<ValidDigest | Finding> {
  const { bucket } = context.location;
  const object = s3Uri(bucket, named.key);
  return context.limit(async () => {
    const found = await context.store.get(bucket, named.key);
    if (!found) return { kind: 'digest-deleted', object, message: 'listed, then gone before it could be read' };
    const signature = found.metadata[DIGEST_METADATA.signature];
    const algorithm = found.metadata[DIGEST_METADATA.signatureAlgorithm];
    if (!signature || !algorithm) {
      discard(found.body);
      return { kind: 'digest-unsigned', object, message: `has no ${DIGEST_METADATA.signature} or ${DIGEST_METADATA.signatureAlgorithm} metadata: CloudTrail writes both on every digest` };
    }
    if (named.backfill && !found.metadata[DIGEST_METADATA.backfillGenerationTimestamp]) {
      discard(found.body);
      return { kind: 'digest-modified', object, message: `a backfill digest without the ${DIGEST_METADATA.backfillGenerationTimestamp} metadata CloudTrail writes on backfill digests` };
    }
    let inflated: Buffer;
    try {
      inflated = await inflateDigest(found.body);
    } catch (error) {
      return { kind: 'digest-modified', object, message: `cannot be gunzipped (${messageOf(error)})` };
    }
    let digest: DigestFile | undefined;
    try {
      digest = asDigestFile(JSON.parse(inflated.toString('utf8')));
    } catch {
      digest = undefined;
    }
    if (!digest) return { kind: 'digest-modified', object, message: 'is not a CloudTrail digest (not JSON, or fields are missing)' };
    if (digest.digestS3Bucket !== bucket || digest.digestS3Object !== named.key) {
      return { kind: 'digest-moved', object, message: `was written for ${s3Uri(digest.digestS3Bucket, digest.digestS3Object)}` };
    }
    if (algorithm !== SIGNATURE_ALGORITHM || digest.digestSignatureAlgorithm !== SIGNATURE_ALGORITHM) {
      return { kind: 'digest-modified', object, message: `claims signature algorithm ${algorithm} (content: ${digest.digestSignatureAlgorithm}); CloudTrail signs with ${SIGNATURE_ALGORITHM}` };
    }
    const publicKey = keys.get(digest.digestPublicKeyFingerprint);
    if (!publicKey) {
      return { kind: 'digest-unknown-key', object, message: `signed with key ${digest.digestPublicKeyFingerprint}, which CloudTrail does not list for ${target.region} in this period` };
    }
    const sha256 = sha256Hex(inflated);
    if (!signatureVerifies(publicKey, digest, sha256, signature)) {
      return { kind: 'digest-modified', object, message: `the signature does not verify with CloudTrail's key ${digest.digestPublicKeyFingerprint}: content or signature changed` };
    }
    return { ...named, digest, sha256, signature };
  });
}

/** Verifies one log file against its digest entry; a finding when it differs. */
async function verifyLogFile(context: VerifyContext, entry: DigestLogFile, digestKey: string): Promise<{ readonly bytes: number; readonly finding?: Finding }> {
  const object = s3Uri(entry.s3Bucket, entry.s3Object);
  const listedIn = s3Uri(context.location.bucket, digestKey);
  return context.limit(async () => {
    try {
      const found = await context.store.get(entry.s3Bucket, entry.s3Object);
      if (!found) return { bytes: 0, finding: { kind: 'log-deleted', object, message: `listed in ${listedIn}, not in the bucket` } };
      if (entry.hashAlgorithm !== HASH_ALGORITHM) {
        discard(found.body);
        return { bytes: 0, finding: { kind: 'log-modified', object, message: `${listedIn} records a ${entry.hashAlgorithm} hash; CloudTrail records ${HASH_ALGORITHM}` } };
      }
      let inflated: { sha256: string; bytes: number };
      try {
        inflated = await inflatedSha256(found.body);
      } catch (error) {
        return { bytes: 0, finding: { kind: 'log-modified', object, message: `cannot be gunzipped (${messageOf(error)}); ${listedIn} records SHA-256 ${entry.hashValue}` } };
      }
      if (inflated.sha256 !== entry.hashValue) {
        return { bytes: 0, finding: { kind: 'log-modified', object, message: `SHA-256 of the inflated content is ${inflated.sha256}; ${listedIn} recorded ${entry.hashValue}` } };
      }
      return { bytes: inflated.bytes };
    } catch (error) {
      if (error instanceof ArchivedObjectError) return { bytes: 0, finding: { kind: 'unreadable', object, message: error.message } };
      throw error;
    }
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** Keys of one kind of file in the days given, listed a day at a time. */
async function listDays(context: VerifyContext, target: AccountRegion, kind: 'CloudTrail' | 'CloudTrail-Digest', days: readonly Date[]): Promise<string[]> {
  const { store, location } = context;
  const perDay = await Promise.all(days.map((day) => context.limit(() => collect(store.listKeys(location.bucket, dayFolder(location, target, kind, day))))));
  return perDay.flat();
}

function inside(intervals: readonly Interval[], from: number, to: number): boolean {
  return intervals.some((i) => from >= i.from && to <= i.to);
}

function overlaps(interval: Interval, from: number, to: number): boolean {
  return from < interval.to && to > interval.from;
}

/** [from, to] minus the gaps (which are sorted and within it). */
function minus(from: number, to: number, gaps: readonly Interval[]): Interval[] {
  const covered: Interval[] = [];
  let cursor = from;
  for (const gap of gaps) {
    if (gap.from > cursor) covered.push({ from: cursor, to: gap.from });
    cursor = Math.max(cursor, gap.to);
  }
  if (to > cursor) covered.push({ from: cursor, to });
  return covered;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

async function verifyTarget(target: VerificationTarget, context: VerifyContext): Promise<Omit<TargetResult, 'seconds'>> {
  const { location, start, end } = context;
  const now = (context.now ?? new Date()).getTime();
  const bucket = location.bucket;
  const listFrom = new Date(start.getTime() - DAY_MS);
  const listTo = new Date(end.getTime() + DIGEST_PERIOD_MS);
  const findings: Finding[] = [];

  const [digestKeys, logKeys, keys] = await Promise.all([
    listDays(context, target, 'CloudTrail-Digest', daysBetween(listFrom, listTo)),
    listDays(context, target, 'CloudTrail', daysBetween(start, new Date(end.getTime() - 1))),
    // every digest read was signed before now: the keys of that period (once per region and run)
    context.publicKeys.keysFor(target.region, listFrom, new Date(now)),
  ]);
  const named: NamedDigest[] = digestKeys
    .flatMap((key) => {
      const name = parseDigestKey(location, target, key);
      return name ? [{ key, ...name }] : [];
    })
    .sort((a, b) => a.end.getTime() - b.end.getTime() || a.key.localeCompare(b.key));
  const listed = new Set(named.map((d) => d.key));
  // CloudTrail's own window: digests ending from the start to an hour after the end (the last one covers the end)
  const inRange = named.filter((d) => d.end >= start && d.end <= listTo);
  const logs = logKeys
    .map((key) => ({ key, delivered: parseLogFileKey(target, key)?.getTime() }))
    .filter((l) => l.delivered === undefined || (l.delivered >= start.getTime() && l.delivered < end.getTime()));

  // Each valid digest's log files are verified as soon as it is (by the SHA-256 of their inflated
  // content), so that reading digests and hashing log files overlap.
  const referenced = new Map<string, { entry: DigestLogFile; digestKey: string }>();
  const logChecks: Array<Promise<{ readonly bytes: number; readonly finding?: Finding }>> = [];
  const reads = await Promise.all(
    inRange.map(async (d) => {
      const read = await readDigest(context, target, d, keys);
      if ('digest' in read) {
        for (const entry of read.digest.logFiles) {
          const id = `${entry.s3Bucket}/${entry.s3Object}`;
          if (referenced.has(id)) continue;
          referenced.set(id, { entry, digestKey: read.key });
          logChecks.push(verifyLogFile(context, entry, read.key));
        }
      }
      return read;
    }),
  );
  const valid = reads.filter((r): r is ValidDigest => 'digest' in r);
  findings.push(...reads.filter((r): r is Finding => !('digest' in r)));
  const validByKey = new Map(valid.map((v) => [v.key, v]));

  // Every link: the predecessor exists, and is the digest that was signed.
  for (const v of valid) {
    const { previousDigestS3Bucket: previousBucket, previousDigestS3Object: previousKey } = v.digest;
    // a chain's first digest; or one continuing in another bucket (the trail moved), out of this archive's scope
    if (!previousBucket || !previousKey || previousBucket !== bucket) continue;
    const previous = validByKey.get(previousKey);
    if (previous) {
      if (previous.signature !== v.digest.previousDigestSignature || (v.digest.previousDigestHashValue && previous.sha256 !== v.digest.previousDigestHashValue)) {
        findings.push({ kind: 'digest-modified', object: s3Uri(bucket, previousKey), message: `is not the digest that ${s3Uri(bucket, v.key)} signed as its predecessor (signature or SHA-256 differ)` });
      }
      continue;
    }
    const previousName = parseDigestKey(location, target, previousKey);
    if (!listed.has(previousKey) && previousName && previousName.end >= listFrom) {
      findings.push({ kind: 'digest-deleted', object: s3Uri(bucket, previousKey), message: `${s3Uri(bucket, v.key)} names it as its predecessor; it is not in the bucket` });
    }
  }

  const logResults = await Promise.all(logChecks);
  for (const result of logResults) if (result.finding) findings.push(result.finding);

  // Where the regular digests cover the range: gaps where a new chain starts, and the tail.
  const regular = named.filter((d) => !d.backfill);
  const gaps: Interval[] = [];
  const gapFindings: Array<{ interval: Interval; starting?: ValidDigest; reason: string }> = [];
  for (const v of valid.filter((d) => !d.backfill && !d.digest.previousDigestS3Object)) {
    const earlier = regular.filter((d) => d.end < v.end).pop();
    const from = Math.max(earlier ? earlier.end.getTime() : start.getTime(), start.getTime());
    const to = Math.min(Date.parse(v.digest.digestStartTime), end.getTime());
    if (to - from < MINUTE_MS) continue;
    gaps.push({ from, to });
    gapFindings.push({ interval: { from, to }, starting: v, reason: `the digest named starts a new chain after it (log file validation or logging was off${earlier ? '' : ', or the trail began'})` });
  }
  const newest = regular[regular.length - 1];
  let coverEnd = start.getTime();
  if (!newest) {
    const due = now >= start.getTime() + DIGEST_PERIOD_MS + DELIVERY_GRACE_MS;
    if (due && (target.expected || logs.length > 0)) {
      const interval = { from: start.getTime(), to: end.getTime() };
      gaps.push(interval);
      gapFindings.push({ interval, reason: 'none in the range nor the day before (log file validation or logging was off, or the account or region was not delivering)' });
    }
  } else if (newest.end < end && newest.end.getTime() + DIGEST_PERIOD_MS + DELIVERY_GRACE_MS <= now) {
    coverEnd = end.getTime();
    findings.push({
      kind: 'chain-ends-early',
      object: s3Uri(bucket, newest.key),
      from: isoSeconds(newest.end),
      to: isoSeconds(end),
      message: `the newest digest ends at ${isoSeconds(newest.end)}; none follows, though CloudTrail delivers one every hour: newest digests deleted, or logging stopped`,
    });
  } else {
    coverEnd = Math.min(end.getTime(), newest.end.getTime());
  }
  gaps.sort((a, b) => a.from - b.from);
  const coverage = newest ? minus(start.getTime(), coverEnd, gaps) : [];

  for (const { interval, starting, reason } of gapFindings) {
    const inGap = logs.filter((l) => l.delivered !== undefined && overlaps(interval, l.delivered, l.delivered + MINUTE_MS)).length;
    findings.push({
      kind: 'gap',
      object: starting && s3Uri(bucket, starting.key),
      from: isoSeconds(new Date(interval.from)),
      to: isoSeconds(new Date(interval.to)),
      message: `no digest from ${isoSeconds(new Date(interval.from))} to ${isoSeconds(new Date(interval.to))}: ${reason}${inGap > 0 ? `; ${plural(inGap, 'log file')} delivered then no digest covers` : ''}`,
    });
  }

  // Log files inside the covered period that no valid digest lists.
  for (const log of logs) {
    if (referenced.has(`${bucket}/${log.key}`)) continue;
    if (log.delivered === undefined) {
      findings.push({ kind: 'log-unreferenced', object: s3Uri(bucket, log.key), message: 'not named as CloudTrail names log files, and no digest lists it' });
    } else if (inside(coverage, log.delivered, log.delivered + MINUTE_MS)) {
      findings.push({ kind: 'log-unreferenced', object: s3Uri(bucket, log.key), message: `delivered ${isoSeconds(new Date(log.delivered))}, in a period the digests cover, but no valid digest lists it` });
    }
  }

  const verifiedLogs = logResults.filter((r) => !r.finding);
  const status: TargetStatus = findings.some(isTampering)
    ? 'failed'
    : findings.some((f) => f.kind === 'unreadable')
      ? 'unreadable'
      : findings.some((f) => f.kind === 'gap')
        ? 'gaps'
        : named.length === 0 && logs.length === 0
          ? 'no-deliveries'
          : 'intact';
  return {
    accountId: target.accountId,
    region: target.region,
    status,
    digests: valid.filter((v) => !v.backfill).length,
    backfillDigests: valid.filter((v) => v.backfill).length,
    logFiles: verifiedLogs.length,
    inflatedBytes: verifiedLogs.reduce((sum, r) => sum + r.bytes, 0),
    coverage: coverage.map((c) => ({ from: isoSeconds(new Date(c.from)), to: isoSeconds(new Date(c.to)) })),
    findings,
  };
}

/** Verifies one account and region; a failure to read ends it with an `unreadable` finding rather than an exception. */
export async function verifyAccountRegion(target: VerificationTarget, context: VerifyContext): Promise<TargetResult> {
  const started = Date.now();
  try {
    const result = await verifyTarget(target, context);
    return { ...result, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    return {
      accountId: target.accountId,
      region: target.region,
      status: 'unreadable',
      digests: 0,
      backfillDigests: 0,
      logFiles: 0,
      inflatedBytes: 0,
      coverage: [],
      findings: [{ kind: 'unreadable', message: `verification stopped: ${messageOf(error)}` }],
      seconds: (Date.now() - started) / 1000,
    };
  }
}

const ACCOUNT_FOLDER = /\/(\d{12})\/$/;
const REGION_FOLDER = /\/([a-z]{2}(?:-[a-z]+)+-\d)\/$/;

export interface TargetSelection {
  /** Only these accounts (each then expected); default: every account found under the organization's folder. */
  readonly accounts?: readonly string[];
  /** Only these regions (each then expected); default: every region found under each account. */
  readonly regions?: readonly string[];
  /** Accounts and regions whose digests must exist whether found or not (the core accounts, the governed regions). */
  readonly expectedAccounts?: readonly string[];
  readonly expectedRegions?: readonly string[];
}

/** The accounts and regions to verify: those found in the archive, those asked for, and those expected. */
export async function findTargets(store: ObjectStore, location: TrailLocation, selection: TargetSelection, limit: Limiter): Promise<VerificationTarget[]> {
  const { bucket } = location;
  const found = async (prefix: string, pattern: RegExp) =>
    (await limit(() => collect(store.listFolders(bucket, prefix)))).flatMap((folder) => pattern.exec(folder)?.[1] ?? []);
  const expectedAccounts = new Set(selection.expectedAccounts ?? []);
  const expectedRegions = new Set(selection.expectedRegions ?? []);
  const accounts = selection.accounts ?? [...new Set([...(await found(organizationFolder(location), ACCOUNT_FOLDER)), ...expectedAccounts])];
  const perAccount = await Promise.all(
    [...accounts].sort().map(async (accountId) => {
      const regions = selection.regions ?? [
        ...new Set([
          ...(await found(kindFolder(location, accountId, 'CloudTrail-Digest'), REGION_FOLDER)),
          ...(await found(kindFolder(location, accountId, 'CloudTrail'), REGION_FOLDER)),
          ...(expectedAccounts.has(accountId) ? expectedRegions : []),
        ]),
      ];
      return [...regions].sort().map((region) => ({
        accountId,
        region,
        expected: selection.accounts !== undefined || selection.regions !== undefined || (expectedAccounts.has(accountId) && expectedRegions.has(region)),
      }));
    }),
  );
  return perAccount.flat();
}

/** `empty`: no account or region delivered in the range (a wrong organization id or prefix looks so too). */
export type ReportStatus = Exclude<TargetStatus, 'no-deliveries'> | 'empty';

export interface VerificationReport {
  readonly bucket: string;
  readonly prefix: string;
  readonly organizationId: string;
  readonly trailName: string;
  readonly homeRegion: string;
  readonly start: string;
  readonly end: string;
  readonly verifiedAt: string;
  readonly status: ReportStatus;
  readonly totals: {
    readonly accountRegions: number;
    readonly digests: number;
    readonly backfillDigests: number;
    readonly logFiles: number;
    readonly inflatedBytes: number;
    readonly failures: number;
    readonly gaps: number;
    readonly seconds: number;
  };
  readonly results: readonly TargetResult[];
}

export interface VerifyTargetsOptions extends Omit<VerifyContext, 'limit'> {
  readonly targets: readonly VerificationTarget[];
  /** Objects read (and listings made) at once; as many accounts and regions are in progress. */
  readonly concurrency: number;
  /** Called as each account and region is done, in the order they finish. */
  readonly onResult?: (result: TargetResult, done: number, total: number) => void;
}

/** The worst status first; `empty` when nothing delivered at all. */
export function overallStatus(results: readonly { readonly status: TargetStatus }[]): ReportStatus {
  for (const status of ['failed', 'unreadable', 'gaps'] as const) if (results.some((r) => r.status === status)) return status;
  return results.some((r) => r.status === 'intact') ? 'intact' : 'empty';
}

export async function verifyTargets(options: VerifyTargetsOptions): Promise<VerificationReport> {
  const started = Date.now();
  // one "now" for the whole run: every account and region is judged by it, and the public keys are listed once per region
  const now = options.now ?? new Date();
  const limit = createLimiter(options.concurrency);
  const perTarget = createLimiter(options.concurrency);
  let done = 0;
  const results = await Promise.all(
    options.targets.map((target) =>
      perTarget(async () => {
        const result = await verifyAccountRegion(target, { ...options, now, limit });
        options.onResult?.(result, ++done, options.targets.length);
        return result;
      }),
    ),
  );
  const sum = (pick: (r: TargetResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const { location } = options;
  return {
    bucket: location.bucket,
    prefix: location.prefix,
    organizationId: location.organizationId,
    trailName: location.trailName,
    homeRegion: location.homeRegion,
    start: isoSeconds(options.start),
    end: isoSeconds(options.end),
    verifiedAt: isoSeconds(now),
    status: overallStatus(results),
    totals: {
      accountRegions: results.length,
      digests: sum((r) => r.digests),
      backfillDigests: sum((r) => r.backfillDigests),
      logFiles: sum((r) => r.logFiles),
      inflatedBytes: sum((r) => r.inflatedBytes),
      failures: sum((r) => r.findings.filter(isTampering).length),
      gaps: sum((r) => r.findings.filter((f) => f.kind === 'gap').length),
      seconds: (Date.now() - started) / 1000,
    },
    results,
  };
}
