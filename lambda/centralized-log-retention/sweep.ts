/**
 * Sets one retention on every log group under a name prefix: the centralized copies the
 * organization's centralization rule creates in the Log Archive, which get no retention from the
 * rule and would otherwise be kept without end. Lists the groups with DescribeLogGroups (filtered
 * by prefix, page by page), and calls PutRetentionPolicy on each whose retention differs, the
 * missing retention included; reports what it changed.
 */
import { type CloudWatchLogsClient, DescribeLogGroupsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';

/** DescribeLogGroups returns at most 50 log groups a page (its `limit`). */
export const DESCRIBE_LOG_GROUPS_MAX_PAGE = 50;

export interface SweepOptions {
  readonly logs: Pick<CloudWatchLogsClient, 'send'>;
  /** Every log group whose name starts with it gets the retention; no other is touched. */
  readonly prefix: string;
  readonly retentionDays: number;
  /** Log groups a DescribeLogGroups page (1-50). @default 50 */
  readonly pageSize?: number;
  /**
   * Milliseconds the invocation has left (Lambda's `getRemainingTimeInMillis`): the sweep stops
   * before the next page once fewer than `reserveMs` remain, and says so; the next run goes on.
   * @default no limit
   */
  readonly timeLeftMs?: () => number;
  /** @default 15000 */
  readonly reserveMs?: number;
}

export interface RetentionChange {
  readonly logGroupName: string;
  /** What the group had: `null` for none (kept without end). */
  readonly previousRetentionDays: number | null;
}

export interface SweepReport {
  readonly prefix: string;
  readonly retentionDays: number;
  /** Log groups under the prefix that the sweep looked at. */
  readonly examined: number;
  readonly changed: readonly RetentionChange[];
  /** Listed, but gone before their retention was set (deleted meanwhile): nothing to keep. */
  readonly vanished: readonly string[];
  readonly failed: ReadonlyArray<{ readonly logGroupName: string; readonly error: string }>;
  /** False when the sweep stopped early to end within the invocation. */
  readonly complete: boolean;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

export async function sweepRetention(options: SweepOptions): Promise<SweepReport> {
  const { logs, prefix, retentionDays } = options;
  const pageSize = options.pageSize ?? DESCRIBE_LOG_GROUPS_MAX_PAGE;
  const reserveMs = options.reserveMs ?? 15_000;
  if (prefix.length === 0) throw new Error('the prefix is empty: it would set the retention of every log group of the account');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > DESCRIBE_LOG_GROUPS_MAX_PAGE) {
    throw new Error(`page size ${pageSize}: DescribeLogGroups returns 1-${DESCRIBE_LOG_GROUPS_MAX_PAGE} log groups a page`);
  }
  const changed: RetentionChange[] = [];
  const vanished: string[] = [];
  const failed: Array<{ logGroupName: string; error: string }> = [];
  let examined = 0;
  let nextToken: string | undefined;
  let complete = true;
  do {
    if (options.timeLeftMs && options.timeLeftMs() < reserveMs) {
      complete = false;
      break;
    }
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, limit: pageSize, nextToken }));
    for (const group of page.logGroups ?? []) {
      const logGroupName = group.logGroupName;
      // the prefix filter is the service's; a name outside it is never touched all the same
      if (!logGroupName?.startsWith(prefix)) continue;
      examined += 1;
      if (group.retentionInDays === retentionDays) continue;
      try {
        await logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: retentionDays }));
        changed.push({ logGroupName, previousRetentionDays: group.retentionInDays ?? null });
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') vanished.push(logGroupName);
        else failed.push({ logGroupName, error: `${errorName(error)}: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return { prefix, retentionDays, examined, changed, vanished, failed, complete };
}

/** What the function logs: a summary line, then a line per change and per failure. */
export function sweepLogLines(report: SweepReport): string[] {
  const summary = [
    `${report.examined} log groups under ${report.prefix}: ${report.changed.length} set to ${report.retentionDays} days`,
    ...(report.vanished.length > 0 ? [`${report.vanished.length} deleted meanwhile`] : []),
    ...(report.failed.length > 0 ? [`${report.failed.length} failed`] : []),
    ...(report.complete ? [] : ['stopped before the end of the list to end in time; the next run goes on']),
  ].join('; ');
  return [
    summary,
    ...report.changed.map((c) => `set ${c.logGroupName}: ${c.previousRetentionDays === null ? 'no retention' : `${c.previousRetentionDays} days`} -> ${report.retentionDays} days`),
    ...report.failed.map((f) => `failed ${f.logGroupName}: ${f.error}`),
  ];
}
