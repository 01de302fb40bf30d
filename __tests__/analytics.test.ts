import { ConfigError } from '../config/loader';
import { KNOWN_REGIONS } from '../facts/regions';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, type SynthesizedJson, synthLandingZone, synthStack } from './helpers';
import { vendoredRecords } from './support/cloudtrail-records';

interface SampleRecord {
  readonly recipientAccountId: string;
  readonly awsRegion: string;
  readonly eventTime: string;
}

/** Records with a real account id, region and timestamp (some sources anonymise them into other shapes). */
function sampleRecords(): SampleRecord[] {
  return vendoredRecords()
    .map((r) => r.event as Partial<SampleRecord>)
    .filter((e): e is SampleRecord =>
      /^\d{12}$/.test(e.recipientAccountId ?? '') &&
      (KNOWN_REGIONS as readonly string[]).includes(e.awsRegion ?? '') &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(e.eventTime ?? ''));
}

/** The key CloudTrail gives an Organization trail's file holding this record. */
function objectKey(organizationId: string, r: SampleRecord): string {
  const [, yyyy, MM, dd, HH, mm] = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(r.eventTime)!;
  const stamp = `${yyyy}${MM}${dd}T${HH}${String(Math.floor(Number(mm) / 5) * 5).padStart(2, '0')}Z`;
  const folder = `AWSLogs/${organizationId}/${r.recipientAccountId}/CloudTrail/${r.awsRegion}/${yyyy}/${MM}/${dd}`;
  return `${folder}/${r.recipientAccountId}_CloudTrail_${r.awsRegion}_${stamp}_AbCdEfGh12345678.json.gz`;
}

/** A UTC day formatted with the Java date pattern Athena's `projection.*.format` takes. */
function formatDay(day: Date, pattern: string): string {
  const fields: Record<string, string> = {
    yyyy: String(day.getUTCFullYear()),
    MM: String(day.getUTCMonth() + 1).padStart(2, '0'),
    dd: String(day.getUTCDate()).padStart(2, '0'),
  };
  return pattern.replace(/[A-Za-z]+/g, (token) => {
    if (!(token in fields)) throw new Error(`date pattern token ${token} is not understood by this test`);
    return fields[token];
  });
}

/** The inverse of `formatDay` for the same pattern. */
function parseDay(text: string, pattern: string): Date {
  const tokens: string[] = pattern.match(/[A-Za-z]+/g) ?? [];
  const regex = new RegExp(`^${pattern.replace(/[A-Za-z]+/g, (t) => `(\\d{${t.length}})`).replace(/\//g, '\\/')}$`);
  const match = regex.exec(text);
  if (!match) throw new Error(`${text} does not match ${pattern}`);
  const value = (t: string) => Number(match[tokens.indexOf(t) + 1]);
  return new Date(Date.UTC(value('yyyy'), value('MM') - 1, value('dd')));
}

