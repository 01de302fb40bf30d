/**
 * The account projection function against moto's Organizations and Glue: the trail table is made
 * as the landing zone makes it, an account is created in the organization, and the function (the
 * zip the landing zone deploys, run as Lambda would) adds its id to `projection.account.values`,
 * changing nothing else of the table.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { bundleAccountProjection } from '../lambda/account-projection/bundle';
import { ACCOUNT_PROJECTION_PARAMETER } from '../facts/athena';
import { projectedIds, syncAccountProjection } from '../lambda/account-projection/sync';
import {
  CLOUDTRAIL_COLUMNS,
  CLOUDTRAIL_PARTITION_KEYS,
  cloudTrailLocation,
  hiveTypeString,
  projectionParameters,
} from '../modules/analytics/cloudtrail-table';
import { createOrganization, freePort, type MotoServer, startMoto } from '../scripts/moto';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone } from './helpers';

jest.setTimeout(2 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-projection-'));
const REGION = 'eu-west-1';
const DATABASE = 'acme_audit_logs';
const TABLE = 'cloudtrail';
/** An account that left the organization: its logs stay in the archive, so it stays projected. */
const DEPARTED = '999999999999';

let moto: MotoServer;
let organizations: OrganizationsClient;
let glue: GlueClient;
let catalogId: string;
let organizationId: string;

