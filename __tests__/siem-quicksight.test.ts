/**
 * The opt-in analytics of config/examples/all-features.yaml as synthesized: QuickSight over the
 * trail for the named users only, reading through the query role's statements; and the SIEM
 * feeds, which add reads to the archive and nothing else.
 */
import { ALL_FEATURES_CONFIG_PATH, loadConfig } from '../config/loader';
import { QUICKSIGHT_ACTIONS } from '../facts/quicksight';
import { onlyResource, policyOf, resources, stackOf, statement, synthLandingZone } from './helpers';

const allFeatures = synthLandingZone(loadConfig(ALL_FEATURES_CONFIG_PATH));
const defaults = synthLandingZone(loadConfig());
const AUTHOR = 'arn:aws:quicksight:eu-west-1:333333333333:user/default/security-analyst';
const READERS = 'arn:aws:quicksight:eu-west-1:333333333333:group/default/security-team';

describe('QuickSight over the trail', () => {
  const analytics = stackOf(allFeatures, 'analytics');

  test('is off unless named in the config', () => {
    const types = Object.keys(stackOf(defaults, 'analytics').resource ?? {});
    expect(types.filter((t) => t.startsWith('aws_quicksight_'))).toEqual([]);
    expect(Object.keys(analytics.resource ?? {}).filter((t) => t.startsWith('aws_quicksight_')).sort()).toEqual([
      'aws_quicksight_dashboard', 'aws_quicksight_data_set', 'aws_quicksight_data_source', 'aws_quicksight_iam_policy_assignment',
    ]);
  });

  test('an Athena data source on the saved queries\' workgroup, in the Audit account', () => {
    const source = onlyResource(analytics, 'aws_quicksight_data_source');
    expect(source).toMatchObject({ type: 'ATHENA', aws_account_id: '333333333333', parameters: { athena: { work_group: 'investigations' } }, provider: 'aws.audit_eu_west_1' });
  });

  test('data sets query the trail table directly, each over the last 30 days\' partitions only', () => {
    const sets = resources(analytics, 'aws_quicksight_data_set');
    expect(sets.map((s) => s.name).sort()).toEqual(['API calls per account, service and day', 'Calls refused by IAM or an SCP', 'Console sign-ins with and without MFA', 'Root user activity']);
    for (const set of sets) {
      expect(set.import_mode).toBe('DIRECT_QUERY');
      const sql: string = set.physical_table_map[0].custom_sql.sql_query;
      expect(sql).toContain('FROM "acme_audit_logs"."cloudtrail"');
      expect(sql).toContain(`"date" >= date_format(current_date - interval '30' day, '%Y/%m/%d')`);
    }
    const rootActivity = sets.find((s) => s.name === 'Root user activity')!.physical_table_map[0].custom_sql.sql_query;
    expect(rootActivity).toContain(`useridentity.type = 'Root'`);
  });

  test('permissions go to the configured users and groups only: authors own, readers view', () => {
    const granted = [
      ...onlyResource(analytics, 'aws_quicksight_data_source').permission,
      ...resources(analytics, 'aws_quicksight_data_set').flatMap((s) => s.permissions),
      ...onlyResource(analytics, 'aws_quicksight_dashboard').permissions,
    ];
    expect([...new Set(granted.map((p: any) => p.principal))].sort()).toEqual([READERS, AUTHOR].sort());
    const dashboard = onlyResource(analytics, 'aws_quicksight_dashboard').permissions;
    expect(dashboard).toEqual([
      { principal: AUTHOR, actions: [...QUICKSIGHT_ACTIONS.dashboard.owner] },
      { principal: READERS, actions: [...QUICKSIGHT_ACTIONS.dashboard.viewer] },
    ]);
  });

  test('the dashboard shows the five views over the four data sets', () => {
    const { definition } = onlyResource(analytics, 'aws_quicksight_dashboard');
    expect(definition.data_set_identifiers_declarations.map((d: any) => d.identifier).sort()).toEqual(['api-calls', 'console-sign-ins', 'denied-calls', 'root-activity']);
    const visuals = definition.sheets[0].visuals.map((v: any) => Object.values(v)[0] as any);
    expect(visuals.map((v: any) => v.visual_id)).toEqual(['api-calls-per-day', 'api-calls-by-service', 'denied-calls', 'console-sign-ins', 'root-activity']);
  });

  test('what QuickSight reads for its users is the query role\'s least privilege on one workgroup', () => {
    const assigned = policyOf(resources(analytics, 'aws_iam_policy').find((p) => p.name === 'acme-quicksight-trail-access')!);
    const queryRole = policyOf(resources(analytics, 'aws_iam_role_policy').find((p) => p.name === 'query-the-organization-trail')!);
    expect(statement(assigned, 'RunQueriesInTheWorkgroups').Resource).toEqual(['arn:aws:athena:eu-west-1:333333333333:workgroup/investigations']);
    const withoutWorkgroups = (p: { Statement: any[] }) => p.Statement.filter((s) => s.Sid !== 'RunQueriesInTheWorkgroups');
    expect(withoutWorkgroups(assigned)).toEqual(withoutWorkgroups(queryRole));
    expect(statement(assigned, 'DecryptTheTrailFilesThroughS3').Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
    expect(onlyResource(analytics, 'aws_quicksight_iam_policy_assignment')).toMatchObject({
      assignment_status: 'ENABLED', namespace: 'default', identities: [{ user: ['security-analyst'], group: ['security-team'] }],
    });
  });

  test('the archive lets QuickSight\'s role read and decrypt through S3, as it lets the query role', () => {
    const logArchive = stackOf(allFeatures, 'log-archive');
    const bucket = statement(policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => p.bucket.includes('archive'))!), 'ReadersReadTheArchive');
    expect(bucket.Condition.ArnLike['aws:PrincipalArn']).toContain('arn:aws:iam::333333333333:role/service-role/aws-quicksight-service-role-v0');
    const key = statement(policyOf(resources(logArchive, 'aws_kms_key').find((k) => k.description.startsWith('Encrypts the Organization trail'))!), 'ReadersDecryptThroughS3');
    expect(key.Condition.ArnLike['aws:PrincipalArn']).toContain('arn:aws:iam::333333333333:role/service-role/aws-quicksight-service-role-v0');
  });
});