/** Terraform renders `$${` as a literal `${`; this is what Athena receives. */
const terraformLiteral = (s: string) => s.replace(/\$\$\{/g, '${');

/** The table's projection as Athena reads it: location template, enums, date range. */
function projectionOf(stack: SynthesizedJson) {
  const table = onlyResource(stack, 'aws_glue_catalog_table');
  const p: Record<string, string> = Object.fromEntries(Object.entries(table.parameters as Record<string, string>).map(([k, v]) => [k, terraformLiteral(v)]));
  const format = p['projection.date.format'];
  const [start, end] = p['projection.date.range'].split(',');
  return {
    table,
    template: p['storage.location.template'],
    accepts(values: { account: string; region: string; date: string }): boolean {
      const day = parseDay(values.date, format);
      return (
        p['projection.enabled'] === 'true' &&
        p['projection.account.type'] === 'enum' && p['projection.account.values'].split(',').includes(values.account) &&
        p['projection.region.type'] === 'enum' && p['projection.region.values'].split(',').includes(values.region) &&
        p['projection.date.type'] === 'date' && p['projection.date.interval'] === '1' && p['projection.date.interval.unit'] === 'DAYS' &&
        day >= parseDay(start, format) && (end === 'NOW' ? day <= new Date() : day <= parseDay(end, format))
      );
    },
    partitionValues(r: SampleRecord) {
      return { account: r.recipientAccountId, region: r.awsRegion, date: formatDay(new Date(r.eventTime), format) };
    },
    fill(values: Record<string, string>): string {
      return p['storage.location.template'].replace(/\$\{(\w+)\}/g, (_, key: string) => {
        if (!(key in values)) throw new Error(`the template names a partition ${key} the test does not fill`);
        return values[key];
      });
    },
  };
}

describe('the CloudTrail table over the Organization trail', () => {
  const records = sampleRecords();
  const days = records.map((r) => r.eventTime.slice(0, 10)).sort();
  const accounts = [...new Set(records.map((r) => r.recipientAccountId))];
  const regions = [...new Set(records.map((r) => r.awsRegion))];
  // An organization made of the sample's accounts and regions, projected from its first day.
  const config = exampleConfig((raw) => {
    raw.homeRegion = 'us-east-1';
    raw.governedRegions = regions;
    const [management, logArchive, audit, ...members] = accounts;
    raw.accounts = {
      management: { name: 'management', id: management },
      logArchive: { name: 'log-archive', id: logArchive },
      audit: { name: 'audit', id: audit },
      members: members.map((id, i) => ({ name: `member-${i}`, id })),
    };
    raw.deployment.managementDeployerArns = [`arn:aws:iam::${management}:role/deployer`];
    raw.deployment.breakGlass = { trustedArns: [] };
    raw.analytics.queryRoleTrustedArns = [];
    raw.guardduty.suppressionRuleRoleArns = [];
    raw.archive.readers = [];
    raw.privacy.masking.unmaskRoles = [];
    raw.analytics = { ...raw.analytics, projectionStartDate: days[0].replace(/-/g, '/') };
  });
  const projection = projectionOf(synthStack('analytics', config));
  const bucketUri = `s3://${`acme-log-archive-${config.accounts.logArchive.id}-us-east-1`}/`;

  test('the sample holds real records from several accounts, regions and years', () => {
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(accounts.length).toBeGreaterThanOrEqual(4);
    expect(regions.length).toBeGreaterThanOrEqual(2);
    expect(new Set(days.map((d) => d.slice(0, 4))).size).toBeGreaterThanOrEqual(2);
  });

  test('the location template, filled from each record, is the folder CloudTrail writes that record to', () => {
    expect(projection.template.startsWith(bucketUri)).toBe(true);
    for (const record of records) {
      const key = objectKey(config.organization.id, record);
      const folder = key.slice(0, key.lastIndexOf('/'));
      expect({ key, folder: projection.fill(projection.partitionValues(record)) }).toEqual({ key, folder: `${bucketUri}${folder}` });
    }
  });

  test("the projection accepts every record's account, region and day when the config lists them", () => {
    for (const record of records) {
      expect({ record, accepted: projection.accepts(projection.partitionValues(record)) }).toEqual({ record, accepted: true });
    }
  });

  test('the table reads the Organization prefix, partitioned by account, region and day', () => {
    const { table } = projection;
    expect(table.storage_descriptor.location).toBe(`${bucketUri}AWSLogs/${config.organization.id}/`);
    expect(table.partition_keys).toEqual([{ name: 'account', type: 'string' }, { name: 'region', type: 'string' }, { name: 'date', type: 'string' }]);
    expect(table.storage_descriptor.input_format).toBe('com.amazon.emr.cloudtrail.CloudTrailInputFormat');
    expect(table.storage_descriptor.ser_de_info.serialization_library).toBe('org.apache.hive.hcatalog.data.JsonSerDe');
  });
});

describe('the projection of the example organization', () => {
  const example = exampleConfig();
  const projection = projectionOf(synthStack('analytics', example));
  const day = (date: string) => ({ account: example.accounts.members[0].id, region: 'eu-west-1', date });

  test('covers every account of the config, and global events in us-east-1', () => {
    const ids = [example.accounts.management, example.accounts.logArchive, example.accounts.audit, ...example.accounts.members].map((a) => a.id);
    for (const account of ids) expect(projection.accepts({ ...day('2025/03/01'), account })).toBe(true);
    expect(projection.accepts({ ...day('2025/03/01'), account: '999999999999' })).toBe(false);
    for (const region of [...example.governedRegions, 'us-east-1']) expect(projection.accepts({ ...day('2025/03/01'), region })).toBe(true);
  });

  test('starts on analytics.projectionStartDate and runs to today', () => {
    expect(example.analytics.projectionStartDate).toBe('2024/01/01');
    expect(projection.accepts(day('2023/12/31'))).toBe(false);
    expect(projection.accepts(day('2024/01/01'))).toBe(true);
    const today = new Date();
    expect(projection.accepts(day(formatDay(today, 'yyyy/MM/dd')))).toBe(true);
    expect(projection.accepts(day(formatDay(new Date(today.getTime() + 3 * 86_400_000), 'yyyy/MM/dd')))).toBe(false);
  });
});

/** Hive types as Glue stores them: `string`, `struct<a:t,...>`, `array<t>`, `map<k,v>`. */
type ParsedType = { kind: 'primitive' } | { kind: 'struct'; fields: Record<string, ParsedType> } | { kind: 'array'; of: ParsedType } | { kind: 'map'; value: ParsedType };

function parseHiveType(text: string): ParsedType {
  let at = 0;
  const name = () => /^[a-z0-9_]+/i.exec(text.slice(at))![0];
  const expect = (c: string) => {
    if (text[at] !== c) throw new Error(`expected ${c} at ${at} in ${text}`);
    at++;
  };
  const type = (): ParsedType => {
    const word = name().toLowerCase();
    at += word.length;
    if (word === 'struct') {
      expect('<');
      const fields: Record<string, ParsedType> = {};
      for (;;) {
        const field = name();
        at += field.length;
        expect(':');
        fields[field.toLowerCase()] = type();
        if (text[at] === ',') at++;
        else break;
      }
      expect('>');
      return { kind: 'struct', fields };
    }
    if (word === 'array') {
      expect('<');
      const of = type();
      expect('>');
      return { kind: 'array', of };
    }
    if (word === 'map') {
      expect('<');
      type();
      expect(',');
      const value = type();
      expect('>');
      return { kind: 'map', value };
    }
    return { kind: 'primitive' };
  };
  const parsed = type();
  if (at !== text.length) throw new Error(`trailing text in ${text}`);
  return parsed;
}

const SQL_WORDS = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'is', 'null', 'as', 'order', 'by', 'desc', 'asc', 'group', 'having',
  'limit', 'distinct', 'like', 'interval', 'day', 'current_date', 'case', 'when', 'then', 'else', 'end', 'between', 'true', 'false',
]);

