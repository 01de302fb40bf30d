/**
 * The retention of the centralized copies as the landing zone deploys it: the construct and the
 * stack as synthesized (schedule, least privilege, its own log group), the names the rule gives the
 * copies, and the config that sets the retention. The function itself runs against the emulator in
 * integration/centralized-log-retention.test.ts.
 */
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ConfigError } from '../config/loader';
import { namesFor } from '../config/names';
import { CENTRALIZED_LOG_GROUP_NAME_PATTERN, centralizedLogGroupName } from '../facts/log-collection';
import { bundleFunction } from '../lambda/bundle';
import { acceptedIn } from '../modules/core/checkov';
import { serviceLogGroupsOf } from '../modules/core/log-store';
import { protectedResourcesOf } from '../modules/core/protection';
import { CentralizedLogRetention, type CentralizedLogRetentionProps } from '../modules/collection/centralized-log-retention';
import { centralizationRuleTemplate } from '../modules/collection/log-centralization-rule';
import { protectionOf } from '../scripts/protected-resources';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone, type SynthesizedJson, testApp } from './helpers';

const COPIES_KEY = 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-4000-8000-000000000000';

function retentionStack(change: Partial<CentralizedLogRetentionProps> = {}): TerraformStack {
  const stack = new TerraformStack(testApp(), 'bare');
  const provider = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const n = namesFor(exampleConfig()).centralizedLogRetention;
  new CentralizedLogRetention(stack, 'centralized-log-retention', {
    provider,
    accountId: '222222222222',
    region: 'eu-west-1',
    codeZip: bundleFunction('centralized-log-retention'),
    masking: { policyName: 'acme-masking', personalData: ['EmailAddress'] },
    logGroupNamePrefix: n.logGroupPrefix,
    retentionDays: 90,
    holds: ['cloudwatch-logs'],
    copiesKmsKeyArn: COPIES_KEY,
    copiesMadeBy: 'the centralization rule acme-collect-log-groups',
    functionName: n.functionName,
    logGroupName: n.logGroup,
    logGroupArn: n.logGroupArn,
    logRetentionDays: 30,
    keyAlias: n.keyAlias,
    schedulerRoleName: n.schedulerRoleName,
    scheduleName: n.scheduleName,
    ...change,
  });
  return stack;
}
const synth = (change: Partial<CentralizedLogRetentionProps> = {}) => JSON.parse(Testing.synth(retentionStack(change))) as SynthesizedJson;

