/**
 * `npm run processing-record -- [--json FILE] [--markdown FILE]`: the record of processing (GDPR
 * Art. 30) of the log data the landing zone keeps, read from the synthesized stacks of the config in
 * use (LZ_CONFIG, or the bundled example), never from a list kept by hand. For each store that
 * declares log data (modules/core/log-store.ts), and the log groups AWS makes outside Terraform
 * that a resource declares (the centralized copies): what it holds and the personal data that carries
 * (facts/personal-data.ts), its account and region, how long it keeps it, its encryption key, who
 * can read it (resource policies, the key policy, and the roles whose own policies grant reading,
 * with the principals that may assume them), and for log groups what their data protection policies
 * mask and who can unmask it (the guardrails' logs:Unmask statement, or the account's own IAM
 * where no SCP binds it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import { dataIdentifierId } from '../facts/data-protection';
import { LOG_TYPES, type LogTypeName } from '../facts/personal-data';
import { SECURITY_LAKE_BUCKET_PREFIX } from '../facts/security-lake';
import { logStoreOf, serviceLogGroupsOf, STORE_TYPES } from '../modules/core/log-store';
import { readManifest } from './stack-graph';
import { synthesize } from './synth';

type Attributes = Record<string, any>;

export interface StackJson {
  readonly resource?: Record<string, Record<string, Attributes>>;
  readonly provider?: { readonly aws?: ReadonlyArray<{ readonly alias?: string; readonly region?: string; readonly allowed_account_ids?: readonly string[] }> };
}

export interface StoreRecord {
  readonly stack: string;
  /** `type.id` in the stack's Terraform JSON. */
  readonly address: string;
  readonly kind: string;
  readonly name: string;
  readonly holds: readonly LogTypeName[];
  readonly personalData: readonly string[];
  readonly account: string;
  readonly region: string;
  readonly retention: string;
  readonly encryption: string;
  /** Principals that can read the data, each with the grant it comes from. */
  readonly readers: readonly string[];
  /** The data identifiers masked (log groups only; empty: not masked), by their own and the account-level data protection policies. */
  readonly masked: readonly string[];
  /** Principals that can see masked data unmasked (log groups only). */
  readonly unmask: readonly string[];
}

const KINDS: Record<(typeof STORE_TYPES)[number], { kind: string; name: string }> = {
  aws_s3_bucket: { kind: 'S3 bucket', name: 'bucket' },
  aws_cloudwatch_log_group: { kind: 'CloudWatch Logs group', name: 'name' },
  aws_sqs_queue: { kind: 'SQS queue', name: 'name' },
  aws_kinesis_firehose_delivery_stream: { kind: 'Firehose stream', name: 'name' },
  aws_cloudtrail_event_data_store: { kind: 'CloudTrail Lake event data store', name: 'name' },
  aws_securitylake_data_lake: { kind: 'Security Lake data lake', name: 'configuration' },
};

const READ_ACTIONS: Record<string, readonly string[]> = {
  aws_s3_bucket: ['s3:GetObject'],
  aws_cloudwatch_log_group: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartQuery'],
  aws_sqs_queue: ['sqs:ReceiveMessage'],
  aws_kinesis_firehose_delivery_stream: [],
  aws_cloudtrail_event_data_store: ['cloudtrail:StartQuery'],
  aws_securitylake_data_lake: ['s3:GetObject'],
};

const list = <T>(value: T | readonly T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T]);

/** IAM wildcards, case-insensitive for actions. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** Whether an attribute refers to the resource (`${type.id.attr}`) or names it literally. */
function refersTo(value: unknown, type: string, id: string, name: string): boolean {
  return typeof value === 'string' && (value === name || value.includes(`${type}.${id}.`));
}

interface Policy {
  readonly Statement: ReadonlyArray<{ Effect: string; Principal?: any; Action?: string | string[]; NotAction?: unknown; Resource?: string | string[]; Condition?: Record<string, Record<string, unknown>> }>;
}

function parsePolicy(text: unknown): Policy | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Policy;
  } catch {
    return undefined; // a policy built at apply time: not readable from synth
  }
}

/** The principals an Allow statement grants, narrowed by an aws:PrincipalArn condition where it has one. */
function grantees(statement: Policy['Statement'][number]): string[] {
  const narrowed = Object.values(statement.Condition ?? {}).flatMap((keys) => list(keys['aws:PrincipalArn'] as string | string[] | undefined));
  if (narrowed.length > 0) return narrowed;
  const principal = statement.Principal;
  if (principal === '*') return ['anyone (*)'];
  return [...list(principal?.AWS), ...list(principal?.Service).map((s: string) => `service ${s}`)];
}

