/**
 * The raw Organization trail for a SIEM: S3 announces every new object under the trail's prefix on
 * an encrypted SNS topic that the SIEM's account may subscribe its queue to, and the SIEM's role
 * may list and read that prefix and decrypt through S3, nothing else. The archive's own guards
 * (no deletion by anyone, TLS only) stand as they are: these statements only add reads.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { Construct } from 'constructs';
import { NotificationTopic } from '../core/notification-topic';
import { type PolicyStatement, principalsByArn } from '../core/policy-document';
import { protect } from '../core/protection';

export interface TrailReader {
  /** The SIEM's role that reads the trail's files. */
  readonly roleArn: string;
  /** Key prefix of the trail, e.g. `AWSLogs/o-abc/`. */
  readonly prefix: string;
}

/** Archive bucket statements: the reader lists and reads the trail's prefix only. */
export function trailReaderBucketStatements(bucketArn: string, reader: TrailReader): PolicyStatement[] {
  const principal = principalsByArn([reader.roleArn]);
  return [
    {
      Sid: 'SiemListsTheTrailPrefix',
      Effect: 'Allow',
      Principal: principal.Principal,
      Action: 's3:ListBucket',
      Resource: bucketArn,
      Condition: { ...principal.Condition, StringLike: { 's3:prefix': [reader.prefix, `${reader.prefix}*`] } },
    },
    {
      Sid: 'SiemReadsTheTrailFiles',
      Effect: 'Allow',
      ...principal,
      Action: 's3:GetObject',
      Resource: `${bucketArn}/${reader.prefix}*`,
    },
  ];
}

/** Archive key statement: the reader decrypts only through S3 in the archive's region. */
export function trailReaderKeyStatement(region: string, reader: TrailReader): PolicyStatement {
  const principal = principalsByArn([reader.roleArn]);
  return {
    Sid: 'SiemDecryptsTheTrailThroughS3',
    Effect: 'Allow',
    Principal: principal.Principal,
    Action: 'kms:Decrypt',
    Resource: '*',
    Condition: { ...principal.Condition, StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
  };
}

export interface TrailFeedProps {
  /** The archive's account and region. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly bucketName: string;
  readonly prefix: string;
  readonly topicName: string;
  readonly keyAlias: string;
  /** The SIEM's account, which may subscribe its SQS queue. */
  readonly subscriberAccountId: string;
}

export class TrailFeed extends Construct {
  readonly topic: NotificationTopic;

  constructor(scope: Construct, id: string, props: TrailFeedProps) {
    super(scope, id);
    this.topic = new NotificationTopic(this, 'topic', {
      provider: props.provider,
      accountId: props.accountId,
      region: props.region,
      topicName: props.topicName,
      keyAlias: props.keyAlias,
      publisher: { service: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${props.bucketName}` },
      subscribers: [{ accountId: props.subscriberAccountId, protocol: 'sqs' }],
    });
    // A bucket has one notification configuration: this is the archive's.
    const notification = new S3BucketNotification(this, 'notification', {
      provider: props.provider,
      bucket: props.bucketName,
      topic: [{ id: 'organization-trail-objects', topicArn: this.topic.topic.arn, events: ['s3:ObjectCreated:*'], filterPrefix: props.prefix, filterSuffix: '.json.gz' }],
      // S3 checks at configuration time that it may publish: the topic's policy first.
      dependsOn: [this.topic.policy],
    });
    protect(notification, 'it announces every new trail file to the SIEM; without it the SIEM stops reading the trail');
  }
}