function client<T>(Client: new (config: object) => T, region: string): T {
  return new Client({ region, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

async function table() {
  const { Table } = await glue.send(new GetTableCommand({ CatalogId: catalogId, DatabaseName: DATABASE, Name: TABLE }));
  return Table!;
}

// started as the file loads, so that the emulator comes up while the landing zone below is synthesized
const motoStarting = freePort().then((port) => startMoto(port, path.join(workDir, 'moto.log')));
motoStarting.catch(() => undefined);

beforeAll(async () => {
  moto = await motoStarting;
  const organization = await createOrganization(moto.endpoint, ['acme-log-archive', 'acme-audit']);
  organizationId = organization.id;
  catalogId = organization.accounts['acme-audit'];
  organizations = client(OrganizationsClient, 'us-east-1');
  glue = client(GlueClient, REGION);
  const projection = {
    bucketName: 'acme-log-archive-222222222222-eu-west-1',
    organizationId,
    accountIds: [organization.managementAccountId, ...Object.values(organization.accounts), DEPARTED],
    regions: [REGION, 'us-east-1'],
    startDate: '2024/01/01',
  };
  await glue.send(new CreateDatabaseCommand({ CatalogId: catalogId, DatabaseInput: { Name: DATABASE } }));
  await glue.send(
    new CreateTableCommand({
      CatalogId: catalogId,
      DatabaseName: DATABASE,
      TableInput: {
        Name: TABLE,
        TableType: 'EXTERNAL_TABLE',
        Parameters: { EXTERNAL: 'TRUE', classification: 'cloudtrail', ...projectionParameters(projection) },
        PartitionKeys: CLOUDTRAIL_PARTITION_KEYS.map((name) => ({ Name: name, Type: 'string' })),
        StorageDescriptor: {
          Location: cloudTrailLocation(projection),
          InputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
          OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
          Columns: Object.entries(CLOUDTRAIL_COLUMNS).map(([name, type]) => ({ Name: name, Type: hiveTypeString(type) })),
        },
      },
    }),
  );
});

afterAll(async () => {
  (moto ?? (await motoStarting.catch(() => undefined)))?.stop();
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe('the account projection', () => {
  const target = () => ({ catalogId, databaseName: DATABASE, tableName: TABLE, parameter: ACCOUNT_PROJECTION_PARAMETER });

  test('leaves the table alone while every account of the organization is projected', async () => {
    const before = await table();
    const result = await syncAccountProjection({ organizations, glue }, target());
    expect(result.added).toEqual([]);
    expect((await table()).VersionId).toBe(before.VersionId);
  });

  test('a new account of the organization reaches projection.account.values, and nothing else of the table changes', async () => {
    const before = await table();
    const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ AccountName: 'acme-new-team', Email: 'new-team@acme.example' }));
    const newAccount = CreateAccountStatus!.AccountId!;
    expect(projectedIds(before.Parameters![ACCOUNT_PROJECTION_PARAMETER])).not.toContain(newAccount);

    const result = await syncAccountProjection({ organizations, glue }, target());

    expect(result.added).toEqual([newAccount]);
    const after = await table();
    const projected = projectedIds(after.Parameters![ACCOUNT_PROJECTION_PARAMETER]);
    expect(projected).toEqual([...projectedIds(before.Parameters![ACCOUNT_PROJECTION_PARAMETER]), newAccount]);
    expect(projected).toContain(DEPARTED);
    const others = (parameters: Record<string, string>) => Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== ACCOUNT_PROJECTION_PARAMETER));
    const otherParameters = others(after.Parameters!);
    expect(otherParameters).toEqual(others(before.Parameters!));
    expect(otherParameters['storage.location.template']).toBe(`s3://acme-log-archive-222222222222-eu-west-1/AWSLogs/${organizationId}/\${account}/CloudTrail/\${region}/\${date}`);
    expect(after.StorageDescriptor).toEqual(before.StorageDescriptor);
    expect(after.PartitionKeys).toEqual(before.PartitionKeys);
    expect(after.TableType).toBe('EXTERNAL_TABLE');
  });

  test('the deployed zip, started as Lambda starts it by the daily schedule, projects the next new account', async () => {
    const unzipped = path.join(workDir, 'bundle');
    fs.mkdirSync(unzipped, { recursive: true });
    execFileSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', bundleAccountProjection(), unzipped]);
    // The bundle leaves the AWS SDK to the runtime: here the repository's copy stands in for it.
    fs.symlinkSync(path.join(__dirname, '..', 'node_modules'), path.join(unzipped, 'node_modules'));
    const { CreateAccountStatus } = await organizations.send(new CreateAccountCommand({ AccountName: 'acme-later', Email: 'later@acme.example' }));
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: REGION,
      CATALOG_ID: catalogId,
      DATABASE_NAME: DATABASE,
      TABLE_NAME: TABLE,
      ACCOUNT_PARAMETER: ACCOUNT_PROJECTION_PARAMETER,
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const { handler } = require(path.join(unzipped, 'index.js'));
      const result = await handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
      expect(result.added).toEqual([CreateAccountStatus!.AccountId]);
      expect(JSON.parse(log.mock.calls[0][0])).toEqual({ cause: 'Scheduled Event', added: [CreateAccountStatus!.AccountId], projected: 6 });
    } finally {
      log.mockRestore();
      process.env = saved;
    }
    expect(projectedIds((await table()).Parameters![ACCOUNT_PROJECTION_PARAMETER])).toContain(CreateAccountStatus!.AccountId);
  });
});

