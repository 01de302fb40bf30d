/**
 * How fast the digest-chain verification is: a generated organization (CloudTrail's format, real
 * signatures) verified from memory, set beside the raw gunzip + SHA-256 of the same bytes on the
 * same machine (the physical limit of any verifier), and, for scale, the same verification of a
 * smaller organization through the AWS SDK against moto_server's S3 (an emulator: its HTTP server
 * is the limit there, not the verifier). Part of `npm run bench`; the goal is within 2× of raw.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { s3Client } from '../lambda/integrity/aws';
import type { TrailLocation } from '../lambda/integrity/layout';
import { createLimiter } from '../lambda/integrity/limit';
import { publicKeysFromFiles } from '../lambda/integrity/public-keys';
import { MemoryObjectStore, S3ObjectStore, type WritableObjectStore } from '../lambda/integrity/store';
import { findTargets, inflatedSha256, type VerificationReport, verifyTargets } from '../lambda/integrity/verify';
import { createSigningKey, generateOrganization, publicKeyList, type SigningKey } from './generate-trail';
import { freePort, startMoto } from './moto';

/** Objects read at once, as `verify-logs` does by default. */
const CONCURRENCY = 16;
const RUNS = 3;
const START = new Date('2026-11-01T00:00:00Z');
const location: TrailLocation = { bucket: 'bench-log-archive-222222222222-eu-west-1', prefix: '', organizationId: 'o-bench12ab34', trailName: 'bench-organization-trail', homeRegion: 'eu-west-1' };

export interface IntegritySize {
  readonly accounts: number;
  readonly regions: number;
  readonly hours: number;
  readonly logFilesPerHour: number;
  readonly recordsPerLogFile: number;
}

/** 24 account-regions of busy days: 1,150 log files of about 120 KB, 130 MB inflated. */
export const MEMORY_SIZE: IntegritySize = { accounts: 8, regions: 3, hours: 24, logFilesPerHour: 2, recordsPerLogFile: 200 };
/** What the emulator serves in a minute or so. */
export const EMULATOR_SIZE: IntegritySize = { accounts: 2, regions: 2, hours: 24, logFilesPerHour: 2, recordsPerLogFile: 100 };

export interface Throughput {
  readonly label: string;
  readonly seconds: number;
  readonly digests: number;
  readonly logFiles: number;
  /** Inflated megabytes hashed. */
  readonly megabytes: number;
}

export interface IntegrityBench {
  readonly raw: Throughput;
  readonly memory: Throughput;
  readonly emulator?: Throughput;
  /** The verifier's MB/s from memory over the raw MB/s (1 = as fast as the physical limit). */
  readonly ratio: number;
}

const regionNames = ['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-southeast-2'];

async function deliver(store: WritableObjectStore, key: SigningKey, size: IntegritySize): Promise<void> {
  const targets = Array.from({ length: size.accounts }, (_, a) => String(600000000000 + a)).flatMap((accountId) => regionNames.slice(0, size.regions).map((region) => ({ accountId, region })));
  await generateOrganization({ store, location, key, start: START, hours: size.hours, logFilesPerHour: size.logFilesPerHour, recordsPerLogFile: size.recordsPerLogFile, targets });
}

async function verifyAll(store: S3ObjectStore | MemoryObjectStore, key: SigningKey, label: string): Promise<Throughput> {
  const publicKeys = publicKeysFromFiles([{ output: publicKeyList([key], START, new Date(START.getTime() + 30 * 86_400_000)) }]);
  const started = process.hrtime.bigint();
  const targets = await findTargets(store, location, {}, createLimiter(CONCURRENCY));
  // the first hour's digest starts the chain: verify from then, so that the range has no gap
  const report: VerificationReport = await verifyTargets({ store, location, publicKeys, start: new Date(START.getTime() + 3_600_000), end: new Date(START.getTime() + 23 * 3_600_000), targets, concurrency: CONCURRENCY });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (report.status !== 'intact') throw new Error(`the generated organization did not verify (${report.status}): ${JSON.stringify(report.results.flatMap((r) => r.findings).slice(0, 3))}`);
  return { label, seconds, digests: report.totals.digests, logFiles: report.totals.logFiles, megabytes: report.totals.inflatedBytes / 2 ** 20 };
}

