/**
 * The content of a CloudTrail digest file and its signature (CloudTrail user guide: "CloudTrail
 * digest file structure" and "Custom implementations of CloudTrail log file integrity validation").
 * CloudTrail signs, with the region's private key (SHA256withRSA, PKCS #1 v1.5), the string
 *
 *   digestEndTime \n digestS3Bucket/digestS3Object \n hex(SHA-256(inflated digest)) \n previousDigestSignature
 *
 * (the literal `null` for the first digest of a chain) and puts the signature, hex-encoded, in the
 * digest object's `signature` metadata (`x-amz-meta-signature`) beside `signature-algorithm`.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';

/** Object metadata CloudTrail writes on every digest (the names S3 returns, without `x-amz-meta-`). */
export const DIGEST_METADATA = {
  signature: 'signature',
  signatureAlgorithm: 'signature-algorithm',
  /** Only on backfill digests: when CloudTrail generated them (selects the signing key). */
  backfillGenerationTimestamp: 'backfill-generation-timestamp',
} as const;

/** A log file as a digest lists it. */
export interface DigestLogFile {
  readonly s3Bucket: string;
  readonly s3Object: string;
  /** Hex SHA-256 of the log file's inflated (gunzipped) content. */
  readonly hashValue: string;
  readonly hashAlgorithm: string;
  readonly newestEventTime: string | null;
  readonly oldestEventTime: string | null;
}

export interface DigestFile {
  readonly awsAccountId: string;
  readonly digestStartTime: string;
  readonly digestEndTime: string;
  readonly digestS3Bucket: string;
  readonly digestS3Object: string;
  readonly digestPublicKeyFingerprint: string;
  readonly digestSignatureAlgorithm: string;
  readonly newestEventTime: string | null;
  readonly oldestEventTime: string | null;
  /** The previous* fields are null in the first digest of a chain (validation or logging just started). */
  readonly previousDigestS3Bucket: string | null;
  readonly previousDigestS3Object: string | null;
  readonly previousDigestHashValue: string | null;
  readonly previousDigestHashAlgorithm: string | null;
  readonly previousDigestSignature: string | null;
  readonly logFiles: readonly DigestLogFile[];
}

const STRING_FIELDS = ['awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint'] as const;
const NULLABLE_FIELDS = ['previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestSignature'] as const;

/** The digest if the JSON has the fields validation needs (those `aws cloudtrail validate-logs` requires), else undefined. */
export function asDigestFile(json: unknown): DigestFile | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  if (!STRING_FIELDS.every((f) => typeof record[f] === 'string')) return undefined;
  if (!NULLABLE_FIELDS.every((f) => record[f] === null || typeof record[f] === 'string')) return undefined;
  if (Number.isNaN(Date.parse(record.digestEndTime as string)) || Number.isNaN(Date.parse(record.digestStartTime as string))) return undefined;
  const logFiles = record.logFiles ?? [];
  if (!Array.isArray(logFiles)) return undefined;
  const wellFormed = (f: unknown) => {
    const file = f as Record<string, unknown> | null;
    return typeof file?.s3Bucket === 'string' && typeof file.s3Object === 'string' && typeof file.hashValue === 'string';
  };
  if (!logFiles.every(wellFormed)) return undefined;
  return { ...record, logFiles } as unknown as DigestFile;
}

/** The string CloudTrail signs for a digest, given the hex SHA-256 of its inflated content. */
export function stringToSign(digest: DigestFile, inflatedSha256: string): string {
  return [
    digest.digestEndTime,
    `${digest.digestS3Bucket}/${digest.digestS3Object}`,
    inflatedSha256,
    // the first digest of a chain signs the literal "null" (as AWS's own validator does)
    digest.previousDigestSignature ?? 'null',
  ].join('\n');
}

/** A CloudTrail public key (the `Value` of ListPublicKeys: DER, PKCS #1 RSAPublicKey). */
export function publicKeyFromDer(der: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'pkcs1' });
}

/** Whether the hex signature is CloudTrail's SHA256withRSA signature of the digest. */
export function signatureVerifies(publicKey: KeyObject, digest: DigestFile, inflatedSha256: string, signatureHex: string): boolean {
  if (!/^([0-9a-f]{2})+$/i.test(signatureHex)) return false;
  return verify('sha256', Buffer.from(stringToSign(digest, inflatedSha256), 'utf8'), publicKey, Buffer.from(signatureHex, 'hex'));
}

/** Signs as CloudTrail does (the generator of rehearsal deliveries uses it). */
export function signDigest(privateKey: KeyObject, digest: DigestFile, inflatedSha256: string): string {
  return sign('sha256', Buffer.from(stringToSign(digest, inflatedSha256), 'utf8'), privateKey).toString('hex');
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
