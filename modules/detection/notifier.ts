/**
 * The activity notifier: a subscription filter on the Organization trail's log group sends the
 * listed CloudTrail events of every account to a function that e-mails who did what through the
 * alarm topic. The function has its own encrypted log group, a dead-letter queue for events it
 * could not publish, and a role that can do nothing else.
 */
import { AssetType, Fn, TerraformAsset } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { MAX_SUBSCRIPTION_PATTERN_LENGTH } from '../../facts/cloudwatch';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { EncryptionKey, logGroupKeyStatement } from '../core/encryption-key';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';

export interface NotifierProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** Zip of the bundled function (`index.js` exporting `handler`). */
  readonly codeZip: string;
  readonly functionName: string;
  readonly roleName: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly logRetentionDays: number;
  readonly keyAlias: string;
  readonly deadLetterQueueName: string;
  /** The trail's log group, whose events the function receives. */
  readonly sourceLogGroupName: string;
  readonly sourceLogGroupArn: string;
  readonly filterPattern: string;
  readonly topicArn: string;
  readonly topicKeyArn: string;
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
    const key = new EncryptionKey(this, 'key', {
      provider,
      accountId,
      alias: props.keyAlias,
      description: `Encrypts the log group and dead-letter queue of the ${props.functionName} function`,
      // the role uses the key for the queue through IAM
      statements: [logGroupKeyStatement(region, props.logGroupArn)],
    });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.key.arn,
    });
    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      provider,
      name: props.deadLetterQueueName,
      kmsMasterKeyId: key.key.arn,
      kmsDataKeyReusePeriodSeconds: 3600,
      // the longest SQS keeps a message: two weeks to look into what could not be sent
      messageRetentionSeconds: 1_209_600,
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: `Runs the ${props.functionName} function: publishes CloudTrail activity to the alarm topic`,
      assumeRolePolicy: serviceAssumeRolePolicy('lambda.amazonaws.com'),
    });
    const rolePolicy = new IamRolePolicy(this, 'role-policy', {
      provider,
      role: this.role.name,
      name: 'publish-activity',
      policy: policyDocument([
        { Sid: 'PublishToAlarmTopic', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
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
        {
          Sid: 'WriteOwnLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${logGroup.arn}:log-stream:*`,
        },
      ]),
    });
    const code = new TerraformAsset(this, 'code', { path: props.codeZip, type: AssetType.FILE });
    this.function = new LambdaFunction(this, 'function', {
      provider,
      functionName: props.functionName,
      description: 'E-mails who did what for selected CloudTrail events of every account',
      role: this.role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      memorySize: 256,
      timeout: 60,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 5,
      environment: { variables: { TOPIC_ARN: props.topicArn } },
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      loggingConfig: { logFormat: 'Text', logGroup: logGroup.name },
      dependsOn: [rolePolicy, logGroup],
    });
    acceptCheckovFindings(this.function, [
      ACCEPTED.notifierWithoutTracing,
      ACCEPTED.notifierOutsideVpc,
      ACCEPTED.notifierWithoutCodeSigning,
      ACCEPTED.notifierEnvironmentHoldsNoSecret,
    ]);
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