function allowsAny(statement: Policy['Statement'][number], actions: readonly string[]): boolean {
  return statement.Effect === 'Allow' && actions.some((a) => list(statement.Action).some((p) => matches(p, a, true)));
}

/** Every resource of the given types in every stack, with its stack. */
function* resourcesOf(stacks: ReadonlyMap<string, StackJson>, types: readonly string[]): Generator<{ stack: string; type: string; id: string; values: Attributes }> {
  for (const [stack, json] of stacks) {
    for (const type of types) for (const [id, values] of Object.entries(json.resource?.[type] ?? {})) yield { stack, type, id, values };
  }
}

/** Whether a policy's Resource entry covers the store: its ARN (or what lies under it), or a reference to it. */
function coversStore(entry: string, resourceArn: string, reference: string): boolean {
  return entry.includes(`${reference}.`) || [resourceArn, `${resourceArn}/x`, `${resourceArn}:*`].some((arn) => matches(entry, arn));
}

/** Roles whose own policies grant the actions on the resource, each with who may assume it. */
function identityReaders(stacks: ReadonlyMap<string, StackJson>, actions: readonly string[], resourceArn: string, reference: string): string[] {
  const readers: string[] = [];
  for (const policy of resourcesOf(stacks, ['aws_iam_role_policy'])) {
    const document = parsePolicy(policy.values.policy);
    const grants = document?.Statement.some((s) => allowsAny(s, actions) && list(s.Resource).some((r) => coversStore(r, resourceArn, reference)));
    if (!grants) continue;
    const roleRef = /aws_iam_role\.([^.]+)\./.exec(String(policy.values.role))?.[1];
    const role = roleRef ? stacks.get(policy.stack)?.resource?.aws_iam_role?.[roleRef] : undefined;
    const trusted = (parsePolicy(role?.assume_role_policy)?.Statement ?? []).flatMap(grantees);
    readers.push(`role ${role?.name ?? String(policy.values.role)} (its policy), assumed by ${trusted.join(', ') || 'nobody'}`);
  }
  return readers;
}

function accountAndRegion(json: StackJson, values: Attributes): { account: string; region: string } {
  const alias = String(values.provider ?? '').replace(/^aws\./, '');
  const provider = json.provider?.aws?.find((p) => p.alias === alias);
  return { account: provider?.allowed_account_ids?.[0] ?? '(ambient)', region: provider?.region ?? '(unknown)' };
}

function describeLifecycle(rules: readonly Attributes[]): string {
  const parts: string[] = [];
  for (const rule of rules.filter((r) => r.status === 'Enabled')) {
    for (const t of list<Attributes>(rule.transition)) parts.push(`to ${t.storage_class} after ${t.days} d`);
    for (const e of list<Attributes>(rule.expiration)) {
      if (e.days !== undefined) parts.push(`current versions expire after ${e.days} d`);
      if (e.expired_object_delete_marker) parts.push('expired delete markers removed');
    }
    for (const n of list<Attributes>(rule.noncurrent_version_expiration)) parts.push(`noncurrent versions deleted after ${n.noncurrent_days} d`);
  }
  return parts.length > 0 ? parts.join('; ') : 'kept without end';
}

function bucketRetention(json: StackJson, id: string, name: string): string {
  const parts: string[] = [];
  for (const lock of Object.values(json.resource?.aws_s3_bucket_object_lock_configuration ?? {})) {
    if (!refersTo(lock.bucket, 'aws_s3_bucket', id, name)) continue;
    const retention = lock.rule?.default_retention ?? lock.rule?.[0]?.default_retention?.[0];
    if (retention) parts.push(`Object Lock ${retention.mode} ${retention.days ?? `${retention.years} y`} d`);
  }
  const lifecycle = Object.values(json.resource?.aws_s3_bucket_lifecycle_configuration ?? {}).find((l) => refersTo(l.bucket, 'aws_s3_bucket', id, name));
  parts.push(lifecycle ? describeLifecycle(list(lifecycle.rule)) : 'no lifecycle: kept without end');
  return parts.join('; ');
}