describe('the account projection as the landing zone deploys it', () => {
  const stacks = synthLandingZone();
  const analytics = stackOf(stacks, 'analytics');
  const byProvider = (type: string, provider: string) => resources(analytics, type).filter((r) => r.provider === provider);

  test('the table ignores later changes of projection.account.values only', () => {
    expect(onlyResource(analytics, 'aws_glue_catalog_table').lifecycle).toEqual({ ignore_changes: ['parameters["projection.account.values"]'] });
  });

  test('the function may list the accounts and read and update the one trail table, nothing else', () => {
    const role = resources(analytics, 'aws_iam_role_policy').find((p) => p.name === 'project-the-organizations-accounts')!;
    const policy = policyOf(role);
    expect(statement(policy, 'ListTheOrganizationsAccounts')).toMatchObject({ Action: 'organizations:ListAccounts', Resource: '*' });
    expect(statement(policy, 'ReadAndUpdateTheTrailTableOnly')).toEqual({
      Sid: 'ReadAndUpdateTheTrailTableOnly',
      Effect: 'Allow',
      Action: ['glue:GetTable', 'glue:UpdateTable'],
      Resource: ['arn:aws:glue:eu-west-1:333333333333:catalog', 'arn:aws:glue:eu-west-1:333333333333:database/acme_audit_logs', 'arn:aws:glue:eu-west-1:333333333333:table/acme_audit_logs/cloudtrail'],
    });
    expect(policy.Statement.map((s: any) => s.Sid).sort()).toEqual(['ListTheOrganizationsAccounts', 'ReadAndUpdateTheTrailTableOnly', 'WriteOwnLogs']);
    const fn = onlyResource(analytics, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'acme-account-projection', runtime: 'nodejs22.x', reserved_concurrent_executions: 1 });
    expect(fn.environment.variables).toEqual({ CATALOG_ID: '333333333333', DATABASE_NAME: 'acme_audit_logs', TABLE_NAME: 'cloudtrail', ACCOUNT_PARAMETER: 'projection.account.values' });
  });

  test('Organizations events are taken from the management account in us-east-1 and forwarded to the Audit account', () => {
    const [forward] = byProvider('aws_cloudwatch_event_rule', 'aws.management_us_east_1');
    expect(JSON.parse(forward.event_pattern)).toEqual({
      source: ['aws.organizations'],
      'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
      detail: { eventSource: ['organizations.amazonaws.com'], eventName: ['CreateAccountResult', 'AccountJoinedOrganization', 'InviteAccountToOrganization', 'AcceptHandshake'] },
    });
    const [target] = byProvider('aws_cloudwatch_event_target', 'aws.management_us_east_1');
    expect(target.arn).toMatch(/^\$\{aws_cloudwatch_event_bus\..+\.arn\}$/);
    const trust = policyOf(byProvider('aws_iam_role', 'aws.management_us_east_1')[0], 'assume_role_policy');
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/acme-account-projection' } });
    const busPolicy = policyOf(onlyResource(analytics, 'aws_cloudwatch_event_bus_policy'));
    expect(busPolicy.Statement).toEqual([expect.objectContaining({
      Action: 'events:PutEvents',
      Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
      Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/acme-account-projection-forward'] } },
    })]);
  });

  test('the function runs on those events and once a day', () => {
    const rules = byProvider('aws_cloudwatch_event_rule', 'aws.audit_eu_west_1');
    expect(rules.map((r) => r.schedule_expression ?? JSON.parse(r.event_pattern).source[0]).sort()).toEqual(['aws.organizations', 'rate(1 day)']);
    expect(byProvider('aws_cloudwatch_event_target', 'aws.audit_eu_west_1')).toHaveLength(2);
    expect(resources(analytics, 'aws_lambda_permission').map((p) => p.principal)).toEqual(['events.amazonaws.com', 'events.amazonaws.com']);
  });

  test('the organization lets the Audit account call ListAccounts, and nothing else', () => {
    const delegation = policyOf(onlyResource(stackOf(stacks, 'organization'), 'aws_organizations_resource_policy'), 'content');
    expect(delegation.Statement).toEqual([
      { Sid: 'AuditAccountListsTheAccounts', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 'organizations:ListAccounts', Resource: '*' },
    ]);
  });

  test('switched off, the table is Terraform\'s alone and nothing of the function is made', () => {
    const off = synthLandingZone(exampleConfig((raw) => (raw.analytics = { followNewAccounts: false })));
    expect(onlyResource(stackOf(off, 'analytics'), 'aws_glue_catalog_table').lifecycle).toBeUndefined();
    expect(resources(stackOf(off, 'analytics'), 'aws_lambda_function')).toEqual([]);
    expect(resources(stackOf(off, 'organization'), 'aws_organizations_resource_policy')).toEqual([]);
  });
});
