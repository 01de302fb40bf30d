import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { ConfigError } from '../config/loader';
import { bundleNotifier, zipOneFile } from '../lambda/notifier/bundle';
import { type CloudTrailRecord, MAX_SUBJECT_LENGTH, type Notification, type NotificationOptions, notificationOf, subjectOf } from '../lambda/notifier/format';
import { createHandler, type SubscriptionEvent } from '../lambda/notifier/handler';
import { exampleConfig, onlyResource, policyOf, resources, synthStack } from './helpers';
import { vendoredRecords } from './support/cloudtrail-records';
import { compileFilterPattern } from './support/filter-pattern';

/** Real CloudTrail records, vendored with their sources and licences (__tests__/fixtures/README.md). */
const samples = vendoredRecords() as Array<{ eventID?: string; test_name?: string; source: string; event: CloudTrailRecord }>;

function sample(id: string): CloudTrailRecord {
  const found = samples.find((s) => s.eventID === id || s.test_name === id);
  if (!found) throw new Error(`no sample ${id}`);
  return found.event;
}

/** Full detail: these tests read everything a record can show. */
const FULL: NotificationOptions = {
  detail: 'full',
  lookUp: {
    athena: { table: 'acme_audit_logs.cloudtrail', workgroup: 'investigations', accountId: '333333333333', region: 'eu-west-1' },
    logGroup: { name: '/aws/cloudtrail/acme-organization-trail', accountId: '111111111111', region: 'eu-west-1' },
  },
};

// invictus-ir/aws_dataset (MIT): a Terraform user launching an instance, opening a security group, attaching a policy
const runInstances = sample('86eac0ac-8521-4126-aa32-a22f2b74d02e');
const authorizeIngress = sample('7e96f0e7-4d78-423d-b3f5-391370685b30');
const attachUserPolicy = sample('f4923a37-92d5-4dfd-9786-6caef2b5f33c');
const describeInstanceAttribute = sample('f4574dc5-9747-435c-bb53-22f2454be3b7');
// DataDog/stratus-red-team detonation logs (Apache-2.0): a backdoor access key
const createAccessKey = sample('94faedcc-0fa4-46e6-9322-022e8e934f04');
// panther-labs/panther-analysis rule tests (Apache-2.0): root console sign-in, a role changing a security group (and, below, an IAM group policy change)
const rootConsoleLogin = sample('Successful Root Login');
const roleAuthorizesIngress = sample('Security Group Modified');

