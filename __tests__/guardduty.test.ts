import { DEFAULT_ENABLED_REGIONS } from '../facts/regions';
import { ConfigError } from '../config/loader';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, type SynthesizedJson, synthLandingZone, synthStack } from './helpers';

const AUDIT = '333333333333';
const HOME = 'eu-west-1';
const ALL_PLANS = ['S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING'];
const ALL_ADDONS = ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT'];

const config = exampleConfig();
const stacks = synthLandingZone(config);

function guarddutyStacks(from: Map<string, SynthesizedJson>): Map<string, SynthesizedJson> {
  return new Map([...from].filter(([id]) => id.startsWith('guardduty-')));
}

/** The Terraform address (`type.name`) of a resource, as `depends_on` names it. */
function addressOf(json: SynthesizedJson, type: string, resource: Record<string, any>): string {
  const entry = Object.entries(json.resource?.[type] ?? {}).find(([, r]) => r === resource);
  if (!entry) throw new Error(`resource not found among ${type}`);
  return `${type}.${entry[0]}`;
}

function byName(found: Record<string, any>[]): Record<string, Record<string, any>> {
  return Object.fromEntries(found.map((r) => [r.name, r]));
}

describe('GuardDuty in every governed region', () => {
  test('each governed region has its own stack, holding only that region\'s management and Audit providers', () => {
    expect([...guarddutyStacks(stacks).keys()].sort()).toEqual(DEFAULT_ENABLED_REGIONS.map((r) => `guardduty-${r}`).sort());
    for (const region of DEFAULT_ENABLED_REGIONS) {
      const providers = stackOf(stacks, `guardduty-${region}`).provider?.aws ?? [];
      expect(providers.map((p) => `${p.alias}@${p.region}`).sort()).toEqual([
        `audit_${region.replace(/-/g, '_')}@${region}`,
        `management_${region.replace(/-/g, '_')}@${region}`,
      ]);
    }
  });

  test.each(DEFAULT_ENABLED_REGIONS)('%s: the management account designates the Audit account; the Audit detector auto-enables ALL members', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const alias = region.replace(/-/g, '_');
    const designation = onlyResource(json, 'aws_guardduty_organization_admin_account');
    expect(designation).toMatchObject({ admin_account_id: AUDIT, provider: `aws.management_${alias}` });

    const detectors = resources(json, 'aws_guardduty_detector');
    const administrator = detectors.find((d) => d.provider === `aws.audit_${alias}`);
    expect(administrator).toMatchObject({ enable: true, finding_publishing_frequency: 'FIFTEEN_MINUTES' });
    expect(detectors.find((d) => d.provider === `aws.management_${alias}`)).toMatchObject({ enable: true });
    // deleting a detector deletes its findings
    for (const d of detectors) expect(d.lifecycle).toEqual({ prevent_destroy: true });

    const administratorId = `\${${addressOf(json, 'aws_guardduty_detector', administrator!)}.id}`;
    expect(onlyResource(json, 'aws_guardduty_organization_configuration')).toMatchObject({
      auto_enable_organization_members: 'ALL',
      detector_id: administratorId,
      provider: `aws.audit_${alias}`,
    });
  });

  test.each(DEFAULT_ENABLED_REGIONS)('%s: every protection plan is auto-enabled for ALL members and enabled on the administrator\'s own detector', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const organization = byName(resources(json, 'aws_guardduty_organization_configuration_feature'));
    const administrator = byName(resources(json, 'aws_guardduty_detector_feature'));
    expect(Object.keys(organization).sort()).toEqual([...ALL_PLANS].sort());
    expect(Object.keys(administrator).sort()).toEqual([...ALL_PLANS].sort());
    for (const plan of ALL_PLANS) {
      expect(organization[plan].auto_enable).toBe('ALL');
      expect(administrator[plan].status).toBe('ENABLED');
    }
    // the agent add-ons install software in workload accounts: off unless the config lists them, and off explicitly
    expect(organization.RUNTIME_MONITORING.additional_configuration).toEqual(ALL_ADDONS.map((name) => ({ name, auto_enable: 'NONE' })));
    expect(administrator.RUNTIME_MONITORING.additional_configuration).toEqual(ALL_ADDONS.map((name) => ({ name, status: 'DISABLED' })));
    // the current feature API only, not the deprecated datasources blocks
    for (const r of [...resources(json, 'aws_guardduty_detector'), ...resources(json, 'aws_guardduty_organization_configuration')]) {
      expect(r.datasources).toBeUndefined();
    }
  });

  test.each(DEFAULT_ENABLED_REGIONS)('%s: the designation comes after both detectors and before any organization or feature configuration', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const designation = addressOf(json, 'aws_guardduty_organization_admin_account', onlyResource(json, 'aws_guardduty_organization_admin_account'));
    const configuration = onlyResource(json, 'aws_guardduty_organization_configuration');
    const configured = [
      configuration,
      ...resources(json, 'aws_guardduty_organization_configuration_feature'),
      ...resources(json, 'aws_guardduty_detector_feature'),
    ];
    for (const resource of configured) expect(resource.depends_on).toContain(designation);
    for (const feature of resources(json, 'aws_guardduty_organization_configuration_feature')) {
      expect(feature.depends_on).toContain(addressOf(json, 'aws_guardduty_organization_configuration', configuration));
    }
    // designating enables GuardDuty in the Audit account itself: its detector must exist by then
    const detectorAddresses = resources(json, 'aws_guardduty_detector').map((d) => addressOf(json, 'aws_guardduty_detector', d));
    expect([...onlyResource(json, 'aws_guardduty_organization_admin_account').depends_on].sort()).toEqual(detectorAddresses.sort());
  });

  test('the resources of every regional stack are the same with 5 and with 500 member accounts', () => {
    const many = exampleConfig((raw) => {
      raw.accounts.members = Array.from({ length: 500 }, (_, i) => ({ name: `member-${i}`, id: String(500_000_000_000 + i) }));
    });
    expect(config.accounts.members).toHaveLength(5);
    expect(many.accounts.members).toHaveLength(500);
    const count = (json: SynthesizedJson) =>
      Object.fromEntries(Object.entries(json.resource ?? {}).map(([type, byId]) => [type, Object.keys(byId).length]));
    const few = guarddutyStacks(stacks);
    const lots = guarddutyStacks(synthLandingZone(many));
    expect([...lots.keys()]).toEqual([...few.keys()]);
    for (const [id, json] of few) {
      expect({ id, resources: count(lots.get(id)!) }).toEqual({ id, resources: count(json) });
      expect(json.resource?.aws_guardduty_member).toBeUndefined();
    }
  });

  test('a protection plan removed from the config disappears from every region; an add-on listed is on, the others off', () => {
    const fewer = guarddutyStacks(
      synthLandingZone(
        exampleConfig((raw) => {
          raw.guardduty = { protectionPlans: ALL_PLANS.filter((p) => p !== 'RDS_LOGIN_EVENTS'), runtimeMonitoringAddons: ['EKS_ADDON_MANAGEMENT'] };
        }),
      ),
    );
    expect(fewer.size).toBe(17);
    for (const json of fewer.values()) {
      const organization = byName(resources(json, 'aws_guardduty_organization_configuration_feature'));
      const administrator = byName(resources(json, 'aws_guardduty_detector_feature'));
      expect(Object.keys(organization).sort()).toEqual(ALL_PLANS.filter((p) => p !== 'RDS_LOGIN_EVENTS').sort());
      expect(Object.keys(administrator).sort()).toEqual(Object.keys(organization).sort());
      expect(organization.RUNTIME_MONITORING.additional_configuration).toEqual(
        ALL_ADDONS.map((name) => ({ name, auto_enable: name === 'EKS_ADDON_MANAGEMENT' ? 'ALL' : 'NONE' })),
      );
      expect(administrator.RUNTIME_MONITORING.additional_configuration).toEqual(
        ALL_ADDONS.map((name) => ({ name, status: name === 'EKS_ADDON_MANAGEMENT' ? 'ENABLED' : 'DISABLED' })),
      );
    }
  });
});