/**
 * The column references of a query: every identifier path (`a.b.c`, quoted parts allowed) that is
 * not an SQL word, a function name, an output alias or the table after FROM.
 */
function columnReferences(sql: string): { table: string[]; columns: string[][] } {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/'(?:[^']|'')*'/g, "''");
  const tokens = text.match(/"[^"]+"|[A-Za-z_][A-Za-z0-9_]*|\d+|\S/g) ?? [];
  const aliases = new Set<string>();
  tokens.forEach((t, i) => {
    if (t.toLowerCase() === 'as' && tokens[i + 1]) aliases.add(tokens[i + 1].toLowerCase());
  });
  const isName = (t: string | undefined) => t !== undefined && (/^"/.test(t) || /^[A-Za-z_]/.test(t));
  const unquote = (t: string) => t.replace(/^"|"$/g, '').toLowerCase();
  const tables: string[] = [];
  const columns: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isName(tokens[i])) continue;
    const path = [unquote(tokens[i])];
    while (tokens[i + 1] === '.' && isName(tokens[i + 2])) {
      path.push(unquote(tokens[i + 2]));
      i += 2;
    }
    const quoted = tokens[i].startsWith('"');
    const previous = tokens[i - path.length * 2 + 1]?.toLowerCase();
    if (previous === 'from') tables.push(path.join('.'));
    else if (tokens[i + 1] === '(') continue; // a function
    else if (path.length === 1 && !quoted && (SQL_WORDS.has(path[0]) || aliases.has(path[0]))) continue;
    else columns.push(path);
  }
  return { table: tables, columns };
}

