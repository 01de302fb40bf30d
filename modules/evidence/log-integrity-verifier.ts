/**
 * The daily proof that the Organization trail's files are intact: EventBridge Scheduler starts a
 * planner function that queues one message per account and region for the previous UTC day; a
 * verifier function, fed by the queue with bounded concurrency, verifies each account and region's
 * digest chains and log files (lambda/integrity, the code `npm run verify-logs` runs), puts the
 * counts as CloudWatch metrics and names the objects of any failure on the alarm topic. Alarms:
 * any failure, any period without digests (optional), and any account and region the check could
 * not verify (its message dead-lettered).
 *
 * Why a queue rather than Step Functions: each account and region is an independent unit of at
 * most minutes, so SQS with Lambda's event source mapping gives bounded parallelism (its maximum
 * concurrency), retries and a dead-letter queue per unit, with no limit on the number of units
 * (a Standard state machine's history stops at 25,000 events, an inline Map at 40 parallel
 * iterations), and every part of it runs in the emulator the tests use.
 */
import { AssetType, TerraformAsset } from 'cdktf';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { LAMBDA_MAX_TIMEOUT_SECONDS, RECURRING_SCHEDULE_EXPRESSION, SCHEDULE_EXPRESSION_HINT, SQS_MAXIMUM_CONCURRENCY } from '../../facts/scheduler';
import { bundledFunction } from '../core/bundled-function';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { functionLogGroup, type FunctionLogGroupSettings } from '../core/function-log-group';
import type { DashboardPanel, MetricLocation } from '../core/dashboard-panel';
import { OCCURRENCE, occurrenceAlarm, type OccurrenceAlarmProps } from '../core/occurrence-alarm';
import { protect } from '../core/protection';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';
import { declareLogStore } from '../core/log-store';

/** The verifier may use all of Lambda's longest invocation for one account and region. */
const VERIFIER_TIMEOUT_SECONDS = LAMBDA_MAX_TIMEOUT_SECONDS;
/**
 * AWS's guidance for a queue that feeds Lambda: a visibility timeout of six times the function's
 * timeout, so that a message is not delivered again while its batch may still be retried.
 */
const VISIBILITY_TIMEOUT_SECONDS = 6 * VERIFIER_TIMEOUT_SECONDS;
/** Deliveries of a message before it is dead-lettered (and the account and region counts as unverified). */
const MAX_RECEIVE_COUNT = 3;

export interface LogIntegrityVerifierProps extends FunctionLogGroupSettings {
  readonly provider: AwsProvider;
  /** The account of the archive (and of the verifier). */
  readonly accountId: string;
  /** The archive's region. */
  readonly region: string;
  /** Zip of the bundled functions (`index.js` exporting `plan` and `verify`). */
  readonly codeZip: string;
  /** The archive bucket and the KMS key its objects are encrypted with (decrypted only through S3). */
  readonly archiveBucketName: string;
  readonly archiveKeyArn: string;
  /** Key prefix of the trail in the bucket, without slashes. @default none */
  readonly archivePrefix?: string;
  readonly trailArn: string;
  readonly organizationId: string;
  /** Accounts whose digests must exist in every expected region (a missing one is a gap); others are found in the archive. */
  readonly expectedAccountIds: readonly string[];
  readonly expectedRegions: readonly string[];
  readonly plannerFunctionName: string;
  readonly verifierFunctionName: string;
  readonly schedulerRoleName: string;
  readonly scheduleName: string;
  readonly queueName: string;
  readonly deadLetterQueueName: string;
  readonly metricNamespace: string;
  /** Every alarm's name starts with it (the alarm topic accepts only these). */
  readonly alarmNamePrefix: string;
  /** Topic of the alarms and of the verifier's messages, and its key. */
  readonly topicArn: string;
  readonly topicKeyArn: string;
  /**
   * When the check runs (UTC); it verifies the previous UTC day whenever it runs.
   * @default 'cron(30 2 * * ? *)', when the previous day's last digests have arrived
   */
  readonly schedule?: string;
  /**
   * Accounts and regions verified at once: the event source mapping's maximum concurrency (2-1000).
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Alarm (and notify) on periods without digests too, not only on tampering.
   * @default true
   */
  readonly alarmOnGaps?: boolean;
}

export class LogIntegrityVerifier extends Construct {
  readonly planner: LambdaFunction;
  readonly verifier: LambdaFunction;
  readonly queue: SqsQueue;
  readonly deadLetterQueue: SqsQueue;
  readonly schedule: SchedulerSchedule;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** What each alarm reads, for the security dashboard. */
  private readonly alarmed: Array<{ alarmName: string } & Pick<OccurrenceAlarmProps, 'namespace' | 'metricName' | 'statistic' | 'dimensions'>> = [];