/** Gunzip + SHA-256 of the bodies, streamed, as many at once as the verifier reads. */
async function rawBaseline(bodies: readonly Buffer[]): Promise<Throughput> {
  const limit = createLimiter(CONCURRENCY);
  const started = process.hrtime.bigint();
  const sizes = await Promise.all(bodies.map((body) => limit(async () => (await inflatedSha256(Readable.from([body]))).bytes)));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { label: 'raw gunzip + SHA-256 of the same log files', seconds, digests: 0, logFiles: bodies.length, megabytes: sizes.reduce((a, b) => a + b, 0) / 2 ** 20 };
}

/** Measures; `progress` hears each step. Set `emulator: false` to leave moto out. */
export async function benchIntegrity(progress: (message: string) => void = () => {}, options: { readonly emulator?: boolean } = {}): Promise<IntegrityBench> {
  const key = createSigningKey();
  const memoryStore = new MemoryObjectStore();
  progress(`generating ${MEMORY_SIZE.accounts * MEMORY_SIZE.regions} account-regions × ${MEMORY_SIZE.hours} hours of CloudTrail deliveries in memory`);
  await deliver(memoryStore, key, MEMORY_SIZE);
  // the log files only: what the verifier hashes beyond them (digests, signatures) is its overhead
  const logFiles = memoryStore.bodies(location.bucket, (key) => key.includes('/CloudTrail/'));
  await rawBaseline(logFiles.slice(0, 50)); // warm-up: neither side pays for compiling its code
  // alternated, best of three: on a shared machine the fastest run is the one least disturbed
  const raws: Throughput[] = [];
  const memories: Throughput[] = [];
  for (let run = 0; run < RUNS; run++) {
    raws.push(await rawBaseline(logFiles));
    memories.push(await verifyAll(memoryStore, key, 'verifier, objects in memory'));
  }
  const fastest = (runs: Throughput[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const raw = fastest(raws);
  const memory = fastest(memories);
  progress(`raw gunzip + SHA-256: ${(raw.megabytes / raw.seconds).toFixed(0)} MB/s; verifier from memory: ${(memory.megabytes / memory.seconds).toFixed(0)} MB/s, ${(memory.digests / memory.seconds).toFixed(0)} digests/s (best of ${RUNS})`);

  let emulator: Throughput | undefined;
  if (options.emulator !== false) {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-integrity-'));
    const moto = await startMoto(await freePort(), path.join(workDir, 'moto.log'));
    const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: location.homeRegion };
    try {
      const store = new S3ObjectStore(s3Client(location.homeRegion, CONCURRENCY, env));
      progress(`generating ${EMULATOR_SIZE.accounts * EMULATOR_SIZE.regions} account-regions in moto_server`);
      await deliver(store, key, EMULATOR_SIZE);
      emulator = await verifyAll(store, key, 'verifier through the AWS SDK, moto_server S3');
      progress(`verifier against moto_server: ${(emulator.megabytes / emulator.seconds).toFixed(1)} MB/s, ${(emulator.digests / emulator.seconds).toFixed(0)} digests/s`);
    } finally {
      moto.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  return { raw, memory, emulator, ratio: memory.megabytes / memory.seconds / (raw.megabytes / raw.seconds) };
}

/** The bench's table rows for it. */
export function integrityRows(bench: IntegrityBench): string[] {
  const row = (t: Throughput) =>
    `| ${t.label} | ${t.seconds.toFixed(2)} s | ${t.digests > 0 ? (t.digests / t.seconds).toFixed(0) : '-'} | ${t.logFiles} | ${(t.megabytes / t.seconds).toFixed(1)} MB/s (${t.megabytes.toFixed(0)} MB) |`;
  return [
    `| digest-chain verification (${CONCURRENCY} objects at a time) | wall | digests/s | log files | inflated MB/s |`,
    '| --- | ---: | ---: | ---: | ---: |',
    row(bench.raw),
    row(bench.memory),
    ...(bench.emulator ? [row(bench.emulator)] : []),
  ];
}