describe('findings export to the Log Archive', () => {
  const logArchive = stackOf(stacks, 'log-archive');
  const detectorArns = DEFAULT_ENABLED_REGIONS.map((r) => `arn:aws:guardduty:${r}:${AUDIT}:detector/*`);
  const fromAuditDetectors = { StringEquals: { 'aws:SourceAccount': AUDIT }, ArnLike: { 'aws:SourceArn': detectorArns } };

  test.each(DEFAULT_ENABLED_REGIONS)('%s: the Audit detector exports to the archive bucket with the archive key from the log-archive state', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const destination = onlyResource(json, 'aws_guardduty_publishing_destination');
    expect(destination).toMatchObject({
      destination_arn: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1',
      destination_type: 'S3',
      kms_key_arn: '${data.terraform_remote_state.state-of-log-archive.outputs.archive_key_arn}',
      provider: `aws.audit_${region.replace(/-/g, '_')}`,
    });
    const administrator = resources(json, 'aws_guardduty_detector').find((d) => d.provider.startsWith('aws.audit_'))!;
    expect(destination.detector_id).toBe(`\${${addressOf(json, 'aws_guardduty_detector', administrator)}.id}`);
  });

  test('the archive bucket lets only the Audit account\'s detectors write, and only under GuardDuty\'s prefix', () => {
    const policy = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);
    const write = statement(policy, 'GuardDutyExportsFindings');
    expect(write).toMatchObject({ Effect: 'Allow', Principal: { Service: ['guardduty.amazonaws.com'] }, Action: 's3:PutObject' });
    expect(write.Resource).toMatch(/^\$\{aws_s3_bucket\.archive_bucket_\w+\.arn\}\/AWSLogs\/333333333333\/GuardDuty\/\*$/);
    expect(write.Condition).toEqual(fromAuditDetectors);
    expect(statement(policy, 'GuardDutyLocatesTheBucket')).toMatchObject({ Action: 's3:GetBucketLocation', Condition: fromAuditDetectors });
  });

  test('the archive key lets only the Audit account\'s detectors generate data keys', () => {
    const key = resources(logArchive, 'aws_kms_key').find((k) => String(k.description).includes('Log Archive bucket'))!;
    expect(statement(policyOf(key), 'GuardDutyEncryptsExportedFindings')).toEqual({
      Sid: 'GuardDutyEncryptsExportedFindings',
      Effect: 'Allow',
      Principal: { Service: ['guardduty.amazonaws.com'] },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: fromAuditDetectors,
    });
  });

  test('an opt-in governed region\'s GuardDuty is allowed as its regional service principal', () => {
    const json = synthStack('log-archive', exampleConfig((raw) => (raw.governedRegions = ['eu-west-1', 'eu-south-1'])));
    const policy = policyOf(resources(json, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);
    expect(statement(policy, 'GuardDutyExportsFindings').Principal.Service).toEqual(['guardduty.amazonaws.com', 'guardduty.eu-south-1.amazonaws.com']);
    expect(statement(policy, 'GuardDutyExportsFindings').Condition.ArnLike['aws:SourceArn']).toEqual([
      `arn:aws:guardduty:eu-west-1:${AUDIT}:detector/*`,
      `arn:aws:guardduty:eu-south-1:${AUDIT}:detector/*`,
    ]);
  });

  test('without exportFindings there is no destination and no GuardDuty grant on the archive', () => {
    const off = synthLandingZone(exampleConfig((raw) => (raw.guardduty = { exportFindings: false })));
    for (const json of guarddutyStacks(off).values()) {
      expect(resources(json, 'aws_guardduty_publishing_destination')).toEqual([]);
      // the Log Archive's state is still read, for the Config key, but never the archive key
      expect(JSON.stringify(json.resource)).not.toContain('outputs.archive_key_arn');
    }
    const archive = stackOf(off, 'log-archive');
    const policies = [...resources(archive, 'aws_s3_bucket_policy'), ...resources(archive, 'aws_kms_key')].map((r) => JSON.stringify(policyOf(r)));
    expect(policies.filter((p) => p.includes('guardduty'))).toEqual([]);
  });

  test('an archive in an opt-in home region with other governed regions is refused, naming the field', () => {
    expect(() =>
      exampleConfig((raw) => {
        raw.homeRegion = 'eu-south-1';
        raw.governedRegions = ['eu-south-1', 'eu-west-1'];
      }),
    ).toThrow(ConfigError);
    expect(() =>
      exampleConfig((raw) => {
        raw.homeRegion = 'eu-south-1';
        raw.governedRegions = ['eu-south-1', 'eu-west-1'];
      }),
    ).toThrow(/guardduty\.exportFindings: the archive is in eu-south-1, an opt-in region, and GuardDuty cannot export the findings of eu-west-1/);
  });
});

