/**
 * S3 replication of an unlocked bucket into the Object Lock archive: the path for services that
 * cannot write into a locked bucket (AWS Config cannot deliver into one; Firehose writes without
 * the Content-MD5 or checksum a locked bucket requires). Each replica takes the archive's default
 * retention; deletions (the source's expiry) never reach it.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import type { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import type { Construct } from 'constructs';
import { type PolicyStatement, policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';
import type { PrivateBucket } from '../core/private-bucket';

/** A bucket and the KMS key its objects are encrypted with. */
export interface EncryptedBucket {
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
}

/** The locked archive replicas go to. */
export interface ArchiveDestination extends EncryptedBucket {
  /** The archive's versioning, which replication needs first: only when it is in the same stack. @default none */
  readonly versioning?: S3BucketVersioningA;
}

/**
 * What the replication role may do (S3 user guide: "Setting up permissions for live replication",
 * "Replicating encrypted objects", "Using Object Lock with replication"): read the source's
 * configuration and object versions under the prefix with their lock state, replicate them under
 * the same prefix, and use the two keys through S3 for those buckets only. With S3 Bucket Keys the
 * encryption context is the bucket's ARN, and the destination key also needs kms:Decrypt.
 */
export function replicationStatements(region: string, source: EncryptedBucket, prefix: string, destination: EncryptedBucket): PolicyStatement[] {
  const viaS3 = `s3.${region}.amazonaws.com`;
  const context = (bucketArn: string) => ({ 'kms:EncryptionContext:aws:s3:arn': [bucketArn, `${bucketArn}/*`] });
  return [
    { Sid: 'ReadReplicationConfiguration', Effect: 'Allow', Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'], Resource: source.bucketArn },
    {
      Sid: 'ReadSourceVersions',
      Effect: 'Allow',
      Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold'],
      Resource: `${source.bucketArn}/${prefix}*`,
    },
    { Sid: 'ReplicateIntoTheArchive', Effect: 'Allow', Action: ['s3:ReplicateObject', 's3:ReplicateTags'], Resource: `${destination.bucketArn}/${prefix}*` },
    {
      Sid: 'DecryptSourceObjects',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: source.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': viaS3 }, StringLike: context(source.bucketArn) },
    },
    {
      Sid: 'EncryptReplicas',
      Effect: 'Allow',
      Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: destination.kmsKeyArn,
      Condition: { StringEquals: { 'kms:ViaService': viaS3 }, StringLike: context(destination.bucketArn) },
    },
  ];
}

export interface ArchiveReplicationProps {
  /** The source bucket's account and region. */
  readonly provider: AwsProvider;
  readonly region: string;
  readonly source: PrivateBucket;
  /** The source bucket's name (its ARN must be known at synthesis, for the role's trust). */
  readonly sourceBucketName: string;
  readonly sourceKmsKeyArn: string;
  /** Key prefix replicated, the same in the archive, e.g. `AWSLogs/`. */
  readonly prefix: string;
  readonly ruleId: string;
  readonly roleName: string;
  /** What the role replicates, for its description. */
  readonly description: string;
  readonly destination: ArchiveDestination;
}

export interface ArchiveReplication {
  readonly role: IamRole;
  readonly replication: S3BucketReplicationConfigurationA;
}

/**
 * The role S3 assumes for this source bucket only, its permissions, and the replication rule, in
 * `scope` as `replication-role`, `replication-role-policy` and `replication`.
 */
export function replicateIntoArchive(scope: Construct, props: ArchiveReplicationProps): ArchiveReplication {
  const { provider, destination } = props;
  const sourceArn = `arn:aws:s3:::${props.sourceBucketName}`;
  const role = new IamRole(scope, 'replication-role', {
    provider,
    name: props.roleName,
    description: `S3 replicates ${props.description} into the Object Lock archive`,
    assumeRolePolicy: serviceAssumeRolePolicy('s3.amazonaws.com', sourceArn),
  });
  const permissions = new IamRolePolicy(scope, 'replication-role-policy', {
    provider,
    role: role.name,
    name: 'replicate-into-archive',
    policy: policyDocument(replicationStatements(props.region, { bucketArn: sourceArn, kmsKeyArn: props.sourceKmsKeyArn }, props.prefix, destination)),
  });
  const replication = new S3BucketReplicationConfigurationA(scope, 'replication', {
    provider,
    bucket: props.source.bucket.id,
    role: role.arn,
    rule: [
      {
        id: props.ruleId,
        status: 'Enabled',
        priority: 1,
        filter: { prefix: props.prefix },
        deleteMarkerReplication: { status: 'Disabled' },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
        destination: {
          bucket: destination.bucketArn,
          storageClass: 'STANDARD',
          encryptionConfiguration: { replicaKmsKeyId: destination.kmsKeyArn },
        },
      },
    ],
    dependsOn: [props.source.versioning, ...(destination.versioning ? [destination.versioning] : []), permissions],
  });
  return { role, replication };
}