/** The key's alias where the stack names it, else the reference as written. */
function keyName(json: StackJson, reference: unknown): string {
  if (typeof reference !== 'string') return 'AWS owned key';
  const keyId = /aws_kms_key\.([^.]+)\./.exec(reference)?.[1];
  if (!keyId) return reference.includes('terraform_remote_state') ? `${reference.replace(/^\$\{|\}$/g, '')} (another stack's key)` : reference;
  const alias = Object.values(json.resource?.aws_kms_alias ?? {}).find((a) => String(a.target_key_id).includes(`aws_kms_key.${keyId}.`));
  return alias ? `KMS ${alias.name}` : `KMS key ${keyId}`;
}

function keyReaders(json: StackJson, reference: unknown): string[] {
  const keyId = typeof reference === 'string' ? /aws_kms_key\.([^.]+)\./.exec(reference)?.[1] : undefined;
  const key = keyId ? json.resource?.aws_kms_key?.[keyId] : undefined;
  return (parsePolicy(key?.policy)?.Statement ?? []).filter((s) => allowsAny(s, ['kms:Decrypt'])).flatMap((s) => grantees(s).map((g) => `${g} (key policy: decrypt)`));
}

function bucketDetails(stacks: ReadonlyMap<string, StackJson>, json: StackJson, id: string, name: string): Pick<StoreRecord, 'retention' | 'encryption' | 'readers'> {
  const sse = Object.values(json.resource?.aws_s3_bucket_server_side_encryption_configuration ?? {}).find((e) => refersTo(e.bucket, 'aws_s3_bucket', id, name));
  const byDefault = list<Attributes>(sse?.rule)[0]?.apply_server_side_encryption_by_default;
  const keyRef = list<Attributes>(byDefault)[0]?.kms_master_key_id;
  const encryption = byDefault === undefined ? 'S3 default (SSE-S3)' : keyRef ? keyName(json, keyRef) : 'SSE-S3';
  const bucketArn = `arn:aws:s3:::${name}`;
  const policy = Object.values(json.resource?.aws_s3_bucket_policy ?? {}).find((p) => refersTo(p.bucket, 'aws_s3_bucket', id, name));
  const readers = (parsePolicy(policy?.policy)?.Statement ?? []).filter((s) => allowsAny(s, READ_ACTIONS.aws_s3_bucket)).flatMap((s) => grantees(s).map((g) => `${g} (bucket policy)`));
  return {
    retention: bucketRetention(json, id, name),
    encryption,
    readers: [...readers, ...identityReaders(stacks, READ_ACTIONS.aws_s3_bucket, bucketArn, `aws_s3_bucket.${id}`), ...(keyRef ? keyReaders(json, keyRef) : [])],
  };
}

/** The identifiers a data protection policy document masks (its Deidentify statements). */
function maskedBy(document: unknown): string[] {
  if (typeof document !== 'string') return [];
  try {
    const statements = (JSON.parse(document) as { Statement?: Array<{ DataIdentifier?: string[]; Operation?: { Deidentify?: unknown } }> }).Statement ?? [];
    return statements.filter((st) => st.Operation?.Deidentify !== undefined).flatMap((st) => (st.DataIdentifier ?? []).map(dataIdentifierId));
  } catch {
    return [];
  }
}

/**
 * What masks a log group: its own data protection policy (in its stack, naming it or referring to
 * it) and the account-level data protection policies of its account and region, in any stack.
 */
function maskingOf(stacks: ReadonlyMap<string, StackJson>, stack: string, id: string, name: string, account: string, region: string): string[] {
  const own = Object.values(stacks.get(stack)?.resource?.aws_cloudwatch_log_data_protection_policy ?? {})
    .filter((p) => refersTo(p.log_group_name, 'aws_cloudwatch_log_group', id, name))
    .flatMap((p) => maskedBy(p.policy_document));
  const accountLevel = [...resourcesOf(stacks, ['aws_cloudwatch_log_account_policy'])]
    .filter(({ stack: s, values }) => values.policy_type === 'DATA_PROTECTION_POLICY' && (() => {
      const where = accountAndRegion(stacks.get(s)!, values);
      return where.account === account && where.region === region;
    })())
    .flatMap(({ values }) => maskedBy(values.policy_document));
  return [...new Set([...own, ...accountLevel])];
}

/**
 * Who can unmask a log group of an account: where an attached SCP denies logs:Unmask to the
 * account's principals, the roles it exempts; else (the management account, which no SCP binds,
 * or guardrails off) whoever the account's own IAM policies allow, with the roles the landing zone
 * itself grants it.
 */
