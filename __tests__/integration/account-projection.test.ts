/**
 * The account projection function against moto's Organizations and Glue: the trail table is made
 * as the landing zone makes it, an account is created in the organization, and the function (the
 * zip the landing zone deploys, run as Lambda would) adds its id to `projection.account.values`,
 * changing nothing else of the table. What the landing zone deploys around it:
 * __tests__/account-projection.test.ts.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateDatabaseCommand, CreateTableCommand, GetTableCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { bundleAccountProjection } from '../../lambda/account-projection/bundle';
import { ACCOUNT_PROJECTION_PARAMETER } from '../../facts/athena';
import { projectedIds, syncAccountProjection } from '../../lambda/account-projection/sync';
import {
  CLOUDTRAIL_COLUMNS,
  CLOUDTRAIL_PARTITION_KEYS,
  cloudTrailLocation,
  hiveTypeString,
  projectionParameters,
} from '../../modules/analytics/cloudtrail-table';
import { createOrganization, freePort, type MotoServer, startMoto } from '../../scripts/moto';
import { REPOSITORY_ROOT } from '../helpers';

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

// started as the file loads, so that the emulator comes up while the rest of the file loads
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
    fs.symlinkSync(path.join(REPOSITORY_ROOT, 'node_modules'), path.join(unzipped, 'node_modules'));
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
