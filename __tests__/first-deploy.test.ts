/**
 * What a real first deploy needs and the emulator cannot show: CloudTrail's kms:Decrypt on the
 * archive key (bucket key), Lake Formation settings for Security Lake's query subscriber, and log
 * sources that are created one after another and never replaced when accounts change. The last is
 * planned with the real provider against a state that covers more accounts than the config.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { SecuritylakeAwsLogSource } from '@cdktf/provider-aws/lib/securitylake-aws-log-source';
import { SecurityLake } from '../modules/analytics/security-lake';
import { archiveKeyStatements } from '../modules/evidence/archive-key';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { accountProvider } from '../stacks/infrastructure/providers';
import { LogArchiveStack } from '../stacks/log-archive';
import { SecurityLakeStack } from '../stacks/security-lake';
import { type PlanJson, terraform, terraformEnvironment } from '../scripts/terraform';
import { exampleConfig, onlyResource, policyOf, resources, statement, type SynthesizedJson } from './helpers';

jest.setTimeout(5 * 60 * 1000);

const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail';

describe('the Organization trail can be created against the archive', () => {
  const app = Testing.app();
  const logArchive = JSON.parse(Testing.synth(new LogArchiveStack(app, landingZoneContext(exampleConfig(), 'aws', '/tmp/landing-zone-test-state')))) as SynthesizedJson;
  const archiveKey = resources(logArchive, 'aws_kms_key').find((k) => k.description.startsWith('Encrypts the Organization trail'))!;

  test('the archive uses an S3 Bucket Key, so CloudTrail needs kms:Decrypt on its key', () => {
    const encryption = resources(logArchive, 'aws_s3_bucket_server_side_encryption_configuration').find((e) => String(e.bucket).includes('archive_bucket'))!;
    expect(encryption.rule[0].bucket_key_enabled).toBe(true);
    const decrypt = statement(policyOf(archiveKey), 'OrganizationTrailDecryptsWithBucketKey');
    expect(decrypt).toEqual({
      Sid: 'OrganizationTrailDecryptsWithBucketKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': TRAIL, 'kms:EncryptionContext:aws:cloudtrail:arn': TRAIL } },
    });
  });

  test('CloudTrail gets nothing more than encrypt, decrypt and describe, and only for this trail', () => {
    const forCloudTrail = archiveKeyStatements({ trailArn: TRAIL, region: 'eu-west-1', readerArns: [] });
    expect(forCloudTrail.map((s) => s.Action).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*']);
    for (const s of forCloudTrail) expect((s.Condition as any).StringEquals['aws:SourceArn']).toBe(TRAIL);
  });
});

const LAKE_ACCOUNT = '222222222222';
const DEPLOYER = `arn:aws:iam::${LAKE_ACCOUNT}:role/OrganizationAccountAccessRole`;

/** The Security Lake construct alone, in a bare stack with an offline provider. */
function bareLake(overrides: Partial<ConstructorParameters<typeof SecurityLake>[2]> = {}): { stack: TerraformStack; json: SynthesizedJson } {
  const stack = new TerraformStack(Testing.app(), 'lake');
  const provider = accountProvider(stack, { alias: 'lake', accountId: LAKE_ACCOUNT, region: 'eu-west-1', tags: {}, target: 'offline' });
  new SecurityLake(stack, 'security-lake', {
    provider,
    accountId: LAKE_ACCOUNT,
    regions: ['eu-west-1'],
    lifecycle: { transitions: [], expirationDays: 365 },
    sources: ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53'],
    sourceAccountIds: ['111111111111', LAKE_ACCOUNT],
    replicationRoleName: 'SecurityLake-acme-s3-replication',
    lakeFormationAdministrators: [DEPLOYER],
    subscriber: { name: 'acme-audit-query', accountId: '333333333333', externalId: 'acme-audit-333333333333' },
    ...overrides,
  });
  return { stack, json: JSON.parse(Testing.synth(stack)) as SynthesizedJson };
}

function addressOf(json: SynthesizedJson, type: string, resource: Record<string, any>): string {
  const [id] = Object.entries(json.resource?.[type] ?? {}).find(([, r]) => r === resource)!;
  return `${type}.${id}`;
}

