/**
 * Personal data only where it is needed: the notifier's e-mails on real CloudTrail records, its own
 * topic, Security Lake's data classes and GuardDuty's agents, each as the config's defaults leave them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Testing } from 'cdktf';
import type { Config } from '../config/schema';
import { type CloudTrailRecord, isServiceInitiated, type NotificationOptions, notificationOf } from '../lambda/notifier/format';
import { SECURITY_LAKE_SOURCE_PERSONAL_DATA } from '../facts/security-lake';
import { createHandler } from '../lambda/notifier/handler';
import { AnalyticsStack } from '../stacks/analytics';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { LogArchiveStack } from '../stacks/log-archive';
import { OrgTrailStack } from '../stacks/org-trail';
import { exampleConfig, onlyResource, resources, type SynthesizedJson, testApp } from './helpers';
import { vendoredRecords } from './support/cloudtrail-records';

const vendored = vendoredRecords();
function record(id: string): CloudTrailRecord {
  const found = vendored.find((r) => r.eventID === id || r.test_name === id);
  if (!found) throw new Error(`no record ${id} in fixtures/cloudtrail-records.jsonl`);
  return found.event;
}
const ec2ActingAlone = record('895dc875-cb08-45a5-b8c2-9158838741c0');
/** The samples have no record of an AWSService identity: the same EC2 event, its identity only `{type: AWSService}`. */
const awsServiceIdentity: CloudTrailRecord = { ...ec2ActingAlone, userIdentity: { type: 'AWSService' } };
/** The records a notice is tested on: people and workloads, and three that AWS services made. */
const records: CloudTrailRecord[] = [
  ...['86eac0ac-8521-4126-aa32-a22f2b74d02e', '94faedcc-0fa4-46e6-9322-022e8e934f04', '1a4debbb-12e9-4bde-b8c7-ea29002bb2a7', 'Security Group Modified', 'Successful Root Login', 'Authorized API Call'].map(record),
  ec2ActingAlone,
  awsServiceIdentity,
];
const runInstances = record('86eac0ac-8521-4126-aa32-a22f2b74d02e');
const createAccessKey = record('94faedcc-0fa4-46e6-9322-022e8e934f04');
const denied = record('1a4debbb-12e9-4bde-b8c7-ea29002bb2a7');
const roleSession = record('Security Group Modified');
const serviceInitiated = [ec2ActingAlone, awsServiceIdentity, record('Authorized API Call')];

/** The management account's trail stack and the Audit account's analytics stack, synthesized. */
function synthTrailAndAnalytics(config: Config): { orgTrail: SynthesizedJson; analytics: SynthesizedJson } {
  const app = testApp();
  const context = landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state');
  const logArchive = new LogArchiveStack(app, context);
  const orgTrail = new OrgTrailStack(app, context, logArchive);
  const analytics = new AnalyticsStack(app, context, logArchive);
  return { orgTrail: JSON.parse(Testing.synth(orgTrail)), analytics: JSON.parse(Testing.synth(analytics)) };
}

const example = synthTrailAndAnalytics(exampleConfig());
const notifierFunction = onlyResource(example.orgTrail, 'aws_lambda_function');
/** The options the deployed function runs with, as the example config makes them. */
const deployed = JSON.parse(notifierFunction.environment.variables.NOTIFICATION_OPTIONS) as NotificationOptions;
const full: NotificationOptions = { ...deployed, detail: 'full' };

