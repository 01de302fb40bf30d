import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { ConfigError } from '../config/loader';
import { namesFor } from '../config/names';
import { landingZoneLogGroups } from '../config/rules';
import { LEGACY_ELB_ACCOUNTS, LB_POLICY_BYTES_BESIDES_LEGACY_RESOURCES, legacyElbGrantResources, MAX_BUCKET_POLICY_BYTES } from '../facts/elb';
import { INVESTIGATIONS } from '../facts/investigations';
import { CENTRALIZED_LOG_GROUP_NAME_PATTERN } from '../facts/log-collection';
import { ALB_LOG_COLUMNS } from '../modules/collection/alb-log-table';
import { INSIGHTS_QUERIES } from '../modules/collection/insights-queries';
import { albBucketStatements, policyBytes } from '../modules/collection/load-balancer-log-buckets';
import { centralizationRuleTemplate } from '../modules/collection/log-centralization-rule';
import { cfnLint } from './support/cfn-lint';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone, synthStack, type SynthesizedJson } from './helpers';

const allOn = (raw: Record<string, any>) => {
  raw.logCollection = {
    loadBalancerLogs: { enabled: true, configRule: true },
    cloudWatchLogs: { enabled: true },
    insightsQueries: { enabled: true },
    cloudTrailLake: { enabled: true },
  };
};
const config = exampleConfig(allOn);
const names = namesFor(config);