describe('the construct', () => {
  const json = synth();
  const fn = onlyResource(json, 'aws_lambda_function');
  const roleId = (name: string) => Object.entries(json.resource!.aws_iam_role).find(([, r]) => r.name === name)![0];
  const policyOfRole = (name: string) => policyOf(resources(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${roleId(name)}.name}`)!);

  test('a Node.js 22 function with the prefix and the retention in its environment, logging to its own encrypted group with a retention', () => {
    expect(fn).toMatchObject({
      function_name: 'acme-collected-log-retention',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      timeout: 900,
      environment: { variables: { LOG_GROUP_PREFIX: 'collected/', RETENTION_DAYS: '90' } },
    });
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/lambda/acme-collected-log-retention', retention_in_days: 30, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\./) });
    expect(fn.logging_config.log_group).toMatch(/^\$\{aws_cloudwatch_log_group\./);
  });

  test('least privilege: list log groups, set the retention of the copies only, write its own logs', () => {
    const policy = policyOfRole('acme-collected-log-retention');
    expect(policy.Statement).toEqual([
      { Sid: 'ListLogGroups', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      { Sid: 'SetTheRetentionOfTheCopies', Effect: 'Allow', Action: 'logs:PutRetentionPolicy', Resource: 'arn:aws:logs:eu-west-1:222222222222:log-group:collected/*' },
      { Sid: 'WriteOwnLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\..*\.arn\}:log-stream:\*$/) },
    ]);
    expect(statement(policy, 'SetTheRetentionOfTheCopies').Resource).toBe(namesFor(exampleConfig()).centralizedLogRetention.logGroupsArn);
    expect(policyOf(resources(json, 'aws_iam_role').find((r) => r.name === 'acme-collected-log-retention')!, 'assume_role_policy').Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' });
  });

  test('EventBridge Scheduler starts it every hour, through a role that only that schedule assumes and that may only start it', () => {
    const schedule = onlyResource(json, 'aws_scheduler_schedule');
    expect(schedule).toMatchObject({ name: 'acme-collected-log-retention-hourly', schedule_expression: 'rate(1 hour)', schedule_expression_timezone: 'UTC', state: 'ENABLED', target: { input: '{}' } });
    expect(schedule.target.arn).toMatch(/^\$\{aws_lambda_function\..*\.arn\}$/);
    expect(schedule.target.role_arn).toBe(`\${aws_iam_role.${roleId('acme-collected-log-retention-schedule')}.arn}`);
    const trust = policyOf(resources(json, 'aws_iam_role').find((r) => r.name === 'acme-collected-log-retention-schedule')!, 'assume_role_policy').Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:222222222222:schedule/default/acme-collected-log-retention-hourly' } } });
    expect(policyOfRole('acme-collected-log-retention-schedule').Statement).toEqual([{ Sid: 'StartTheFunction', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: schedule.target.arn }]);
    expect(onlyResource(synth({ schedule: 'rate(15 minutes)' }), 'aws_scheduler_schedule').schedule_expression).toBe('rate(15 minutes)');
  });

  test('declares the copies for the record of processing, protects the function and schedule, accepts Checkov findings with reasons', () => {
    const stack = retentionStack();
    const full = stack.toTerraform() as SynthesizedJson;
    const declared = serviceLogGroupsOf(onlyResource(full, 'aws_lambda_function'));
    expect(declared).toEqual({ holds: ['cloudwatch-logs'], namePrefix: 'collected/', madeBy: 'the centralization rule acme-collect-log-groups', retentionDays: 90, retentionSetBy: 'the acme-collected-log-retention function, rate(1 hour)', kmsKeyArn: COPIES_KEY });
    expect(acceptedIn(onlyResource(full, 'aws_lambda_function')).map((s) => s.id).sort()).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173', 'CKV_AWS_272', 'CKV_AWS_50']);
    expect(acceptedIn(onlyResource(full, 'aws_scheduler_schedule')).map((s) => s.id)).toEqual(['CKV_AWS_297']);
    expect(acceptedIn(onlyResource(full, 'aws_cloudwatch_log_group')).map((s) => s.id)).toEqual(['CKV_AWS_338']);
    const planned = protectedResourcesOf(stack);
    const address = (type: string) => `${type}.${Object.keys(full.resource![type])[0]}`;
    expect(protectionOf({ deployed: {}, planned }, address('aws_lambda_function'))).toMatch(/kept without end/);
    expect(protectionOf({ deployed: {}, planned }, address('aws_scheduler_schedule'))).toMatch(/kept without end/);
  });

  test('refuses a retention CloudWatch Logs does not offer, a prefix that is no start of a name, and a schedule Scheduler would not take', () => {
    expect(() => synth({ retentionDays: 42 })).toThrow(/retentionDays 42 is not a CloudWatch Logs retention period \(1, 3, 5, 7, 14, 30, 60, 90/);
    expect(() => synth({ logGroupNamePrefix: 'collected/*' })).toThrow(/logGroupNamePrefix "collected\/\*" is not the start of a log group name/);
    expect(() => synth({ logGroupNamePrefix: '' })).toThrow(/logGroupNamePrefix "" is not the start of a log group name/);
    expect(() => synth({ schedule: 'hourly' })).toThrow(/schedule "hourly" is not an EventBridge Scheduler expression/);
  });
});

describe('the names of the copies', () => {
  test('one prefix, then the source account, region and name', () => {
    expect(CENTRALIZED_LOG_GROUP_NAME_PATTERN).toBe('collected/${source.accountId}/${source.region}${source.logGroup}');
    expect(centralizedLogGroupName({ accountId: '444444444441', region: 'eu-west-1', logGroup: '/aws/lambda/orders' })).toBe('collected/444444444441/eu-west-1/aws/lambda/orders');
  });

  test('the template refuses a pattern the rule would not accept', () => {
    const p = { ruleName: 'r', organizationId: 'o-acme12ab34', sourceRegions: ['eu-west-1'], logGroupPrefixes: ['/aws/lambda/'], includeEncryptedLogGroups: true };
    const template = (logGroupNamePattern: string) => () => centralizationRuleTemplate({ ...p, destination: { accountId: '222222222222', region: 'eu-west-1', kmsKeyArn: COPIES_KEY, logGroupNamePattern } });
    expect(template('collected/${source.accountId}')).not.toThrow();
    expect(template('collected/*')).toThrow(/the log group name pattern "collected\/\*" is not one a centralization rule accepts/);
    expect(template('')).toThrow(/is not one a centralization rule accepts/);
    expect(template('x'.repeat(513))).toThrow(/1-512 characters/);
  });
});

describe('in the log collection stack', () => {
  const config = exampleConfig();
  const home = stackOf(synthLandingZone(config), 'log-collection');
  const fn = resources(home, 'aws_lambda_function').find((f) => f.function_name === 'acme-collected-log-retention')!;

  test('runs in the Log Archive\'s home region with the configured retention (90 days by default)', () => {
    expect(config.logCollection.cloudWatchLogs.centralizedRetentionDays).toBe(90);
    expect(fn).toMatchObject({ provider: 'aws.log_archive_eu_west_1', environment: { variables: { LOG_GROUP_PREFIX: 'collected/', RETENTION_DAYS: '90' } } });
    const changed = stackOf(synthLandingZone(exampleConfig((raw) => (raw.logCollection.cloudWatchLogs.centralizedRetentionDays = 180))), 'log-collection');
    expect(resources(changed, 'aws_lambda_function').find((f) => f.function_name === 'acme-collected-log-retention')!.environment.variables.RETENTION_DAYS).toBe('180');
  });

  test('the rule names its copies under the prefix the function sweeps, and Terraform hands CloudFormation the variables unchanged', () => {
    const body: string = onlyResource(home, 'aws_cloudformation_stack').template_body;
    // Terraform renders $${ as ${; a bare ${source. would be a reference Terraform cannot resolve
    expect(body).toContain('"LogGroupNamePattern":"collected/$${source.accountId}/$${source.region}$${source.logGroup}"');
    expect(body).not.toMatch(/(?<!\$)\$\{source\./);
    const received = JSON.parse(body.replace(/\$\$\{/g, '${'));
    expect(received.Resources.CentralizationRule.Properties.Rule.Destination.DestinationLogsConfiguration.LogGroupNameConfiguration).toEqual({ LogGroupNamePattern: CENTRALIZED_LOG_GROUP_NAME_PATTERN });
    // the key stays a reference
    expect(received.Resources.CentralizationRule.Properties.Rule.Destination.DestinationLogsConfiguration.LogsEncryptionConfiguration.KmsKeyArn).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    expect(CENTRALIZED_LOG_GROUP_NAME_PATTERN.startsWith(fn.environment.variables.LOG_GROUP_PREFIX)).toBe(true);
  });

  test('its own log group is never collected nor subscribed', () => {
    const accountPolicy = resources(home, 'aws_cloudwatch_log_account_policy').find((p) => p.policy_type === 'SUBSCRIPTION_FILTER_POLICY')!;
    expect(JSON.parse(accountPolicy.selection_criteria.replace(/^LogGroupName NOT IN /, ''))).toContain('/aws/lambda/acme-collected-log-retention');
    const body: string = onlyResource(home, 'aws_cloudformation_stack').template_body;
    expect(body).toMatch(/NOT IN \([^)]*'\/aws\/lambda\/acme-collected-log-retention'/);
  });

  test('is absent while CloudWatch Logs collection is off', () => {
    const off = synthLandingZone(exampleConfig((raw) => (raw.logCollection.cloudWatchLogs.enabled = false))).get('log-collection');
    expect(resources(off ?? {}, 'aws_lambda_function').map((f) => f.function_name)).not.toContain('acme-collected-log-retention');
  });
});

describe('the config', () => {
  const withCwl = (change: (cwl: Record<string, any>, raw: Record<string, any>) => void) => () => exampleConfig((raw) => change(raw.logCollection.cloudWatchLogs, raw));

  test('a retention CloudWatch Logs does not offer is refused, naming the field', () => {
    const bad = withCwl((cwl) => (cwl.centralizedRetentionDays = 42));
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/logCollection\.cloudWatchLogs\.centralizedRetentionDays: CloudWatch Logs accepts only these retention periods: 1, 3, 5/);
  });

  test('while the copies are marked as evidence, a retention shorter than the archive\'s is refused, with the shortest that is not', () => {
    expect(withCwl((cwl) => (cwl.evidence = true))).toThrow(
      /logCollection\.cloudWatchLogs\.centralizedRetentionDays: 90 days is shorter than the archive's retention \(archive\.objectLock\.retentionDays = 2557\) for logs marked as evidence; use 2557 or more, or set logCollection\.cloudWatchLogs\.evidence to false/,
    );
    expect(withCwl((cwl, raw) => {
      cwl.evidence = true;
      raw.archive.objectLock.retentionDays = 2600;
    })).toThrow(/90 days is shorter than the archive's retention \(archive\.objectLock\.retentionDays = 2600\) for logs marked as evidence; use 2922 or more/);
    expect(withCwl((cwl) => Object.assign(cwl, { evidence: true, centralizedRetentionDays: 2557 }))().logCollection.cloudWatchLogs.centralizedRetentionDays).toBe(2557);
    expect(withCwl((cwl) => (cwl.centralizedRetentionDays = 7))().logCollection.cloudWatchLogs.evidence).toBe(false);
  });

  test('a prefix that would collect the copies into copies of themselves is refused', () => {
    expect(withCwl((cwl) => (cwl.logGroupPrefixes = ['/ecs/', 'collected/444444444441/']))).toThrow(
      /logCollection\.cloudWatchLogs\.logGroupPrefixes\[1\]: "collected\/444444444441\/" would collect the centralized copies \(collected\/ACCOUNT\/REGION\/\.\.\.\) of the Log Archive into new copies of themselves/,
    );
    expect(withCwl((cwl) => (cwl.logGroupPrefixes = ['coll']))).toThrow(/logGroupPrefixes\[0\]: "coll" would collect the centralized copies/);
  });
});