/** What identifies or locates the person behind a record (beyond the user or role name). */
function personalValues(r: CloudTrailRecord): string[] {
  const identity = r.userIdentity as Record<string, any>;
  return [
    r.sourceIPAddress as string,
    r.userAgent as string,
    identity.accessKeyId,
    identity.sessionContext?.sessionIssuer?.arn,
    (r.responseElements as any)?.accessKey?.accessKeyId,
    (r.requestParameters as any)?.userName,
    r.errorMessage as string,
  ].filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

describe('by default the notifier e-mails the minimum', () => {
  test('the example config deploys the function with minimal detail', () => {
    expect(deployed.detail).toBe('minimal');
  });

  test('what, where, when, which account, who, the event id, and how to look it up', () => {
    const { subject, message } = notificationOf(runInstances, deployed);
    expect(subject).toBe('AWS RunInstances by bert-jan in 123837392027');
    expect(message).toMatch(/Principal: +bert-jan\n/);
    expect(message).toMatch(/Event: +RunInstances\n/);
    expect(message).toMatch(/Service: +ec2\.amazonaws\.com\n/);
    expect(message).toMatch(/Account: +123837392027\n/);
    expect(message).toMatch(/Region: +us-east-1\n/);
    expect(message).toMatch(/Time \(UTC\): +2023-07-10T/);
    expect(message).toMatch(/Event id: +86eac0ac-8521-4126-aa32-a22f2b74d02e\n/);
    expect(message).toMatch(/Instance ids: +i-0dbc91f429e48eeed\n/);
    expect(message).toContain('Athena, account 333333333333, eu-west-1, workgroup investigations:');
    expect(message).toContain(
      `SELECT * FROM acme_audit_logs.cloudtrail WHERE account = '123837392027' AND region = 'us-east-1' AND "date" IN ('2023/07/10', '2023/07/11') AND eventid = '86eac0ac-8521-4126-aa32-a22f2b74d02e'`,
    );
    expect(message).toContain('CloudWatch Logs Insights, account 111111111111, eu-west-1, log group /aws/cloudtrail/acme-organization-trail:');
    expect(message).toContain('fields @timestamp, @message | filter eventID = "86eac0ac-8521-4126-aa32-a22f2b74d02e"');
  });

  test('no source IP, user agent, access key id, session issuer, other users, error text, request or response', () => {
    for (const r of records.filter((x) => !isServiceInitiated(x))) {
      const { message } = notificationOf(r, deployed);
      for (const value of personalValues(r)) expect({ event: r.eventName, leaks: message.includes(value) ? value : undefined }).toEqual({ event: r.eventName, leaks: undefined });
      expect(message).not.toMatch(/Source IP|User agent|Request parameters|Response elements|Session issuer|MFA in session/);
    }
    expect(personalValues(runInstances)).toEqual(expect.arrayContaining(['192.168.10.20']));
    const key = notificationOf(createAccessKey, deployed).message;
    expect(key).toMatch(/Principal: +christophe\n/);
    expect(key).not.toMatch(/IAM user:|Access key:/);
    const failure = notificationOf(denied, deployed).message;
    expect(failure).toMatch(/Result: +FAILED: Client\.UnauthorizedOperation\n/);
    expect(failure).not.toContain('arn:aws:sts::751353041310');
  });

  test('a role session is named by its role and session, without its issuer ARN or MFA state', () => {
    const { message } = notificationOf(roleSession, deployed);
    expect(message).toMatch(/Principal: +tester\n/);
    expect(message).toMatch(/Type: +AssumedRole\n/);
    expect(message).not.toContain('arn:aws:iam::123456789012:role/tester');
  });

  test('with notifier.detail full, the personal data is there, as an explicit choice', () => {
    const { orgTrail } = synthTrailAndAnalytics(exampleConfig((raw) => (raw.notifier = { detail: 'full' })));
    const options = JSON.parse(onlyResource(orgTrail, 'aws_lambda_function').environment.variables.NOTIFICATION_OPTIONS) as NotificationOptions;
    expect(options).toEqual(full);
    const { message } = notificationOf(runInstances, options);
    expect(message).toMatch(/Source IP: +192\.168\.10\.20/);
    expect(message).toMatch(/User agent: +APN\/1\.0 HashiCorp/);
    expect(notificationOf(createAccessKey, options).message).toMatch(/Access key: +AKIAXAFZN8JEPF6L682H/);
    expect(notificationOf(denied, options).message).toContain('arn:aws:sts::751353041310');
  });

  test('docs/alarms-and-notifier.md shows the look-up exactly as a notice writes it', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'alarms-and-notifier.md'), 'utf8');
    const lookUp = notificationOf(runInstances, deployed).message.split('\n').filter((l) => l.startsWith('Look it up') || l.startsWith('  '));
    expect(lookUp.length).toBeGreaterThan(4);
    for (const line of lookUp.slice(lookUp.indexOf('Look it up'))) expect(doc).toContain(line);
  });

  test('the look-up names the Athena table, workgroup and log group the landing zone really makes', () => {
    const table = onlyResource(example.analytics, 'aws_glue_catalog_table');
    const database = onlyResource(example.analytics, 'aws_glue_catalog_database');
    expect(deployed.lookUp.athena.table).toBe(`${database.name}.${table.name}`);
    expect(resources(example.analytics, 'aws_athena_workgroup').map((w) => w.name)).toContain(deployed.lookUp.athena.workgroup);
    const trailLogGroup = resources(example.orgTrail, 'aws_cloudwatch_log_group').find((g) => String(g.name).startsWith('/aws/cloudtrail/'))!;
    expect(deployed.lookUp.logGroup.name).toBe(trailLogGroup.name);
  });
});

