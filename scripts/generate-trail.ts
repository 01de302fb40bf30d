/**
 * `npm run generate-trail`: writes an Organization trail's deliveries exactly in CloudTrail's
 * format into an S3 emulator, so that the integrity check can be rehearsed (and is tested) with
 * real cryptography. It makes an RSA key pair (CloudTrail's is per region; one stands in for all),
 * and for every account and region, hour by hour: gzipped log files of CloudTrail records under
 * `AWSLogs/O-ID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`, and a gzipped digest listing them by the
 * SHA-256 of their inflated content, chained to the previous digest, signed SHA256withRSA over
 * CloudTrail's string, the hex signature in the object's `signature` metadata. The public key is
 * written as `aws cloudtrail list-public-keys` prints it, for `verify-logs --public-keys`.
 *
 * Scenarios change one account and region each (the first stays intact): the tamperings an
 * attacker could do (`log-modified`, `digest-deleted`, ...) and what CloudTrail itself does
 * (`gap`: validation switched off for two hours; `backfill`: a late log file in a backfill digest).
 *
 *   npm run generate-trail -- --s3-bucket B --organization-id O --trail-arn ARN --start-time ISO
 *     [--hours 24] [--account-id ID ...] [--region R ...] [--s3-prefix P] [--log-files-per-hour 2]
 *     [--records-per-log-file 10] [--scenario KIND ...] --public-keys-out FILE
 *
 * It writes only where AWS_ENDPOINT_URL points (an emulator): forged files have no place in AWS.
 */
import { createHash, generateKeyPair, generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { s3Client, usesEmulator } from '../lambda/integrity/aws';
import { DIGEST_METADATA, type DigestFile, type DigestLogFile, HASH_ALGORITHM, sha256Hex, SIGNATURE_ALGORITHM, signDigest } from '../lambda/integrity/digest';
import { type AccountRegion, digestKey, isoSeconds, logFileKey, s3Uri, type TrailLocation } from '../lambda/integrity/layout';
import { createLimiter, type Limiter } from '../lambda/integrity/limit';
import type { PublicKeyListOutput } from '../lambda/integrity/public-keys';
import { S3ObjectStore, type WritableObjectStore } from '../lambda/integrity/store';
import type { FindingKind } from '../lambda/integrity/verify';
import { parseOptions, TRAIL_OPTIONS, trailArguments } from './trail-arguments';

const HOUR_MS = 3_600_000;
/** Digest periods start this long after the hour (CloudTrail's do not align with hours either). */
const PERIOD_OFFSET_MS = 91_000;

/** A stand-in for a region's CloudTrail signing key. */
export interface SigningKey {
  readonly privateKey: KeyObject;
  /** DER, PKCS #1 RSAPublicKey: what ListPublicKeys returns as `Value`. */
  readonly publicKeyDer: Buffer;
  /** How CloudTrail names the key (32 hex digits); here the MD5 of the DER key. */
  readonly fingerprint: string;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKeyOf(privateKey, publicKey);
}

/**
 * The same as createSigningKey, made on libuv's thread pool: the caller goes on (starting the
 * emulator, writing deliveries) while the primes are searched for.
 */
export function generateSigningKey(): Promise<SigningKey> {
  return new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => (error ? reject(error) : resolve(signingKeyOf(privateKey, publicKey)))),
  );
}

function signingKeyOf(privateKey: KeyObject, publicKey: KeyObject): SigningKey {
  const publicKeyDer = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { privateKey, publicKeyDer, fingerprint: createHash('md5').update(publicKeyDer).digest('hex') };
}

/** The keys as `aws cloudtrail list-public-keys` prints them. */
export function publicKeyList(keys: readonly SigningKey[], from: Date, to: Date): PublicKeyListOutput {
  return {
    PublicKeyList: keys.map((k) => ({
      ValidityStartTime: from.toISOString(),
      ValidityEndTime: to.toISOString(),
      Value: k.publicKeyDer.toString('base64'),
      Fingerprint: k.fingerprint,
    })),
  };
}

