/**
 * The scheduled integrity check as synthesized: the construct in a bare stack (least privilege,
 * schedule, queue, alarms), its stack in the Log Archive account, its config and its protection.
 */
import { spawnSync } from 'node:child_process';
import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { ConfigError } from '../config/loader';
import { acceptedIn } from '../modules/core/checkov';
import { namesFor } from '../config/names';
import { bundleFunction } from '../lambda/bundle';
import { LogIntegrityVerifier, type LogIntegrityVerifierProps } from '../modules/evidence/log-integrity-verifier';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { protectedResourcesOf } from '../modules/core/protection';
import { protectionOf } from '../scripts/protected-resources';
import { IntegrityStack } from '../stacks/integrity';
import { buildLandingZone } from '../stacks/landing-zone';
import { LogArchiveStack } from '../stacks/log-archive';
import { exampleConfig, onlyResource, policyOf, resources, type SynthesizedJson, testApp } from './helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-4000-8000-000000000000';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:222222222222:acme-log-integrity-alarms';

function synthVerifier(change: Partial<LogIntegrityVerifierProps> = {}): SynthesizedJson {
  return JSON.parse(Testing.synth(verifierStack(change))) as SynthesizedJson;
}

function verifierStack(change: Partial<LogIntegrityVerifierProps> = {}): TerraformStack {
  const stack = new TerraformStack(testApp(), 'bare');
  const provider = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const names = namesFor(exampleConfig()).logIntegrity;
  new LogIntegrityVerifier(stack, 'log-integrity', {
    provider,
    accountId: '222222222222',
    region: 'eu-west-1',
    masking: { policyName: 'acme-masking', personalData: ['EmailAddress'] },
    codeZip: bundleFunction('integrity'),
    archiveBucketName: 'acme-log-archive-222222222222-eu-west-1',
    archiveKeyArn: KEY_ARN,
    trailArn: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail',
    organizationId: 'o-acme12ab34',
    expectedAccountIds: ['111111111111', '222222222222', '333333333333'],
    expectedRegions: ['eu-west-1', 'us-east-1'],
    plannerFunctionName: names.plannerFunctionName,
    verifierFunctionName: names.verifierFunctionName,
    schedulerRoleName: names.schedulerRoleName,
    scheduleName: names.scheduleName,
    logGroupName: names.logGroup,
    logGroupArn: names.logGroupArn,
    logRetentionDays: 365,
    keyAlias: names.keyAlias,
    queueName: names.queueName,
    deadLetterQueueName: names.deadLetterQueueName,
    metricNamespace: names.metricNamespace,
    alarmNamePrefix: names.alarmNamePrefix,
    topicArn: TOPIC_ARN,
    topicKeyArn: KEY_ARN.replace('00000000', '11111111'),
    ...change,
  });
  return stack;
}

