/**
 * Every derived name and ARN, in one place. Names are deterministic from config so that
 * cross-account policies can be written before the resources on the other side exist.
 */
import type { Config } from './schema';

export interface Names {
  readonly stateBucket: string;
  readonly archiveBucket: string;
  readonly accessLogBucket: string;
  readonly athenaResultsBucket: string;
  readonly archiveKeyAlias: string;
  readonly trailName: string;
  readonly trailArn: string;
  readonly trailLogGroup: string;
  readonly trailLogGroupArn: string;
  readonly trailLogsKeyAlias: string;
  readonly stateKeyAlias: string;
  readonly trailCloudWatchRoleName: string;
  /** Role in the Audit account that Athena users assume to query the archive. */
  readonly auditQueryRoleName: string;
  readonly auditQueryRoleArn: string;
  readonly glueDatabase: string;
  readonly cloudTrailTable: string;
  readonly alarmTopicName: string;
}

export function namesFor(config: Config): Names {
  const { prefix, homeRegion, accounts } = config;
  const trailName = config.trail.name ?? `${prefix}-organization-trail`;
  const auditQueryRoleName = `${prefix}-audit-log-query`;
  const glueName = `${prefix.replace(/-/g, '_')}_audit_logs`;
  return {
    stateBucket: `${prefix}-tfstate-${accounts.management.id}-${homeRegion}`,
    archiveBucket: `${prefix}-log-archive-${accounts.logArchive.id}-${homeRegion}`,
    accessLogBucket: `${prefix}-access-logs-${accounts.logArchive.id}-${homeRegion}`,
    athenaResultsBucket: `${prefix}-athena-results-${accounts.audit.id}-${homeRegion}`,
    archiveKeyAlias: `alias/${prefix}-log-archive`,
    trailName,
    trailArn: `arn:aws:cloudtrail:${homeRegion}:${accounts.management.id}:trail/${trailName}`,
    trailLogGroup: `/aws/cloudtrail/${trailName}`,
    trailLogGroupArn: `arn:aws:logs:${homeRegion}:${accounts.management.id}:log-group:/aws/cloudtrail/${trailName}`,
    trailLogsKeyAlias: `alias/${prefix}-trail-logs`,
    stateKeyAlias: `alias/${prefix}-terraform-state`,
    trailCloudWatchRoleName: `${prefix}-cloudtrail-to-cloudwatch`,
    auditQueryRoleName,
    auditQueryRoleArn: `arn:aws:iam::${accounts.audit.id}:role/${auditQueryRoleName}`,
    glueDatabase: glueName,
    cloudTrailTable: 'cloudtrail',
    alarmTopicName: `${prefix}-security-alarms`,
  };
}