describe('the notification of a CloudTrail record', () => {
  test('RunInstances names the principal, origin, account, region, event and the instance', () => {
    expect(runInstances.eventName).toBe('RunInstances');
    const { subject, message } = notificationOf(runInstances, FULL);
    expect(subject).toBe('AWS RunInstances by bert-jan in 123837392027');
    expect(message).toContain('RunInstances by bert-jan in account 123837392027, region us-east-1');
    expect(message).toMatch(/ARN: +arn:aws:iam::123837392027:user\/bert-jan/);
    expect(message).toMatch(/Type: +IAMUser/);
    expect(message).toMatch(/Source IP: +192\.168\.10\.20/);
    expect(message).toMatch(/User agent: +APN\/1\.0 HashiCorp\/1\.0 Terraform/);
    expect(message).toMatch(/Time \(UTC\): +2023-07-10T/);
    expect(message).toMatch(/Service: +ec2\.amazonaws\.com/);
    expect(message).toMatch(/Instance ids: +i-0dbc91f429e48eeed\n/);
    expect(message).toMatch(/Instance type: +t3\.micro/);
    expect(message).toMatch(/Image: +ami-029eb80bc237bec6f/);
    expect(message).toMatch(/Result: +succeeded/);
  });

  test('a security group change names the group and the rule it opened', () => {
    const { subject, message } = notificationOf(authorizeIngress, FULL);
    expect(subject).toBe('AWS AuthorizeSecurityGroupIngress by bert-jan in 123837392027');
    expect(message).toMatch(/Security group: +sg-04cfb7a4712d75b00/);
    expect(message).toMatch(/Rules: +tcp 443 0\.0\.0\.0\/0/);
    expect(message).toMatch(/Rule ids: +sgr-0bb31cddb2c27f401/);
    expect(message).toMatch(/Source IP: +192\.168\.10\.20/);
  });

  test('a role session names the role, its session issuer and MFA', () => {
    const { subject, message } = notificationOf(roleAuthorizesIngress, FULL);
    expect(subject).toBe('AWS AuthorizeSecurityGroupIngress by tester in 123456789012');
    expect(message).toMatch(/Type: +AssumedRole/);
    expect(message).toMatch(/ARN: +arn:aws:sts::123456789012:assumed-role\/tester/);
    expect(message).toMatch(/Session issuer: +arn:aws:iam::123456789012:role\/tester \(Role\)/);
    expect(message).toMatch(/MFA in session: +true/);
    expect(message).toMatch(/Rules: +tcp 22 127\.0\.0\.1\/32/);
    expect(message).toContain('region us-west-2');
  });

  test('IAM changes name the user, the policy and the new access key', () => {
    const attach = notificationOf(attachUserPolicy, FULL).message;
    expect(attach).toMatch(/IAM user: +malicious-iam-user/);
    expect(attach).toMatch(/Policy: +arn:aws:iam::aws:policy\/AdministratorAccess/);
    const key = notificationOf(createAccessKey, FULL);
    expect(key.subject).toBe('AWS CreateAccessKey by christophe in 229654561268');
    expect(key.message).toMatch(/Access key: +AKIAXAFZN8JEPF6L682H/);
    expect(key.message).toMatch(/IAM user: +malicious-iam-user/);
    expect(key.message).toMatch(/Source IP: +075\.050\.255\.67/);
    const group = notificationOf(sample('IAM Policy Change'), FULL).message;
    expect(group).toMatch(/IAM group: +group\n/);
    expect(group).toMatch(/Policy: +policy\n/);
    expect(group).not.toMatch(/Security group:/);
  });

  test('a root console sign-in says root, the result and whether MFA was used', () => {
    const { subject, message } = notificationOf(rootConsoleLogin, FULL);
    expect(subject).toBe('AWS ConsoleLogin by root in 123456789012');
    expect(message).toMatch(/Type: +Root/);
    expect(message).toMatch(/ARN: +arn:aws:iam::123456789012:root/);
    expect(message).toMatch(/Source IP: +111\.111\.111\.111/);
    expect(message).toMatch(/Console login: +Success/);
    expect(message).toMatch(/MFA used: +No/);
    expect(message).toContain('region us-east-1');
  });

  test('a failed call says so, with the error, in subject and body', () => {
    const failed = samples.find((s) => s.event.eventName === 'RunInstances' && s.event.errorCode)!.event;
    const { subject, message } = notificationOf(failed, FULL);
    expect(subject).toContain('RunInstances (failed) by');
    expect(message).toMatch(new RegExp(`Result: +FAILED: ${String(failed.errorCode)}`));
    expect(message).toMatch(/Error: +\S/);
  });

  test('subjects are one ASCII line under the SNS limit, even for long or non-ASCII principals', () => {
    const long = { ...runInstances, userIdentity: { type: 'IAMUser', userName: `ünïcode-${'x'.repeat(200)}\nnext` } };
    const subject = subjectOf(long);
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(subject.endsWith('...')).toBe(true);
    for (const s of samples) expect(subjectOf(s.event)).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});

function subscriptionEvent(messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE', records: readonly CloudTrailRecord[]): SubscriptionEvent {
  const payload = {
    messageType,
    owner: '111111111111',
    logGroup: '/aws/cloudtrail/acme-organization-trail',
    logStream: 'o-acme12ab34_123837392027_CloudTrail_us-east-1',
    subscriptionFilters: ['acme-activity-notifier'],
    logEvents: records.map((r, i) => ({ id: String(i), timestamp: 1688990121000 + i, message: JSON.stringify(r) })),
  };
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } };
}

