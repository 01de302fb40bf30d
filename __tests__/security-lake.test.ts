import * as fs from 'node:fs';
import * as path from 'node:path';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { organizationAutoEnableCommand } from '../modules/analytics/security-lake';
import { buildLandingZone } from '../stacks/landing-zone';
import { exampleConfig, onlyResource, policyOf, resources, statement, type SynthesizedJson, synthLandingZone, synthStack, testApp } from './helpers';

const example = exampleConfig();
const allAccounts = [example.accounts.management, example.accounts.logArchive, example.accounts.audit, ...example.accounts.members].map((a) => a.id);
const lake = synthStack('security-lake', example);

/** The synthesized address of a resource, as other resources' depends_on name it. */
function addressOf(stack: SynthesizedJson, type: string, resource: Record<string, any>): string {
  const [id] = Object.entries(stack.resource?.[type] ?? {}).find(([, r]) => r === resource)!;
  return `${type}.${id}`;
}

function lakeByRegion(stack: SynthesizedJson): Record<string, Record<string, any>> {
  return Object.fromEntries(resources(stack, 'aws_securitylake_data_lake').map((l) => [l.configuration[0].region, l]));
}

describe('the data lake', () => {
  test('lives in the Log Archive account by default', () => {
    expect(Object.keys(lake.provider?.aws ?? {})).toHaveLength(1);
    expect(lake.provider?.aws[0]).toMatchObject({ alias: 'log_archive_eu_west_1', allowed_account_ids: ['222222222222'] });
  });

  test('has one configuration per governed region, with the configured lifecycle and S3-managed encryption', () => {
    const lakes = lakeByRegion(lake);
    expect(Object.keys(lakes).sort()).toEqual([...example.governedRegions].sort());
    for (const l of Object.values(lakes)) {
      expect(l.configuration).toHaveLength(1);
      expect(l.configuration[0]).toMatchObject({
        encryption_configuration: [{ kms_key_id: 'S3_MANAGED_KEY' }],
        lifecycle_configuration: [{ transition: [{ days: 30, storage_class: 'STANDARD_IA' }], expiration: [{ days: 365 }] }],
      });
      expect(l.configuration[0].replication_configuration).toBeUndefined();
    }
  });

  test('is indexed by the meta-store manager role Security Lake expects, created first', () => {
    const role = onlyResource(lake, 'aws_iam_role');
    expect(role).toMatchObject({ name: 'AmazonSecurityLakeMetaStoreManagerV2', path: '/service-role/' });
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      { Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ]);
    const attachment = onlyResource(lake, 'aws_iam_role_policy_attachment');
    expect(attachment.policy_arn).toBe('arn:aws:iam::aws:policy/service-role/AmazonSecurityLakeMetastoreManager');
    for (const l of resources(lake, 'aws_securitylake_data_lake')) {
      expect(l.meta_store_manager_role_arn).toBe(`\${${addressOf(lake, 'aws_iam_role', role)}.arn}`);
      expect(l.depends_on).toContain(addressOf(lake, 'aws_iam_role_policy_attachment', attachment));
    }
  });

  test('follows securityLake.transitions and expirationDays', () => {
    const config = exampleConfig((raw) => {
      raw.securityLake = { transitions: [{ days: 30, storageClass: 'STANDARD_IA' }, { days: 90, storageClass: 'GLACIER_IR' }], expirationDays: 730 };
    });
    for (const l of resources(synthStack('security-lake', config), 'aws_securitylake_data_lake')) {
      expect(l.configuration[0].lifecycle_configuration).toEqual([
        { transition: [{ days: 30, storage_class: 'STANDARD_IA' }, { days: 90, storage_class: 'GLACIER_IR' }], expiration: [{ days: 730 }] },
      ]);
    }
  });
});

describe('the log sources', () => {
  const sources = resources(lake, 'aws_securitylake_aws_log_source');
  const lakes = Object.entries(lake.resource?.aws_securitylake_data_lake ?? {}).map(([id]) => `aws_securitylake_data_lake.${id}`);

  test('collect every configured source, in OCSF 2.0, from every account and every governed region', () => {
    expect(sources.map((s) => s.source[0].source_name).sort()).toEqual([...example.securityLake.sources].sort());
    for (const s of sources) {
      expect(s.source).toHaveLength(1);
      expect(s.source[0].source_version).toBe('2.0');
      expect([...s.source[0].accounts].sort()).toEqual([...allAccounts].sort());
      expect([...s.source[0].regions].sort()).toEqual([...example.governedRegions].sort());
    }
  });

  test('each waits for every regional data lake', () => {
    for (const s of sources) expect([...s.depends_on].sort()).toEqual([...lakes].sort());
  });

  test('follow securityLake.sources', () => {
    const config = exampleConfig((raw) => (raw.securityLake = { sources: ['CLOUD_TRAIL_MGMT', 'VPC_FLOW'] }));
    const json = synthStack('security-lake', config);
    expect(resources(json, 'aws_securitylake_aws_log_source').map((s) => s.source[0].source_name).sort()).toEqual(['CLOUD_TRAIL_MGMT', 'VPC_FLOW']);
    expect(onlyResource(json, 'aws_securitylake_subscriber').source.map((s: any) => s.aws_log_source_resource[0].source_name).sort()).toEqual(['CLOUD_TRAIL_MGMT', 'VPC_FLOW']);
  });
});