  constructor(scope: Construct, id: string, props: LogIntegrityVerifierProps) {
    super(scope, id);
    const { provider, region, accountId } = props;
    const schedule = props.schedule ?? 'cron(30 2 * * ? *)';
    const concurrency = props.concurrency ?? 10;
    if (!RECURRING_SCHEDULE_EXPRESSION.test(schedule)) {
      throw new Error(`schedule ${JSON.stringify(schedule)} is not an EventBridge Scheduler expression: write ${SCHEDULE_EXPRESSION_HINT}`);
    }
    const { min, max } = SQS_MAXIMUM_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < min || concurrency > max) {
      throw new Error(`concurrency ${concurrency} is outside what an SQS event source mapping allows (a whole number from ${min} to ${max})`);
    }
    const bucketArn = `arn:aws:s3:::${props.archiveBucketName}`;
    const trailFiles = `${props.archivePrefix ? `${props.archivePrefix}/` : ''}AWSLogs/${props.organizationId}/`;

    const { logGroup } = functionLogGroup(this, props, { keyDescription: `Encrypts the log group of the ${props.plannerFunctionName} and ${props.verifierFunctionName} functions` });
    // The messages name an account, a region and a day: S3-managed keys (SSE-SQS) suffice.
    this.deadLetterQueue = new SqsQueue(this, 'dead-letter-queue', {
      provider,
      name: props.deadLetterQueueName,
      sqsManagedSseEnabled: true,
      // the longest SQS keeps a message: two weeks to look into what could not be verified
      messageRetentionSeconds: 1_209_600,
    });
    declareLogStore(this.deadLetterQueue, { holds: [], noLogDataBecause: 'work items of the integrity check: an account, a region and a day' });
    this.queue = new SqsQueue(this, 'queue', {
      provider,
      name: props.queueName,
      sqsManagedSseEnabled: true,
      visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
      // four days: a day's work outlives the next run, and retries fit in
      messageRetentionSeconds: 345_600,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    });
    declareLogStore(this.queue, { holds: [], noLogDataBecause: 'work items of the integrity check: an account, a region and a day' });

