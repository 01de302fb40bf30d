/**
 * An SNS topic that security notifications go to: encrypted with its own KMS key, published to
 * only by the one AWS service and source (alarms, a rule) named, if any, over TLS, with e-mail
 * subscriptions. Publishers of the same account (a function, say) get `sns:Publish` and the key
 * through their own IAM policies.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';
import { OVER_PLAIN_HTTP, policyDocument } from './policy-document';
import { protect } from './protection';

/** The AWS service that publishes, and which of its resources may. */
export interface TopicPublisher {
  /** Service principal, e.g. `cloudwatch.amazonaws.com` or `events.amazonaws.com`. */
  readonly service: string;
  /** ARN, or ARN pattern with `*`, of the alarms or rules that may publish. */
  readonly sourceArn: string;
}

export interface NotificationTopicProps {
  readonly provider: AwsProvider;
  /** Account of the topic and of its publishers. */
  readonly accountId: string;
  readonly region: string;
  readonly topicName: string;
  readonly keyAlias: string;
  /** The AWS service that publishes. @default none: only principals of the account, through IAM */
  readonly publisher?: TopicPublisher;
  /**
   * Addresses that receive every message; each must confirm the subscription e-mail.
   * @default []
   */
  readonly emails?: readonly string[];
  /**
   * Other accounts that may subscribe an endpoint of theirs (their SQS queue, say) by the protocol
   * named, e.g. a SIEM reading what the topic announces.
   * @default none
   */
  readonly subscribers?: ReadonlyArray<{ readonly accountId: string; readonly protocol: string }>;
}

export function topicArn(region: string, accountId: string, topicName: string): string {
  return `arn:aws:sns:${region}:${accountId}:${topicName}`;
}

export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly key: EncryptionKey;
  readonly policy: SnsTopicPolicy;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    const { provider, accountId, publisher } = props;
    const arn = topicArn(props.region, accountId, props.topicName);
    this.key = new EncryptionKey(this, 'key', {
      provider,
      accountId,
      alias: props.keyAlias,
      description: `Encrypts the ${props.topicName} SNS topic`,
      statements: publisher
        ? [
            {
              Sid: 'PublisherUsesTheKeyForThisTopic',
              Effect: 'Allow',
              Principal: { Service: publisher.service },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
              Resource: '*',
              Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': arn } },
            },
          ]
        : [],
    });
    this.topic = new SnsTopic(this, 'topic', {
      provider,
      name: props.topicName,
      kmsMasterKeyId: this.key.key.arn,
    });
    // a replacement topic starts without confirmed subscriptions: notifications stop until people confirm again
    protect(this.topic, `${props.topicName} delivers security notifications; a new topic has no confirmed subscriptions`);
    this.policy = new SnsTopicPolicy(this, 'policy', {
      provider,
      arn: this.topic.arn,
      policy: policyDocument([
        ...(publisher
          ? [
              {
                Sid: 'OnlyThePublisherOfThisAccountPublishes',
                Effect: 'Allow' as const,
                Principal: { Service: publisher.service },
                Action: 'sns:Publish',
                Resource: arn,
                Condition: {
                  StringEquals: { 'aws:SourceAccount': accountId },
                  ArnLike: { 'aws:SourceArn': publisher.sourceArn },
                },
              },
            ]
          : []),
        ...(props.subscribers ?? []).map((s, i) => ({
          Sid: `Account${i + 1}SubscribesBy${s.protocol.toUpperCase()}`,
          Effect: 'Allow' as const,
          Principal: { AWS: `arn:aws:iam::${s.accountId}:root` },
          Action: 'sns:Subscribe',
          Resource: arn,
          Condition: { StringEquals: { 'sns:Protocol': s.protocol } },
        })),
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sns:Publish',
          Resource: arn,
          Condition: OVER_PLAIN_HTTP,
        },
      ]),
    });
    for (const endpoint of props.emails ?? []) {
      // named by the address, so removing one address leaves the others' subscriptions alone
      new SnsTopicSubscription(this, `email-${endpoint}`, {
        provider,
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint,
      });
    }
  }
}
