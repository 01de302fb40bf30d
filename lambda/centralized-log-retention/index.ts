/**
 * Lambda entry point, started by EventBridge Scheduler: sets `RETENTION_DAYS` on every log group
 * whose name starts with `LOG_GROUP_PREFIX` (environment written by
 * modules/collection/centralized-log-retention.ts). The AWS SDK v3 is the one the Node.js runtime
 * provides. The run's report is logged (a line per change) and returned; a run in which a log
 * group could not be set fails, so that Lambda's Errors metric shows it, and the next run tries
 * again.
 */
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type SweepReport, sweepLogLines, sweepRetention } from './sweep';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the function's environment lacks ${name}`);
  return value;
}

// adaptive retries slow down when CloudWatch Logs throttles a burst of PutRetentionPolicy calls
const logs = new CloudWatchLogsClient({ retryMode: 'adaptive', maxAttempts: 10 });

export const handler = async (_event: unknown, context?: { getRemainingTimeInMillis?: () => number }): Promise<SweepReport> => {
  const retentionDays = Number(setting('RETENTION_DAYS'));
  if (!Number.isInteger(retentionDays) || retentionDays <= 0) throw new Error(`RETENTION_DAYS is not a number of days: ${process.env.RETENTION_DAYS}`);
  const report = await sweepRetention({
    logs,
    prefix: setting('LOG_GROUP_PREFIX'),
    retentionDays,
    timeLeftMs: context?.getRemainingTimeInMillis?.bind(context),
  });
  for (const line of sweepLogLines(report)) console.log(line);
  if (report.failed.length > 0) throw new Error(`the retention of ${report.failed.length} log groups could not be set: ${report.failed.map((f) => f.logGroupName).join(', ')}`);
  return report;
};
