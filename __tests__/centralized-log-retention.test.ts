/**
 * The retention of the centralized copies: the function against moto_server's CloudWatch Logs
 * (copies without retention or with another get the configured one, nothing outside the prefix is
 * touched, every page is read), the bundle as Lambda runs it, the construct and the stack as
 * synthesized (schedule, least privilege, its own log group), the names the rule gives the copies,
 * and the config that sets the retention.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { ConfigError } from '../config/loader';
import { namesFor } from '../config/names';
import { CENTRALIZED_LOG_GROUP_NAME_PATTERN, CENTRALIZED_LOG_GROUP_PREFIX, centralizedLogGroupName } from '../facts/log-collection';
import { bundleFunction } from '../lambda/bundle';
import { sweepLogLines, sweepRetention, type SweepOptions } from '../lambda/centralized-log-retention/sweep';
import { acceptedIn } from '../modules/core/checkov';
import { serviceLogGroupsOf } from '../modules/core/log-store';
import { protectedResourcesOf } from '../modules/core/protection';
import { CentralizedLogRetention, type CentralizedLogRetentionProps } from '../modules/collection/centralized-log-retention';
import { centralizationRuleTemplate } from '../modules/collection/log-centralization-rule';
import { protectionOf } from '../scripts/protected-resources';
import { freePort, type MotoServer, startMoto } from '../scripts/moto';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone, type SynthesizedJson } from './helpers';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centralized-retention-'));
const REGION = 'eu-west-1';
let moto: MotoServer;
let logs: CloudWatchLogsClient;

const savedEnv = { ...process.env };
// started as the file loads, so that the emulator comes up while the stacks below are synthesized
const motoStarting = freePort().then((port) => startMoto(port, path.join(workDir, 'moto.log')));
motoStarting.catch(() => undefined);

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  moto = await motoStarting;
  logs = new CloudWatchLogsClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
});

afterAll(async () => {
  (moto ?? (await motoStarting.catch(() => undefined)))?.stop();
  process.env = savedEnv;
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function createGroup(name: string, retentionInDays?: number): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (retentionInDays !== undefined) await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays }));
}

/** Every log group of the emulated account and region, by name, with its retention (undefined: none). */
async function retentions(prefix?: string): Promise<Record<string, number | undefined>> {
  const found: LogGroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }));
    found.push(...(page.logGroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return Object.fromEntries(found.map((g) => [g.logGroupName!, g.retentionInDays]));
}

/** A client that counts the pages it was asked for. */
function counting(client: CloudWatchLogsClient): { logs: SweepOptions['logs']; pages: () => number } {
  let pages = 0;
  return {
    logs: {
      send: ((command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'DescribeLogGroupsCommand') pages += 1;
        return client.send(command as never);
      }) as SweepOptions['logs']['send'],
    },
    pages: () => pages,
  };
}

