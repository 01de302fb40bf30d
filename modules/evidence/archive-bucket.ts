/**
 * The Log Archive bucket: Object Lock with a default retention, versioning, SSE-KMS with a bucket
 * key, no public access, no ACLs, a lifecycle into cheaper classes for objects large enough to gain
 * from it, expiry that really deletes (noncurrent versions and the delete markers left behind),
 * server access logs to an unlocked bucket, and a policy that lets the Organization trail write,
 * denies plain HTTP and denies deleting the evidence or loosening its guard.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketMetric } from '@cdktf/provider-aws/lib/s3-bucket-metric';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LogTypeName } from '../../facts/personal-data';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { declareLogStore } from '../core/log-store';
import type { DashboardPanel, MetricLocation } from '../core/dashboard-panel';
import { blockPublicAccess, logAccessInto } from '../core/private-bucket';
import { denyInsecureTransport, type PolicyStatement, policyDocument, principalsByArn } from '../core/policy-document';
import { TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZE } from '../../facts/s3';
import { protect } from '../core/protection';

/** Why each part of the archive is protected in plan review. */
const PROTECTION = {
  bucket: "the Log Archive bucket holds the organization's evidence (Object Lock); a new bucket starts empty and unlocked",
  objectLock: 'Object Lock keeps the evidence undeletable until its retention ends',
  versioning: 'deleting the versioning resource suspends versioning of the archive, which Object Lock needs',
  policy: 'the archive bucket policy denies deleting evidence and loosening the guard',
  lifecycle: 'the archive lifecycle never expires evidence before its retention; a replacement may not',
  encryption: 'default encryption puts every log file under the archive key',
  publicAccess: 'the public access block and ownership controls keep the evidence private',
  logging: 'server access logs record who read the evidence',
} as const;

export interface StorageTransition {
  /** Days after the object was written (or became noncurrent). */
  readonly days: number;
  readonly storageClass: string;
}

export interface ArchiveBucketProps {
  readonly provider: AwsProvider;
  readonly bucketName: string;
  /** The log types its writers deliver, for the record of processing and the retention rules. */
  readonly holds: readonly LogTypeName[];
  readonly kmsKeyArn: string;
  readonly objectLock: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly retentionDays: number };
  /**
   * Lifecycle transitions, ascending; applied to current and noncurrent versions alike, and only to
   * objects of 128 KB or more (`transition_default_minimum_object_size`, set explicitly).
   */
  readonly transitions: readonly StorageTransition[];
  /**
   * Days after which current versions expire (S3 adds a delete marker). Needs
   * `noncurrentVersionExpirationDays`, which is what deletes the data of a versioned bucket.
   * @default never: logs are kept until someone chooses otherwise
   */
  readonly expirationDays?: number;
  /** Days a version is kept once noncurrent, then deleted (Object Lock still holds it until its retention ends). @default never */
  readonly noncurrentVersionExpirationDays?: number;
  /** Unlocked bucket that receives this bucket's server access logs, under `accessLogPrefix(bucketName)`. */
  readonly accessLogBucketName: string;
  /**
   * The access-log bucket's policy that lets S3 deliver the logs: logging is switched on only once
   * it exists, since S3 refuses a logging configuration whose target does not grant
   * `logging.s3.amazonaws.com` (with ACLs disabled, only a bucket policy can). @default none
   */
  readonly accessLogDeliveryPolicy?: ITerraformDependable;
  /** The only trail allowed to write, and the key prefixes it writes under (`AWSLogs/<id>`). */
  readonly trail: { readonly arn: string; readonly prefixes: readonly string[] };
  /** IAM principals that may read the archive (they may live in other accounts). */
  readonly readerArns: readonly string[];
  /** The one principal allowed to change the bucket's lock, policy, lifecycle and versioning. */
  readonly administratorRoleArn: string;
  /** Further writers (services exporting into the archive), given the bucket's ARN. @default none */
  readonly additionalStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /**
   * Terraform refuses to destroy the bucket and its lock. Only a removable test organization turns it off.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Terraform empties the bucket when destroying it, GOVERNANCE-locked versions included (COMPLIANCE
   * ones cannot be deleted by anyone). Only for a test organization that is torn down.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * S3 request metrics (one-minute CloudWatch metrics, billed as custom metrics) of the objects
   * under a prefix, e.g. the Organization trail's incoming files. @default none
   */
  readonly requestMetrics?: { readonly name: string; readonly prefix: string };
}

