/**
 * Keeps the trail table's account projection in step with the organization, so that an account
 * created or invited outside the config is queryable without a config edit: a function in the
 * table's account adds every new account of the organization to `projection.account.values`
 * (lambda/account-projection), started by the organization's account events and once a day.
 *
 * Organizations' events reach EventBridge only on the management account's bus in us-east-1
 * (facts/organizations.ts): a rule there forwards them to an event bus of the table's account in
 * its own region, whose rule starts the function. The function lists the accounts as a delegated
 * administrator of Organizations (the organization's resource policy must let its account call
 * ListAccounts) and may change that one table only.
 */
import { AssetType, TerraformAsset } from 'cdktf';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventBusPolicy } from '@cdktf/provider-aws/lib/cloudwatch-event-bus-policy';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCOUNT_PROJECTION_PARAMETER } from '../../facts/athena';
import { accountJoinEventPattern, ORGANIZATIONS_EVENTS_REGION } from '../../facts/organizations';
import { bundledFunction } from '../core/bundled-function';
import { ACCEPTED } from '../core/checkov';
import type { DashboardPanel } from '../core/dashboard-panel';
import { functionLogGroup, type FunctionLogGroupSettings } from '../core/function-log-group';
import { type PolicyStatement, policyDocument, principalsByArn, serviceAssumeRolePolicy } from '../core/policy-document';
import { protect } from '../core/protection';

/** The Glue table whose `projection.account.values` the function maintains. */
export interface ProjectedTableProps {
  /** Account of the Glue Data Catalog (the function's account). */
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tableName: string;
}

export interface AccountProjectionProps extends FunctionLogGroupSettings {
  /** The table's account in its region: the function, its event bus and its schedule. */
  readonly provider: AwsProvider;
  /** The management account in us-east-1, where Organizations' events arrive. */
  readonly managementEventsProvider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly managementAccountId: string;
  readonly table: ProjectedTableProps;
  /** Zip of the bundled function (`index.js` exporting `handler`). */
  readonly codeZip: string;
  /** Name of the function, its role, its event bus and rules. */
  readonly functionName: string;
  /** Role EventBridge assumes in the management account to forward the events. */
  readonly forwarderRoleName: string;
  /**
   * When the function also runs without an event, catching anything an event missed.
   * @default 'rate(1 day)'
   */
  readonly schedule?: string;
}