describe('Security Lake query access', () => {
  const { json } = bareLake();
  const settings = onlyResource(json, 'aws_lakeformation_data_lake_settings');

  test('the deploying role is a Lake Formation administrator and cross-account sharing is version 3', () => {
    expect(settings.admins).toEqual([DEPLOYER]);
    expect(settings.parameters).toEqual({ CROSS_ACCOUNT_VERSION: '3', SET_CONTEXT: 'TRUE' });
  });

  test('the settings keep AWS\'s defaults for new databases and tables, so nothing else in the account changes', () => {
    expect(settings.create_database_default_permissions).toEqual([{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }]);
    expect(settings.create_table_default_permissions).toEqual([{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }]);
  });

  test('the data lake waits for the settings, and the subscriber for the data lake', () => {
    const lake = onlyResource(json, 'aws_securitylake_data_lake');
    expect(lake.depends_on).toContain(addressOf(json, 'aws_lakeformation_data_lake_settings', settings));
    expect(onlyResource(json, 'aws_securitylake_subscriber').depends_on).toContain(addressOf(json, 'aws_securitylake_data_lake', lake));
  });

  test('the stack merges the configured administrators with its deployment role, each once', () => {
    const config = exampleConfig((raw) => (raw.securityLake = { lakeFormationAdministrators: ['arn:aws:iam::222222222222:role/data-lake-admin', DEPLOYER] }));
    const stack = new SecurityLakeStack(Testing.app(), landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state'));
    const admins = onlyResource(JSON.parse(Testing.synth(stack)), 'aws_lakeformation_data_lake_settings').admins;
    expect(admins).toEqual([DEPLOYER, 'arn:aws:iam::222222222222:role/data-lake-admin']);
  });

  test('an empty administrator list is refused: the subscriber could not be created', () => {
    expect(() => bareLake({ lakeFormationAdministrators: [] })).toThrow(/lakeFormationAdministrators is empty/);
  });
});

describe('Security Lake log sources', () => {
  const { json } = bareLake();
  const sources = resources(json, 'aws_securitylake_aws_log_source');

  test('are created one after another (parallel creates fail with ConflictException)', () => {
    const address = (name: string) => addressOf(json, 'aws_securitylake_aws_log_source', sources.find((s) => s.source[0].source_name === name)!);
    const dependsOn = (name: string) => sources.find((s) => s.source[0].source_name === name)!.depends_on as string[];
    expect(dependsOn('CLOUD_TRAIL_MGMT').filter((d) => d.startsWith('aws_securitylake_aws_log_source'))).toEqual([]);
    expect(dependsOn('VPC_FLOW')).toContain(address('CLOUD_TRAIL_MGMT'));
    expect(dependsOn('ROUTE53')).toContain(address('VPC_FLOW'));
  });

  test('ignore changes to their accounts', () => {
    for (const s of sources) expect(s.lifecycle).toEqual({ ignore_changes: ['source[0].accounts'] });
  });

  test('are not replaced when the organization has more accounts than the config lists (real provider plan)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-lake-plan-'));
    try {
      const env = terraformEnvironment(path.join(dir, '.cli'));
      let initialized = false;
      // The state as after Security Lake enabled a third account by itself: the provider reads back every account.
      const planWithState = async (stack: TerraformStack): Promise<string[][]> => {
        const synthesized = JSON.parse(Testing.synth(stack)) as SynthesizedJson;
        fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(synthesized));
        const state = {
          version: 4,
          terraform_version: '1.11.4',
          serial: 1,
          lineage: 'lake-plan',
          outputs: {},
          resources: Object.entries(synthesized.resource!.aws_securitylake_aws_log_source).map(([id, r]) => ({
            mode: 'managed',
            type: 'aws_securitylake_aws_log_source',
            name: id,
            provider: 'provider["registry.terraform.io/hashicorp/aws"].lake',
            instances: [{ schema_version: 0, attributes: { id: r.source[0].source_name, source: [{ ...r.source[0], accounts: [...r.source[0].accounts, '444444444441'] }] } }],
          })),
        };
        fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));
        if (!initialized) await terraform(['init', '-input=false', '-backend=false'], dir, env);
        initialized = true;
        await terraform(['plan', '-input=false', '-lock=false', '-refresh=false', '-out=plan.tfplan'], dir, env);
        const plan = JSON.parse((await terraform(['show', '-json', 'plan.tfplan'], dir, env)).stdout) as PlanJson;
        return (plan.resource_changes ?? []).filter((c) => c.type === 'aws_securitylake_aws_log_source').map((c) => [...c.change.actions]);
      };
      expect(await planWithState(bareLake().stack)).toEqual([['no-op'], ['no-op'], ['no-op']]);
      // Without ignore_changes the same state is planned as delete and create: collection stops org-wide.
      const unguarded = bareLake().stack;
      for (const child of unguarded.node.findAll()) {
        if (child instanceof SecuritylakeAwsLogSource) child.lifecycle = undefined;
      }
      expect(await planWithState(unguarded)).toEqual([['delete', 'create'], ['delete', 'create'], ['delete', 'create']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