/**
 * EventBridge's matching for the parts of the pattern language the findings rule uses: exact
 * values, nested fields, and numeric comparisons. Anything else fails loudly rather than match.
 */
function eventMatches(pattern: Record<string, any>, event: Record<string, any>): boolean {
  return Object.entries(pattern).every(([field, rule]) => {
    const value = event?.[field];
    if (Array.isArray(rule)) {
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => rule.some((matcher: unknown) => valueMatches(matcher, v)));
    }
    return typeof value === 'object' && value !== null && eventMatches(rule, value);
  });
}

function valueMatches(matcher: unknown, value: unknown): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  const { numeric, ...rest } = matcher as { numeric?: Array<string | number> };
  if (!numeric || Object.keys(rest).length > 0) throw new Error(`matcher not supported here: ${JSON.stringify(matcher)}`);
  if (typeof value !== 'number') return false;
  const compare: Record<string, (a: number, b: number) => boolean> = {
    '>': (a, b) => a > b, '>=': (a, b) => a >= b, '<': (a, b) => a < b, '<=': (a, b) => a <= b, '=': (a, b) => a === b,
  };
  for (let i = 0; i < numeric.length; i += 2) {
    const op = compare[numeric[i] as string];
    if (!op) throw new Error(`numeric operator not supported: ${numeric[i]}`);
    if (!op(value, numeric[i + 1] as number)) return false;
  }
  return true;
}

