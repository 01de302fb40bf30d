/** How verification results read: the command's progress lines and summary, and the scheduled check's notification. */
import { FINDING_MEANINGS, type Finding, type FindingKind, isTampering, type TargetResult, type VerificationReport } from './verify';

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

/** One line per account and region as it is done. */
export function progressLine(result: TargetResult, done: number, total: number): string {
  const width = String(total).length;
  const counts = `${result.digests} digests${result.backfillDigests ? ` + ${result.backfillDigests} backfill` : ''}, ${result.logFiles} log files (${megabytes(result.inflatedBytes)} MB)`;
  const problems = result.findings.length > 0 ? `, ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}` : '';
  return `[${String(done).padStart(width)}/${total}] ${result.accountId} ${result.region.padEnd(14)} ${result.status.padEnd(13)} ${counts}${problems} in ${result.seconds.toFixed(1)} s`;
}

function table(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd());
}

function findingLines(finding: Finding): string[] {
  const subject = finding.object ?? (finding.from ? `${finding.from} to ${finding.to}` : '');
  return [`    ${finding.kind.padEnd(18)} ${subject}`, `    ${''.padEnd(18)} ${finding.message}`];
}

/** The readable summary: a row per account and region, then every finding naming its object, then the verdict. */
export function summaryLines(report: VerificationReport): string[] {
  const location = `s3://${report.bucket}/${report.prefix ? `${report.prefix}/` : ''}AWSLogs/${report.organizationId}/`;
  const rows = [
    ['account', 'region', 'status', 'digests', 'backfill', 'log files', 'inflated MB', 'findings'],
    ...report.results.map((r) => [r.accountId, r.region, r.status, String(r.digests), String(r.backfillDigests), String(r.logFiles), megabytes(r.inflatedBytes), String(r.findings.length)]),
  ];
  const lines = [
    `Digest chains of trail ${report.trailName} (${report.homeRegion}) in ${location}, ${report.start} to ${report.end}:`,
    '',
    ...table(rows, new Set([3, 4, 5, 6, 7])),
  ];
  const withFindings = report.results.filter((r) => r.findings.length > 0);
  if (withFindings.length > 0) {
    lines.push('', 'Findings:');
    for (const result of withFindings) {
      lines.push(`  ${result.accountId} ${result.region} (${result.status})`);
      for (const finding of result.findings) lines.push(...findingLines(finding));
    }
    const kinds = [...new Set(withFindings.flatMap((r) => r.findings.map((f) => f.kind)))].sort() as FindingKind[];
    lines.push('', 'What they mean:', ...kinds.map((kind) => `  ${kind.padEnd(18)} ${FINDING_MEANINGS[kind]}`));
  }
  const byStatus = (status: string) => report.results.filter((r) => r.status === status).length;
  const { totals } = report;
  const verdict = {
    intact: 'INTACT: every digest and log file in the range is as CloudTrail delivered it, and none is missing',
    gaps: 'GAPS: nothing was altered, but some periods have no digest (see the gaps above)',
    failed: 'FAILED: digests or log files were altered, removed or added (see the findings above)',
    unreadable: 'UNREADABLE: some objects could not be read, so the range is not verified (see above)',
    empty: 'NOTHING VERIFIED: no account or region has digests or log files in the range (check --s3-bucket, --organization-id, --s3-prefix and the times)',
  }[report.status];
  lines.push(
    '',
    `${totals.accountRegions} account-region${totals.accountRegions === 1 ? '' : 's'} (${byStatus('failed')} failed, ${byStatus('unreadable')} unreadable, ${byStatus('gaps')} with gaps, ${byStatus('intact')} intact, ${byStatus('no-deliveries')} without deliveries): ` +
      `${totals.digests} digests, ${totals.backfillDigests} backfill digests, ${totals.logFiles} log files (${megabytes(totals.inflatedBytes)} MB inflated) in ${totals.seconds.toFixed(1)} s.`,
    verdict,
  );
  return lines;
}

/** SNS subjects are at most 100 printable ASCII characters. */
const MAX_SUBJECT_LENGTH = 100;
/** Objects named in one notification; the rest are counted (an SNS message holds 256 KB). */
export const MAX_NOTIFIED_FINDINGS = 100;

export interface Notification {
  readonly subject: string;
  readonly message: string;
}

/** The scheduled check's message for one account and region, naming every object concerned (up to a limit). */
export function notificationOf(result: TargetResult, period: { readonly start: string; readonly end: string }, archive: string): Notification {
  const tampering = result.findings.filter(isTampering);
  const gaps = result.findings.filter((f) => f.kind === 'gap');
  const what = tampering.length > 0 ? `${tampering.length} integrity failure${tampering.length === 1 ? '' : 's'}` : `${gaps.length} period${gaps.length === 1 ? '' : 's'} without digests`;
  const subject = `Log integrity: ${what} in ${result.accountId} ${result.region}`.slice(0, MAX_SUBJECT_LENGTH);
  const shown = result.findings.slice(0, MAX_NOTIFIED_FINDINGS);
  const message = [
    `The daily verification of the Organization trail's digest chains in ${archive} found ${what} for account ${result.accountId}, region ${result.region}, from ${period.start} to ${period.end}.`,
    '',
    ...shown.flatMap((f) => [`${f.kind}: ${f.object ?? `${f.from} to ${f.to}`}`, `  ${f.message}`]),
    ...(result.findings.length > shown.length ? [`... and ${result.findings.length - shown.length} more; run npm run verify-logs for the period to see all`] : []),
    '',
    ...[...new Set(result.findings.map((f) => f.kind))].map((kind) => `${kind}: ${FINDING_MEANINGS[kind]}`),
    '',
    `Verified: ${result.digests} digests, ${result.backfillDigests} backfill digests, ${result.logFiles} log files. What to do: docs/integrity.md.`,
  ].join('\n');
  return { subject: subject.replace(/[^\x20-\x7e]/g, '?'), message };
}