/** Why a column path does not exist in the table, or undefined when it does. */
function unknownColumn(path: readonly string[], columns: Record<string, ParsedType>): string | undefined {
  let type: ParsedType | undefined = columns[path[0]];
  if (!type) return `no column ${path[0]}`;
  for (const field of path.slice(1)) {
    if (type.kind !== 'struct' || !(field in type.fields)) return `no field ${field} in ${path.join('.')}`;
    type = type.fields[field];
  }
  return undefined;
}

describe('the saved queries', () => {
  const analytics = synthStack('analytics');
  const table = onlyResource(analytics, 'aws_glue_catalog_table');
  const columns: Record<string, ParsedType> = Object.fromEntries([
    ...table.storage_descriptor.columns.map((c: { name: string; type: string }) => [c.name, parseHiveType(c.type)]),
    ...table.partition_keys.map((k: { name: string }) => [k.name, { kind: 'primitive' }]),
  ]);
  const queries = resources(analytics, 'aws_athena_named_query');

  test('cover the investigations an incident starts with', () => {
    expect(queries.map((q) => q.name).sort()).toEqual([
      'access-denied-by-principal', 'console-sign-in-without-mfa', 'database-deletions', 'failed-console-sign-ins',
      'kms-key-disable-or-deletion', 'root-account-activity', 'security-group-changes', 'trail-changes',
    ]);
    const byName = Object.fromEntries(queries.map((q) => [q.name, q.query as string]));
    expect(byName['database-deletions']).toMatch(/'DeleteDBInstance', 'DeleteDBCluster'/);
    expect(byName['database-deletions']).toMatch(/useridentity\.arn AS principal[\s\S]*sourceipaddress[\s\S]*eventtime|eventtime[\s\S]*useridentity\.arn AS principal[\s\S]*sourceipaddress/);
    for (const event of ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors']) expect(byName['trail-changes']).toContain(`'${event}'`);
    for (const event of ['DisableKey', 'ScheduleKeyDeletion']) expect(byName['kms-key-disable-or-deletion']).toContain(`'${event}'`);
  });

  test('are saved in the investigations workgroup, against the audit-log database', () => {
    for (const q of queries) {
      expect(q.workgroup).toMatch(/^\$\{aws_athena_workgroup\.athena_workgroup-investigations_[A-F0-9]+\.name\}$/);
      expect(q.database).toMatch(/^\$\{aws_glue_catalog_database\.athena_database_[A-F0-9]+\.name\}$/);
    }
  });

  test('refer only to columns and struct fields the table has', () => {
    for (const q of queries) {
      const refs = columnReferences(q.query);
      expect({ query: q.name, tables: refs.table }).toEqual({ query: q.name, tables: ['cloudtrail'] });
      const problems = refs.columns.map((c) => unknownColumn(c, columns)).filter(Boolean);
      expect({ query: q.name, problems }).toEqual({ query: q.name, problems: [] });
      expect(refs.columns.length).toBeGreaterThan(3);
    }
  });

  test('the column check catches a misspelled field, an unknown column and a struct that has no such field', () => {
    const bad = "SELECT useridentity.usrname, eventsorce, eventname.x FROM cloudtrail WHERE \"date\" >= '2024/01/01'";
    expect(columnReferences(bad).columns.map((c) => unknownColumn(c, columns))).toEqual([
      'no field usrname in useridentity.usrname', 'no column eventsorce', 'no field x in eventname.x', undefined,
    ]);
  });

  test('every query reads only the partitions of its last days, in the format of the date partition', () => {
    expect(table.parameters['projection.date.format']).toBe('yyyy/MM/dd');
    for (const q of queries) {
      const where = /\bWHERE\b([\s\S]*?)(\bGROUP BY\b|\bORDER BY\b|$)/.exec(q.query)![1];
      expect({ query: q.name, starts: where.trim().split('\n')[0] }).toEqual({
        query: q.name,
        starts: expect.stringMatching(/^"date" >= date_format\(current_date - interval '\d+' day, '%Y\/%m\/%d'\)$/),
      });
      // Only AND at the top level, so no branch of the filter escapes the date predicate.
      let flat = where;
      while (/\([^()]*\)/.test(flat)) flat = flat.replace(/\([^()]*\)/g, ' group ');
      expect({ query: q.name, topLevelOr: /\bOR\b/i.test(flat) }).toEqual({ query: q.name, topLevelOr: false });
    }
  });
});

describe('the workgroups and their results', () => {
  const config = exampleConfig((raw) => {
    raw.analytics = {
      resultsExpirationDays: 14,
      workgroups: [
        { name: 'investigations', bytesScannedCutoffPerQuery: 50_000_000_000 },
        { name: 'compliance-reporting', bytesScannedCutoffPerQuery: 20_000_000 },
      ],
    };
  });
  const analytics = synthStack('analytics', config);
  const resultsKey = resources(analytics, 'aws_kms_key').find((k) => k.description.startsWith('Encrypts Athena query results'))!;

  test('each enforces its configuration: engine v3, SSE-KMS results under the results key, the configured scan cutoff, metrics', () => {
    const workgroups = resources(analytics, 'aws_athena_workgroup');
    expect(workgroups.map((w) => [w.name, w.configuration.bytes_scanned_cutoff_per_query]).sort().reverse()).toEqual([
      ['investigations', 50_000_000_000],
      ['compliance-reporting', 20_000_000],
    ]);
    for (const w of workgroups) {
      expect(w.configuration).toMatchObject({
        enforce_workgroup_configuration: true,
        publish_cloudwatch_metrics_enabled: true,
        engine_version: { selected_engine_version: 'Athena engine version 3' },
        result_configuration: {
          output_location: `s3://acme-athena-results-333333333333-eu-west-1/${w.name}/`,
          expected_bucket_owner: '333333333333',
          encryption_configuration: { encryption_option: 'SSE_KMS', kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\.athena_results-key_[A-F0-9]+\.arn\}$/) },
        },
      });
    }
    expect(resultsKey.enable_key_rotation).toBe(true);
  });

  test('results are KMS-encrypted, reachable only over TLS, and expire after analytics.resultsExpirationDays', () => {
    const bucket = onlyResource(analytics, 'aws_s3_bucket');
    expect(bucket.bucket).toBe('acme-athena-results-333333333333-eu-west-1');
    const rule = onlyResource(analytics, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule.expiration).toEqual([{ days: 14 }]);
    expect(rule.noncurrent_version_expiration).toEqual([{ noncurrent_days: 1 }]);
    const encryption = onlyResource(analytics, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(encryption.apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
    expect(statement(policyOf(onlyResource(analytics, 'aws_s3_bucket_policy')), 'DenyInsecureTransport').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  test('saved queries need a workgroup of the config to live in', () => {
    expect(() => exampleConfig((raw) => (raw.analytics = { savedQueriesWorkgroup: 'forensics' }))).toThrow(ConfigError);
    expect(() => exampleConfig((raw) => (raw.analytics = { savedQueriesWorkgroup: 'forensics' }))).toThrow(/analytics\.savedQueriesWorkgroup: forensics is not one of analytics\.workgroups/);
  });
});

describe('the query role', () => {
  const analytics = synthStack('analytics');
  const role = resources(analytics, 'aws_iam_role').find((r) => r.name === 'acme-audit-log-query')!;
  const policy = policyOf(resources(analytics, 'aws_iam_role_policy').find((p) => p.name === 'query-the-organization-trail')!);

  test('has the name the archive already trusts, and is assumable only by the named roles, not by the Audit account', () => {
    expect(role.name).toBe('acme-audit-log-query');
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      { Sid: 'AssumedByTheInvestigators', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::333333333333:role/acme-incident-responder'] }, Action: 'sts:AssumeRole' },
    ]);
    expect(JSON.stringify(role)).not.toContain(':root');
    expect(role['//']).toBeUndefined();
  });

  test('is not created when nobody may assume it, and the archive then trusts only its readers', () => {
    const config = exampleConfig((raw) => (raw.analytics.queryRoleTrustedArns = []));
    const stacks = synthLandingZone(config);
    // the account projection's function and forwarder roles remain: services assume them, no principal of an account
    const roles = resources(stackOf(stacks, 'analytics'), 'aws_iam_role');
    expect(roles.map((r) => r.name)).not.toContain('acme-audit-log-query');
    for (const r of roles) expect({ role: r.name, principals: policyOf(r, 'assume_role_policy').Statement.map((st: any) => Object.keys(st.Principal)) }).toEqual({ role: r.name, principals: [['Service']] });
    const archivePolicy = policyOf(resources(stackOf(stacks, 'log-archive'), 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);
    expect(statement(archivePolicy, 'ReadersReadTheArchive').Condition.ArnLike['aws:PrincipalArn']).toEqual(['arn:aws:iam::333333333333:role/acme-incident-responder']);
  });

  test('runs queries only in the workgroups and reads only the trail table', () => {
    expect(statement(policy, 'RunQueriesInTheWorkgroups').Resource).toEqual([
      'arn:aws:athena:eu-west-1:333333333333:workgroup/investigations',
      'arn:aws:athena:eu-west-1:333333333333:workgroup/compliance-reporting',
    ]);
    const glue = statement(policy, 'ReadTheTrailTable');
    expect(glue.Action.every((a: string) => /^glue:(Get|BatchGet)/.test(a))).toBe(true);
    expect(glue.Resource).toContain('arn:aws:glue:eu-west-1:333333333333:table/acme_audit_logs/cloudtrail');
  });

  test("reads only the trail's prefix of the archive, never writes it, and decrypts the archive key only through S3", () => {
    const archive = 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1';
    expect(statement(policy, 'ReadTheTrailFiles').Resource).toEqual([archive, `${archive}/AWSLogs/o-acme12ab34/*`]);
    expect(statement(policy, 'ListTheTrailPrefix').Condition).toEqual({ StringLike: { 's3:prefix': ['AWSLogs/o-acme12ab34/', 'AWSLogs/o-acme12ab34/*'] } });
    const onArchive = policy.Statement.filter((s) => [s.Resource].flat().some((r: string) => r.startsWith(archive)));
    // restoring makes a temporary readable copy of a Glacier or Deep Archive file; it changes no evidence
    expect(onArchive.flatMap((s) => [s.Action].flat()).filter((a: string) => !/^s3:(Get|List)/.test(a))).toEqual(['s3:RestoreObject']);
    expect(statement(policy, 'RestoreArchivedTrailFiles').Resource).toBe(`${archive}/AWSLogs/o-acme12ab34/*`);
    const decrypt = statement(policy, 'DecryptTheTrailFilesThroughS3');
    expect(decrypt.Action).toBe('kms:Decrypt');
    expect(decrypt.Resource).toMatch(/^\$\{data\.terraform_remote_state\.state-of-log-archive\.outputs\.archive_key_arn\}$/);
    expect(decrypt.Condition).toEqual({ StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } });
  });

  test('grants no action on every resource except listing workgroups', () => {
    const everywhere = policy.Statement.filter((s) => s.Resource === '*');
    expect(everywhere.flatMap((s) => s.Action)).toEqual(['athena:ListWorkGroups', 'athena:ListEngineVersions']);
    expect(policy.Statement.flatMap((s) => [s.Action].flat()).filter((a: string) => a.includes('*'))).toEqual([]);
  });
});
