/**
 * The Log Archive's end of CloudWatch Logs collection, in its home region: an account-level
 * subscription filter policy sends every log group there (the centralized copies of the member
 * accounts' groups, masked by an account-level data protection policy) to Firehose, except the
 * pipeline's own; Firehose writes SSE-KMS objects into an unlocked staging bucket, which replicates
 * them into the Object Lock archive and expires them.
 *
 * Why staging: S3 accepts a write into an Object Lock bucket only with Content-MD5 or a checksum,
 * and the replication of an unlocked bucket into a locked one is AWS's documented way for services
 * that write without one (the same path the design takes for AWS Config). Replicas take the
 * archive's default retention.
 */
import { CloudwatchLogAccountPolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-account-policy';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';
import { ACCOUNT_SUBSCRIPTION_POLICY_MAX_EXCLUDED } from '../../facts/log-collection';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { EncryptionKey, logGroupKeyStatement } from '../core/encryption-key';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { PrivateBucket } from '../core/private-bucket';
import { declareLogStore } from '../core/log-store';
import { type LogMasking, maskAccount, maskLogGroup } from '../core/data-protection';
import { replicateIntoArchive } from '../evidence/archive-replication';

export interface LogDeliveryPipelineProps {
  readonly provider: AwsProvider;
  /** The Log Archive account. */
  readonly accountId: string;
  readonly region: string;
  readonly keyAlias: string;
  readonly stagingBucketName: string;
  /** Days the staging bucket keeps an object (replication takes minutes). */
  readonly stagingRetentionDays: number;
  readonly streamName: string;
  /** Firehose's own error log group; never subscribed. */
  readonly streamLogGroupName: string;
  readonly streamLogRetentionDays: number;
  /** What the data protection policies mask: the pipeline's own log group's, and the account-level one over the centralized log groups. */
  readonly masking: LogMasking;
  readonly deliveryRoleName: string;
  readonly subscriptionRoleName: string;
  readonly replicationRoleName: string;
  readonly subscriptionPolicyName: string;
  /** Firehose flushes at whichever comes first. */
  readonly buffering: { readonly sizeMiB: number; readonly intervalSeconds: number };
  /** Key prefix of the collected logs, in staging and in the archive, e.g. `cloudwatch-logs/`. */
  readonly prefix: string;
  readonly archive: { readonly bucketArn: string; readonly kmsKeyArn: string };
  /** Log groups of the account that are never subscribed (the pipeline's own are added). @default none */
  readonly excludedLogGroups?: readonly string[];
  /** Terraform refuses to destroy the key; off only for a removable test organization. @default true */
  readonly preventDestroy?: boolean;
  /** Terraform empties the staging bucket when destroying it: only for a test organization that is torn down. @default false */
  readonly forceDestroy?: boolean;
}

/** The account policy's selection: every log group but these (the only form AWS accepts). */
export function subscriptionSelectionCriteria(excluded: readonly string[]): string {
  return `LogGroupName NOT IN ${JSON.stringify([...excluded])}`;
}

export class LogDeliveryPipeline extends Construct {
  readonly key: EncryptionKey;
  readonly staging: PrivateBucket;
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly subscriptionPolicy: CloudwatchLogAccountPolicy;
  /** The account-level data protection policy over every log group of the account and region. */
  readonly accountMasking: CloudwatchLogAccountPolicy;
  /** Log groups the subscription policy leaves out. */
  readonly excludedLogGroups: readonly string[];
  private readonly provider: AwsProvider;
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: LogDeliveryPipelineProps) {
    super(scope, id);
    const { provider, accountId, region } = props;
    this.provider = provider;
    this.accountId = accountId;
    const streamArn = `arn:aws:firehose:${region}:${accountId}:deliverystream/${props.streamName}`;
    const logGroupArn = `arn:aws:logs:${region}:${accountId}:log-group:${props.streamLogGroupName}`;
    this.excludedLogGroups = [...new Set([props.streamLogGroupName, ...(props.excludedLogGroups ?? [])])];
    if (this.excludedLogGroups.length > ACCOUNT_SUBSCRIPTION_POLICY_MAX_EXCLUDED) {
      throw new Error(`the subscription policy excludes ${this.excludedLogGroups.length} log groups; CloudWatch Logs accepts ${ACCOUNT_SUBSCRIPTION_POLICY_MAX_EXCLUDED}`);
    }

    this.key = new EncryptionKey(this, 'key', {
      provider,
      accountId,
      alias: props.keyAlias,
      description: 'Encrypts the collected CloudWatch Logs: the centralized log groups, Firehose and the staging bucket',
      statements: [
        logGroupKeyStatement(region, logGroupArn),
        {
          Sid: 'CloudWatchLogsEncryptsTheCentralizedLogGroups',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:${region}:${accountId}:log-group:*` } },
        },
      ],
      preventDestroy: props.preventDestroy ?? true,
    });
    const keyArn = this.key.key.arn;

    this.staging = new PrivateBucket(this, 'staging', {
      provider,
      logStore: { holds: ['cloudwatch-logs'] },
      bucketName: props.stagingBucketName,
      kmsKeyArn: keyArn,
      expirationDays: props.stagingRetentionDays,
      noncurrentVersionExpirationDays: 1,
      acceptedFindings: [ACCEPTED.stagingBucketReplicatesIntoArchive],
      forceDestroy: props.forceDestroy,
    });
    const stagingArn = this.staging.bucket.arn;

    const logGroup = new CloudwatchLogGroup(this, 'stream-log-group', {
      provider,
      name: props.streamLogGroupName,
      retentionInDays: props.streamLogRetentionDays,
      kmsKeyId: keyArn,
    });
    acceptCheckovFindings(logGroup, [ACCEPTED.pipelineErrorLogsShortRetention]);
    declareLogStore(logGroup, { holds: ['function-logs'] });
    maskLogGroup(this, 'stream-log-group-data-protection', { provider, logGroup, masking: props.masking });
    // The centralized copies are log groups AWS creates in this account: an account-level policy
    // masks them, and what the subscription policy hands Firehose (and so the archive) is masked too.
    this.accountMasking = maskAccount(this, 'account-data-protection', { provider, masking: props.masking });
    const logStream = new CloudwatchLogStream(this, 'stream-log-stream', { provider, name: 'S3Delivery', logGroupName: logGroup.name });

    const deliveryRole = this.role('delivery-role', props.deliveryRoleName, 'firehose.amazonaws.com', [
      { Sid: 'WriteStaging', Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'], Resource: [stagingArn, `${stagingArn}/*`] },
      { Sid: 'EncryptStaging', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn, Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } },
      { Sid: 'LogDeliveryErrors', Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: `${logGroupArn}:*` },
    ]);

    this.stream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      provider,
      name: props.streamName,
      destination: 'extended_s3',
      serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn },
      extendedS3Configuration: {
        bucketArn: stagingArn,
        roleArn: deliveryRole.arn,
        prefix: `${props.prefix}!{timestamp:yyyy/MM/dd}/`,
        errorOutputPrefix: `delivery-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        bufferingSize: props.buffering.sizeMiB,
        bufferingInterval: props.buffering.intervalSeconds,
        // CloudWatch Logs hands Firehose gzip-compressed records already
        compressionFormat: 'UNCOMPRESSED',
        kmsKeyArn: keyArn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: logGroup.name, logStreamName: logStream.name },
      },
    });
    declareLogStore(this.stream, { holds: ['cloudwatch-logs'] });

    const subscriptionRole = new IamRole(this, 'subscription-role', {
      provider,
      name: props.subscriptionRoleName,
      assumeRolePolicy: policyDocument([{
        Sid: 'AssumedByCloudWatchLogsOfTheAccount',
        Effect: 'Allow',
        Principal: { Service: 'logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringLike: { 'aws:SourceArn': `arn:aws:logs:${region}:${accountId}:*` } },
      }]),
    });
    new IamRolePolicy(this, 'subscription-role-policy', {
      provider,
      role: subscriptionRole.name,
      name: 'put-records',
      policy: policyDocument([{ Sid: 'PutIntoTheStream', Effect: 'Allow', Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'], Resource: streamArn }]),
    });

    this.subscriptionPolicy = new CloudwatchLogAccountPolicy(this, 'subscription-policy', {
      provider,
      policyName: props.subscriptionPolicyName,
      policyType: 'SUBSCRIPTION_FILTER_POLICY',
      scope: 'ALL',
      selectionCriteria: subscriptionSelectionCriteria(this.excludedLogGroups),
      policyDocument: JSON.stringify({ DestinationArn: this.stream.arn, RoleArn: subscriptionRole.arn, FilterPattern: '', Distribution: 'Random' }),
      // masking first, so that nothing reaches the archive unmasked
      dependsOn: [this.stream, this.accountMasking],
    });

    const { replication } = replicateIntoArchive(this, {
      provider,
      region,
      source: this.staging,
      sourceBucketName: props.stagingBucketName,
      sourceKmsKeyArn: keyArn,
      prefix: props.prefix,
      ruleId: 'into-the-archive',
      roleName: props.replicationRoleName,
      description: 'the collected CloudWatch Logs',
      destination: props.archive,
    });
    protect(replication, 'it copies the collected CloudWatch Logs from staging into the archive; without it they expire in staging unarchived');
  }

  /** A role only the service, acting for this account, assumes (the confused-deputy guard), with one inline policy. */
  private role(id: string, name: string, service: string, statements: PolicyStatement[]): IamRole {
    const role = new IamRole(this, id, {
      provider: this.provider,
      name,
      assumeRolePolicy: policyDocument([{
        Sid: 'AssumedByServiceForThisAccount',
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': this.accountId } },
      }]),
    });
    new IamRolePolicy(this, `${id}-policy`, { provider: this.provider, role: role.name, name: 'least-privilege', policy: policyDocument(statements) });
    return role;
  }
}