    const code = new TerraformAsset(this, 'code', { path: props.codeZip, type: AssetType.FILE });
    const trail = {
      ARCHIVE_BUCKET: props.archiveBucketName,
      S3_PREFIX: props.archivePrefix ?? '',
      ORGANIZATION_ID: props.organizationId,
      TRAIL_ARN: props.trailArn,
    };
    const accepted = [ACCEPTED.integrityWithoutTracing, ACCEPTED.integrityOutsideVpc, ACCEPTED.integrityWithoutCodeSigning, ACCEPTED.integrityEnvironmentHoldsNoSecret];
    this.planner = bundledFunction(new Construct(this, 'planner'), {
      provider,
      functionName: props.plannerFunctionName,
      description: "Queues the previous day's digest-chain verification of every account and region of the Organization trail",
      roleName: props.plannerFunctionName,
      roleDescription: `Runs the ${props.plannerFunctionName} function: lists the trail's accounts and regions in the archive, queues their verification`,
      policyName: 'plan-verification',
      statements: [
        {
          Sid: 'ListTheTrailsAccountsAndRegions',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLike: { 's3:prefix': `${trailFiles}*` } },
        },
        { Sid: 'QueueTheVerifications', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.queue.arn },
        { Sid: 'DeadLetterFailedRuns', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.deadLetterQueue.arn },
      ],
      code,
      handler: 'index.plan',
      memorySize: 256,
      // listing every account's folders and queueing a message per account and region: minutes at 5,000 accounts
      timeout: LAMBDA_MAX_TIMEOUT_SECONDS,
      environment: { ...trail, QUEUE_URL: this.queue.url, EXPECTED_ACCOUNTS: props.expectedAccountIds.join(','), EXPECTED_REGIONS: props.expectedRegions.join(',') },
      // a run that failed every retry lands where the "unverified" alarm looks
      deadLetterQueueArn: this.deadLetterQueue.arn,
      logGroup,
      acceptedFindings: [...accepted, ACCEPTED.integrityPlannerRunsOncePerSchedule],
    }).function;
    this.verifier = bundledFunction(new Construct(this, 'verifier'), {
      provider,
      functionName: props.verifierFunctionName,
      description: "Verifies one account and region's CloudTrail digest chains and log files for a day",
      roleName: props.verifierFunctionName,
      roleDescription: `Runs the ${props.verifierFunctionName} function: reads the archive, lists CloudTrail's public keys, puts metrics and notifies failures`,
      policyName: 'verify-digest-chains',
      statements: [
        { Sid: 'ReadTheTrailsFiles', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/${trailFiles}*` },
        {
          // S3 answers 404 for a missing key only to a principal that may list the bucket (403
          // otherwise): listing without a prefix condition is what tells "deleted" from "denied"
          Sid: 'ListTheArchive',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
        },
        {
          Sid: 'DecryptTheArchiveThroughS3',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: props.archiveKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
        },
        // ListPublicKeys supports no resource-level permissions
        { Sid: 'ListCloudTrailPublicKeys', Effect: 'Allow', Action: 'cloudtrail:ListPublicKeys', Resource: '*' },
        {
          Sid: 'PutIntegrityMetrics',
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': props.metricNamespace } },
        },
        { Sid: 'NotifyFailures', Effect: 'Allow', Action: 'sns:Publish', Resource: props.topicArn },
        {
          Sid: 'UseTopicKeyThroughSns',
          Effect: 'Allow',
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: props.topicKeyArn,
          Condition: { StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
        },
        {
          Sid: 'ReceiveTheVerifications',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
          Resource: this.queue.arn,
        },
      ],
      code,
      handler: 'index.verify',
      // CPU grows with memory; gunzip and SHA-256 are what it spends its time on
      memorySize: 1024,
      timeout: VERIFIER_TIMEOUT_SECONDS,
      environment: { ...trail, METRIC_NAMESPACE: props.metricNamespace, TOPIC_ARN: props.topicArn, NOTIFY_GAPS: String(props.alarmOnGaps ?? true) },
      logGroup,
      acceptedFindings: [...accepted, ACCEPTED.integrityVerifierBoundedByQueue, ACCEPTED.integrityVerifierDeadLettersThroughQueue],
    }).function;
    const feed = new LambdaEventSourceMapping(this, 'queue-feeds-verifier', {
      provider,
      eventSourceArn: this.queue.arn,
      functionName: this.verifier.arn,
      // one account and region per invocation: each may take minutes, and fails alone
      batchSize: 1,
      scalingConfig: { maximumConcurrency: concurrency },
      functionResponseTypes: ['ReportBatchItemFailures'],
    });

    const scheduleArn = `arn:aws:scheduler:${region}:${accountId}:schedule/default/${props.scheduleName}`;
    const schedulerRole = new IamRole(this, 'scheduler-role', {
      provider,
      name: props.schedulerRoleName,
      description: `EventBridge Scheduler starts the ${props.plannerFunctionName} function every day`,
      assumeRolePolicy: serviceAssumeRolePolicy('scheduler.amazonaws.com', scheduleArn),
    });
    new IamRolePolicy(this, 'scheduler-role-policy', {
      provider,
      role: schedulerRole.name,
      name: 'start-the-planner',
      policy: policyDocument([
        { Sid: 'StartThePlanner', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: this.planner.arn },
        { Sid: 'DeadLetterFailedStarts', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: this.deadLetterQueue.arn },
      ]),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      provider,
      name: props.scheduleName,
      description: "Verifies the previous UTC day's digest chains of the Organization trail",
      scheduleExpression: schedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.planner.arn,
        roleArn: schedulerRole.arn,
        input: '{}',
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deadLetterQueue.arn },
      },
    });
    acceptCheckovFindings(this.schedule, [ACCEPTED.integrityScheduleInputHoldsNoSecret]);
    const checks = 'the log integrity check proves every day that no CloudTrail file was altered or removed; without it nothing checks';
    protect(this.planner, checks);
    protect(this.verifier, checks);
    protect(feed, 'it feeds the log integrity verifier; without it no account or region is verified');
    protect(this.schedule, 'the schedule starts the daily log integrity check; without it the check never runs');

    const alarm = (name: string, description: string, metric: Pick<OccurrenceAlarmProps, 'namespace' | 'metricName' | 'statistic' | 'dimensions'>) => {
      this.alarmed.push({ alarmName: `${props.alarmNamePrefix}${name}`, ...metric });
      this.alarms.push(occurrenceAlarm(this, `${name}-alarm`, { provider, alarmName: `${props.alarmNamePrefix}${name}`, description, ...metric, topicArn: props.topicArn }));
    };
    const reported = 'the alarm reports tampering with the CloudTrail files (or a check that could not run); without it a failure goes unseen';
    alarm('failures', `Log integrity: a CloudTrail digest or log file of the Organization trail was altered, removed or added; the message of ${props.verifierFunctionName} on the same topic names the objects (docs/integrity.md)`, {
      namespace: props.metricNamespace,
      metricName: 'Failures',
      statistic: 'Sum',
    });
    if (props.alarmOnGaps ?? true) {
      alarm('gaps', `Log integrity: a period without CloudTrail digests (log file validation or logging switched off); the message of ${props.verifierFunctionName} on the same topic names the period`, {
        namespace: props.metricNamespace,
        metricName: 'Gaps',
        statistic: 'Sum',
      });
    }
    alarm('unverified', `Log integrity: an account and region could not be verified (message dead-lettered in ${props.deadLetterQueueName}; see the log group ${props.logGroupName})`, {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      dimensions: { QueueName: props.deadLetterQueueName },
    });
    for (const a of this.alarms) protect(a, reported);
  }

  /** The verifier's results as its alarms read them: failures, gaps, unverified accounts and regions, with the alarms' threshold. */
  panels(location: MetricLocation): DashboardPanel[] {
    return [{
      title: 'Log integrity: the daily digest-chain verification (1 or more is an alarm)',
      metrics: this.alarmed.map((a) => ({
        ...location,
        namespace: a.namespace,
        metricName: a.metricName,
        dimensions: a.dimensions,
        statistic: a.statistic,
        periodSeconds: OCCURRENCE.periodSeconds,
        label: a.alarmName,
      })),
      thresholds: [{ value: OCCURRENCE.threshold, label: 'alarm' }],
    }];
  }
}
