/**
 * A CloudTrail Lake organization event data store, for organizations that already use CloudTrail
 * Lake (closed to new customers since 2026-05-31): the events the Organization trail records
 * (management events, and the same S3 data events), from every region and account, encrypted
 * with a key of its own, kept for the configured days, and protected from termination and from
 * `terraform destroy`.
 */
import { CloudtrailEventDataStore } from '@cdktf/provider-aws/lib/cloudtrail-event-data-store';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';
import { EncryptionKey } from '../core/encryption-key';
import { type S3DataEvents, trailEventSelectors } from '../evidence/organization-trail';
import { declareLogStore } from '../core/log-store';

export interface OrganizationEventDataStoreProps {
  readonly provider: AwsProvider;
  /** The management account, which creates organization event data stores. */
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly keyAlias: string;
  readonly retentionDays: number;
  readonly billingMode: 'EXTENDABLE_RETENTION_PRICING' | 'FIXED_RETENTION_PRICING';
  /** The trail's data events, and the buckets never recorded (the archive's own). */
  readonly s3DataEvents: S3DataEvents;
  readonly excludedBucketPrefixes: readonly string[];
  /**
   * Terraform refuses to destroy the store and its key, and the store carries termination
   * protection; both off only for a removable test organization.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** The archive bucket, whose reads and deletions are recorded as the trail records them. @default not recorded */
  readonly archiveBucketName?: string;
}

export class OrganizationEventDataStore extends Construct {
  readonly key: EncryptionKey;
  readonly store: CloudtrailEventDataStore;

  constructor(scope: Construct, id: string, props: OrganizationEventDataStoreProps) {
    super(scope, id);
    const preventDestroy = props.preventDestroy ?? true;
    const storeArnPattern = `arn:aws:cloudtrail:${props.region}:${props.accountId}:eventdatastore/*`;
    this.key = new EncryptionKey(this, 'key', {
      provider: props.provider,
      accountId: props.accountId,
      alias: props.keyAlias,
      description: 'Encrypts the CloudTrail Lake organization event data store',
      statements: [{
        // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail Lake"
        Sid: 'CloudTrailLakeEncryptsTheStore',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': storeArnPattern } },
      }],
      preventDestroy,
    });
    this.store = new CloudtrailEventDataStore(this, 'store', {
      provider: props.provider,
      name: props.name,
      organizationEnabled: true,
      multiRegionEnabled: true,
      kmsKeyId: this.key.key.arn,
      retentionPeriod: props.retentionDays,
      billingMode: props.billingMode,
      terminationProtectionEnabled: preventDestroy,
      advancedEventSelector: trailEventSelectors(props.s3DataEvents, props.excludedBucketPrefixes, props.archiveBucketName),
      lifecycle: { preventDestroy },
    });
    declareLogStore(this.store, { holds: ['cloudtrail'] });
    protect(this.store, "the CloudTrail Lake event data store holds the organization's events for its retention; a new one starts empty");
  }
}