describe('the query subscriber', () => {
  const subscriber = onlyResource(lake, 'aws_securitylake_subscriber');

  test('gives the Audit account Lake Formation query access to every configured source', () => {
    expect(subscriber.access_type).toBe('LAKEFORMATION');
    expect(subscriber.subscriber_identity).toEqual([{ principal: '333333333333', external_id: 'acme-audit-333333333333' }]);
    expect(subscriber.source.map((s: any) => s.aws_log_source_resource)).toEqual(
      example.securityLake.sources.map((name) => [{ source_name: name, source_version: '2.0' }]),
    );
  });

  test('is created after the sources it subscribes to', () => {
    for (const s of resources(lake, 'aws_securitylake_aws_log_source')) expect(subscriber.depends_on).toContain(addressOf(lake, 'aws_securitylake_aws_log_source', s));
  });
});

describe('a rollup region', () => {
  const config = exampleConfig((raw) => {
    raw.governedRegions = ['eu-west-1', 'eu-central-1', 'us-east-1'];
    raw.securityLake = { rollupRegion: 'eu-central-1' };
  });
  const json = synthStack('security-lake', config);
  const lakes = lakeByRegion(json);
  const role = resources(json, 'aws_iam_role').find((r) => r.name === 'SecurityLake-acme-s3-replication')!;

  test('is where the stack and the subscriber are, so the subscriber sees every region', () => {
    expect(json.provider?.aws.map((p: any) => p.region)).toEqual(['eu-central-1']);
  });

  test('receives the contributing regions, which are created after it; it replicates nowhere', () => {
    const rollupAddress = addressOf(json, 'aws_securitylake_data_lake', lakes['eu-central-1']);
    expect(lakes['eu-central-1'].configuration[0].replication_configuration).toBeUndefined();
    for (const region of ['eu-west-1', 'us-east-1']) {
      expect(lakes[region].configuration[0].replication_configuration).toEqual([{ regions: ['eu-central-1'], role_arn: `\${${addressOf(json, 'aws_iam_role', role)}.arn}` }]);
      expect(lakes[region].depends_on).toContain(rollupAddress);
    }
  });

  test('is replicated into by S3 under a SecurityLake-prefixed role, from the contributing lakes only', () => {
    expect(policyOf(role, 'assume_role_policy').Statement[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    const policy = policyOf(resources(json, 'aws_iam_role_policy')[0]);
    expect(statement(policy, 'ReadContributingLakes').Resource).toEqual([
      'arn:aws:s3:::aws-security-data-lake-eu-west-1*', 'arn:aws:s3:::aws-security-data-lake-eu-west-1*/*',
      'arn:aws:s3:::aws-security-data-lake-us-east-1*', 'arn:aws:s3:::aws-security-data-lake-us-east-1*/*',
    ]);
    expect(statement(policy, 'ReplicateIntoRollupLake').Resource).toBe('arn:aws:s3:::aws-security-data-lake-eu-central-1*/*');
    for (const s of policy.Statement) expect(s.Condition).toEqual({ StringEquals: { 's3:ResourceAccount': '222222222222' } });
  });

  test('without one, no replication role exists', () => {
    expect(resources(lake, 'aws_iam_role').map((r) => r.name)).toEqual(['AmazonSecurityLakeMetaStoreManagerV2']);
  });
});

describe('the configured account and the switch', () => {
  test('with securityLake.account audit, the lake is in the Audit account, which needs no subscription', () => {
    const json = synthStack('security-lake', exampleConfig((raw) => (raw.securityLake = { account: 'audit' })));
    expect(json.provider?.aws.map((p: any) => p.allowed_account_ids)).toEqual([['333333333333']]);
    expect(resources(json, 'aws_securitylake_data_lake')).toHaveLength(example.governedRegions.length);
    expect(resources(json, 'aws_securitylake_subscriber')).toEqual([]);
  });

  test('with securityLake.enabled false, there is no Security Lake stack at all', () => {
    const stacks = synthLandingZone(exampleConfig((raw) => (raw.securityLake = { enabled: false })));
    expect(stacks.has('security-lake')).toBe(false);
    expect([...stacks.values()].some((s) => Object.keys(s.resource ?? {}).some((t) => t.startsWith('aws_securitylake_')))).toBe(false);
  });

  test('the stack is deployed after the Log Archive', () => {
    const stacks = buildLandingZone(testApp(), landingZoneContext(example, 'aws', '/tmp/landing-zone-test-state'));
    const securityLake = stacks.find((s) => s.node.id === 'security-lake')!;
    expect(securityLake.dependencies.map((d) => d.node.id)).toContain('log-archive');
  });
});

describe('organization-wide auto-enable', () => {
  const command = organizationAutoEnableCommand('eu-west-1', example.governedRegions, example.securityLake.sources);

  test('the stack outputs the exact command for the configured regions and sources', () => {
    expect(lake.output?.organization_auto_enable_command.value).toBe(command);
    const [, json] = /--auto-enable-new-account '(.*)'$/.exec(command)!;
    const autoEnable = JSON.parse(json);
    expect(autoEnable.map((r: any) => r.region)).toEqual(example.governedRegions);
    for (const r of autoEnable) expect(r.sources).toEqual(example.securityLake.sources.map((s) => ({ sourceName: s, sourceVersion: '2.0' })));
  });

  test('docs/security-lake.md shows the command exactly as the stack renders it (for one region)', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'security-lake.md'), 'utf8');
    expect(doc).toContain(organizationAutoEnableCommand('eu-west-1', ['eu-west-1'], example.securityLake.sources));
  });
});