export interface GeneratedDigest {
  readonly key: string;
  readonly start: Date;
  readonly end: Date;
  readonly logKeys: readonly string[];
}

export interface GeneratedDelivery extends AccountRegion {
  /** Regular digests, oldest first. */
  readonly digests: readonly GeneratedDigest[];
  readonly backfillDigests: readonly GeneratedDigest[];
  /** Every log file written, oldest first. */
  readonly logKeys: readonly string[];
}

/** What one account and region gets: the normal hourly delivery, or one of CloudTrail's variations. */
export type DeliveryVariation = 'normal' | 'gap' | 'backfill';

export interface DeliveryOptions {
  readonly store: WritableObjectStore;
  readonly location: TrailLocation;
  readonly key: SigningKey;
  /** When the first digest period starts (plus a minute and a half). */
  readonly start: Date;
  readonly hours: number;
  /** @default 2 */
  readonly logFilesPerHour?: number;
  /** CloudTrail records per log file (about 1 KB each). @default 10 */
  readonly recordsPerLogFile?: number;
  /** Bounds the objects written at once. @default 16 at a time */
  readonly limit?: Limiter;
}

function cloudTrailRecord(target: AccountRegion, time: Date): Record<string, unknown> {
  const role = `arn:aws:iam::${target.accountId}:role/app-deployer`;
  return {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${target.accountId}EXAMPLE:deploy-session`,
      arn: `arn:aws:sts::${target.accountId}:assumed-role/app-deployer/deploy-session`,
      accountId: target.accountId,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
      sessionContext: { sessionIssuer: { type: 'Role', principalId: `AROA${target.accountId}EXAMPLE`, arn: role, accountId: target.accountId, userName: 'app-deployer' }, attributes: { creationDate: isoSeconds(time), mfaAuthenticated: 'false' } },
    },
    eventTime: isoSeconds(time),
    eventSource: 'ec2.amazonaws.com',
    eventName: 'DescribeInstances',
    awsRegion: target.region,
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-sdk-js/3.700.0 ua/2.1 os/linux lang/js md/nodejs#22.11.0 api/ec2#3.700.0',
    requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'tag:environment', valueSet: { items: [{ value: 'production' }] } }] } },
    responseElements: null,
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: target.accountId,
    eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `ec2.${target.region}.amazonaws.com` },
  };
}

/** A gzipped CloudTrail log file of `records` records around the time given. */
export function logFileContent(target: AccountRegion, time: Date, records: number): { readonly gzipped: Buffer; readonly inflated: Buffer; readonly oldest: string; readonly newest: string } {
  const events = Array.from({ length: records }, (_, i) => cloudTrailRecord(target, new Date(time.getTime() - (records - i) * 1000)));
  const inflated = Buffer.from(JSON.stringify({ Records: events }));
  return { gzipped: gzipSync(inflated), inflated, oldest: events[0].eventTime as string, newest: events[events.length - 1].eventTime as string };
}

interface ChainLink {
  readonly bucket: string;
  readonly key: string;
  readonly sha256: string;
  readonly signature: string;
}

/**
 * Signs one digest and starts writing it (with CloudTrail's metadata) into `writes`; returns the
 * link its successor names.
 */
function writeDigest(
  options: DeliveryOptions & { readonly limit: Limiter; readonly writes: Promise<void>[] },
  target: AccountRegion,
  period: { readonly start: Date; readonly end: Date },
  logFiles: readonly DigestLogFile[],
  previous: ChainLink | undefined,
  backfillGeneratedAt?: Date,
): { readonly link: ChainLink; readonly digest: GeneratedDigest } {
  const { location, key } = options;
  const objectKey = digestKey(location, target, period.end, backfillGeneratedAt !== undefined);
  const eventTimes = logFiles.flatMap((f) => [f.oldestEventTime, f.newestEventTime]).filter((t): t is string => t !== null).sort();
  const digest: DigestFile = {
    awsAccountId: target.accountId,
    digestStartTime: isoSeconds(period.start),
    digestEndTime: isoSeconds(period.end),
    digestS3Bucket: location.bucket,
    digestS3Object: objectKey,
    digestPublicKeyFingerprint: key.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: eventTimes[eventTimes.length - 1] ?? null,
    oldestEventTime: eventTimes[0] ?? null,
    previousDigestS3Bucket: previous?.bucket ?? null,
    previousDigestS3Object: previous?.key ?? null,
    previousDigestHashValue: previous?.sha256 ?? null,
    previousDigestHashAlgorithm: previous ? HASH_ALGORITHM : null,
    previousDigestSignature: previous?.signature ?? null,
    logFiles,
  };
  const inflated = Buffer.from(JSON.stringify(digest));
  const sha256 = sha256Hex(inflated);
  const signature = signDigest(key.privateKey, digest, sha256);
  const metadata = {
    [DIGEST_METADATA.signature]: signature,
    [DIGEST_METADATA.signatureAlgorithm]: SIGNATURE_ALGORITHM,
    ...(backfillGeneratedAt ? { [DIGEST_METADATA.backfillGenerationTimestamp]: isoSeconds(backfillGeneratedAt) } : {}),
  };
  options.writes.push(options.limit(() => options.store.put(location.bucket, objectKey, gzipSync(inflated), metadata)));
  return { link: { bucket: location.bucket, key: objectKey, sha256, signature }, digest: { key: objectKey, ...period, logKeys: logFiles.map((f) => f.s3Object) } };
}

/** Hours a `gap` delivery has log file validation switched off (no digests, log files still delivered). */
export function gapHours(hours: number): readonly [number, number] {
  const first = Math.floor(hours / 2) - 1;
  return [first, first + 1];
}

/** The hour of a `backfill` delivery's late log file. */
export function backfillHour(hours: number): number {
  return Math.floor(hours / 2);
}

/**
 * Delivers one account and region, hour by hour, as CloudTrail would. The chain is signed in
 * order while the writes run in parallel (bounded by `limit`).
 */
export async function deliverAccountRegion(options: DeliveryOptions, target: AccountRegion, variation: DeliveryVariation = 'normal'): Promise<GeneratedDelivery> {
  const { store, location } = options;
  const perHour = options.logFilesPerHour ?? 2;
  const records = options.recordsPerLogFile ?? 10;
  const writes: Promise<void>[] = [];
  const writing = { ...options, limit: options.limit ?? createLimiter(16), writes };
  const [offFrom, offTo] = variation === 'gap' ? gapHours(options.hours) : [-1, -1];
  const digests: GeneratedDigest[] = [];
  const backfillDigests: GeneratedDigest[] = [];
  const logKeys: string[] = [];
  let previous: ChainLink | undefined;
  for (let hour = 0; hour < options.hours; hour++) {
    const start = new Date(options.start.getTime() + hour * HOUR_MS + PERIOD_OFFSET_MS);
    const end = new Date(start.getTime() + HOUR_MS);
    const late = variation === 'backfill' && hour === backfillHour(options.hours);
    const deliveries = Array.from({ length: perHour + (late ? 1 : 0) }, (_, i) => new Date(start.getTime() + Math.round(((i + 1) * HOUR_MS) / (perHour + 2))));
    const files = deliveries.map((delivered): DigestLogFile => {
      const objectKey = logFileKey(location, target, delivered, randomBytes(8).toString('hex'));
      const content = logFileContent(target, delivered, records);
      writes.push(writing.limit(() => store.put(location.bucket, objectKey, content.gzipped)));
      return { s3Bucket: location.bucket, s3Object: objectKey, hashValue: sha256Hex(content.inflated), hashAlgorithm: HASH_ALGORITHM, newestEventTime: content.newest, oldestEventTime: content.oldest };
    });
    logKeys.push(...files.map((f) => f.s3Object));
    if (hour >= offFrom && hour <= offTo) {
      previous = undefined; // the digest after validation is switched back on starts a new chain
      continue;
    }
    // a processing delay keeps the late file out of the hour's digest; a backfill digest lists it
    const written = writeDigest(writing, target, { start, end }, late ? files.slice(0, -1) : files, previous);
    previous = written.link;
    digests.push(written.digest);
    if (late) backfillDigests.push(writeDigest(writing, target, { start, end }, files.slice(-1), undefined, new Date(end.getTime() + 2 * HOUR_MS)).digest);
  }
  await Promise.all(writes);
  return { ...target, digests, backfillDigests, logKeys };
}

/** What a tampering did, and what the verifier must then report. */
export interface TamperResult {
  /** `s3://` addresses of the objects an attacker touched (or that a change leaves unlisted). */
  readonly objects: readonly string[];
  readonly expect: ReadonlyArray<{ readonly kind: FindingKind; readonly object?: string }>;
}

export interface TamperContext {
  readonly store: WritableObjectStore;
  readonly location: TrailLocation;
  /** The attacker's own key (`digest-unknown-key`), when it is being made already; else one is made. */
  readonly forger?: Promise<SigningKey>;
}

type Tampering = (context: TamperContext, delivery: GeneratedDelivery) => Promise<TamperResult>;

/** The digest of the middle hour (inside any range that spans most of the delivery), and its log files. */
function middle(delivery: GeneratedDelivery): GeneratedDigest {
  return delivery.digests[Math.floor(delivery.digests.length / 2)];
}

async function readDigestObject(context: TamperContext, key: string): Promise<{ body: Buffer; metadata: Readonly<Record<string, string>>; digest: DigestFile }> {
  const object = await context.store.get(context.location.bucket, key);
  if (!object) throw new Error(`no digest ${key}`);
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return { body, metadata: object.metadata, digest: JSON.parse(gunzipSync(body).toString('utf8')) as DigestFile };
}

const uri = (context: TamperContext, key: string) => s3Uri(context.location.bucket, key);

/** What an attacker with write access to the archive could do, each reported by a finding of its own. */
export const TAMPERINGS = {
  /** A log file rewritten (an event removed). */
  'log-modified': async (context, delivery) => {
    const key = middle(delivery).logKeys[0];
    const altered = logFileContent(delivery, middle(delivery).start, 3).gzipped;
    await context.store.put(context.location.bucket, key, altered);
    return { objects: [uri(context, key)], expect: [{ kind: 'log-modified', object: uri(context, key) }] };
  },
  'log-deleted': async (context, delivery) => {
    const key = middle(delivery).logKeys[0];
    await context.store.delete(context.location.bucket, key);
    return { objects: [uri(context, key)], expect: [{ kind: 'log-deleted', object: uri(context, key) }] };
  },
  /** A forged log file dropped among the real ones, named as CloudTrail names them. */
  'log-injected': async (context, delivery) => {
    const at = new Date(middle(delivery).start.getTime() + 25 * 60_000);
    const key = logFileKey(context.location, delivery, at, 'f0f0f0f0f0f0f0f0');
    await context.store.put(context.location.bucket, key, logFileContent(delivery, at, 2).gzipped);
    return { objects: [uri(context, key)], expect: [{ kind: 'log-unreferenced', object: uri(context, key) }] };
  },
  /** A digest rewritten to forget a log file, its signature kept. */
  'digest-modified': async (context, delivery) => {
    const { key, logKeys } = middle(delivery);
    const { metadata, digest } = await readDigestObject(context, key);
    await context.store.put(context.location.bucket, key, gzipSync(JSON.stringify({ ...digest, logFiles: digest.logFiles.slice(1) })), metadata);
    return { objects: [uri(context, key)], expect: [{ kind: 'digest-modified', object: uri(context, key) }, ...logKeys.map((k) => ({ kind: 'log-unreferenced' as const, object: uri(context, k) }))] };
  },
  'digest-deleted': async (context, delivery) => {
    const { key } = middle(delivery);
    await context.store.delete(context.location.bucket, key);
    return { objects: [uri(context, key)], expect: [{ kind: 'digest-deleted', object: uri(context, key) }] };
  },
  /** A digest written again without CloudTrail's signature metadata. */
  'digest-unsigned': async (context, delivery) => {
    const { key } = middle(delivery);
    const { body } = await readDigestObject(context, key);
    await context.store.put(context.location.bucket, key, body);
    return { objects: [uri(context, key)], expect: [{ kind: 'digest-unsigned', object: uri(context, key) }] };
  },
  /** A digest re-signed with the attacker's own key. */
  'digest-unknown-key': async (context, delivery) => {
    const { key } = middle(delivery);
    const { metadata, digest } = await readDigestObject(context, key);
    const forger = await (context.forger ?? generateSigningKey());
    const forged: DigestFile = { ...digest, digestPublicKeyFingerprint: forger.fingerprint };
    const inflated = Buffer.from(JSON.stringify(forged));
    await context.store.put(context.location.bucket, key, gzipSync(inflated), { ...metadata, [DIGEST_METADATA.signature]: signDigest(forger.privateKey, forged, sha256Hex(inflated)) });
    return { objects: [uri(context, key)], expect: [{ kind: 'digest-unknown-key', object: uri(context, key) }] };
  },
  /** An older, validly signed digest copied over the middle one. */
  'digest-moved': async (context, delivery) => {
    const target = middle(delivery);
    const older = delivery.digests[delivery.digests.indexOf(target) - 1];
    const { body, metadata } = await readDigestObject(context, older.key);
    await context.store.put(context.location.bucket, target.key, body, metadata);
    return { objects: [uri(context, target.key)], expect: [{ kind: 'digest-moved', object: uri(context, target.key) }] };
  },
  /** The newest three digests deleted, so that the chain seems to end early. */
  'newest-digests-deleted': async (context, delivery) => {
    const deleted = delivery.digests.slice(-3);
    for (const d of deleted) await context.store.delete(context.location.bucket, d.key);
    const newest = delivery.digests[delivery.digests.length - 4];
    return { objects: deleted.map((d) => uri(context, d.key)), expect: [{ kind: 'chain-ends-early', object: uri(context, newest.key) }] };
  },
} as const satisfies Record<string, Tampering>;

export type TamperKind = keyof typeof TAMPERINGS;

/** Everything a delivery can be given: a tampering, or a variation of CloudTrail's own. */
export const SCENARIOS = [...(Object.keys(TAMPERINGS) as TamperKind[]), 'gap', 'backfill'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface OrganizationOptions extends DeliveryOptions {
  readonly targets: readonly AccountRegion[];
  /** Applied to the targets after the first, one each, in order. */
  readonly scenarios?: readonly Scenario[];
}

export interface ScenarioOutcome {
  readonly target: AccountRegion;
  readonly scenario: Scenario | 'intact';
  readonly expect: TamperResult['expect'];
}

/** Delivers every target, then applies the scenarios: one target each, the first target left intact. */
export async function generateOrganization(options: OrganizationOptions): Promise<{ readonly deliveries: readonly GeneratedDelivery[]; readonly outcomes: readonly ScenarioOutcome[] }> {
  const scenarios = options.scenarios ?? [];
  if (scenarios.length >= options.targets.length) throw new Error(`${scenarios.length} scenarios need ${scenarios.length + 1} accounts and regions (one stays intact); give more`);
  await options.store.ensureBucket(options.location.bucket, options.location.homeRegion);
  const scenarioOf = (i: number): Scenario | 'intact' => (i === 0 ? 'intact' : (scenarios[i - 1] ?? 'intact'));
  const shared = { ...options, limit: options.limit ?? createLimiter(16) };
  // the attacker's key is made while the deliveries are written
  const forger = scenarios.includes('digest-unknown-key') ? generateSigningKey() : undefined;
  forger?.catch(() => undefined);
  const deliveries = await Promise.all(
    options.targets.map((target, i) => {
      const scenario = scenarioOf(i);
      return deliverAccountRegion(shared, target, scenario === 'gap' || scenario === 'backfill' ? scenario : 'normal');
    }),
  );
  const context = { store: options.store, location: options.location, forger };
  const outcomes: ScenarioOutcome[] = [];
  for (const [i, delivery] of deliveries.entries()) {
    const scenario = scenarioOf(i);
    const target = { accountId: delivery.accountId, region: delivery.region };
    if (scenario === 'intact' || scenario === 'backfill') outcomes.push({ target, scenario, expect: [] });
    else if (scenario === 'gap') outcomes.push({ target, scenario, expect: [{ kind: 'gap' }] });
    else outcomes.push({ target, scenario, expect: (await TAMPERINGS[scenario](context, delivery)).expect });
  }
  return { deliveries, outcomes };
}

const USAGE = `usage: npm run generate-trail -- --s3-bucket BUCKET --organization-id o-... --trail-arn ARN --start-time ISO
  [--hours 24] [--account-id ID ...] [--region R ...] [--s3-prefix P] [--log-files-per-hour 2]
  [--records-per-log-file 10] [--scenario KIND ...] --public-keys-out FILE
Writes into the S3 emulator at AWS_ENDPOINT_URL only. Scenarios (one account and region each): ${SCENARIOS.join(', ')}`;

const DEFAULT_ACCOUNTS = ['111111111111', '222222222222', '333333333333'];

export async function runGenerateTrail(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const problems: string[] = [];
  const values = parseOptions(
    argv,
    {
      ...TRAIL_OPTIONS,
      hours: { type: 'string', default: '24' },
      'log-files-per-hour': { type: 'string', default: '2' },
      'records-per-log-file': { type: 'string', default: '10' },
      scenario: { type: 'string', multiple: true },
      'public-keys-out': { type: 'string' },
    },
    problems,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const trail = trailArguments(values, problems);
  const count = (name: string, max: number) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < 1 || n > max) problems.push(`--${name} must be a whole number from 1 to ${max}, not ${String(values[name])}`);
    return n;
  };
  const hours = count('hours', 24 * 31);
  const logFilesPerHour = count('log-files-per-hour', 60);
  const recordsPerLogFile = count('records-per-log-file', 10_000);
  const scenarios = (values.scenario as string[] | undefined) ?? [];
  for (const s of scenarios) if (!(SCENARIOS as readonly string[]).includes(s)) problems.push(`--scenario ${s} is unknown; use one of ${SCENARIOS.join(', ')}`);
  if (values['end-time'] !== undefined) problems.push('--end-time does not apply: give --hours');
  const keysOut = values['public-keys-out'] as string | undefined;
  if (!keysOut) problems.push('--public-keys-out FILE is required: verify-logs --public-keys reads the key from it');
  if (!usesEmulator(env)) problems.push('AWS_ENDPOINT_URL is not set: this writes forged CloudTrail files and does so only into an S3 emulator (moto_server)');
  if (problems.length > 0 || !trail || !keysOut) {
    console.error([...problems.map((p) => `error: ${p}`), USAGE].join('\n'));
    return 2;
  }
  const accounts = trail.accounts ?? DEFAULT_ACCOUNTS;
  const regions = trail.regions ?? [trail.location.homeRegion];
  const targets = accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  const key = createSigningKey();
  const store = new S3ObjectStore(s3Client(trail.location.homeRegion, 16, env));
  const { outcomes } = await generateOrganization({ store, location: trail.location, key, start: trail.start, hours, logFilesPerHour, recordsPerLogFile, targets, scenarios: scenarios as Scenario[] });
  const end = new Date(trail.start.getTime() + hours * HOUR_MS);
  fs.writeFileSync(keysOut, `${JSON.stringify(publicKeyList([key], trail.start, new Date(end.getTime() + 30 * 86_400_000)), null, 2)}\n`);
  console.log(`Delivered ${hours} hours of ${targets.length} account-regions into s3://${trail.location.bucket}/ (${isoSeconds(trail.start)} to ${isoSeconds(end)}); public key in ${keysOut}.`);
  for (const outcome of outcomes) {
    const expected = outcome.expect.length === 0 ? 'intact' : outcome.expect.map((e) => `${e.kind}${e.object ? ` ${e.object}` : ''}`).join('; ');
    console.log(`  ${outcome.target.accountId} ${outcome.target.region}: ${outcome.scenario} -> verify-logs reports ${expected}`);
  }
  return 0;
}

if (require.main === module) {
  runGenerateTrail(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