/** The centralization rule's template as the example's Log Archive gets it, and the same with an enum cfn-lint must refuse. */
const centralization = centralizationRuleTemplate({ ruleName: names.logCentralizationRuleName, organizationId: 'o-acme12ab34', sourceRegions: config.governedRegions, logGroupPrefixes: ['/aws/lambda/'], excludedLogGroups: landingZoneLogGroups(config), includeEncryptedLogGroups: true, destination: { accountId: '222222222222', region: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-4000-8000-000000000000', logGroupNamePattern: CENTRALIZED_LOG_GROUP_NAME_PATTERN } });
const wrongEnum = JSON.parse(JSON.stringify(centralization).replace('"ALLOW"', '"MAYBE"'));
// one cfn-lint run for both, started now: it goes on while the landing zone is synthesized and tested
const linting = cfnLint({ 'centralization.json': centralization, 'wrong-enum.json': wrongEnum }, ['eu-west-1']);

const stacks = synthLandingZone(config);
const home = stackOf(stacks, 'log-collection');
const euWest1 = stackOf(stacks, 'log-collection-eu-west-1');

const byBucket = (json: SynthesizedJson, type: string, bucketName: string) =>
  resources(json, type).filter((r) => r.bucket === bucketName || String(r.bucket).includes(bucketName));

/** The synthesized resource whose bucket attribute references the bucket resource named `bucketName`. */
function ofBucket(json: SynthesizedJson, type: string, bucketName: string): Record<string, any> {
  const bucketKey = Object.entries(json.resource!.aws_s3_bucket).find(([, b]) => b.bucket === bucketName)![0];
  const found = resources(json, type).filter((r) => String(r.bucket).includes(`aws_s3_bucket.${bucketKey}.`));
  if (found.length !== 1) throw new Error(`expected one ${type} of ${bucketName}, found ${found.length}`);
  return found[0];
}

describe('the load balancer log buckets of a region', () => {
  const alb = names.albLogBucket('eu-west-1');
  const nlb = names.nlbLogBucket('eu-west-1');

  test('are named from the prefix, the Log Archive account and the region, in that region', () => {
    expect(resources(euWest1, 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['acme-alb-logs-222222222222-eu-west-1', 'acme-nlb-logs-222222222222-eu-west-1']);
    expect(euWest1.provider!.aws.map((p) => p.region)).toEqual(['eu-west-1', 'eu-west-1']);
    expect(byBucket(euWest1, 'aws_s3_bucket', alb)).toHaveLength(1);
  });

  test('ALB logs under SSE-S3 (all ALB delivers into), NLB logs under the region\'s customer managed key', () => {
    expect(ofBucket(euWest1, 'aws_s3_bucket_server_side_encryption_configuration', alb).rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'AES256' });
    const nlbEncryption = ofBucket(euWest1, 'aws_s3_bucket_server_side_encryption_configuration', nlb).rule[0];
    expect(nlbEncryption.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(nlbEncryption.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    const key = policyOf(onlyResource(euWest1, 'aws_kms_key'));
    expect(statement(key, 'LogDeliveryEncryptsTheOrganizationsLogs')).toMatchObject({ Principal: { Service: 'delivery.logs.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceOrgID': 'o-acme12ab34' } } });
  });

  test('admit the delivery service only for the organization, each account under its own prefix, never AWSLogs/*', () => {
    const albPolicy = policyOf(ofBucket(euWest1, 'aws_s3_bucket_policy', alb));
    const delivery = statement(albPolicy, 'ElbDeliversTheOrganizationsLogs');
    expect(delivery.Principal).toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
    expect(delivery.Condition).toEqual({ StringEquals: { 'aws:SourceOrgID': 'o-acme12ab34' } });
    // Terraform renders $${ as ${: the IAM policy variable of the account the service writes for
    expect(delivery.Resource).toMatch(/\/AWSLogs\/\$\$\{aws:SourceAccount\}\/\*$/);
    const nlbPolicy = policyOf(ofBucket(euWest1, 'aws_s3_bucket_policy', nlb));
    expect(statement(nlbPolicy, 'LogDeliveryWritesTheOrganizationsLogs').Condition).toEqual({
      StringEquals: { 'aws:SourceOrgID': 'o-acme12ab34', 's3:x-amz-acl': 'bucket-owner-full-control' },
    });
    for (const policy of [albPolicy, nlbPolicy]) {
      const allows = policy.Statement.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('s3:PutObject'));
      for (const s of allows) {
        for (const r of [s.Resource].flat()) expect(r).not.toMatch(/\/AWSLogs\/\*$|\/\*$(?<!\}\/\*)/);
        expect(s.Condition?.StringEquals?.['aws:SourceOrgID']).toBe('o-acme12ab34');
      }
      expect(statement(policy, 'DenyInsecureTransport').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(statement(policy, 'DenyDeletingLogs')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteBucket']) });
      expect(statement(policy, 'ReadersReadTheLogs').Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/acme-audit-log-query', 'arn:aws:iam::333333333333:role/acme-incident-responder'] } });
    }
  });

  test('keep the logs for logCollection.loadBalancerLogs.retentionDays, moving them as configured', () => {
    for (const bucket of [alb, nlb]) {
      const rule = ofBucket(euWest1, 'aws_s3_bucket_lifecycle_configuration', bucket).rule[0];
      expect(rule.expiration).toEqual([{ days: 365 }]);
      expect(rule.transition).toEqual([{ days: 90, storage_class: 'GLACIER_IR' }]);
    }
  });
});

describe('the bucket policy at 1,000 accounts', () => {
  const accounts = Array.from({ length: 1000 }, (_, i) => String(100000000000 + i));
  const bucketArn = 'arn:aws:s3:::acme-alb-logs-222222222222-ap-southeast-3';
  const readers = ['arn:aws:iam::333333333333:role/acme-audit-log-query', 'arn:aws:iam::333333333333:role/acme-incident-responder'];
  const withDenyTls = (s: ReturnType<typeof albBucketStatements>) => [{ Sid: 'DenyInsecureTransport', Effect: 'Deny' as const, Principal: '*' as const, Action: 's3:*', Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }, ...s];

  test('is the same size at 1,000 accounts as at 5: the service principal is limited by aws:SourceOrgID, not by a list', () => {
    const bytes = policyBytes(withDenyTls(albBucketStatements(bucketArn, { organizationId: 'o-acme12ab34', readerArns: readers })));
    console.log(`largest load balancer bucket policy at 1,000 accounts: ${bytes} bytes of ${MAX_BUCKET_POLICY_BYTES}`);
    expect(bytes).toBeLessThan(2048);
  });

  test('with the legacy ELB account it would list 1,000 prefixes and not fit; the config refuses it, naming the field', () => {
    const legacy = policyBytes(withDenyTls(albBucketStatements(bucketArn, { organizationId: 'o-acme12ab34', readerArns: readers, legacyElbAccount: { accountId: LEGACY_ELB_ACCOUNTS['ap-southeast-3'], grantedAccountIds: accounts } })));
    expect(legacy).toBeGreaterThan(MAX_BUCKET_POLICY_BYTES);
    // the config rule's estimate never undercounts the real policy
    expect(legacy - JSON.stringify(legacyElbGrantResources(bucketArn, accounts)).length).toBeLessThanOrEqual(LB_POLICY_BYTES_BESIDES_LEGACY_RESOURCES);
    const tooMany = () => exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.loadBalancerLogs.legacyElbAccountPrincipal = true;
      raw.accounts.members = accounts.map((id, i) => ({ name: `member-${i}`, id }));
    });
    expect(tooMany).toThrow(/logCollection\.loadBalancerLogs\.legacyElbAccountPrincipal: the legacy ELB account cannot be limited to the organization.*S3 accepts 20480/);
  });

  test('with the legacy ELB account and the example\'s eight accounts, it lists exactly their prefixes', () => {
    const legacyConfig = exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.loadBalancerLogs.legacyElbAccountPrincipal = true;
    });
    const stack = stackOf(synthLandingZone(legacyConfig), 'log-collection-eu-west-1');
    const bucket = names.albLogBucket('eu-west-1');
    const grant = statement(policyOf(ofBucket(stack, 'aws_s3_bucket_policy', bucket)), 'LegacyElbAccountDeliversListedAccountsLogs');
    expect(grant.Principal).toEqual({ AWS: 'arn:aws:iam::156460612806:root' });
    expect(grant.Resource).toHaveLength(8);
    for (const r of grant.Resource) expect(r).toMatch(/\/AWSLogs\/\d{12}\/\*$/);
  });
});

describe('the ALB table, on AWS\'s documented example entries, in DuckDB', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'alb-access-log-entries.json'), 'utf8'));
  // The documented entries' account and regions, governed by this organization.
  const docsConfig = exampleConfig((raw) => {
    allOn(raw);
    raw.governedRegions = ['eu-west-1', 'us-east-2', 'us-west-2'];
    raw.accounts.members.push({ name: 'docs-example', id: '123456789012' });
  });
  const table = onlyResource(stackOf(synthLandingZone(docsConfig), 'log-collection'), 'aws_glue_catalog_table');
  const parameter = (k: string) => String(table.parameters[k]).replace(/\$\$\{/g, '${');
  const regex: string = table.storage_descriptor.ser_de_info.parameters['input.regex'];
  const columns: Array<{ name: string; type: string }> = table.storage_descriptor.columns;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alb-logs-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Writes entries where ELB would: the table's location template, filled. */
  function deliver(entries: string[], account: string, region: string, day: string, name: string): void {
    const folder = parameter('storage.location.template').replace('s3://', `${dir}/`).replace(/\$\{region\}/g, region).replace('${account}', account).replace('${day}', day);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${account}_elasticloadbalancing_${region}_app.my-loadbalancer.50dc6c495c0c9188_${name}.log.gz`), zlib.gzipSync(`${entries.join('\n')}\n`));
  }

  const current: Record<string, string> = fixture.current;
  const sql = (s: string) => s.replace(/'/g, "''");
  const duckType: Record<string, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE' };
  let rows: Array<Record<string, any>>;

  beforeAll(async () => {
    const { http, https, http2, websockets, securedWebsockets, lambdaSuccess, lambdaFailure } = current;
    deliver([http, https, http2, websockets], '123456789012', 'us-east-2', '2018/07/02', '20180702T2225Z_a');
    deliver([securedWebsockets], '123456789012', 'us-west-2', '2018/07/02', '20180702T2225Z_b');
    deliver([lambdaSuccess, lambdaFailure, fixture.documented2019.http, `${https} "a field AWS adds next year" 42`], '123456789012', 'us-east-2', '2018/11/30', '20181130T2225Z_c');
    // RegexSerDe: a whole-line match, one group per column, NULL for a group that took part in no
    // match (DuckDB's RE2 returns '' there; ALB writes "-", never an empty field) and for a value
    // that does not parse as the column's type. Partitions come from the location template.
    const template = parameter('storage.location.template').replace('s3://', `${dir}/`);
    const keys: string[] = [];
    const pathRegex = template.replace(/[.*+?^()|[\]\\]/g, '\\$&').replace(/\$\{(\w+)\}/g, (_, k: string) => {
      keys.push(k);
      return k === 'day' ? '(\\d{4}/\\d{2}/\\d{2})' : '([^/]+)';
    });
    const partition = (k: string) => `regexp_extract(filename, '^${sql(pathRegex)}/', ${keys.indexOf(k) + 1})`;
    // one struct of every group, named by its column (DuckDB numbers groups 1-9 only)
    const groups = `regexp_extract(line, '${sql(regex)}', [${columns.map((c) => `'${c.name}'`).join(', ')}])`;
    const values = columns.map((c) =>
      `CASE WHEN matched THEN TRY_CAST(nullif(groups."${c.name}", '') AS ${duckType[c.type]}) END AS "${c.name}"`);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(`CREATE VIEW alb AS SELECT ${values.join(', ')}, ${partition('account')} AS account, ${partition('region')} AS region, ${partition('day')} AS day
      FROM (SELECT *, regexp_full_match(line, '${sql(regex)}') AS matched, ${groups} AS groups
        FROM read_csv('${sql(dir)}/**/*.log.gz', columns = {'line': 'VARCHAR'}, header = false, delim = '\t', quote = '', escape = '', filename = true, auto_detect = false))`);
    const reader = await connection.runAndReadAll(`SELECT * FROM alb WHERE account = '123456789012' AND day IN ('2018/07/02', '2018/11/30') ORDER BY day, region, time, type, sent_bytes, transformed_host NULLS FIRST, conn_trace_id NULLS FIRST`);
    rows = reader.getRowObjectsJson() as Array<Record<string, any>>;
    connection.closeSync();
  });

  const base = {
    elb: 'app/my-loadbalancer/50dc6c495c0c9188', target_group_arn: 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067',
    ssl_cipher: '-', ssl_protocol: '-', domain_name: '-', chosen_cert_arn: '-', redirect_url: '-', error_reason: '-', classification: '-', classification_reason: '-',
    conn_trace_id: 'TID_1234abcd5678ef90', transformed_host: '-', transformed_uri: '-', request_transform_status: '-', account: '123456789012',
  };
  const tls = { ssl_cipher: 'ECDHE-RSA-AES128-GCM-SHA256', ssl_protocol: 'TLSv1.2' };
  const get = { request_verb: 'GET', request_proto: 'HTTP/1.1' };
  const july = { time: '2018-07-02T22:23:00.186641Z', request_creation_time: '2018-07-02T22:22:48.364000Z', day: '2018/07/02' };
  const november = { time: '2018-11-30T22:23:00.186641Z', request_creation_time: '2018-11-30T22:22:48.364000Z', day: '2018/11/30', region: 'us-east-2' };
  const lambda = { ...base, ...november, ...get, type: 'http', client_ip: '192.168.131.39', client_port: 2817, target_ip: null, target_port: null, request_processing_time: 0, target_processing_time: 0.001, response_processing_time: 0, received_bytes: '34', sent_bytes: '366', request_url: 'http://www.example.com:80/', user_agent: 'curl/7.46.0', trace_id: 'Root=1-58337364-23a8c76965a2ef7629b185e3', matched_rule_priority: '0', actions_executed: 'forward', target_port_list: '-', target_status_code_list: '-' };
  const http = { ...base, ...july, ...get, region: 'us-east-2', type: 'http', client_ip: '192.168.131.39', client_port: 2817, target_ip: '10.0.0.1', target_port: 80, request_processing_time: 0, target_processing_time: 0.001, response_processing_time: 0, elb_status_code: 200, target_status_code: '200', received_bytes: '34', sent_bytes: '366', request_url: 'http://www.example.com:80/', user_agent: 'curl/7.46.0', trace_id: 'Root=1-58337262-36d228ad5d99923122bbe354', matched_rule_priority: '0', actions_executed: 'forward', target_port_list: '10.0.0.1:80', target_status_code_list: '200' };
  const https = { ...base, ...july, ...get, ...tls, region: 'us-east-2', type: 'https', client_ip: '192.168.131.39', client_port: 2817, target_ip: '10.0.0.1', target_port: 80, request_processing_time: 0.086, target_processing_time: 0.048, response_processing_time: 0.037, elb_status_code: 200, target_status_code: '200', received_bytes: '0', sent_bytes: '57', request_url: 'https://www.example.com:443/', user_agent: 'curl/7.46.0', trace_id: 'Root=1-58337281-1d84f3d73c47ec4e58577259', domain_name: 'www.example.com', chosen_cert_arn: 'arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012', matched_rule_priority: '1', actions_executed: 'authenticate,forward', target_port_list: '10.0.0.1:80', target_status_code_list: '200', transformed_host: 'm.example.com', request_transform_status: 'TransformSuccess' };
  const expected: Record<string, Record<string, unknown>> = {
    http,
    https,
    http2: { ...base, ...july, ...tls, region: 'us-east-2', type: 'h2', client_ip: '10.0.1.252', client_port: 48160, target_ip: '10.0.0.66', target_port: 9000, request_processing_time: 0, target_processing_time: 0.002, response_processing_time: 0, elb_status_code: 200, target_status_code: '200', received_bytes: '5', sent_bytes: '257', request_verb: 'GET', request_url: 'https://10.0.2.105:773/', request_proto: 'HTTP/2.0', user_agent: 'curl/7.46.0', trace_id: 'Root=1-58337327-72bd00b0343d75b906739c42', matched_rule_priority: '1', actions_executed: 'redirect', redirect_url: 'https://example.com:80/', target_port_list: '10.0.0.66:9000', target_status_code_list: '200' },
    websockets: { ...base, ...july, ...get, region: 'us-east-2', type: 'ws', client_ip: '10.0.0.140', client_port: 40914, target_ip: '10.0.1.192', target_port: 8010, request_processing_time: 0.001, target_processing_time: 0.003, response_processing_time: 0, elb_status_code: 101, target_status_code: '101', received_bytes: '218', sent_bytes: '587', request_url: 'http://10.0.0.30:80/', user_agent: '-', trace_id: 'Root=1-58337364-23a8c76965a2ef7629b185e3', matched_rule_priority: '1', actions_executed: 'forward', target_port_list: '10.0.1.192:8010', target_status_code_list: '101' },
    securedWebsockets: { ...base, ...july, ...get, ...tls, region: 'us-west-2', type: 'wss', client_ip: '10.0.0.140', client_port: 44244, target_ip: '10.0.0.171', target_port: 8010, request_processing_time: 0, target_processing_time: 0.001, response_processing_time: 0, elb_status_code: 101, target_status_code: '101', received_bytes: '218', sent_bytes: '786', request_url: 'https://10.0.0.30:443/', user_agent: '-', trace_id: 'Root=1-58337364-23a8c76965a2ef7629b185e3', matched_rule_priority: '1', actions_executed: 'forward', target_group_arn: 'arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067', target_port_list: '10.0.0.171:8010', target_status_code_list: '101' },
    lambdaSuccess: { ...lambda, elb_status_code: 200, target_status_code: '200' },
    lambdaFailure: { ...lambda, elb_status_code: 502, target_status_code: '-', error_reason: 'LambdaInvalidResponse' },
  };
  const row = (where: (r: Record<string, any>) => boolean) => {
    const found = rows.filter(where);
    if (found.length !== 1) throw new Error(`expected one row, found ${found.length}`);
    return found[0];
  };
  const typed = (r: Record<string, any>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && ['request_processing_time', 'target_processing_time', 'response_processing_time'].includes(k) ? Number(v) : v]));

  test('reads every documented entry, and only the days and account asked for', () => {
    expect(rows).toHaveLength(9);
    expect(new Set(rows.map((r) => r.day))).toEqual(new Set(['2018/07/02', '2018/11/30']));
  });

  test.each(Object.keys(expected))('%s: every column has the documented value', (name) => {
    const e = expected[name];
    const r = name === 'https'
      ? row((x) => x.type === 'https' && x.day === '2018/07/02')
      : name === 'http'
        ? row((x) => x.type === 'http' && x.day === '2018/07/02')
        : name === 'lambdaSuccess'
          ? row((x) => x.day === '2018/11/30' && x.elb_status_code === 200 && x.target_ip === null)
          : name === 'lambdaFailure'
            ? row((x) => x.day === '2018/11/30' && x.elb_status_code === 502 && x.conn_trace_id !== null)
            : row((x) => x.type === e.type);
    expect(typed(r)).toEqual(Object.fromEntries([...ALB_LOG_COLUMNS.map((c) => c.name), 'account', 'region', 'day'].map((k) => [k, e[k] ?? null])));
  });

  test('an entry in the 2019 format (unquoted target lists, fewer fields) still fills every field it has', () => {
    const r = row((x) => x.day === '2018/11/30' && x.type === 'http' && x.target_ip === '10.0.0.1');
    expect(typed(r)).toEqual({ ...Object.fromEntries(Object.keys(typed(r)).map((k) => [k, null])), ...http, ...november, target_port_list: null, target_status_code_list: null, classification: null, classification_reason: null, conn_trace_id: null, transformed_host: null, transformed_uri: null, request_transform_status: null, trace_id: 'Root=1-58337262-36d228ad5d99923122bbe354', time: '2018-07-02T22:23:00.186641Z', request_creation_time: '2018-07-02T22:22:48.364000Z' });
  });

  test('an entry with fields AWS adds later reads as the entry without them', () => {
    const r = row((x) => x.day === '2018/11/30' && x.type === 'https');
    expect(typed(r)).toEqual({ ...https, day: '2018/11/30' });
  });

  test('the projection covers every account and governed region from the configured day', () => {
    expect(parameter('projection.account.values').split(',')).toContain('123456789012');
    expect(parameter('projection.region.values')).toBe('eu-west-1,us-east-2,us-west-2');
    expect(parameter('projection.day.range')).toBe('2024/01/01,NOW');
    expect(parameter('storage.location.template')).toBe('s3://acme-alb-logs-222222222222-${region}/AWSLogs/${account}/elasticloadbalancing/${region}/${day}');
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe('org.apache.hadoop.hive.serde2.RegexSerDe');
  });
});

describe('CloudWatch Logs into the archive', () => {
  const stream = onlyResource(home, 'aws_kinesis_firehose_delivery_stream');
  // the account's subscription filter policy; its data protection policy is tested in masking.test.ts
  const accountPolicy = resources(home, 'aws_cloudwatch_log_account_policy').find((p) => p.policy_type === 'SUBSCRIPTION_FILTER_POLICY')!;
  const template = JSON.parse(onlyResource(home, 'aws_cloudformation_stack').template_body);
  const rule = template.Resources.CentralizationRule.Properties.Rule;

  test('no feedback loop: the pipeline\'s own, the trail\'s, the functions\' and the data protection findings\' log groups are never collected', () => {
    const own = landingZoneLogGroups(config);
    expect(own).toEqual(['/aws/kinesisfirehose/acme-collected-logs', '/aws/cloudtrail/acme-organization-trail', '/aws/lambda/acme-activity-notifier', '/aws/lambda/acme-collected-log-retention', '/aws/vendedlogs/acme-data-protection-findings']);
    // every log group the pipeline writes is one the subscription leaves out
    const pipelineGroups = resources(home, 'aws_cloudwatch_log_group').map((g) => g.name);
    expect(stream.extended_s3_configuration.cloudwatch_logging_options.log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\./);
    const excluded = JSON.parse(accountPolicy.selection_criteria.replace(/^LogGroupName NOT IN /, ''));
    expect(accountPolicy.selection_criteria).toMatch(/^LogGroupName NOT IN \[/);
    for (const g of [...pipelineGroups, ...own]) expect(excluded).toContain(g);
    // and the centralization rule copies none of them from any account
    const criteria: string = rule.Source.SourceLogsConfiguration.LogGroupSelectionCriteria;
    expect(criteria).toBe(`(LogGroupName LIKE '/aws/lambda/%' OR LogGroupName LIKE '/ecs/%') AND LogGroupName NOT IN (${own.map((g) => `'${g}'`).join(', ')})`);
  });

  test('a prefix that would collect the pipeline\'s own log group is refused, naming the field', () => {
    const bad = () => exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.cloudWatchLogs.logGroupPrefixes = ['/ecs/', '/aws/'];
    });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/logCollection\.cloudWatchLogs\.logGroupPrefixes\[1\]: "\/aws\/" would collect the pipeline's own log group \/aws\/kinesisfirehose\/acme-collected-logs/);
  });

  test('the account policy sends everything else to the stream, through a role only CloudWatch Logs of the account assumes', () => {
    expect(accountPolicy).toMatchObject({ policy_type: 'SUBSCRIPTION_FILTER_POLICY', scope: 'ALL' });
    const doc = JSON.parse(accountPolicy.policy_document);
    expect(doc).toMatchObject({ FilterPattern: '', DestinationArn: expect.stringMatching(/^\$\{aws_kinesis_firehose_delivery_stream\./) });
    const role = resources(home, 'aws_iam_role').find((r) => r.name === names.logsToFirehoseRoleName)!;
    expect(policyOf(role, 'assume_role_policy').Statement[0].Condition).toEqual({ StringLike: { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:222222222222:*' } });
  });

  test('the centralization rule copies the configured prefixes of every account and governed region into the Log Archive, under the collection key', () => {
    expect(rule.Source.Scope).toBe("OrganizationId = 'o-acme12ab34'");
    expect(rule.Source.Regions).toEqual(config.governedRegions);
    expect(rule.Destination).toMatchObject({ Account: '222222222222', Region: 'eu-west-1' });
    expect(rule.Destination.DestinationLogsConfiguration.LogGroupNameConfiguration).toEqual({ LogGroupNamePattern: 'collected/$${source.accountId}/$${source.region}$${source.logGroup}' });
    expect(rule.Destination.DestinationLogsConfiguration.LogsEncryptionConfiguration).toMatchObject({ EncryptionStrategy: 'CUSTOMER_MANAGED', KmsKeyArn: expect.stringMatching(/^\$\{aws_kms_key\./) });
    expect(home.provider!.aws.map((p) => p.alias).sort()).toEqual(['audit_eu_west_1', 'log_archive_eu_west_1', 'management_eu_west_1']);
  });

  test('Firehose: SSE-KMS, an error output prefix, no second compression, buffering from config', () => {
    expect(stream.server_side_encryption).toMatchObject({ enabled: true, key_type: 'CUSTOMER_MANAGED_CMK' });
    expect(stream.extended_s3_configuration).toMatchObject({
      prefix: 'cloudwatch-logs/!{timestamp:yyyy/MM/dd}/',
      error_output_prefix: 'delivery-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
      buffering_size: 64,
      buffering_interval: 300,
      compression_format: 'UNCOMPRESSED',
    });
    const bad = () => exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.cloudWatchLogs.buffering = { sizeMiB: 256, intervalSeconds: 1000 };
    });
    expect(bad).toThrow(/logCollection\.cloudWatchLogs\.buffering\.sizeMiB: Firehose buffers 1-128 MiB[\s\S]*logCollection\.cloudWatchLogs\.buffering\.intervalSeconds: Firehose buffers 0-900 seconds/);
  });

  test('staging keeps objects a finite time and replicates the collected logs into the locked archive under its key', () => {
    const staging = names.logStagingBucket;
    expect(ofBucket(home, 'aws_s3_bucket_lifecycle_configuration', staging).rule[0].expiration).toEqual([{ days: 14 }]);
    const replication = onlyResource(home, 'aws_s3_bucket_replication_configuration');
    expect(replication.rule[0]).toMatchObject({
      status: 'Enabled',
      filter: { prefix: 'cloudwatch-logs/' },
      destination: { bucket: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1', encryption_configuration: { replica_kms_key_id: '${data.terraform_remote_state.state-of-log-archive.outputs.archive_key_arn}' } },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
      delete_marker_replication: { status: 'Disabled' },
    });
    // S3 assumes the role for the staging bucket only, and replicates under the prefix only
    const role = resources(home, 'aws_iam_role').find((r) => r.name === names.logStagingReplicationRoleName)!;
    expect(policyOf(role, 'assume_role_policy').Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceArn': `arn:aws:s3:::${staging}` } });
    const permissions = policyOf(resources(home, 'aws_iam_role_policy').find((p) => String(p.role).includes('replication-role'))!);
    expect(statement(permissions, 'ReplicateIntoTheArchive').Resource).toBe('arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/cloudwatch-logs/*');
    const group = resources(home, 'aws_cloudwatch_log_group').find((g) => g.name === names.logDeliveryLogGroup)!;
    expect(group.retention_in_days).toBe(30);
  });
});

describe('Logs Insights over the trail', () => {
  const definitions = resources(home, 'aws_cloudwatch_query_definition');
  const athena = resources(stackOf(stacks, 'analytics'), 'aws_athena_named_query');

  test('answer each question of the one catalog, under the same name and description as the Athena saved query', () => {
    expect(definitions.map((d) => d.name.replace(/^acme-investigations\//, '')).sort()).toEqual(athena.map((q) => q.name).sort());
    expect(athena.map((q) => q.name).sort()).toEqual(INVESTIGATIONS.map((q) => q.name).sort());
    for (const d of definitions) {
      const name = d.name.split('/')[1];
      const question = INVESTIGATIONS.find((q) => q.name === name)!;
      expect(d.log_group_names).toEqual(['/aws/cloudtrail/acme-organization-trail']);
      expect(athena.find((q) => q.name === name)!.description).toBe(question.description(7));
      expect(d.query_string.split('\n')[0]).toBe(`# ${question.description(7).replace(/, in the last 7 days$/, '')}`);
    }
  });

  /** Fields of CloudTrail records a Logs Insights query names: dotted camelCase paths, less the language and the aliases. */
  function insightsFields(query: string): string[] {
    const text = query.replace(/^#.*$/gm, '').replace(/'[^']*'/g, "''");
    const words = new Set(['fields', 'filter', 'sort', 'desc', 'asc', 'stats', 'count', 'by', 'as', 'and', 'or', 'in', 'not', 'ispresent', 'min', 'max', 'limit']);
    const aliases = new Set([...text.matchAll(/\bas\s+([A-Za-z_]\w*)/g)].map((m) => m[1]));
    return [...new Set([...text.matchAll(/[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*/g)].map((m) => m[0]).filter((w) => !words.has(w) && !aliases.has(w)))];
  }

  const records: Array<Record<string, any>> = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'cis-filter-records.json'), 'utf8')).records.map((r: { event: unknown }) => r.event);
  const has = (field: string) => records.some((r) => field.split('.').reduce<any>((o, k) => (o && typeof o === 'object' ? o[k] : undefined), r) !== undefined);
  /** Fields of events no vendored record holds yet: each names its event; the test fails once a record has it, to drop the exception. */
  const NOT_YET_VENDORED: Record<string, string> = {
    'requestParameters.dBInstanceIdentifier': 'rds DeleteDBInstance',
    'requestParameters.dBClusterIdentifier': 'rds DeleteDBCluster',
  };

  test('every CloudTrail field a query names is in the real records the tests vendor', () => {
    const missing = Object.entries(INSIGHTS_QUERIES).flatMap(([name, q]) => insightsFields(q).filter((f) => !has(f) && !(f in NOT_YET_VENDORED)).map((f) => `${name}: ${f}`));
    expect(missing).toEqual([]);
    for (const f of Object.keys(NOT_YET_VENDORED)) expect({ f, vendored: has(f) }).toEqual({ f, vendored: false });
    expect(insightsFields(INSIGHTS_QUERIES['database-deletions'])).toEqual(expect.arrayContaining(['eventTime', 'userIdentity.sessionContext.sessionIssuer.arn', 'requestParameters.dBInstanceIdentifier']));
  });

  test('the field check catches a misspelled field', () => {
    expect(insightsFields("fields eventTme, userIdentity.arn | filter eventName = 'X'").filter((f) => !has(f))).toEqual(['eventTme']);
  });
});