function unmaskersOf(stacks: ReadonlyMap<string, StackJson>, account: string, identityGrants: readonly string[]): string[] {
  const attached = new Set([...resourcesOf(stacks, ['aws_organizations_policy_attachment'])].map(({ values }) => String(values.policy_id)));
  for (const { stack, id, values } of resourcesOf(stacks, ['aws_organizations_policy'])) {
    if (values.type !== 'SERVICE_CONTROL_POLICY' || ![...attached].some((a) => a.includes(`aws_organizations_policy.${id}.`))) continue;
    const management = accountAndRegion(stacks.get(stack)!, values).account;
    if (account === management) continue;
    for (const st of parsePolicy(values.content)?.Statement ?? []) {
      const accounts = list(st.Condition?.StringEquals?.['aws:PrincipalAccount'] as string | string[] | undefined);
      if (st.Effect !== 'Deny' || !list(st.Action).includes('logs:Unmask') || !accounts.includes(account)) continue;
      const exempt = list(st.Condition?.ArnNotLike?.['aws:PrincipalArn'] as string | string[] | undefined);
      return exempt.length > 0
        ? exempt.map((arn) => `${arn} (with logs:Unmask in its own policies; SCP ${values.name} refuses everyone else)`)
        : [`nobody (SCP ${values.name} refuses logs:Unmask to every principal of the account)`];
    }
  }
  return [...identityGrants, `any principal of account ${account} whose own IAM policies allow logs:Unmask (no SCP binds it)`];
}

/** The record of every store of log data in the synthesized stacks, in stack order. */
export function processingRecord(stacks: ReadonlyMap<string, StackJson>): StoreRecord[] {
  const records: StoreRecord[] = [];
  for (const { stack, type, id, values } of resourcesOf(stacks, STORE_TYPES)) {
    const store = logStoreOf(values);
    if (!store || store.holds.length === 0) continue;
    const json = stacks.get(stack)!;
    const { kind, name: nameAttribute } = KINDS[type as keyof typeof KINDS];
    const name = String(values[nameAttribute] ?? id);
    const { account, region } = accountAndRegion(json, values);
    const base = {
      stack,
      address: `${type}.${id}`,
      kind,
      name,
      holds: store.holds,
      personalData: [...new Set(store.holds.flatMap((t) => LOG_TYPES[t].personalData))],
      account,
      region,
    };
    if (type === 'aws_s3_bucket') {
      records.push({ ...base, ...bucketDetails(stacks, json, id, name), masked: [], unmask: [] });
    } else if (type === 'aws_cloudwatch_log_group') {
      const arn = `arn:aws:logs:${region}:${account}:log-group:${name}`;
      records.push({
        ...base,
        retention: values.retention_in_days ? `${values.retention_in_days} d` : 'kept without end',
        encryption: values.kms_key_id ? keyName(json, values.kms_key_id) : 'CloudWatch Logs default',
        readers: identityReaders(stacks, READ_ACTIONS.aws_cloudwatch_log_group, arn, `${type}.${id}`),
        masked: maskingOf(stacks, stack, id, name, account, region),
        unmask: unmaskersOf(stacks, account, identityReaders(stacks, ['logs:Unmask'], arn, `${type}.${id}`)),
      });
    } else if (type === 'aws_sqs_queue') {
      const arn = `arn:aws:sqs:${region}:${account}:${name}`;
      records.push({
        ...base,
        retention: `${Math.round(Number(values.message_retention_seconds ?? 345_600) / 86_400)} d`,
        encryption: values.kms_master_key_id ? keyName(json, values.kms_master_key_id) : values.sqs_managed_sse_enabled ? 'SQS managed (SSE-SQS)' : 'none',
        readers: identityReaders(stacks, READ_ACTIONS.aws_sqs_queue, arn, `${type}.${id}`),
        masked: [],
        unmask: [],
      });
    } else if (type === 'aws_securitylake_data_lake') {
      const configuration = list<Attributes>(values.configuration)[0] ?? {};
      const lifecycle = list<Attributes>(configuration.lifecycle_configuration)[0] ?? {};
      const key = list<Attributes>(configuration.encryption_configuration)[0]?.kms_key_id;
      records.push({
        ...base,
        name: `${SECURITY_LAKE_BUCKET_PREFIX}${configuration.region}-…`,
        region: String(configuration.region),
        retention: describeLifecycle([{ status: 'Enabled', transition: lifecycle.transition, expiration: lifecycle.expiration }]),
        encryption: key === 'S3_MANAGED_KEY' || key === undefined ? 'SSE-S3' : keyName(json, key),
        readers: ['Security Lake subscribers (Lake Formation grants)'],
        masked: [],
        unmask: [],
      });
    } else {
      records.push({ ...base, retention: values.retention_period ? `${values.retention_period} d` : 'see the resource', encryption: keyName(json, values.kms_key_id), readers: [], masked: [], unmask: [] });
    }
  }
  const order = [...stacks.keys()];
  // sort is stable: each stack's stores keep their order, its service-made log groups follow them
  return [...records, ...serviceLogGroupRecords(stacks)].sort((a, b) => order.indexOf(a.stack) - order.indexOf(b.stack));
}