/** A GuardDuty finding as EventBridge delivers it to the administrator account. */
function findingEvent(severity: number, source = 'aws.guardduty'): Record<string, any> {
  return {
    version: '0',
    id: 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
    'detail-type': source === 'aws.guardduty' ? 'GuardDuty Finding' : 'Security Hub Findings - Imported',
    source,
    account: AUDIT,
    time: '2026-11-25T10:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      schemaVersion: '2.0',
      accountId: '444444444441',
      region: 'us-east-1',
      partition: 'aws',
      id: '16afba5c5c43e07c9e3e5e2e544e95df',
      arn: `arn:aws:guardduty:us-east-1:${AUDIT}:detector/12abc34d567e8fa901bc2d34e56789f0/finding/16afba5c5c43e07c9e3e5e2e544e95df`,
      type: 'CryptoCurrency:EC2/BitcoinTool.B!DNS',
      resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0123456789abcdef0' } },
      service: { serviceName: 'guardduty', detectorId: '12abc34d567e8fa901bc2d34e56789f0', archived: false, count: 1 },
      severity,
      createdAt: '2026-11-25T09:55:00.000Z',
      updatedAt: '2026-11-25T09:55:00.000Z',
      title: 'EC2 instance i-0123456789abcdef0 is querying a domain name that is associated with Bitcoin-related activity.',
      description: 'EC2 instance i-0123456789abcdef0 is querying a domain name that is associated with Bitcoin-related activity.',
    },
  };
}

