/**
 * A versioned, encrypted bucket that only its account's principals and the services named in its
 * policy reach, only over TLS: the state bucket, the access-log bucket, the Athena results bucket.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ACCEPTED, acceptCheckovFindings, type CheckovSkip } from './checkov';
import { TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZE } from '../../facts/s3';
import { declareLogStore, type LogStore } from './log-store';
import { denyInsecureTransport, type PolicyStatement, policyDocument } from './policy-document';
import { protect } from './protection';

export interface PrivateBucketProps {
  readonly provider: AwsProvider;
  readonly bucketName: string;
  /** What the bucket holds, for the record of processing and the retention rules. */
  readonly logStore: LogStore;
  /**
   * KMS key for default encryption; without one, SSE-S3 (the only kind S3 server access logs
   * can be delivered into).
   */
  readonly kmsKeyArn?: string;
  /** Days after which current objects expire. @default never */
  readonly expirationDays?: number;
  /** Storage class transitions of current objects, ascending in days. @default none */
  readonly transitions?: ReadonlyArray<{ readonly days: number; readonly storageClass: string }>;
  /** Days a noncurrent version is kept. @default 90 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Statements beyond the TLS-only rule, given the bucket's ARN. */
  readonly statements?: (bucketArn: string) => readonly PolicyStatement[];
  /** @default false */
  readonly preventDestroy?: boolean;
  /** Terraform empties the bucket when destroying it: only for a test organization that is torn down. @default false */
  readonly forceDestroy?: boolean;
  /**
   * Unlocked bucket of the same account and region that receives this bucket's server access logs,
   * under `s3-access-logs/BUCKET/`.
   * @default no server access logs
   */
  readonly accessLogBucketName?: string;
  /** The access-log bucket's policy that lets S3 deliver there (logging waits for it). @default none */
  readonly accessLogDeliveryPolicy?: ITerraformDependable;
  /**
   * Why deleting or replacing the bucket, its versioning, lifecycle, policy or access logging needs
   * a decision in plan review (each is protected with this reason). @default not protected
   */
  readonly protectedBecause?: string;
  /** Checkov findings accepted for this bucket beyond those every bucket here accepts. @default none */
  readonly acceptedFindings?: readonly CheckovSkip[];
}

/** Blocks every form of public access and turns ACLs off (the bucket owner owns every object). */
export function blockPublicAccess(scope: Construct, provider: AwsProvider, bucket: string): [S3BucketPublicAccessBlock, S3BucketOwnershipControls] {
  const publicAccessBlock = new S3BucketPublicAccessBlock(scope, 'public-access-block', {
    provider,
    bucket,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const ownership = new S3BucketOwnershipControls(scope, 'ownership', {
    provider,
    bucket,
    rule: { objectOwnership: 'BucketOwnerEnforced' },
  });
  return [publicAccessBlock, ownership];
}

/** Where a bucket's server access logs go in the access-log bucket. */
export function accessLogPrefix(bucketName: string): string {
  return `s3-access-logs/${bucketName}/`;
}

/**
 * Server access logs of a bucket into an unlocked bucket of its account and region, under
 * `accessLogPrefix(bucketName)`; switched on only once the target's policy lets S3 deliver, since
 * S3 refuses a logging configuration whose target does not grant `logging.s3.amazonaws.com`.
 */
export function logAccessInto(scope: Construct, provider: AwsProvider, bucket: string, bucketName: string, accessLogBucketName: string, deliveryPolicy?: ITerraformDependable): S3BucketLoggingA {
  return new S3BucketLoggingA(scope, 'access-logging', {
    provider,
    bucket,
    targetBucket: accessLogBucketName,
    targetPrefix: accessLogPrefix(bucketName),
    dependsOn: deliveryPolicy ? [deliveryPolicy] : undefined,
  });
}

export class PrivateBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: PrivateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ? true : undefined,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    declareLogStore(this.bucket, props.logStore);
    acceptCheckovFindings(this.bucket, [ACCEPTED.noObjectEventNotifications, ACCEPTED.noCrossRegionReplication, ...(props.acceptedFindings ?? [])]);
    const bucket = this.bucket.id;
    const versioning = (this.versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    }));
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    blockPublicAccess(this, provider, bucket);
    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      dependsOn: [versioning],
      // S3's default, written out: smaller objects would cost more moved than kept (docs/archive.md)
      transitionDefaultMinimumObjectSize: TRANSITION_DEFAULT_MINIMUM_OBJECT_SIZE,
      rule: [
        {
          id: 'expire-and-clean-up',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: props.transitions?.map((t) => ({ days: t.days, storageClass: t.storageClass })),
          expiration: props.expirationDays === undefined ? undefined : [{ days: props.expirationDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        // the delete markers expiration leaves once their noncurrent versions are gone
        { id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ expiredObjectDeleteMarker: true }] },
      ],
    });
    const logging = props.accessLogBucketName === undefined
      ? undefined
      : logAccessInto(this, provider, bucket, props.bucketName, props.accessLogBucketName, props.accessLogDeliveryPolicy);
    this.policy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket,
      // The bucket's own grants first: order means nothing to IAM, but moto's logging check reads the
      // statements in order and fails on a `Principal: "*"` before it reaches the logging grant.
      policy: policyDocument([...(props.statements?.(this.bucket.arn) ?? []), denyInsecureTransport(this.bucket.arn)]),
    });
    if (props.protectedBecause) {
      for (const resource of [this.bucket, versioning, lifecycle, this.policy, ...(logging ? [logging] : [])]) protect(resource, props.protectedBecause);
    }
  }
}