describe('the handler', () => {
  test('decodes a gzip and base64 subscription payload and publishes one notification per record', async () => {
    const published: Notification[] = [];
    const handler = createHandler(async (n) => {
      published.push(n);
    }, FULL);
    const result = await handler(subscriptionEvent('DATA_MESSAGE', [runInstances, rootConsoleLogin]));
    expect(result).toEqual({ published: 2, serviceInitiated: 0 });
    expect(published.map((n) => n.subject)).toEqual(['AWS RunInstances by bert-jan in 123837392027', 'AWS ConsoleLogin by root in 123456789012']);
    expect(published[0].message).toContain('i-0dbc91f429e48eeed');
  });

  test('publishes nothing for the control message CloudWatch Logs sends first', async () => {
    const publish = jest.fn(async () => {});
    expect(await createHandler(publish, FULL)(subscriptionEvent('CONTROL_MESSAGE', []))).toEqual({ published: 0, serviceInitiated: 0 });
    expect(publish).not.toHaveBeenCalled();
  });

  test('fails the invocation when publishing fails, so Lambda retries and then dead-letters it', async () => {
    const handler = createHandler(async () => {
      throw new Error('throttled');
    }, FULL);
    await expect(handler(subscriptionEvent('DATA_MESSAGE', [runInstances]))).rejects.toThrow('throttled');
  });

  test('is bundled into one zipped file that leaves the AWS SDK to the runtime', () => {
    // Python's zipfile checks the archive (CRC included) the way Lambda's unzip will
    const unzip = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist()); sys.stdout.write(z.read("index.js").decode())', bundleNotifier()], { encoding: 'utf8' });
    expect(unzip.stderr).toBe('');
    const [names, ...lines] = unzip.stdout.split('\n');
    expect(names).toBe("['index.js']");
    const code = lines.join('\n');
    expect(code).toContain('require("@aws-sdk/client-sns")');
    expect(code).toMatch(/handler/);
    expect(code).not.toMatch(/require\("\.\/(format|handler)"\)/);
  });
});

const orgTrail = synthStack('org-trail');

describe('the subscription filter', () => {
  const subscription = onlyResource(orgTrail, 'aws_cloudwatch_log_subscription_filter');
  const matches = compileFilterPattern(subscription.filter_pattern);

  test('reads the trail log group (every account) and sends to the function', () => {
    expect(subscription.log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\.organization-trail_log-group_\w+\.name\}$/);
    expect(subscription.destination_arn).toMatch(/^\$\{aws_lambda_function\.activity-notifier_function_\w+\.arn\}$/);
    expect(subscription.filter_pattern.length).toBeLessThanOrEqual(1024);
  });

  test('matches the default activity and root console sign-in, and not read-only calls or other sign-ins', () => {
    for (const record of [runInstances, authorizeIngress, roleAuthorizesIngress, attachUserPolicy, createAccessKey, rootConsoleLogin]) {
      expect({ event: record.eventName, matches: matches(record) }).toEqual({ event: record.eventName, matches: true });
    }
    const iamUserLogin = samples.find((s) => s.test_name === 'Normal Login')!.event;
    for (const record of [describeInstanceAttribute, iamUserLogin]) {
      expect({ event: record.eventName, matches: matches(record) }).toEqual({ event: record.eventName, matches: false });
    }
  });

  test('follows the configured event names', () => {
    const json = synthStack('org-trail', exampleConfig((raw) => (raw.notifier = { eventNames: ['DeleteTrail'], rootConsoleSignIn: false })));
    const custom = compileFilterPattern(onlyResource(json, 'aws_cloudwatch_log_subscription_filter').filter_pattern);
    const deleteTrail = samples.find((s) => s.event.eventName === 'DeleteTrail')!.event;
    expect(custom(deleteTrail)).toBe(true);
    expect(custom(runInstances)).toBe(false);
    expect(custom(rootConsoleLogin)).toBe(false);
  });

  test('a list too long for CloudWatch Logs is rejected naming the field', () => {
    const many = Array.from({ length: 60 }, (_, i) => `SomeRatherLongEventName${i}`);
    expect(() => exampleConfig((raw) => (raw.notifier = { eventNames: many }))).toThrow(ConfigError);
    expect(() => exampleConfig((raw) => (raw.notifier = { eventNames: many }))).toThrow(/notifier\.eventNames: makes a subscription filter pattern of \d+ characters/);
  });

  test('nothing of the notifier exists when it is disabled', () => {
    const json = synthStack('org-trail', exampleConfig((raw) => (raw.notifier = { enabled: false })));
    expect(resources(json, 'aws_lambda_function')).toEqual([]);
    expect(resources(json, 'aws_cloudwatch_log_subscription_filter')).toEqual([]);
    expect(resources(json, 'aws_cloudwatch_metric_alarm').length).toBeGreaterThan(0);
  });
});