describe('what AWS services do by themselves is not notified', () => {
  test('userIdentity.type AWSService and invokedBy mark a record service-initiated; people and workloads do not', () => {
    expect(serviceInitiated).toHaveLength(3);
    for (const r of serviceInitiated) expect(isServiceInitiated(r)).toBe(true);
    for (const r of [runInstances, createAccessKey, denied, roleSession, record('Successful Root Login')]) expect(isServiceInitiated(r)).toBe(false);
  });

  test('the handler publishes the others and counts what it left out', async () => {
    const published: string[] = [];
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '111111111111',
      logGroup: '/aws/cloudtrail/acme-organization-trail',
      logStream: 'o-acme12ab34_123837392027_CloudTrail_us-east-1',
      subscriptionFilters: ['acme-activity-notifier'],
      logEvents: records.map((r, i) => ({ id: String(i), timestamp: 1688990121000 + i, message: JSON.stringify(r) })),
    };
    const handler = createHandler(async (n) => {
      published.push(n.subject);
    }, deployed);
    const result = await handler({ awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } });
    expect(result).toEqual({ published: records.length - 3, serviceInitiated: 3 });
    expect(published.some((s) => s.includes('SharedSnapshotVolumeCreated') || s.includes('CreateServiceLinkedRole'))).toBe(false);
  });
});

describe('activity notices have their own topic', () => {
  const topics = resources(example.orgTrail, 'aws_sns_topic');
  const byName = (name: string) => Object.entries(example.orgTrail.resource!.aws_sns_topic).find(([, t]) => t.name === name)![0];

  test('the function publishes to acme-activity-notices; the CIS alarms to acme-security-alarms', () => {
    expect(topics.map((t) => t.name).sort()).toEqual(['acme-activity-notices', 'acme-security-alarms']);
    expect(notifierFunction.environment.variables.TOPIC_ARN).toBe(`\${aws_sns_topic.${byName('acme-activity-notices')}.arn}`);
    const alarmActions = resources(example.orgTrail, 'aws_cloudwatch_metric_alarm').flatMap((a) => a.alarm_actions);
    expect(new Set(alarmActions)).toEqual(new Set([`\${aws_sns_topic.${byName('acme-security-alarms')}.arn}`]));
    const activityPolicy = resources(example.orgTrail, 'aws_sns_topic_policy').find((p) => p.arn.includes(byName('acme-activity-notices')))!;
    // no service publishes to it: only the function, through its role
    expect(JSON.parse(activityPolicy.policy).Statement.filter((s: any) => s.Effect === 'Allow')).toEqual([]);
  });

  test('its subscribers are notifier.emails, by default those of notifications.emails', () => {
    const subscribers = (json: SynthesizedJson) =>
      resources(json, 'aws_sns_topic_subscription').filter((s) => s.topic_arn.includes('activity-topic')).map((s) => s.endpoint);
    expect(subscribers(example.orgTrail)).toEqual(['security-alerts@acme.example']);
    const own = synthTrailAndAnalytics(exampleConfig((raw) => (raw.notifier = { emails: ['soc@acme.example'] }))).orgTrail;
    expect(subscribers(own)).toEqual(['soc@acme.example']);
  });
});

describe('data classes and agents are opt-in', () => {
  test('Security Lake collects CloudTrail management events unless the config lists more', () => {
    expect(exampleConfig().securityLake.sources).toEqual(['CLOUD_TRAIL_MGMT']);
    expect(exampleConfig((raw) => (raw.securityLake = { sources: ['CLOUD_TRAIL_MGMT', 'VPC_FLOW'] })).securityLake.sources).toEqual(['CLOUD_TRAIL_MGMT', 'VPC_FLOW']);
  });

  test('docs/security-lake.md lists what each data class brings, as facts/security-lake.ts does', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'security-lake.md'), 'utf8');
    for (const [source, data] of Object.entries(SECURITY_LAKE_SOURCE_PERSONAL_DATA)) {
      expect(doc).toMatch(new RegExp(`\\| \`${source}\`( \\(default\\))? \\| ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|`));
    }
  });

  test('Runtime Monitoring installs no agent unless the config lists its add-on', () => {
    expect(exampleConfig().guardduty.protectionPlans).toContain('RUNTIME_MONITORING');
    expect(exampleConfig().guardduty.runtimeMonitoringAddons).toEqual([]);
  });
});
