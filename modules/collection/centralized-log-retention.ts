/**
 * The retention of the centralized copies: the organization's centralization rule creates a log
 * group in the Log Archive for every source log group it copies, and gives it no retention (the
 * rule has no setting for it), so the copies would be kept without end. EventBridge Scheduler
 * starts a small function every hour (lambda/centralized-log-retention) that lists the log groups
 * under the copies' prefix and sets the configured retention on every one whose retention differs.
 * Its role may list log groups (DescribeLogGroups supports no resource-level permission) and set
 * the retention of the copies only.
 */
import { AssetType, TerraformAsset } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { Construct } from 'constructs';
import { LOG_RETENTION_DAYS } from '../../facts/cloudwatch';
import type { LogTypeName } from '../../facts/personal-data';
import { RECURRING_SCHEDULE_EXPRESSION, SCHEDULE_EXPRESSION_HINT } from '../../facts/scheduler';
import { bundledFunction } from '../core/bundled-function';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { functionLogGroup, type FunctionLogGroupSettings } from '../core/function-log-group';
import { declareServiceLogGroups } from '../core/log-store';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';
import { protect } from '../core/protection';

/** Minutes a run may take: enough to set thousands of retentions at CloudWatch Logs' request rates. */
const TIMEOUT_SECONDS = 900;

export interface CentralizedLogRetentionProps extends FunctionLogGroupSettings {
  readonly provider: AwsProvider;
  /** The account and region of the copies (the Log Archive's home region). */
  readonly accountId: string;
  readonly region: string;
  /** Zip of the bundled function (`index.js` exporting `handler`). */
  readonly codeZip: string;
  /** Every copy's name starts with it; no other log group is touched. */
  readonly logGroupNamePrefix: string;
  /** The retention every copy gets: one of CloudWatch Logs' retention periods. */
  readonly retentionDays: number;
  /** What the copies hold, for the record of processing. */
  readonly holds: readonly LogTypeName[];
  /** The key the copies are encrypted with. */
  readonly copiesKmsKeyArn: string;
  /** Who creates the copies, for the record of processing. */
  readonly copiesMadeBy: string;
  readonly functionName: string;
  readonly schedulerRoleName: string;
  readonly scheduleName: string;
  /**
   * When the function runs (UTC): a copy created since the last run gets its retention then.
   * @default 'rate(1 hour)'
   */
  readonly schedule?: string;
}

export class CentralizedLogRetention extends Construct {
  readonly function: LambdaFunction;
  readonly schedule: SchedulerSchedule;

  constructor(scope: Construct, id: string, props: CentralizedLogRetentionProps) {
    super(scope, id);
    const { provider, region, accountId } = props;
    const schedule = props.schedule ?? 'rate(1 hour)';
    const prefix = props.logGroupNamePrefix;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionDays)) {
      throw new Error(`retentionDays ${props.retentionDays} is not a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`);
    }
    if (!/^[._\-/#A-Za-z0-9]+$/.test(prefix)) {
      throw new Error(`logGroupNamePrefix ${JSON.stringify(prefix)} is not the start of a log group name: use [._-/#A-Za-z0-9], at least one character`);
    }
    if (!RECURRING_SCHEDULE_EXPRESSION.test(schedule)) {
      throw new Error(`schedule ${JSON.stringify(schedule)} is not an EventBridge Scheduler expression: write ${SCHEDULE_EXPRESSION_HINT}`);
    }

    const { logGroup } = functionLogGroup(this, props, { keyDescription: `Encrypts the log group of the ${props.functionName} function` });
    if (props.logRetentionDays < 365) acceptCheckovFindings(logGroup, [ACCEPTED.centralizedRetentionLogsShortRetention]);

    const copiesArn = `arn:aws:logs:${region}:${accountId}:log-group:${prefix}*`;
    this.function = bundledFunction(this, {
      provider,
      functionName: props.functionName,
      description: `Sets ${props.retentionDays} days of retention on every centralized log group under ${prefix}`,
      roleName: props.functionName,
      roleDescription: `Runs the ${props.functionName} function: lists log groups, sets the retention of those under ${prefix}`,
      policyName: 'set-centralized-log-retention',
      statements: [
        // DescribeLogGroups supports no resource-level permission
        { Sid: 'ListLogGroups', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
        { Sid: 'SetTheRetentionOfTheCopies', Effect: 'Allow', Action: 'logs:PutRetentionPolicy', Resource: copiesArn },
      ],
      code: new TerraformAsset(this, 'code', { path: props.codeZip, type: AssetType.FILE }),
      handler: 'index.handler',
      memorySize: 256,
      timeout: TIMEOUT_SECONDS,
      environment: { LOG_GROUP_PREFIX: prefix, RETENTION_DAYS: String(props.retentionDays) },
      logGroup,
      acceptedFindings: [
        ACCEPTED.centralizedRetentionWithoutTracing,
        ACCEPTED.centralizedRetentionOutsideVpc,
        ACCEPTED.centralizedRetentionWithoutCodeSigning,
        ACCEPTED.centralizedRetentionEnvironmentHoldsNoSecret,
        ACCEPTED.centralizedRetentionRunsOncePerSchedule,
        ACCEPTED.centralizedRetentionRetriedByNextRun,
      ],
    }).function;
    declareServiceLogGroups(this.function, {
      holds: props.holds,
      namePrefix: prefix,
      madeBy: props.copiesMadeBy,
      retentionDays: props.retentionDays,
      retentionSetBy: `the ${props.functionName} function, ${schedule}`,
      kmsKeyArn: props.copiesKmsKeyArn,
    });

    const scheduleArn = `arn:aws:scheduler:${region}:${accountId}:schedule/default/${props.scheduleName}`;
    const schedulerRole = new IamRole(this, 'scheduler-role', {
      provider,
      name: props.schedulerRoleName,
      description: `EventBridge Scheduler starts the ${props.functionName} function`,
      assumeRolePolicy: serviceAssumeRolePolicy('scheduler.amazonaws.com', scheduleArn),
    });
    new IamRolePolicy(this, 'scheduler-role-policy', {
      provider,
      role: schedulerRole.name,
      name: 'start-the-function',
      policy: policyDocument([{ Sid: 'StartTheFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: this.function.arn }]),
    });
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      provider,
      name: props.scheduleName,
      description: `Sets the retention of the centralized log groups under ${prefix}`,
      scheduleExpression: schedule,
      scheduleExpressionTimezone: 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.function.arn,
        roleArn: schedulerRole.arn,
        input: '{}',
        // a run that fails is followed by the next, which sweeps every copy again
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
    });
    acceptCheckovFindings(this.schedule, [ACCEPTED.centralizedRetentionScheduleInputHoldsNoSecret]);
    const keeps = 'without it the centralized copies of every account\'s log groups get no retention and are kept without end';
    protect(this.function, `the function sets the retention of the centralized log groups; ${keeps}`);
    protect(this.schedule, `the schedule starts the function that sets the retention of the centralized log groups; ${keeps}`);
  }
}