describe('the notifier function', () => {
  const fn = onlyResource(orgTrail, 'aws_lambda_function');

  test('runs Node.js 22 from the bundled asset, publishing to the activity topic, with capped concurrency', () => {
    expect(fn).toMatchObject({
      function_name: 'acme-activity-notifier',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      reserved_concurrent_executions: 5,
      environment: { variables: { TOPIC_ARN: expect.stringMatching(/^\$\{aws_sns_topic\.activity-topic_\w+\.arn\}$/), NOTIFICATION_OPTIONS: expect.any(String) } },
    });
    expect(fn.filename).toMatch(/^assets\/activity-notifier_code_\w+\/\w+\/\w+\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${fn.filename}")}`);
  });

  test('sends events it could not handle to an encrypted dead-letter queue', () => {
    const queue = onlyResource(orgTrail, 'aws_sqs_queue');
    expect(fn.dead_letter_config.target_arn).toMatch(/^\$\{aws_sqs_queue\.activity-notifier_dead-letter-queue_\w+\.arn\}$/);
    expect(queue.name).toBe('acme-activity-notifier-failed');
    expect(queue.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.activity-notifier_key_\w+\.arn\}$/);
  });

  test('logs to its own encrypted log group with the configured retention', () => {
    const group = resources(orgTrail, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/lambda/acme-activity-notifier');
    expect(group).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.activity-notifier_key_\w+\.arn\}$/) });
    const key = resources(orgTrail, 'aws_kms_key').find((k) => k.description.includes('acme-activity-notifier'))!;
    const logs = policyOf(key).Statement.find((s) => s.Sid === 'CloudWatchLogsEncryptsTheLogGroup');
    expect(logs.Condition).toEqual({ ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/lambda/acme-activity-notifier' } });
  });

  test('may be invoked only by CloudWatch Logs for the trail log group of this account', () => {
    expect(onlyResource(orgTrail, 'aws_lambda_permission')).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'logs.amazonaws.com',
      source_arn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/cloudtrail/acme-organization-trail:*',
      source_account: '111111111111',
    });
  });

  test('has a least-privilege role: named actions on named resources only', () => {
    const policyResource = resources(orgTrail, 'aws_iam_role_policy').find((p) => String(p.role).includes('activity-notifier_role'))!;
    const statements = policyOf(policyResource).Statement;
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const action of [s.Action].flat()) expect(action).toMatch(/^[a-z]+:[A-Za-z]+\*?$/);
      for (const resource of [s.Resource].flat()) expect(resource).not.toBe('*');
    }
    const bySid = Object.fromEntries(statements.map((s: any) => [s.Sid, s]));
    expect(bySid.PublishToActivityTopic).toMatchObject({ Action: 'sns:Publish', Resource: expect.stringMatching(/aws_sns_topic\.activity-topic_\w+\.arn/) });
    expect(bySid.UseTopicKeyThroughSns).toMatchObject({
      Resource: expect.stringMatching(/aws_kms_key\.activity-topic_key_\w+\.arn/),
      Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
    });
    expect(bySid.WriteOwnLogs.Resource).toMatch(/aws_cloudwatch_log_group\.activity-notifier_log-group_\w+\.arn\}:log-stream:\*$/);
    expect(bySid.SendFailedEventsToDeadLetterQueue).toMatchObject({ Action: 'sqs:SendMessage' });
    expect(Object.keys(bySid).sort()).toEqual(['PublishToActivityTopic', 'SendFailedEventsToDeadLetterQueue', 'UseQueueKeyThroughSqs', 'UseTopicKeyThroughSns', 'WriteOwnLogs']);
    const trust = policyOf(resources(orgTrail, 'aws_iam_role').find((r) => r.name === 'acme-activity-notifier')!, 'assume_role_policy');
    expect(trust.Statement).toEqual([{ Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });
});

test('the same code zips to the same bytes, so the function changes only when its code does', () => {
  const content = Buffer.from('exports.handler = async () => {};\n');
  expect(zipOneFile('index.js', content).equals(zipOneFile('index.js', content))).toBe(true);
  expect(zipOneFile('index.js', content).equals(zipOneFile('index.js', Buffer.from('exports.handler = 1;\n')))).toBe(false);
});
