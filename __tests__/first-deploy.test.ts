/**
 * What a real first deploy needs and the emulator cannot show: CloudTrail's kms:Decrypt on the
 * archive key (bucket key), Lake Formation settings for Security Lake's query subscriber, and log
 * sources that are created one after another and never replaced when accounts change (planned with
 * the real provider in __tests__/terraform/security-lake-sources.test.ts).
 */
import { Testing } from 'cdktf';
import { archiveKeyStatements } from '../modules/evidence/archive-key';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { LogArchiveStack } from '../stacks/log-archive';
import { SecurityLakeStack } from '../stacks/security-lake';
import { exampleConfig, onlyResource, policyOf, resources, statement, type SynthesizedJson, testApp } from './helpers';
import { bareLake, DEPLOYER } from './support/security-lake';

const TRAIL = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail';

describe('the Organization trail can be created against the archive', () => {
  const app = testApp();
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
    const stack = new SecurityLakeStack(testApp(), landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state'));
    const admins = onlyResource(JSON.parse(Testing.synth(stack)), 'aws_lakeformation_data_lake_settings').admins;
    expect(admins).toEqual([DEPLOYER, 'arn:aws:iam::222222222222:role/data-lake-admin']);
  });

  test('an administrator of another account is refused, naming the field', () => {
    expect(() => exampleConfig((raw) => (raw.securityLake = { lakeFormationAdministrators: ['arn:aws:iam::333333333333:role/analyst'] }))).toThrow(
      /securityLake\.lakeFormationAdministrators\[0\]: arn:aws:iam::333333333333:role\/analyst is in account 333333333333; a Lake Formation administrator of the lake is a role or user of the lake account \(securityLake\.account = logArchive, 222222222222\)/,
    );
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
});