const json = synthVerifier();
const fn = (name: string) => resources(json, 'aws_lambda_function').find((f) => f.function_name === name)!;
const statementsOf = (roleName: string) => {
  const role = resources(json, 'aws_iam_role').find((r) => r.name === roleName)!;
  const roleId = Object.entries(json.resource!.aws_iam_role).find(([, r]) => r === role)![0];
  const policy = resources(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${roleId}.name}`)!;
  return Object.fromEntries(policyOf(policy).Statement.map((s: any) => [s.Sid, s]));
};

describe('the verifier construct', () => {
  test('two Node.js 22 functions from one bundle: the planner and the verifier, logging to an encrypted group', () => {
    const planner = fn('acme-log-integrity-plan');
    const verifier = fn('acme-log-integrity-verify');
    expect(planner).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.plan', timeout: 900 });
    expect(verifier).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.verify', timeout: 900, memory_size: 1024 });
    expect(verifier.filename).toBe(planner.filename);
    expect(planner.environment.variables).toMatchObject({
      ARCHIVE_BUCKET: 'acme-log-archive-222222222222-eu-west-1',
      ORGANIZATION_ID: 'o-acme12ab34',
      TRAIL_ARN: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail',
      EXPECTED_ACCOUNTS: '111111111111,222222222222,333333333333',
      EXPECTED_REGIONS: 'eu-west-1,us-east-1',
      QUEUE_URL: expect.stringMatching(/^\$\{aws_sqs_queue\.log-integrity_queue_\w+\.url\}$/),
    });
    expect(verifier.environment.variables).toMatchObject({ METRIC_NAMESPACE: 'LogIntegrity', TOPIC_ARN, NOTIFY_GAPS: 'true' });
    const group = onlyResource(json, 'aws_cloudwatch_log_group');
    expect(group).toMatchObject({ name: '/aws/lambda/acme-log-integrity', retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key\.log-integrity_key_/) });
    expect(planner.logging_config.log_group).toMatch(/aws_cloudwatch_log_group\.log-integrity_log-group_/);
  });

  test('the verifier may read the trail files and their metadata, decrypt only through S3, list public keys, and nothing more', () => {
    const s = statementsOf('acme-log-integrity-verify');
    expect(Object.keys(s).sort()).toEqual([
      'DecryptTheArchiveThroughS3', 'ListCloudTrailPublicKeys', 'ListTheArchive', 'NotifyFailures', 'PutIntegrityMetrics',
      'ReadTheTrailsFiles', 'ReceiveTheVerifications', 'UseTopicKeyThroughSns', 'WriteOwnLogs',
    ]);
    expect(s.ReadTheTrailsFiles).toEqual({ Sid: 'ReadTheTrailsFiles', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/AWSLogs/o-acme12ab34/*' });
    expect(s.ListTheArchive).toMatchObject({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1' });
    expect(s.DecryptTheArchiveThroughS3).toEqual({
      Sid: 'DecryptTheArchiveThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: KEY_ARN,
      Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
    expect(s.ListCloudTrailPublicKeys).toMatchObject({ Action: 'cloudtrail:ListPublicKeys', Resource: '*' });
    expect(s.PutIntegrityMetrics).toMatchObject({ Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'LogIntegrity' } } });
    expect(s.NotifyFailures).toMatchObject({ Action: 'sns:Publish', Resource: TOPIC_ARN });
    const actions = (Object.values(s) as any[]).flatMap((statement) => [statement.Action].flat()).sort();
    expect(actions).toEqual([
      'cloudtrail:ListPublicKeys', 'cloudwatch:PutMetricData', 'kms:Decrypt', 'kms:Decrypt', 'kms:GenerateDataKey*', 'logs:CreateLogStream', 'logs:PutLogEvents',
      's3:GetObject', 's3:ListBucket', 'sns:Publish', 'sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage',
    ]);
    expect((Object.values(s) as any[]).every((statement) => statement.Effect === 'Allow')).toBe(true);
  });

  test('the planner may only list the trail folders and queue work', () => {
    const s = statementsOf('acme-log-integrity-plan');
    expect(Object.keys(s).sort()).toEqual(['DeadLetterFailedRuns', 'ListTheTrailsAccountsAndRegions', 'QueueTheVerifications', 'WriteOwnLogs']);
    expect(s.ListTheTrailsAccountsAndRegions).toMatchObject({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': 'AWSLogs/o-acme12ab34/*' } } });
    expect(s.QueueTheVerifications.Resource).toMatch(/aws_sqs_queue\.log-integrity_queue_\w+\.arn/);
  });

  test('EventBridge Scheduler starts the planner daily in UTC, with retries and a dead-letter queue', () => {
    const schedule = onlyResource(json, 'aws_scheduler_schedule');
    expect(schedule).toMatchObject({
      name: 'acme-log-integrity-daily',
      schedule_expression: 'cron(30 2 * * ? *)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: expect.stringMatching(/aws_lambda_function\.log-integrity_planner_function_\w+\.arn/),
        input: '{}',
        retry_policy: { maximum_retry_attempts: 3 },
        dead_letter_config: { arn: expect.stringMatching(/aws_sqs_queue\.log-integrity_dead-letter-queue_/) },
      },
    });
    const role = resources(json, 'aws_iam_role').find((r) => r.name === 'acme-log-integrity-schedule')!;
    expect(policyOf(role, 'assume_role_policy').Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:scheduler:eu-west-1:222222222222:schedule/default/acme-log-integrity-daily' } },
    });
    expect(Object.keys(statementsOf('acme-log-integrity-schedule'))).toEqual(['StartThePlanner', 'DeadLetterFailedStarts']);
  });

  test('the queue fans out one account and region per invocation, bounded by the concurrency, and dead-letters after three tries', () => {
    const mapping = onlyResource(json, 'aws_lambda_event_source_mapping');
    expect(mapping).toMatchObject({ batch_size: 1, scaling_config: { maximum_concurrency: 10 }, function_response_types: ['ReportBatchItemFailures'] });
    const queue = resources(json, 'aws_sqs_queue').find((q) => q.name === 'acme-log-integrity-work')!;
    expect(queue).toMatchObject({ visibility_timeout_seconds: 5400, sqs_managed_sse_enabled: true });
    expect(JSON.parse(queue.redrive_policy)).toEqual({ deadLetterTargetArn: expect.stringMatching(/log-integrity_dead-letter-queue_/), maxReceiveCount: 3 });
    expect(onlyResource(synthVerifier({ concurrency: 50 }), 'aws_lambda_event_source_mapping').scaling_config.maximum_concurrency).toBe(50);
  });

  test('alarms on failures, gaps and unverified accounts and regions, to the topic', () => {
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => [a.alarm_name, a.namespace, a.metric_name]).sort()).toEqual([
      ['acme-log-integrity-failures', 'LogIntegrity', 'Failures'],
      ['acme-log-integrity-gaps', 'LogIntegrity', 'Gaps'],
      ['acme-log-integrity-unverified', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible'],
    ]);
    for (const alarm of alarms) expect(alarm).toMatchObject({ alarm_actions: [TOPIC_ARN], threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold' });
    expect(alarms.find((a) => a.metric_name === 'ApproximateNumberOfMessagesVisible')!.dimensions).toEqual({ QueueName: 'acme-log-integrity-failed' });
    const withoutGaps = synthVerifier({ alarmOnGaps: false });
    expect(resources(withoutGaps, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name)).not.toContain('acme-log-integrity-gaps');
    expect(resources(withoutGaps, 'aws_lambda_function').find((f) => f.handler === 'index.verify')!.environment.variables.NOTIFY_GAPS).toBe('false');
  });

  test('Checkov findings on the functions and the schedule are accepted with reasons', () => {
    // the comments Testing.synth leaves out, as terraform receives them
    const full = verifierStack().toTerraform() as SynthesizedJson;
    const accepted = (type: string, pick: (r: Record<string, any>) => boolean) => acceptedIn(resources(full, type).find(pick)!).map((s) => s.id).sort();
    expect(accepted('aws_lambda_function', (f) => f.handler === 'index.verify')).toEqual(['CKV_AWS_115', 'CKV_AWS_116', 'CKV_AWS_117', 'CKV_AWS_173', 'CKV_AWS_272', 'CKV_AWS_50']);
    expect(accepted('aws_lambda_function', (f) => f.handler === 'index.plan')).toEqual(['CKV_AWS_115', 'CKV_AWS_117', 'CKV_AWS_173', 'CKV_AWS_272', 'CKV_AWS_50']);
    expect(accepted('aws_scheduler_schedule', () => true)).toEqual(['CKV_AWS_297']);
  });

  test('rejects a schedule Scheduler would not take and a concurrency SQS would not, naming the prop', () => {
    expect(() => synthVerifier({ schedule: '30 2 * * *' })).toThrow(/schedule "30 2 \* \* \*" is not an EventBridge Scheduler expression/);
    expect(() => synthVerifier({ concurrency: 1 })).toThrow(/concurrency 1 is outside what an SQS event source mapping allows/);
  });

  test('is bundled into one file exporting both handlers, leaving the AWS SDK to the runtime', () => {
    const unzip = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist()); sys.stdout.write(z.read("index.js").decode())', bundleFunction('integrity')], { encoding: 'utf8' });
    const [names, ...lines] = unzip.stdout.split('\n');
    expect(names).toBe("['index.js']");
    const code = lines.join('\n');
    for (const client of ['s3', 'cloudtrail', 'cloudwatch', 'sns', 'sqs']) expect(code).toContain(`require("@aws-sdk/client-${client}")`);
    expect(code).toMatch(/plan: \(\) => plan/);
    expect(code).toMatch(/verify: \(\) => verify/);
  });
});

describe('the integrity stack', () => {
  function synthStack(config = exampleConfig()): { json: SynthesizedJson; stack: IntegrityStack } {
    const app = testApp();
    const context = landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state');
    const logArchive = new LogArchiveStack(app, context);
    const stack = new IntegrityStack(app, context, logArchive);
    return { json: JSON.parse(Testing.synth(stack)) as SynthesizedJson, stack };
  }
  const { json: integrity, stack } = synthStack();

  test('lives in the Log Archive account, home region, after the archive (whose key it reads)', () => {
    expect(Object.keys(integrity.provider!.aws)).toHaveLength(1);
    expect(integrity.provider!.aws[0]).toMatchObject({ alias: 'log_archive_eu_west_1', region: 'eu-west-1', allowed_account_ids: ['222222222222'] });
    for (const byName of Object.values(integrity.resource!)) for (const r of Object.values(byName)) expect(r.provider).toBe('aws.log_archive_eu_west_1');
    expect(stack.dependencies.map((d) => d.node.id)).toEqual(['log-archive']);
  });

  test('is deployed after the trail whose deliveries it checks', () => {
    const stacks = buildLandingZone(testApp(), landingZoneContext(exampleConfig(), 'aws', '/tmp/landing-zone-test-state'));
    const built = stacks.find((s) => s.node.id === 'integrity')!;
    expect(built.dependencies.map((d) => d.node.id).sort()).toEqual(['bootstrap', 'log-archive', 'org-trail']);
  });

  test('decrypts with the archive key from the Log Archive state, and expects the core accounts in the governed regions', () => {
    const verifier = resources(integrity, 'aws_iam_role_policy').map((p) => policyOf(p).Statement).flat().find((s: any) => s.Sid === 'DecryptTheArchiveThroughS3');
    expect(verifier.Resource).toBe('${data.terraform_remote_state.state-of-log-archive.outputs.archive_key_arn}');
    const planner = resources(integrity, 'aws_lambda_function').find((f) => f.handler === 'index.plan')!;
    expect(planner.environment.variables.EXPECTED_ACCOUNTS).toBe('111111111111,222222222222,333333333333');
    expect(planner.environment.variables.EXPECTED_REGIONS.split(',')).toEqual(exampleConfig().governedRegions);
  });

  test('the alarms reach an encrypted topic that only its CloudWatch alarms publish to, with the notification e-mails', () => {
    const topic = onlyResource(integrity, 'aws_sns_topic');
    expect(topic).toMatchObject({ name: 'acme-log-integrity-alarms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.alarm-topic_key_/) });
    const policy = policyOf(onlyResource(integrity, 'aws_sns_topic_policy'));
    expect(policy.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:222222222222:alarm:acme-log-integrity-*' } });
    expect(resources(integrity, 'aws_sns_topic_subscription').map((s) => s.endpoint)).toEqual(['security-alerts@acme.example']);
    for (const alarm of resources(integrity, 'aws_cloudwatch_metric_alarm')) expect(alarm.alarm_actions).toEqual([expect.stringMatching(/aws_sns_topic\.alarm-topic_\w+\.arn/)]);
  });

  test('follows the integrity config: schedule, concurrency, gap alarm', () => {
    const { json } = synthStack(exampleConfig((raw) => (raw.integrity = { schedule: 'cron(0 4 * * ? *)', concurrency: 40, alarm: { onGaps: false } })));
    expect(onlyResource(json, 'aws_scheduler_schedule').schedule_expression).toBe('cron(0 4 * * ? *)');
    expect(onlyResource(json, 'aws_lambda_event_source_mapping').scaling_config.maximum_concurrency).toBe(40);
    expect(resources(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort()).toEqual(['acme-log-integrity-failures', 'acme-log-integrity-unverified']);
  });
});

describe('the integrity config', () => {
  test('switching the check off needs an acknowledgement, and then leaves the stack out', () => {
    expect(() => exampleConfig((raw) => (raw.integrity = { enabled: false }))).toThrow(ConfigError);
    expect(() => exampleConfig((raw) => (raw.integrity = { enabled: false }))).toThrow(/integrity\.enabled: false switches off the daily verification.*integrity\.acknowledgeDisabled: true/);
    const off = exampleConfig((raw) => (raw.integrity = { enabled: false, acknowledgeDisabled: true }));
    const stacks = buildLandingZone(testApp(), landingZoneContext(off, 'aws', '/tmp/landing-zone-test-state'));
    expect(stacks.map((s) => s.node.id)).not.toContain('integrity');
    expect(stacks.map((s) => s.node.id)).toContain('org-trail');
  });

  test('the stack may be retired only once the check is off', () => {
    expect(() => exampleConfig((raw) => (raw.retiredStacks = ['integrity']))).toThrow(/retiredStacks\[0\]: integrity is still synthesized: integrity\.enabled is true/);
    expect(exampleConfig((raw) => {
      raw.integrity = { enabled: false, acknowledgeDisabled: true };
      raw.retiredStacks = ['integrity'];
    }).retiredStacks).toEqual(['integrity']);
  });

  test('a schedule or concurrency out of bounds is reported with the field and the fix', () => {
    expect(() => exampleConfig((raw) => (raw.integrity = { schedule: 'every day' }))).toThrow(/integrity\.schedule: write an EventBridge Scheduler expression/);
    expect(() => exampleConfig((raw) => (raw.integrity = { concurrency: 1001 }))).toThrow(/integrity\.concurrency/);
  });
});

describe('plan review protects the check', () => {
  test('its functions, schedule, feed and alarms are declared protected, with their reasons', () => {
    const stack = verifierStack();
    const synthesized = JSON.parse(Testing.synth(stack)) as SynthesizedJson;
    const planned = protectedResourcesOf(stack);
    const reasonOf = (type: string, match: (r: Record<string, any>) => boolean) => {
      const [name] = Object.entries(synthesized.resource?.[type] ?? {}).find(([, r]) => match(r as Record<string, any>)) ?? [];
      return name ? protectionOf({ deployed: {}, planned }, `${type}.${name}`) : undefined;
    };
    const names = namesFor(exampleConfig()).logIntegrity;
    expect(reasonOf('aws_lambda_function', (r) => r.function_name === names.verifierFunctionName)).toMatch(/proves every day/);
    expect(reasonOf('aws_lambda_function', (r) => r.function_name === names.plannerFunctionName)).toMatch(/proves every day/);
    expect(reasonOf('aws_scheduler_schedule', (r) => r.name === names.scheduleName)).toMatch(/never runs/);
    expect(reasonOf('aws_lambda_event_source_mapping', () => true)).toMatch(/feeds the log integrity verifier/);
    for (const alarm of resources(synthesized, 'aws_cloudwatch_metric_alarm')) {
      expect(reasonOf('aws_cloudwatch_metric_alarm', (r) => r.alarm_name === alarm.alarm_name)).toMatch(/tampering/);
    }
    expect(resources(synthesized, 'aws_cloudwatch_metric_alarm').length).toBeGreaterThanOrEqual(2);
  });
});