describe('the function, against the emulator\'s CloudWatch Logs', () => {
  const orders = centralizedLogGroupName({ accountId: '444444444441', region: 'eu-west-1', logGroup: '/aws/lambda/orders' });
  const web = centralizedLogGroupName({ accountId: '444444444442', region: 'us-east-1', logGroup: '/ecs/web' });
  const kept = centralizedLogGroupName({ accountId: '444444444443', region: 'eu-central-1', logGroup: '/acme/billing' });
  const outside = ['/aws/lambda/acme-collected-log-retention', '/aws/lambda/orders', 'collected-elsewhere/x', 'Collected/444444444441/eu-west-1/aws/lambda/orders'];

  beforeAll(async () => {
    await createGroup(orders);
    await createGroup(web, 3653);
    await createGroup(kept, 90);
    for (const name of outside) await createGroup(name, name.startsWith('/aws/lambda/acme') ? 30 : undefined);
  });

  test('sets the retention on copies without one and with another, and leaves the rest alone', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 90 });
    expect(report).toMatchObject({ prefix: 'collected/', retentionDays: 90, examined: 3, vanished: [], failed: [], complete: true });
    expect(report.changed).toEqual([
      { logGroupName: 'collected/444444444441/eu-west-1/aws/lambda/orders', previousRetentionDays: null },
      { logGroupName: 'collected/444444444442/us-east-1/ecs/web', previousRetentionDays: 3653 },
    ]);
    const now = await retentions();
    expect([orders, web, kept].map((g) => now[g])).toEqual([90, 90, 90]);
    expect(Object.fromEntries(outside.map((g) => [g, now[g]]))).toEqual({
      '/aws/lambda/acme-collected-log-retention': 30,
      '/aws/lambda/orders': undefined,
      'collected-elsewhere/x': undefined,
      'Collected/444444444441/eu-west-1/aws/lambda/orders': undefined,
    });
    expect(sweepLogLines(report)).toEqual([
      '3 log groups under collected/: 2 set to 90 days',
      'set collected/444444444441/eu-west-1/aws/lambda/orders: no retention -> 90 days',
      'set collected/444444444442/us-east-1/ecs/web: 3653 days -> 90 days',
    ]);
  });

  test('a second run finds nothing to change', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 90 });
    expect(report).toMatchObject({ examined: 3, changed: [] });
  });

  test('reads every page: 55 new copies over two pages of 50, and over pages of 7', async () => {
    const many = Array.from({ length: 55 }, (_, i) => `collected/555555555555/eu-west-1/aws/lambda/fn-${String(i).padStart(2, '0')}`);
    // made at once (the emulator lists log groups by name, as CloudWatch Logs does, whatever their order)
    await Promise.all(many.map((name) => createGroup(name, Number(name.slice(-2)) % 2 === 0 ? undefined : 14)));
    const big = counting(logs);
    const first = await sweepRetention({ logs: big.logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 365 });
    expect(big.pages()).toBe(2);
    expect(first.examined).toBe(58);
    expect(first.changed).toHaveLength(58);
    expect(Object.values(await retentions(CENTRALIZED_LOG_GROUP_PREFIX))).toEqual(Array(58).fill(365));

    const small = counting(logs);
    const second = await sweepRetention({ logs: small.logs, prefix: 'collected/555555555555/', retentionDays: 30, pageSize: 7 });
    expect(small.pages()).toBe(8);
    expect(second).toMatchObject({ examined: 55, complete: true });
    expect(second.changed.map((c) => c.logGroupName)).toEqual(many);
    const now = await retentions();
    expect(many.every((g) => now[g] === 30)).toBe(true);
    expect([orders, web, kept].map((g) => now[g])).toEqual([365, 365, 365]);
    expect(now['/aws/lambda/orders']).toBeUndefined();
  });

  test('stops before a page when the invocation is about to end, and says so', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 7, timeLeftMs: () => 5_000 });
    expect(report).toMatchObject({ examined: 0, changed: [], complete: false });
    expect(sweepLogLines(report)[0]).toMatch(/stopped before the end of the list to end in time; the next run goes on$/);
    expect((await retentions(CENTRALIZED_LOG_GROUP_PREFIX))[orders]).toBe(365);
  });

  test('refuses an empty prefix (every log group of the account) and a page DescribeLogGroups would refuse', async () => {
    await expect(sweepRetention({ logs, prefix: '', retentionDays: 90 })).rejects.toThrow(/the prefix is empty/);
    await expect(sweepRetention({ logs, prefix: 'collected/', retentionDays: 90, pageSize: 51 })).rejects.toThrow(/1-50 log groups a page/);
  });

  test('a copy deleted meanwhile is no failure; a refused call is, and is named', async () => {
    const page = { logGroups: [{ logGroupName: 'collected/a' }, { logGroupName: 'collected/b', retentionInDays: 1 }, { logGroupName: 'collected/c', retentionInDays: 90 }] };
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    const stub: SweepOptions['logs'] = {
      send: (async (command: { input: { logGroupName?: string } }) => {
        if (command instanceof DescribeLogGroupsCommand) return page;
        if (command.input.logGroupName === 'collected/a') throw named('ResourceNotFoundException', 'The specified log group does not exist.');
        throw named('AccessDeniedException', 'not authorized to perform: logs:PutRetentionPolicy');
      }) as SweepOptions['logs']['send'],
    };
    const report = await sweepRetention({ logs: stub, prefix: 'collected/', retentionDays: 90 });
    expect(report).toMatchObject({ examined: 3, changed: [], vanished: ['collected/a'], failed: [{ logGroupName: 'collected/b', error: 'AccessDeniedException: not authorized to perform: logs:PutRetentionPolicy' }] });
    expect(sweepLogLines(report)).toEqual(['3 log groups under collected/: 0 set to 90 days; 1 deleted meanwhile; 1 failed', 'failed collected/b: AccessDeniedException: not authorized to perform: logs:PutRetentionPolicy']);
  });

  test('the bundle, run as Lambda runs it (the SDK from outside the bundle), sets the retention from its environment', () => {
    const dir = path.join(workDir, 'bundle');
    const unzip = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist()); z.extractall(sys.argv[2])', bundleFunction('centralized-log-retention'), dir], { encoding: 'utf8' });
    expect(unzip.stdout.trim()).toBe("['index.js']");
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(code).toContain('require("@aws-sdk/client-cloudwatch-logs")');
    expect(code).not.toMatch(/require\("\.\/sweep"\)/);
    const invoke = "require(process.argv[1]).handler({}, { getRemainingTimeInMillis: () => 900000 }).then((r) => console.log('REPORT ' + JSON.stringify({ examined: r.examined, changed: r.changed.length })), (e) => { console.error(e); process.exit(1); })";
    const run = spawnSync(process.execPath, ['-e', invoke, path.join(dir, 'index.js')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        // Lambda's runtime provides the SDK; here it comes from the repository's node_modules
        NODE_PATH: path.join(__dirname, '..', 'node_modules'),
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_GROUP_PREFIX: 'collected/444444444441/',
        RETENTION_DAYS: '180',
      },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 log groups under collected/444444444441/: 1 set to 180 days');
    expect(run.stdout).toContain('set collected/444444444441/eu-west-1/aws/lambda/orders: 365 days -> 180 days');
    expect(run.stdout).toContain('REPORT {"examined":1,"changed":1}');
  });
});

const COPIES_KEY = 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-4000-8000-000000000000';

function retentionStack(change: Partial<CentralizedLogRetentionProps> = {}): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'bare');
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