describe('the SIEM feeds', () => {
  const SIEM_ROLE = 'arn:aws:iam::444444444443:role/acme-siem-trail-reader';
  const logArchive = stackOf(allFeatures, 'log-archive');
  const archivePolicy = (stacks: typeof allFeatures) =>
    policyOf(resources(stackOf(stacks, 'log-archive'), 'aws_s3_bucket_policy').find((p) => p.bucket.includes('archive_bucket'))!);

  test('Security Lake: a subscriber with S3 access for the SIEM account and its external id, with its SQS notification', () => {
    const lake = stackOf(allFeatures, 'security-lake');
    const siem = resources(lake, 'aws_securitylake_subscriber').find((s) => s.subscriber_name === 'acme-siem')!;
    expect(siem).toMatchObject({ access_type: 'S3', subscriber_identity: [{ principal: '444444444443', external_id: 'acme-siem-4f3c2a1b9e8d7c6b' }] });
    expect(siem.source.map((s: any) => s.aws_log_source_resource[0].source_name).sort()).toEqual(loadConfig(ALL_FEATURES_CONFIG_PATH).securityLake.sources.slice().sort());
    const notification = onlyResource(lake, 'aws_securitylake_subscriber_notification');
    expect(notification.configuration).toEqual([{ sqs_notification_configuration: [{}] }]);
    expect(notification.subscriber_id).toMatch(/^\$\{aws_securitylake_subscriber\.security-lake_data-subscriber_.+\.id\}$/);
    expect(resources(stackOf(defaults, 'security-lake'), 'aws_securitylake_subscriber').map((s) => s.access_type)).toEqual(['LAKEFORMATION']);
  });

  test('the raw trail: new objects under the trail\'s prefix are announced on an encrypted topic', () => {
    const notification = onlyResource(logArchive, 'aws_s3_bucket_notification');
    expect(notification.bucket).toBe('acme-log-archive-222222222222-eu-west-1');
    expect(notification.topic).toEqual([expect.objectContaining({ events: ['s3:ObjectCreated:*'], filter_prefix: 'AWSLogs/o-acme12ab34/', filter_suffix: '.json.gz' })]);
    const topic = resources(logArchive, 'aws_sns_topic').find((t) => t.name === 'acme-trail-objects')!;
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(resources(stackOf(defaults, 'log-archive'), 'aws_s3_bucket_notification')).toEqual([]);
  });

  test('only S3, for the archive, publishes; only the SIEM account subscribes, by SQS', () => {
    const policy = policyOf(resources(logArchive, 'aws_sns_topic_policy')[0]);
    expect(statement(policy, 'OnlyThePublisherOfThisAccountPublishes')).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1' } },
    });
    expect(statement(policy, 'Account1SubscribesBySQS')).toMatchObject({ Principal: { AWS: 'arn:aws:iam::444444444443:root' }, Action: 'sns:Subscribe', Condition: { StringEquals: { 'sns:Protocol': 'sqs' } } });
  });

  test('the SIEM\'s role lists and reads the trail\'s prefix only, and decrypts through S3 only', () => {
    const policy = archivePolicy(allFeatures);
    const siem = policy.Statement.filter((s) => JSON.stringify(s).includes(SIEM_ROLE));
    const bucketArn = statement(policy, 'DenyDestroyingEvidence').Resource[0];
    expect(bucketArn).toMatch(/^\$\{aws_s3_bucket\.archive_bucket_[A-F0-9]+\.arn\}$/);
    expect(siem.map((s) => [s.Sid, s.Effect, s.Action, s.Resource])).toEqual([
      ['SiemListsTheTrailPrefix', 'Allow', 's3:ListBucket', bucketArn],
      ['SiemReadsTheTrailFiles', 'Allow', 's3:GetObject', `${bucketArn}/AWSLogs/o-acme12ab34/*`],
    ]);
    expect(statement(policy, 'SiemListsTheTrailPrefix').Condition.StringLike).toEqual({ 's3:prefix': ['AWSLogs/o-acme12ab34/', 'AWSLogs/o-acme12ab34/*'] });
    const key = policyOf(resources(logArchive, 'aws_kms_key').find((k) => k.description.startsWith('Encrypts the Organization trail'))!);
    expect(statement(key, 'SiemDecryptsTheTrailThroughS3')).toMatchObject({
      Action: 'kms:Decrypt',
      Condition: { ArnLike: { 'aws:PrincipalArn': [SIEM_ROLE] }, StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
    });
  });

  test('the archive\'s deny-delete and TLS guards are unchanged', () => {
    for (const sid of ['DenyDestroyingEvidence', 'DenyLooseningTheGuard', 'DenyInsecureTransport']) {
      expect(statement(archivePolicy(allFeatures), sid)).toEqual(statement(archivePolicy(defaults), sid));
    }
    expect(statement(archivePolicy(allFeatures), 'DenyDestroyingEvidence')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion']) });
  });
});
