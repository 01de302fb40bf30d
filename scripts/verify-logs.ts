/**
 * `npm run verify-logs`: verifies every digest chain of the Organization trail in the archive
 * bucket, for every account and region (or those asked for), over a time range, with the same
 * code as the scheduled check (lambda/integrity). Prints a progress line per account and region
 * (on stderr), then a summary per account and region naming every object concerned (on stdout).
 * Exit status: 0 when everything in the range is intact, 1 when anything is not, 2 on a usage error.
 *
 *   npm run verify-logs -- --s3-bucket BUCKET --organization-id o-... --trail-arn ARN --start-time ISO
 *     [--end-time ISO] [--account-id ID ...] [--region R ...] [--s3-prefix P]
 *     [--public-keys [REGION=]FILE ...] [--json FILE] [--concurrency 16] [--allow-gaps]
 */
import * as fs from 'node:fs';
import { listedPublicKeys, s3Client } from '../lambda/integrity/aws';
import { createLimiter } from '../lambda/integrity/limit';
import { type PublicKeyFile, publicKeysFromFiles, type PublicKeySource } from '../lambda/integrity/public-keys';
import { progressLine, summaryLines } from '../lambda/integrity/report';
import { type ObjectStore, S3ObjectStore } from '../lambda/integrity/store';
import { findTargets, type VerificationReport, verifyTargets } from '../lambda/integrity/verify';
import { parseOptions, TRAIL_OPTIONS, trailArguments } from './trail-arguments';

export const USAGE = `usage: npm run verify-logs -- --s3-bucket BUCKET --organization-id o-... --trail-arn ARN --start-time ISO
  [--end-time ISO] [--account-id ID ...] [--region R ...] [--s3-prefix P]
  [--public-keys [REGION=]FILE ...] [--json FILE] [--concurrency 16] [--allow-gaps]
Verifies every account and region found under AWSLogs/<org-id>/ (or those given) from --start-time to
--end-time (default: now). Public keys come from CloudTrail's ListPublicKeys in each region, or from
files that \`aws cloudtrail list-public-keys --region R\` printed (REGION= binds a file to its region).
Exit status: 0 intact, 1 anything not intact (gaps too, unless --allow-gaps), 2 usage error.`;

export interface VerifyLogsIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** The store to read; by default S3 (path-style when AWS_ENDPOINT_URL is set). */
  readonly store?: ObjectStore;
  /** The public keys when no --public-keys is given; by default ListPublicKeys. */
  readonly publicKeys?: PublicKeySource;
}

const defaultIo: VerifyLogsIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

function readKeyFiles(specs: readonly string[], problems: string[]): PublicKeySource | undefined {
  const files: PublicKeyFile[] = [];
  for (const spec of specs) {
    const match = /^([a-z]{2}(?:-[a-z]+)+-\d)=(.+)$/.exec(spec);
    const [region, file] = match ? [match[1], match[2]] : [undefined, spec];
    try {
      files.push({ region, output: JSON.parse(fs.readFileSync(file, 'utf8')) });
    } catch (error) {
      problems.push(`--public-keys ${spec}: ${(error as Error).message}`);
    }
  }
  try {
    return problems.length === 0 ? publicKeysFromFiles(files) : undefined;
  } catch (error) {
    problems.push(`--public-keys: ${(error as Error).message}`);
    return undefined;
  }
}

/** The command: arguments in, exit status out; the report goes to `io`. */
export async function runVerifyLogs(argv: readonly string[], io: VerifyLogsIo = defaultIo): Promise<number> {
  const problems: string[] = [];
  const values = parseOptions(
    argv,
    {
      ...TRAIL_OPTIONS,
      'public-keys': { type: 'string', multiple: true },
      json: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      'allow-gaps': { type: 'boolean', default: false },
    },
    problems,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const trail = trailArguments(values, problems);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) problems.push(`--concurrency must be a whole number from 1 to 256, not ${String(values.concurrency)}`);
  const now = new Date();
  if (trail && trail.start >= now) problems.push(`--start-time ${values['start-time'] as string} is not in the past`);
  const keySpecs = (values['public-keys'] as string[] | undefined) ?? [];
  const fileKeys = keySpecs.length > 0 ? readKeyFiles(keySpecs, problems) : undefined;
  if (problems.length > 0 || !trail) {
    for (const problem of problems) io.err(`error: ${problem}`);
    io.err(USAGE);
    return 2;
  }
  const end = trail.end && trail.end < now ? trail.end : now;
  const store = io.store ?? new S3ObjectStore(s3Client(trail.location.homeRegion, concurrency, io.env));
  const publicKeys = fileKeys ?? io.publicKeys ?? listedPublicKeys();

  io.err(`Finding the accounts and regions of ${trail.location.organizationId} in s3://${trail.location.bucket}/ ...`);
  const targets = await findTargets(store, trail.location, { accounts: trail.accounts, regions: trail.regions }, createLimiter(concurrency));
  io.err(`Verifying ${targets.length} account-regions from ${trail.start.toISOString()} to ${end.toISOString()}, ${concurrency} objects at a time:`);
  const report: VerificationReport = await verifyTargets({
    store,
    location: trail.location,
    publicKeys,
    start: trail.start,
    end,
    now,
    targets,
    concurrency,
    onResult: (result, done, total) => io.err(progressLine(result, done, total)),
  });
  for (const line of summaryLines(report)) io.out(line);
  if (typeof values.json === 'string') {
    fs.writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
    io.err(`Report written to ${values.json}.`);
  }
  const accepted = report.status === 'intact' || (report.status === 'gaps' && values['allow-gaps'] === true);
  return accepted ? 0 : 1;
}

if (require.main === module) {
  runVerifyLogs(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(`verify-logs stopped: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
