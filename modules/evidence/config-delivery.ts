/**
 * Where AWS Config delivers, in the Log Archive account. Config cannot deliver into an Object Lock
 * bucket (AWS::Config::DeliveryChannel), so it delivers into an unlocked bucket with the archive's
 * guards (TLS only, nothing deleted, nothing loosened but by the administrator role), which S3
 * replicates into the locked archive: there each replica takes the archive's default retention.
 * Only the recorder roles of the organization's accounts write, each under its own account's
 * prefix; objects expire from the unlocked bucket once the archive holds them.
 */
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { type PolicyStatement, policyVariable } from '../core/policy-document';
import { PrivateBucket } from '../core/private-bucket';
import { protect } from '../core/protection';
import { type ArchiveDestination, replicateIntoArchive } from './archive-replication';
import { evidenceGuardStatements } from './archive-bucket';

/** The recorder roles of the organization: any account's role of that name pattern, in the organization only. */
function organizationRecorders(organizationId: string, recorderRoleArnPattern: string): Pick<PolicyStatement, 'Principal' | 'Condition'> {
  return {
    Principal: { AWS: '*' },
    Condition: {
      StringEquals: { 'aws:PrincipalOrgID': organizationId },
      ArnLike: { 'aws:PrincipalArn': recorderRoleArnPattern },
    },
  };
}

export interface ConfigRecorders {
  readonly organizationId: string;
  /** ARN pattern of the recorder role in every account, e.g. arn:aws:iam::*:role/acme-config-recorder-*. */
  readonly recorderRoleArnPattern: string;
}

/**
 * Bucket policy statements: recorders check the bucket and write their own account's files only
 * (`${aws:PrincipalAccount}` in the key), as Config's documented layout AWSLogs/ACCOUNT/Config/.
 * Config sends as the recorder role first; a bucket policy that names the roles, not the service
 * principal, is what lets the organization be checked (Config: "Permissions for the Amazon S3 bucket").
 */
export function configBucketStatements(bucketArn: string, recorders: ConfigRecorders): PolicyStatement[] {
  const principals = organizationRecorders(recorders.organizationId, recorders.recorderRoleArnPattern);
  return [
    { Sid: 'RecordersCheckTheBucket', Effect: 'Allow', ...principals, Action: ['s3:GetBucketAcl', 's3:ListBucket'], Resource: bucketArn },
    {
      Sid: 'RecordersDeliverTheirAccount',
      Effect: 'Allow',
      Principal: principals.Principal,
      Action: ['s3:PutObject', 's3:PutObjectAcl'],
      Resource: `${bucketArn}/AWSLogs/${policyVariable('aws:PrincipalAccount')}/Config/*`,
      Condition: { ...principals.Condition, StringEquals: { ...principals.Condition!.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ];
}

/** Key policy statement: recorders encrypt their deliveries, through S3 in the bucket's region only. */
export function configKeyStatements(region: string, recorders: ConfigRecorders): PolicyStatement[] {
  const principals = organizationRecorders(recorders.organizationId, recorders.recorderRoleArnPattern);
  return [
    {
      Sid: 'RecordersEncryptDeliveries',
      Effect: 'Allow',
      Principal: principals.Principal,
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { ...principals.Condition, StringEquals: { ...principals.Condition!.StringEquals, 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    },
  ];
}

export interface ConfigDeliveryBucketProps {
  /** The Log Archive account, in the home region (where the archive is). */
  readonly provider: AwsProvider;
  readonly region: string;
  readonly bucketName: string;
  /** The Config bucket's own key. */
  readonly kmsKeyArn: string;
  readonly recorders: ConfigRecorders;
  /** The one principal allowed to change the bucket's policy, lifecycle, versioning or replication. */
  readonly administratorRoleArn: string;
  /** Days delivered files stay here; the archive keeps the replicas under its own retention. */
  readonly expirationDays: number;
  readonly accessLogBucketName: string;
  /** The access-log bucket's policy that lets S3 deliver there (logging waits for it). */
  readonly accessLogDeliveryPolicy?: ITerraformDependable;
  readonly replicationRoleName: string;
  readonly destination: ArchiveDestination;
  /** Terraform refuses to destroy the bucket; off only for a removable test organization. @default true */
  readonly preventDestroy?: boolean;
  /** Terraform empties the bucket when destroying it: only for a test organization that is torn down. @default false */
  readonly forceDestroy?: boolean;
}

export class ConfigDeliveryBucket extends Construct {
  readonly bucket: PrivateBucket;
  readonly replicationRole: IamRole;
  readonly replication: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: ConfigDeliveryBucketProps) {
    super(scope, id);
    const { provider } = props;
    this.bucket = new PrivateBucket(this, 'bucket', {
      provider,
      bucketName: props.bucketName,
      logStore: { holds: ['config-history'] },
      kmsKeyArn: props.kmsKeyArn,
      expirationDays: props.expirationDays,
      // a noncurrent version exists only where Config overwrote a file; the replica is in the archive
      noncurrentVersionExpirationDays: 1,
      accessLogBucketName: props.accessLogBucketName,
      accessLogDeliveryPolicy: props.accessLogDeliveryPolicy,
      preventDestroy: props.preventDestroy ?? true,
      forceDestroy: props.forceDestroy,
      protectedBecause: 'the Config bucket holds what AWS Config delivered until it is replicated into the archive; its policy keeps the deliveries undeleted',
      statements: (bucketArn) => [...evidenceGuardStatements(bucketArn, props.administratorRoleArn), ...configBucketStatements(bucketArn, props.recorders)],
    });
    acceptCheckovFindings(this.bucket.policy, [ACCEPTED.recordersOfTheOrganization]);
    const replication = replicateIntoArchive(this, {
      provider,
      region: props.region,
      source: this.bucket,
      sourceBucketName: props.bucketName,
      sourceKmsKeyArn: props.kmsKeyArn,
      prefix: 'AWSLogs/',
      ruleId: 'config-into-archive',
      roleName: props.replicationRoleName,
      description: 'what AWS Config delivered',
      destination: props.destination,
    });
    this.replicationRole = replication.role;
    this.replication = replication.replication;
    protect(this.replication, "it copies AWS Config's deliveries into the Object Lock archive; without it they expire there unarchived");
  }
}