/** What the function may do: list the organization's accounts, read and update the one table. */
export function accountProjectionStatements(region: string, table: ProjectedTableProps): PolicyStatement[] {
  const glue = `arn:aws:glue:${region}:${table.catalogId}`;
  return [
    // ListAccounts has no resource type: it is granted on "*" (Service Authorization Reference).
    { Sid: 'ListTheOrganizationsAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
    {
      Sid: 'ReadAndUpdateTheTrailTableOnly',
      Effect: 'Allow',
      Action: ['glue:GetTable', 'glue:UpdateTable'],
      Resource: [`${glue}:catalog`, `${glue}:database/${table.databaseName}`, `${glue}:table/${table.databaseName}/${table.tableName}`],
    },
  ];
}

export class AccountProjection extends Construct {
  readonly function: LambdaFunction;
  readonly eventBus: CloudwatchEventBus;
  private readonly props: AccountProjectionProps;

  constructor(scope: Construct, id: string, props: AccountProjectionProps) {
    super(scope, id);
    this.props = props;
    const { provider, region, accountId } = props;
    const managementRuleArn = `arn:aws:events:${ORGANIZATIONS_EVENTS_REGION}:${props.managementAccountId}:rule/${props.functionName}`;
    const forwarderRoleArn = `arn:aws:iam::${props.managementAccountId}:role/${props.forwarderRoleName}`;

    const { logGroup } = functionLogGroup(this, props, { keyDescription: `Encrypts the log group of the ${props.functionName} function` });
    const code = new TerraformAsset(this, 'code', { path: props.codeZip, type: AssetType.FILE });
    this.function = bundledFunction(this, {
      provider,
      functionName: props.functionName,
      description: `Adds the organization's new accounts to the projection of table ${props.table.databaseName}.${props.table.tableName}`,
      roleName: props.functionName,
      roleDescription: `Runs the ${props.functionName} function: lists the organization's accounts, updates one table`,
      policyName: 'project-the-organizations-accounts',
      statements: accountProjectionStatements(region, props.table),
      code,
      handler: 'index.handler',
      memorySize: 256,
      timeout: 60,
      // one run at a time: two runs could each add a different account and the second overwrite the first
      reservedConcurrency: 1,
      environment: {
        CATALOG_ID: props.table.catalogId,
        DATABASE_NAME: props.table.databaseName,
        TABLE_NAME: props.table.tableName,
        ACCOUNT_PARAMETER: ACCOUNT_PROJECTION_PARAMETER,
      },
      logGroup,
      acceptedFindings: [
        ACCEPTED.accountProjectionWithoutTracing,
        ACCEPTED.accountProjectionOutsideVpc,
        ACCEPTED.accountProjectionWithoutCodeSigning,
        ACCEPTED.accountProjectionEnvironmentHoldsNoSecret,
        ACCEPTED.accountProjectionRepairedDaily,
      ],
    }).function;

    // The table's account: a bus that only the management account's forwarding role may put on.
    this.eventBus = new CloudwatchEventBus(this, 'bus', { provider, name: props.functionName });
    const busPolicy = new CloudwatchEventBusPolicy(this, 'bus-policy', {
      provider,
      eventBusName: this.eventBus.name,
      policy: policyDocument([
        {
          Sid: 'ManagementAccountForwardsOrganizationEvents',
          Effect: 'Allow',
          ...principalsByArn([forwarderRoleArn]),
          Action: 'events:PutEvents',
          Resource: this.eventBus.arn,
        },
      ]),
    });
    const onEvent = new CloudwatchEventRule(this, 'on-account-event', {
      provider,
      name: props.functionName,
      eventBusName: this.eventBus.name,
      description: 'Accounts created in or invited to the organization (forwarded from the management account)',
      eventPattern: JSON.stringify(accountJoinEventPattern()),
    });
    const daily = new CloudwatchEventRule(this, 'daily', {
      provider,
      name: `${props.functionName}-daily`,
      description: 'Syncs the account projection once a day, whatever events were missed',
      scheduleExpression: props.schedule ?? 'rate(1 day)',
    });
    const unseen = 'without it an account that joins the organization stays out of the trail table, its activity unseen by every saved query';
    protect(this.function, unseen);
    protect(onEvent, unseen);
    protect(daily, `${unseen}, until someone edits the config`);
    for (const [name, rule] of [['on-account-event', onEvent], ['daily', daily]] as const) {
      const permission = new LambdaPermission(this, `${name}-invokes`, {
        provider,
        statementId: `${name}-invokes`,
        action: 'lambda:InvokeFunction',
        functionName: this.function.functionName,
        principal: 'events.amazonaws.com',
        sourceArn: rule.arn,
      });
      new CloudwatchEventTarget(this, `${name}-target`, {
        provider,
        rule: rule.name,
        eventBusName: rule.eventBusName,
        targetId: 'account-projection',
        arn: this.function.arn,
        dependsOn: [permission],
      });
    }

    // The management account in us-east-1: the rule that forwards Organizations' events.
    const management = props.managementEventsProvider;
    const forwarder = new IamRole(this, 'forwarder-role', {
      provider: management,
      name: props.forwarderRoleName,
      description: `EventBridge forwards the organization's account events to ${props.functionName} in account ${accountId}`,
      assumeRolePolicy: serviceAssumeRolePolicy('events.amazonaws.com', managementRuleArn),
    });
    const forwarderPolicy = new IamRolePolicy(this, 'forwarder-policy', {
      provider: management,
      role: forwarder.name,
      name: 'put-events-on-the-projection-bus',
      policy: policyDocument([{ Sid: 'PutEventsOnTheProjectionBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: this.eventBus.arn }]),
    });
    const forward = new CloudwatchEventRule(this, 'forward', {
      provider: management,
      name: props.functionName,
      description: `Forwards accounts created in or invited to the organization to the ${props.functionName} bus of account ${accountId}`,
      eventPattern: JSON.stringify(accountJoinEventPattern()),
    });
    protect(forward, unseen);
    new CloudwatchEventTarget(this, 'forward-target', {
      provider: management,
      rule: forward.name,
      targetId: 'projection-bus',
      arn: this.eventBus.arn,
      roleArn: forwarder.arn,
      dependsOn: [busPolicy, forwarderPolicy],
    });
  }

  /** The function's runs and errors, for the security dashboard. */
  panel(): DashboardPanel {
    const { accountId, region, functionName } = this.props;
    const metric = (metricName: string, label: string) => ({
      accountId, region, namespace: 'AWS/Lambda', metricName, dimensions: { FunctionName: functionName }, statistic: 'Sum' as const, periodSeconds: 3600, label,
    });
    return {
      title: `Account projection: runs and errors (${functionName})`,
      metrics: [metric('Invocations', 'runs'), metric('Errors', 'errors')],
    };
  }
}