describe('CloudTrail Lake, for organizations that have it', () => {
  const store = onlyResource(home, 'aws_cloudtrail_event_data_store');
  const trail = onlyResource(stackOf(stacks, 'org-trail'), 'aws_cloudtrail');

  test('an organization store of every region, the trail\'s events, its own key, termination protection, never destroyed', () => {
    expect(store).toMatchObject({ name: 'acme-organization-events', organization_enabled: true, multi_region_enabled: true, termination_protection_enabled: true, retention_period: 2557, lifecycle: { prevent_destroy: true } });
    expect(store.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(store.advanced_event_selector).toEqual(trail.advanced_event_selector);
    const key = resources(home, 'aws_kms_key').find((k) => policyOf(k).Statement.some((s: any) => s.Sid === 'CloudTrailLakeEncryptsTheStore'))!;
    expect(key.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('is off by default; a retention shorter than the archive\'s is refused while it is evidence', () => {
    expect(exampleConfig().logCollection.cloudTrailLake.enabled).toBe(false);
    expect(synthLandingZone().get('log-collection')?.resource?.aws_cloudtrail_event_data_store).toBeUndefined();
    const short = () => exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.cloudTrailLake.retentionDays = 365;
    });
    expect(short).toThrow(/logCollection\.cloudTrailLake\.retentionDays: 365 days is shorter than the archive's retention \(archive\.objectLock\.retentionDays = 2557\)/);
    const lb = () => exampleConfig((raw) => {
      allOn(raw);
      raw.logCollection.loadBalancerLogs.evidence = true;
    });
    expect(lb).toThrow(/logCollection\.loadBalancerLogs\.retentionDays: 365 days is shorter than the archive's retention/);
  });
});

describe('the organization Config rule and growth', () => {
  test('each region flags load balancers that do not log into that region\'s bucket', () => {
    const rule = onlyResource(euWest1, 'aws_config_organization_managed_rule');
    expect(rule).toMatchObject({ rule_identifier: 'ELB_LOGGING_ENABLED', name: 'acme-elb-logging-enabled' });
    expect(JSON.parse(rule.input_parameters)).toEqual({ s3BucketNames: 'acme-alb-logs-222222222222-eu-west-1' });
    expect(rule.provider).toBe('aws.management_eu_west_1');
  });

  test('resources grow with regions, not with accounts', () => {
    // the log collection stacks, each built on its own: the other stacks of 1,000 members are not counted
    const ids = [...stacks.keys()].filter((id) => id.startsWith('log-collection'));
    const count = (stackJson: (id: string) => SynthesizedJson) =>
      ids.reduce((n, id) => n + Object.values(stackJson(id).resource ?? {}).reduce((m, r) => m + Object.keys(r).length, 0), 0);
    const thousand = exampleConfig((raw) => {
      allOn(raw);
      raw.accounts.members = Array.from({ length: 1000 }, (_, i) => ({ name: `member-${i}`, id: String(500000000000 + i) }));
    });
    const atFive = count((id) => stackOf(stacks, id));
    const atThousand = count((id) => synthStack(id, thousand));
    console.log(`log collection resources, every feature on: ${atFive} with 5 members, ${atThousand} with 1,000 (17 regions)`);
    expect(atThousand).toBe(atFive);
  });
});

// last in the file, so that cfn-lint (started as the file loads) runs while every other test does
describe('the centralization rule\'s template', () => {
  test('passes cfn-lint (1.51, with the ObservabilityAdmin schemas)', async () => {
    // what CloudFormation receives: the name pattern's variables as ${...}, as cfn-lint checks them
    expect(JSON.stringify(centralization)).toContain('"LogGroupNamePattern":"collected/${source.accountId}/${source.region}${source.logGroup}"');
    expect(wrongEnum).not.toEqual(centralization);
    const run = await linting;
    expect(run.findings['centralization.json']).toEqual([]);
    // and cfn-lint does read the resource: a wrong enum fails, and is the only finding
    expect(run.findings['wrong-enum.json']).toEqual([expect.stringContaining("'MAYBE' is not one of")]);
    expect(run.output.split('\n')).toEqual(run.findings['wrong-enum.json'].map((f) => expect.stringContaining(f)));
    expect(run.status).not.toBe(0);
  });
});
