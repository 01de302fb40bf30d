/** Management account: the Organization trail into the Log Archive, and its CloudWatch Logs group. */
import type { Construct } from 'constructs';
import { EncryptionKey } from '../modules/encryption-key';
import { LandingZoneStack, type LandingZoneContext } from '../modules/landing-zone-stack';
import { OrganizationTrail, trailLogGroupKeyStatements } from '../modules/organization-trail';
import type { LogArchiveStack } from './log-archive';

export class OrgTrailStack extends LandingZoneStack {
  readonly trail: OrganizationTrail;
  readonly trailLogsKey: EncryptionKey;

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, 'org-trail', context);
    const { config, names } = context;
    const provider = this.provider('management');
    this.trailLogsKey = new EncryptionKey(this, 'trail-logs-key', {
      provider,
      accountId: config.accounts.management.id,
      alias: names.trailLogsKeyAlias,
      description: 'Encrypts the Organization trail log group in CloudWatch Logs',
      statements: trailLogGroupKeyStatements(config.homeRegion, names.trailLogGroupArn),
      preventDestroy: true,
    });
    this.trail = new OrganizationTrail(this, 'organization-trail', {
      provider,
      trailName: names.trailName,
      trailArn: names.trailArn,
      bucketName: names.archiveBucket,
      kmsKeyArn: this.outputOf(logArchive.archiveKeyArn),
      logGroupName: names.trailLogGroup,
      logGroupKmsKeyArn: this.trailLogsKey.key.arn,
      logRetentionDays: config.trail.cloudWatchLogsRetentionDays,
      cloudWatchRoleName: names.trailCloudWatchRoleName,
      insights: config.trail.insights,
      s3DataEvents: config.trail.s3DataEvents,
      excludedBucketPrefixes: [`${names.archiveBucket}/`, `${names.accessLogBucket}/`, 'aws-security-data-lake-'],
    });
    this.addDependency(logArchive);
  }
}