/** Actions that would loosen the archive's guard; only the administrator role may call them. */
export const GUARD_ACTIONS = [
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketPublicAccessBlock',
  's3:PutEncryptionConfiguration',
  's3:PutBucketOwnershipControls',
  's3:PutBucketLogging',
  's3:PutReplicationConfiguration',
] as const;

/** Actions that destroy evidence; nobody may call them. */
export const DESTRUCTIVE_ACTIONS = [
  's3:DeleteBucket',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
] as const;

/**
 * Nobody may delete the evidence in a bucket, and only the administrator role may loosen its guard
 * (lock, policy, lifecycle, versioning, encryption, logging, replication).
 */
export function evidenceGuardStatements(bucketArn: string, administratorRoleArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'DenyDestroyingEvidence',
      Effect: 'Deny',
      Principal: '*',
      Action: [...DESTRUCTIVE_ACTIONS],
      Resource: [bucketArn, `${bucketArn}/*`],
    },
    {
      Sid: 'DenyLooseningTheGuard',
      Effect: 'Deny',
      Principal: '*',
      Action: [...GUARD_ACTIONS],
      Resource: bucketArn,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': administratorRoleArn } },
    },
  ];
}

export function archiveBucketPolicy(props: Omit<ArchiveBucketProps, 'provider'> & { readonly bucketArn: string }): string {
  const { bucketArn, trail } = props;
  const fromTrail = { 'aws:SourceArn': trail.arn };
  const statements: PolicyStatement[] = [
    {
      Sid: 'CloudTrailChecksAcl',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: fromTrail },
    },
    {
      Sid: 'CloudTrailWritesOrganizationLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: trail.prefixes.map((prefix) => `${bucketArn}/${prefix}/*`),
      Condition: { StringEquals: { ...fromTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    denyInsecureTransport(bucketArn),
    ...evidenceGuardStatements(bucketArn, props.administratorRoleArn),
  ];
  if (props.readerArns.length > 0) {
    statements.push({
      Sid: 'ReadersReadTheArchive',
      Effect: 'Allow',
      ...principalsByArn(props.readerArns),
      // RestoreObject: a file in Glacier or Deep Archive is read only after a restore
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation', 's3:RestoreObject'],
      Resource: [bucketArn, `${bucketArn}/*`],
    });
  }
  statements.push(...(props.additionalStatements?.(bucketArn) ?? []));
  return policyDocument(statements);
}

export class ArchiveBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly objectLock: S3BucketObjectLockConfigurationA;
  readonly policy: S3BucketPolicy;
  readonly lifecycle: S3BucketLifecycleConfiguration;
  private readonly props: ArchiveBucketProps;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    if (props.expirationDays !== undefined && props.noncurrentVersionExpirationDays === undefined) {
      throw new Error(`${props.bucketName}: expirationDays without noncurrentVersionExpirationDays only adds delete markers to a versioned bucket and keeps every version for ever; set noncurrentVersionExpirationDays or leave both unset`);
    }
    this.props = props;
    const provider = props.provider;
    const preventDestroy = props.preventDestroy ?? true;
    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      objectLockEnabled: true,
      forceDestroy: props.forceDestroy ? true : undefined,
      lifecycle: { preventDestroy },
    });
    declareLogStore(this.bucket, { holds: props.holds });
    acceptCheckovFindings(this.bucket, [ACCEPTED.noObjectEventNotifications, ACCEPTED.noCrossRegionReplication]);
    const bucket = this.bucket.id;
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    this.versioning = versioning;
    this.objectLock = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
      provider,
      bucket,
      rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.retentionDays } },
      dependsOn: [versioning],
      lifecycle: { preventDestroy },
    });
    const encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    const publicAccess = blockPublicAccess(this, provider, bucket);
    const logging = logAccessInto(this, provider, bucket, props.bucketName, props.accessLogBucketName, props.accessLogDeliveryPolicy);
    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      // S3's default, written out because it is a decision: below 128 KB a transition costs more
      // than it saves (Glacier IR bills 128 KB at least, Glacier and Deep Archive add 40 KB per
      // object and every transition is a billed request; docs/archive.md). Most CloudTrail files,
      // and every digest file, are smaller: they stay readable in S3 Standard.
      transitionDefaultMinimumObjectSize: TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZE,
      rule: archiveLifecycleRules(props),
      dependsOn: [versioning],
    });
    this.policy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket,
      policy: archiveBucketPolicy({ ...props, bucketArn: this.bucket.arn }),
    });
    protect(this.bucket, PROTECTION.bucket);
    protect(this.objectLock, PROTECTION.objectLock);
    protect(versioning, PROTECTION.versioning);
    protect(this.policy, PROTECTION.policy);
    protect(this.lifecycle, PROTECTION.lifecycle);
    protect(encryption, PROTECTION.encryption);
    for (const resource of publicAccess) protect(resource, PROTECTION.publicAccess);
    protect(logging, PROTECTION.logging);
    if (props.requestMetrics) {
      new S3BucketMetric(this, 'request-metrics', {
        provider,
        bucket,
        name: props.requestMetrics.name,
        filter: { prefix: props.requestMetrics.prefix },
      });
    }
  }

  /** New objects under the request metrics' prefix (S3 publishes them only once a request was made). */
  incomingObjectsPanel(location: MetricLocation): DashboardPanel {
    const metrics = this.props.requestMetrics;
    if (!metrics) throw new Error(`bucket ${this.props.bucketName} has no requestMetrics: give it some to show its incoming objects`);
    return {
      title: `Objects written to the archive under ${metrics.prefix}`,
      metrics: [{
        ...location,
        namespace: 'AWS/S3',
        metricName: 'PutRequests',
        dimensions: { BucketName: this.props.bucketName, FilterId: metrics.name },
        statistic: 'Sum',
        periodSeconds: 300,
        label: 'objects written',
      }],
    };
  }
}

