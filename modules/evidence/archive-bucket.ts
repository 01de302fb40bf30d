/**
 * The Log Archive bucket: Object Lock with a default retention, versioning, SSE-KMS with a bucket
 * key, no public access, no ACLs, a lifecycle into Glacier classes that never expires an object
 * before its retention ends, server access logs to an unlocked bucket, and a policy that lets the
 * Organization trail write, denies plain HTTP and denies deleting the evidence or loosening its guard.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { blockPublicAccess } from '../core/private-bucket';
import { denyInsecureTransport, type PolicyStatement, policyDocument, principalsByArn } from '../core/policy-document';

export interface StorageTransition {
  /** Days after the object was written (or became noncurrent). */
  readonly days: number;
  readonly storageClass: string;
}

export interface ArchiveBucketProps {
  readonly provider: AwsProvider;
  readonly bucketName: string;
  readonly kmsKeyArn: string;
  readonly objectLock: { readonly mode: 'COMPLIANCE' | 'GOVERNANCE'; readonly retentionDays: number };
  /** Lifecycle transitions, ascending; applied to current and noncurrent versions alike. */
  readonly transitions: readonly StorageTransition[];
  /** @default never: logs are kept until someone chooses otherwise */
  readonly expirationDays?: number;
  /** @default never */
  readonly noncurrentVersionExpirationDays?: number;
  /** Unlocked bucket that receives this bucket's server access logs. */
  readonly accessLogBucketName: string;
  /** The only trail allowed to write, and the key prefixes it writes under (`AWSLogs/<id>`). */
  readonly trail: { readonly arn: string; readonly prefixes: readonly string[] };
  /** IAM principals that may read the archive (they may live in other accounts). */
  readonly readerArns: readonly string[];
  /** The one principal allowed to change the bucket's lock, policy, lifecycle and versioning. */
  readonly administratorRoleArn: string;
  /** Further writers (services exporting into the archive), given the bucket's ARN. @default none */
  readonly additionalStatements?: (bucketArn: string) => readonly PolicyStatement[];
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
] as const;

/** Actions that destroy evidence; nobody may call them. */
export const DESTRUCTIVE_ACTIONS = [
  's3:DeleteBucket',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
] as const;

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
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': props.administratorRoleArn } },
    },
  ];
  if (props.readerArns.length > 0) {
    statements.push({
      Sid: 'ReadersReadTheArchive',
      Effect: 'Allow',
      ...principalsByArn(props.readerArns),
      Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
      Resource: [bucketArn, `${bucketArn}/*`],
    });
  }
  statements.push(...(props.additionalStatements?.(bucketArn) ?? []));
  return policyDocument(statements);
}

export class ArchiveBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly objectLock: S3BucketObjectLockConfigurationA;
  readonly policy: S3BucketPolicy;
  readonly lifecycle: S3BucketLifecycleConfiguration;

  constructor(scope: Construct, id: string, props: ArchiveBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      objectLockEnabled: true,
      lifecycle: { preventDestroy: true },
    });
    acceptCheckovFindings(this.bucket, [ACCEPTED.noObjectEventNotifications, ACCEPTED.noCrossRegionReplication]);
    const bucket = this.bucket.id;
    const versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    this.objectLock = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
      provider,
      bucket,
      rule: { defaultRetention: { mode: props.objectLock.mode, days: props.objectLock.retentionDays } },
      dependsOn: [versioning],
      lifecycle: { preventDestroy: true },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }],
    });
    blockPublicAccess(this, provider, bucket);
    new S3BucketLoggingA(this, 'access-logging', {
      provider,
      bucket,
      targetBucket: props.accessLogBucketName,
      targetPrefix: `s3-access-logs/${props.bucketName}/`,
    });
    this.lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      rule: archiveLifecycleRules(props),
      dependsOn: [versioning],
    });
    this.policy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket,
      policy: archiveBucketPolicy({ ...props, bucketArn: this.bucket.arn }),
    });
  }
}

function archiveLifecycleRules(props: ArchiveBucketProps): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: 'age-into-glacier-classes',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      transition: props.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
      noncurrentVersionTransition: props.transitions.map((t) => ({ noncurrentDays: t.days, storageClass: t.storageClass })),
      expiration: props.expirationDays === undefined ? undefined : [{ days: props.expirationDays }],
      noncurrentVersionExpiration:
        props.noncurrentVersionExpirationDays === undefined ? undefined : [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
    },
    {
      id: 'clean-up-incomplete-uploads',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
    },
  ];
}
