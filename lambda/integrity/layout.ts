/**
 * Where CloudTrail puts an Organization trail's files, and how they are named (CloudTrail user
 * guide: "CloudTrail digest file structure", "Finding your CloudTrail log files"):
 *
 *   PREFIX/AWSLogs/O-ID/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
 *   PREFIX/AWSLogs/O-ID/ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/
 *       ACCOUNT_CloudTrail-Digest_REGION_TRAIL-NAME_HOME-REGION_YYYYMMDDTHHMMSSZ[_backfill].json.gz
 *
 * A digest's folder and timestamp are those of its end time; backfill digests (log files that a
 * processing delay kept out of the hour's digest) carry the `_backfill` suffix.
 */

/** The trail whose files are verified, and where it delivers them. */
export interface TrailLocation {
  readonly bucket: string;
  /** Key prefix of the trail, without the trailing slash; empty when it has none. */
  readonly prefix: string;
  readonly organizationId: string;
  readonly trailName: string;
  /** Region of the trail (where it was created); part of every digest's name. */
  readonly homeRegion: string;
}

/** One account's files in one region: the unit the verifier works on. */
export interface AccountRegion {
  readonly accountId: string;
  readonly region: string;
}

/** `arn:PARTITION:cloudtrail:REGION:ACCOUNT:trail/NAME`, the form `aws cloudtrail validate-logs` takes. */
const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):trail\/([A-Za-z0-9._-]{3,128})$/;

export function parseTrailArn(arn: string): { readonly region: string; readonly accountId: string; readonly name: string } | undefined {
  const match = TRAIL_ARN.exec(arn);
  return match ? { region: match[1], accountId: match[2], name: match[3] } : undefined;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2015-08-17T15:01:31Z`: the form of every time in a digest file (and in the string it signs). */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `20150817T150131Z`: the timestamp in a digest's name. */
export function compactSeconds(date: Date): string {
  return isoSeconds(date).replace(/[-:]/g, '');
}

/** `2015/08/17`: the date folder. */
export function dateFolder(date: Date): string {
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}`;
}

/** Midnight UTC of the date. */
export function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Every UTC day from the day of `from` to the day of `to`, both included. */
export function daysBetween(from: Date, to: Date): Date[] {
  const days: Date[] = [];
  for (let day = startOfDay(from); day <= to; day = new Date(day.getTime() + 86_400_000)) days.push(day);
  return days;
}

function prefixed(location: TrailLocation, rest: string): string {
  return location.prefix ? `${location.prefix}/${rest}` : rest;
}

/** `PREFIX/AWSLogs/O-ID/`: one folder per account below it. */
export function organizationFolder(location: TrailLocation): string {
  return prefixed(location, `AWSLogs/${location.organizationId}/`);
}

export type FileKind = 'CloudTrail' | 'CloudTrail-Digest';

/** `.../ACCOUNT/CloudTrail-Digest/` or `.../ACCOUNT/CloudTrail/`: one folder per region below it. */
export function kindFolder(location: TrailLocation, accountId: string, kind: FileKind): string {
  return `${organizationFolder(location)}${accountId}/${kind}/`;
}

export function dayFolder(location: TrailLocation, target: AccountRegion, kind: FileKind, day: Date): string {
  return `${kindFolder(location, target.accountId, kind)}${target.region}/${dateFolder(day)}/`;
}

export function digestKey(location: TrailLocation, target: AccountRegion, end: Date, backfill = false): string {
  const name = `${target.accountId}_CloudTrail-Digest_${target.region}_${location.trailName}_${location.homeRegion}_${compactSeconds(end)}${backfill ? '_backfill' : ''}.json.gz`;
  return `${dayFolder(location, target, 'CloudTrail-Digest', end)}${name}`;
}

/** `delivered` is rounded down to the minute, as in CloudTrail's names. */
export function logFileKey(location: TrailLocation, target: AccountRegion, delivered: Date, unique: string): string {
  const stamp = compactSeconds(delivered).slice(0, 13) + 'Z';
  return `${dayFolder(location, target, 'CloudTrail', delivered)}${target.accountId}_CloudTrail_${target.region}_${stamp}_${unique}.json.gz`;
}

function timeOf(stamp: string): Date {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z$/.exec(stamp)!;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface DigestName {
  /** End of the period the digest covers, from its name. */
  readonly end: Date;
  readonly backfill: boolean;
}

/** Reads a digest's name; undefined for a key that is not a digest of this trail in this account and region. */
export function parseDigestKey(location: TrailLocation, target: AccountRegion, key: string): DigestName | undefined {
  const folder = escape(kindFolder(location, target.accountId, 'CloudTrail-Digest') + target.region);
  const name = escape(`${target.accountId}_CloudTrail-Digest_${target.region}_${location.trailName}_${location.homeRegion}_`);
  const match = new RegExp(`^${folder}/\\d{4}/\\d{2}/\\d{2}/${name}(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`).exec(key);
  return match ? { end: timeOf(match[1]), backfill: match[2] !== undefined } : undefined;
}

/** The delivery minute in a log file's name; undefined for a key not named as CloudTrail names its log files. */
export function parseLogFileKey(target: AccountRegion, key: string): Date | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const match = new RegExp(`^${target.accountId}_CloudTrail_${escape(target.region)}_(\\d{8}T\\d{4}Z)_[A-Za-z0-9]+\\.json\\.gz$`).exec(name);
  return match ? timeOf(match[1]) : undefined;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
