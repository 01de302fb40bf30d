/**
 * The activity notifier: a subscription filter on the Organization trail's log group sends the
 * listed CloudTrail events of every account to a function that e-mails who did what through the
 * activity topic, leaving out what AWS services did by themselves. Messages are minimal unless
 * `detail` is `full`. The function has its own encrypted log group, a dead-letter queue for events
 * it could not publish, and a role that can do nothing else.
 */
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { MAX_SUBSCRIPTION_PATTERN_LENGTH } from '../../facts/cloudwatch';
import { bundledFunction } from '../core/bundled-function';
import { ACCEPTED } from '../core/checkov';
import { functionLogGroup, type FunctionLogGroupSettings } from '../core/function-log-group';
import type { Detail, LookUp, NotificationOptions } from '../../lambda/notifier/format';
import { declareLogStore } from '../core/log-store';

export interface NotifierProps extends FunctionLogGroupSettings {
  /** Zip of the bundled function (`index.js` exporting `handler`). */
  readonly codeZip: string;
  readonly functionName: string;
  readonly roleName: string;
  readonly deadLetterQueueName: string;
  /** The trail's log group, whose events the function receives. */
  readonly sourceLogGroupName: string;
  readonly sourceLogGroupArn: string;
  readonly filterPattern: string;
  /** The activity topic, and the key it is encrypted with. */
  readonly topicArn: string;
  readonly topicKeyArn: string;
  /**
   * `full` e-mails the personal data a record carries (source IP, user agent, access key id,
   * session details, request and response); `minimal` leaves it out.
   * @default 'minimal'
   */
  readonly detail?: Detail;
  /** Where recipients look a record up: the Athena table and the trail's log group. */
  readonly lookUp: LookUp;
  /**
   * Concurrent executions reserved for the function, which also caps them (and the e-mails sent
   * at once); events beyond wait in Lambda's asynchronous queue.
   * @default 5
   */
  readonly reservedConcurrency?: number;
}

export class Notifier extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly deadLetterQueue: SqsQueue;
  readonly subscriptionFilter: CloudwatchLogSubscriptionFilter;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const { provider, region, accountId } = props;
    if (props.filterPattern.length > MAX_SUBSCRIPTION_PATTERN_LENGTH) {
      throw new Error(`the notifier's subscription filter pattern has ${props.filterPattern.length} characters; CloudWatch Logs accepts ${MAX_SUBSCRIPTION_PATTERN_LENGTH}: the filter pattern must be shorter`);
    }
    // the role uses the key for the queue through IAM
    const { key, logGroup } = functionLogGroup(this, props, { keyDescription: `Encrypts the log group and dead-letter queue of the ${props.functionName} function` });
    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      provider,
      name: props.deadLetterQueueName,
      kmsMasterKeyId: key.key.arn,
      kmsDataKeyReusePeriodSeconds: 3600,
      // the longest SQS keeps a message: two weeks to look into what could not be sent
      messageRetentionSeconds: 1_209_600,
    });
    declareLogStore(this.deadLetterQueue, { holds: ['failed-notifications'] });
    const code = new TerraformAsset(this, 'code', { path: props.codeZip, type: AssetType.FILE });
    const options: NotificationOptions = { detail: props.detail ?? 'minimal', lookUp: props.lookUp };
    const { function: fn, role } = bundledFunction(this, {
      provider,
      functionName: props.functionName,
      description: 'E-mails who did what for selected CloudTrail events of every account',
      roleName: props.roleName,
      roleDescription: `Runs the ${props.functionName} function: publishes CloudTrail activity to the activity topic`,
      policyName: 'publish-activity',
      statements: [
        { Sid: 'PublishToActivityTopic', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
        {
          Sid: 'UseTopicKeyThroughSns',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: props.topicKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
        },
        { Sid: 'SendFailedEventsToDeadLetterQueue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.deadLetterQueue.arn },
        {
          Sid: 'UseQueueKeyThroughSqs',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: key.key.arn,
          Condition: { StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` } },
        },
      ],
      code,
      handler: 'index.handler',
      memorySize: 256,
      timeout: 60,
      reservedConcurrency: props.reservedConcurrency ?? 5,
      environment: { TOPIC_ARN: props.topicArn, NOTIFICATION_OPTIONS: JSON.stringify(options) },
      deadLetterQueueArn: this.deadLetterQueue.arn,
      logGroup,
      acceptedFindings: [
        ACCEPTED.notifierWithoutTracing,
        ACCEPTED.notifierOutsideVpc,
        ACCEPTED.notifierWithoutCodeSigning,
        ACCEPTED.notifierEnvironmentHoldsNoSecret,
        ACCEPTED.notifierEnvironmentIsNotASecret,
      ],
    });
    this.function = fn;
    this.role = role;
    const permission = new LambdaPermission(this, 'logs-invoke', {
      provider,
      statementId: 'TrailLogGroupInvokes',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 'logs.amazonaws.com',
      sourceArn: `${props.sourceLogGroupArn}:*`,
      sourceAccount: accountId,
    });
    this.subscriptionFilter = new CloudwatchLogSubscriptionFilter(this, 'subscription', {
      provider,
      name: props.functionName,
      logGroupName: props.sourceLogGroupName,
      filterPattern: props.filterPattern,
      destinationArn: this.function.arn,
      dependsOn: [permission],
    });
  }
}