/**
 * The log groups AWS makes outside Terraform (modules/core/log-store.ts, `declareServiceLogGroups`),
 * read from the resource that declares them: its provider is their account and region.
 */
function serviceLogGroupRecords(stacks: ReadonlyMap<string, StackJson>): StoreRecord[] {
  const records: StoreRecord[] = [];
  for (const [stack, json] of stacks) {
    for (const [type, byId] of Object.entries(json.resource ?? {})) {
      for (const [id, values] of Object.entries(byId)) {
        const groups = serviceLogGroupsOf(values);
        if (!groups) continue;
        const { account, region } = accountAndRegion(json, values);
        const name = `${groups.namePrefix}*`;
        const arn = `arn:aws:logs:${region}:${account}:log-group:${name}`;
        // no resource stands for them: only policies on their ARN (or a wildcard over it) grant them
        const reference = '(no resource)';
        records.push({
          stack,
          address: `${type}.${id}`,
          kind: 'CloudWatch Logs groups',
          name,
          holds: groups.holds,
          personalData: [...new Set(groups.holds.flatMap((t) => LOG_TYPES[t].personalData))],
          account,
          region,
          retention: `${groups.retentionDays} d, set on each by ${groups.retentionSetBy} (made by ${groups.madeBy})`,
          encryption: keyName(json, groups.kmsKeyArn),
          readers: identityReaders(stacks, READ_ACTIONS.aws_cloudwatch_log_group, arn, reference),
          masked: maskingOf(stacks, stack, '', name, account, region),
          unmask: unmaskersOf(stacks, account, identityReaders(stacks, ['logs:Unmask'], arn, reference)),
        });
      }
    }
  }
  return records;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function markdownRecord(records: readonly StoreRecord[], configSource: string): string {
  const lines = [
    `# Record of processing: log data kept by the audit landing zone`,
    '',
    `Generated by \`npm run processing-record\` from the stacks synthesized for ${configSource}. Controller, purposes and legal basis: docs/gdpr.md.`,
    '',
    '| store | holds (personal data) | account, region | retention | encryption | who can read it | masked | who can unmask |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...records.map((r) =>
      `| ${cell(`${r.kind} \`${r.name}\` (${r.stack})`)} | ${cell(`${r.holds.join(', ')}: ${r.personalData.join('; ') || 'none'}`)} | ${r.account}, ${r.region} | ${cell(r.retention)} | ${cell(r.encryption)} | ${cell(r.readers.join('; ') || 'the account\'s administrators only')} | ${cell(r.masked.join(', ') || 'not masked')} | ${cell(r.unmask.join('; ') || (r.masked.length > 0 ? 'nobody' : 'not masked'))} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** The stacks of a synthesized folder, by id. */
export function readStacks(outdir: string): Map<string, StackJson> {
  return new Map(readManifest(outdir).map((s) => [s.id, JSON.parse(fs.readFileSync(path.join(s.dir, 'cdk.tf.json'), 'utf8')) as StackJson]));
}

function main(): void {
  const { values } = parseArgs({ options: { json: { type: 'string' }, markdown: { type: 'string' } } });
  const configPath = process.env.LZ_CONFIG ?? EXAMPLE_CONFIG_PATH;
  const config = loadConfig(configPath);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'processing-record-'));
  try {
    synthesize(config, { outdir, target: 'aws' });
    const records = processingRecord(readStacks(outdir));
    const markdown = markdownRecord(records, path.relative(process.cwd(), configPath) || configPath);
    if (values.json) fs.writeFileSync(values.json, `${JSON.stringify(records, null, 2)}\n`);
    if (values.markdown) fs.writeFileSync(values.markdown, markdown);
    process.stdout.write(markdown);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : String(error));
    process.exit(error instanceof ConfigError ? 1 : 2);
  }
}