describe('findings routing', () => {
  const patternOf = (json: SynthesizedJson) => JSON.parse(onlyResource(json, 'aws_cloudwatch_event_rule').event_pattern);

  test('the rule of every region matches GuardDuty findings at or above the configured severity, and no others', () => {
    for (const json of guarddutyStacks(stacks).values()) {
      const pattern = patternOf(json);
      expect(pattern.detail.severity).toEqual([{ numeric: ['>=', 7] }]);
      expect(eventMatches(pattern, findingEvent(8))).toBe(true);
      expect(eventMatches(pattern, findingEvent(7))).toBe(true);
      expect(eventMatches(pattern, findingEvent(9.5))).toBe(true);
      expect(eventMatches(pattern, findingEvent(6.9))).toBe(false);
      expect(eventMatches(pattern, findingEvent(2))).toBe(false);
      expect(eventMatches(pattern, findingEvent(8, 'aws.securityhub'))).toBe(false);
    }
  });

  test('the threshold follows notifications.guarddutyMinimumSeverity', () => {
    const pattern = patternOf(synthStack('guardduty-us-east-1', exampleConfig((raw) => (raw.notifications.guarddutyMinimumSeverity = 4))));
    expect(pattern.detail.severity).toEqual([{ numeric: ['>=', 4] }]);
    expect(eventMatches(pattern, findingEvent(5))).toBe(true);
    expect(eventMatches(pattern, findingEvent(3.9))).toBe(false);
  });

  test.each(DEFAULT_ENABLED_REGIONS.filter((r) => r !== HOME))('%s forwards to the home region\'s default bus, through a role only its rule can assume', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const target = onlyResource(json, 'aws_cloudwatch_event_target');
    expect(target.arn).toBe(`arn:aws:events:${HOME}:${AUDIT}:event-bus/default`);
    const role = resources(json, 'aws_iam_role').find((r) => r.name === `acme-guardduty-forward-${region}`)!;
    expect(target.role_arn).toBe(`\${${addressOf(json, 'aws_iam_role', role)}.arn}`);
    expect(statement(policyOf(role, 'assume_role_policy'), 'AssumedByService')).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:events:${region}:${AUDIT}:rule/acme-guardduty-findings` } },
    });
    expect(onlyResource(json, 'aws_cloudwatch_event_rule').name).toBe('acme-guardduty-findings');
    expect(policyOf(resources(json, 'aws_iam_role_policy').find((p) => p.name === 'put-events-on-home-bus')!).Statement).toEqual([
      { Sid: 'PutEventsOnHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: `arn:aws:events:${HOME}:${AUDIT}:event-bus/default` },
    ]);
    // no topic of its own and no reference to another region's stack
    expect(resources(json, 'aws_sns_topic')).toEqual([]);
    expect(Object.keys(json.data?.terraform_remote_state ?? {})).toEqual(['state-of-log-archive']);
  });

  test('the home region holds the one KMS-encrypted topic, which only its findings rule may publish to', () => {
    const json = stackOf(stacks, `guardduty-${HOME}`);
    const topic = onlyResource(json, 'aws_sns_topic');
    const key = onlyResource(json, 'aws_kms_key');
    expect(topic.name).toBe('acme-guardduty-findings');
    expect(topic.kms_master_key_id).toBe(`\${${addressOf(json, 'aws_kms_key', key)}.arn}`);
    expect(onlyResource(json, 'aws_cloudwatch_event_target').arn).toBe(`\${${addressOf(json, 'aws_sns_topic', topic)}.arn}`);

    const topicArn = `arn:aws:sns:${HOME}:${AUDIT}:acme-guardduty-findings`;
    const topicPolicy = policyOf(onlyResource(json, 'aws_sns_topic_policy'));
    const publishers = topicPolicy.Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a: string) => a === 'sns:Publish' || a === 'sns:*'));
    expect(publishers).toEqual([
      {
        Sid: 'OnlyThePublisherOfThisAccountPublishes',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:${HOME}:${AUDIT}:rule/acme-guardduty-findings` }, StringEquals: { 'aws:SourceAccount': AUDIT } },
      },
    ]);
    expect(statement(policyOf(key), 'PublisherUsesTheKeyForThisTopic')).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
    });
  });

  test('every configured address is subscribed by e-mail to the one topic', () => {
    const emails = ['soc@acme.example', 'ciso@acme.example'];
    const json = synthStack(`guardduty-${HOME}`, exampleConfig((raw) => (raw.notifications.emails = emails)));
    const subscriptions = resources(json, 'aws_sns_topic_subscription');
    expect(subscriptions.map((s) => s.endpoint).sort()).toEqual([...emails].sort());
    for (const s of subscriptions) expect(s).toMatchObject({ protocol: 'email', topic_arn: expect.stringMatching(/^\$\{aws_sns_topic\./) });
    const others = [...guarddutyStacks(stacks)].filter(([id]) => id !== `guardduty-${HOME}`);
    for (const [, other] of others) expect(resources(other, 'aws_sns_topic_subscription')).toEqual([]);
  });
});
