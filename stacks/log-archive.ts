/**
 * Log Archive account: the key and the Object Lock bucket that keep the organization's evidence, the
 * bucket of its access logs, the log group of the data protection findings of the account's masked
 * log groups (the integrity check's, the collection pipeline's, the centralized ones), and the
 * unlocked bucket AWS Config delivers to, which replicates into the archive.
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { trailWritePrefixes } from '../facts/cloudtrail';
import { accessLogBucketStatements } from '../modules/evidence/access-log-bucket';
import { ArchiveBucket } from '../modules/evidence/archive-bucket';
import { ConfigDeliveryBucket, configKeyStatements } from '../modules/evidence/config-delivery';
import { archiveKeyStatements } from '../modules/evidence/archive-key';
import { ACCEPTED } from '../modules/core/checkov';
import { EncryptionKey } from '../modules/core/encryption-key';
import { guarddutyExportBucketStatements, guarddutyExportKeyStatements } from '../modules/detection/guardduty-export';
import { LandingZoneStack, type LandingZoneContext, type StackOutput } from './infrastructure/landing-zone-stack';
import { accessLogPrefix, PrivateBucket } from '../modules/core/private-bucket';
import { TrailFeed, type TrailReader, trailReaderBucketStatements, trailReaderKeyStatement } from '../modules/analytics/trail-feed';
import { DataProtectionFindings } from '../modules/core/data-protection-findings';

export class LogArchiveStack extends LandingZoneStack {
  readonly archiveKey: EncryptionKey;
  readonly archive: ArchiveBucket;
  /** ARN of the archive key, for the trail and the readers. */
  readonly archiveKeyArn: StackOutput;
  /** The raw trail's feed for the SIEM, when configured. */
  readonly trailFeed?: TrailFeed;
  /** Where the data protection policies of the Log Archive's log groups report (by name: names.maskingFindingsLogGroup). */
  readonly maskingFindings: DataProtectionFindings;
  /** ARN of the Config bucket's key, for every recorder; only with awsConfig.enabled. */
  readonly configKeyArn?: StackOutput;
  readonly configDelivery?: ConfigDeliveryBucket;

  constructor(scope: Construct, context: LandingZoneContext) {
    super(scope, STACK_IDS.logArchive, context);
    const { config, names } = context;
    const provider = this.provider('logArchive');
    const logArchiveId = config.accounts.logArchive.id;
    // QuickSight reads through the role of its subscription; its users' assigned policy narrows it.
    const readerArns = [...names.archiveReaderArns, ...(config.quicksight.enabled ? [names.quicksightServiceRoleArn(config.quicksight.serviceRole)] : [])];
    const administratorRoleArn = names.deploymentRoleArn(logArchiveId);
    const trailPrefix = `AWSLogs/${config.organization.id}/`;
    const siemReader: TrailReader | undefined = config.siem?.trail ? { roleArn: config.siem.trail.readerRoleArn, prefix: trailPrefix } : undefined;
    const guarddutyExport = config.guardduty.exportFindings
      ? { administratorAccountId: config.accounts.audit.id, detectorArns: names.guarddutyAuditDetectorArns, regions: config.governedRegions }
      : undefined;

    this.archiveKey = new EncryptionKey(this, 'archive-key', {
      provider,
      accountId: logArchiveId,
      alias: names.archiveKeyAlias,
      description: 'Encrypts the Organization trail and everything else in the Log Archive bucket',
      statements: [
        ...archiveKeyStatements({ trailArn: names.trailArn, region: config.homeRegion, readerArns }),
        ...(guarddutyExport ? guarddutyExportKeyStatements(guarddutyExport) : []),
        ...(siemReader ? [trailReaderKeyStatement(config.homeRegion, siemReader)] : []),
      ],
      preventDestroy: context.preventDestroy,
      lifeGuard: context.preventDestroy
        ? { reason: 'a deleted or disabled archive key makes every Object-Locked log unreadable', breakGlassRoleArn: names.breakGlassRoleArn(logArchiveId) }
        : undefined,
    });

    this.maskingFindings = new DataProtectionFindings(this, 'data-protection-findings', {
      provider,
      accountId: logArchiveId,
      region: config.homeRegion,
      logGroupName: names.maskingFindingsLogGroup,
      logGroupArn: names.maskingFindingsLogGroupArn(logArchiveId),
      retentionDays: config.privacy.masking.findings.retentionDays,
      keyAlias: names.maskingFindingsKeyAlias,
      masking: this.logMasking(),
    });

    this.archiveKeyArn = this.publish(
      'archive_key_arn',
      this.archiveKey.key.arn,
      `arn:aws:kms:${config.homeRegion}:${logArchiveId}:key/00000000-0000-4000-8000-000000000000`,
    );

    // the buckets whose server access logs S3 delivers into the access-log bucket
    const loggedBuckets = [
      { name: names.archiveBucket, label: 'TheArchive' },
      ...(config.awsConfig.enabled ? [{ name: names.configBucket, label: 'TheConfigBucket' }] : []),
    ];
    const accessLogs = new PrivateBucket(this, 'access-logs', {
      logStore: { holds: ['s3-access-logs'] },
      provider,
      bucketName: names.accessLogBucket,
      expirationDays: names.accessLogRetentionDays,
      forceDestroy: !context.preventDestroy,
      acceptedFindings: [ACCEPTED.accessLogBucketIsNotLogged, ACCEPTED.accessLogsNeedSseS3],
      preventDestroy: context.preventDestroy,
      protectedBecause: 'the access logs record who read the evidence; they are kept as long as the evidence',
      statements: (bucketArn) =>
        accessLogBucketStatements({
          bucketArn,
          accountId: logArchiveId,
          loggedBuckets: loggedBuckets.map((b) => ({ arn: `arn:aws:s3:::${b.name}`, prefix: accessLogPrefix(b.name), label: b.label })),
          administratorRoleArn,
        }),
    });

    this.archive = new ArchiveBucket(this, 'archive', {
      // what the trail writes, and what GuardDuty exports and S3 replicates into it
      holds: [
        'cloudtrail',
        'cloudtrail-digest',
        ...(guarddutyExport ? (['guardduty-findings'] as const) : []),
        ...(config.awsConfig.enabled ? (['config-history'] as const) : []),
        ...(config.logCollection.cloudWatchLogs.enabled ? (['cloudwatch-logs'] as const) : []),
      ],
      provider,
      bucketName: names.archiveBucket,
      kmsKeyArn: this.archiveKey.key.arn,
      objectLock: config.archive.objectLock,
      transitions: config.archive.transitions,
      expirationDays: config.archive.expirationDays,
      noncurrentVersionExpirationDays: config.archive.noncurrentVersionExpirationDays,
      accessLogBucketName: names.accessLogBucket,
      accessLogDeliveryPolicy: accessLogs.policy,
      trail: { arn: names.trailArn, prefixes: trailWritePrefixes(config.accounts.management.id, config.organization.id) },
      readerArns,
      administratorRoleArn,
      requestMetrics: { name: names.archiveTrailRequestMetrics, prefix: trailPrefix },
      additionalStatements: guarddutyExport || siemReader
        ? (bucketArn) => [
          ...(guarddutyExport ? guarddutyExportBucketStatements(bucketArn, names.guarddutyFindingsPrefix, guarddutyExport) : []),
          ...(siemReader ? trailReaderBucketStatements(bucketArn, siemReader) : []),
        ]
        : undefined,
      preventDestroy: context.preventDestroy,
      forceDestroy: !context.preventDestroy,
    });

    if (config.siem?.trail) {
      this.trailFeed = new TrailFeed(this, 'trail-feed', {
        provider,
        accountId: logArchiveId,
        region: config.homeRegion,
        bucketName: names.archiveBucket,
        prefix: trailPrefix,
        topicName: names.trailObjectsTopicName,
        keyAlias: names.trailObjectsKeyAlias,
        subscriberAccountId: config.siem.accountId,
      });
    }

    if (config.awsConfig.enabled) {
      const recorders = { organizationId: config.organization.id, recorderRoleArnPattern: names.configRecorderRoleArnPattern };
      const configKey = new EncryptionKey(this, 'config-key', {
        provider,
        accountId: logArchiveId,
        alias: names.configKeyAlias,
        description: 'Encrypts what AWS Config delivers from every account before it is replicated into the archive',
        statements: configKeyStatements(config.homeRegion, recorders),
        preventDestroy: context.preventDestroy,
      });
      this.configKeyArn = this.publish(
        'config_key_arn',
        configKey.key.arn,
        `arn:aws:kms:${config.homeRegion}:${logArchiveId}:key/00000000-0000-4000-8000-000000000001`,
      );
      this.configDelivery = new ConfigDeliveryBucket(this, 'config-delivery', {
        provider,
        region: config.homeRegion,
        bucketName: names.configBucket,
        kmsKeyArn: configKey.key.arn,
        recorders,
        administratorRoleArn: names.deploymentRoleArn(logArchiveId),
        expirationDays: config.awsConfig.deliveryBucketRetentionDays,
        accessLogBucketName: names.accessLogBucket,
        replicationRoleName: names.configReplicationRoleName,
        accessLogDeliveryPolicy: accessLogs.policy,
        destination: { bucketArn: this.archive.bucket.arn, kmsKeyArn: this.archiveKey.key.arn, versioning: this.archive.versioning },
        preventDestroy: context.preventDestroy,
        forceDestroy: !context.preventDestroy,
      });
    }
  }
}