function archiveLifecycleRules(props: ArchiveBucketProps): S3BucketLifecycleConfigurationRule[] {
  const everything = [{ prefix: '' }];
  const rules: S3BucketLifecycleConfigurationRule[] = [];
  if (props.transitions.length > 0) {
    rules.push({
      id: 'move-large-objects-to-cheaper-classes',
      status: 'Enabled',
      filter: everything,
      transition: props.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
      noncurrentVersionTransition: props.transitions.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass })),
    });
  }
  if (props.expirationDays !== undefined || props.noncurrentVersionExpirationDays !== undefined) {
    // Expiring a current version only puts a delete marker on top of it; the noncurrent version is
    // deleted by noncurrent_version_expiration, once Object Lock lets go of it (S3 user guide,
    // "Managing S3 Lifecycle policies with Object Lock").
    rules.push({
      id: 'delete-after-retention',
      status: 'Enabled',
      filter: everything,
      expiration: props.expirationDays === undefined ? undefined : [{ days: props.expirationDays }],
      noncurrentVersionExpiration:
        props.noncurrentVersionExpirationDays === undefined ? undefined : [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
    });
  }
  if (props.expirationDays !== undefined) {
    // A delete marker whose versions are gone; it cannot share a rule with expiration days.
    rules.push({ id: 'remove-expired-delete-markers', status: 'Enabled', filter: everything, expiration: [{ expiredObjectDeleteMarker: true }] });
  }
  rules.push({
    id: 'clean-up-incomplete-uploads',
    status: 'Enabled',
    filter: everything,
    abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
  });
  return rules;
}
