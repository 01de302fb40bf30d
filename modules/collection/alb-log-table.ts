/**
 * The Glue table over every governed region's ALB log bucket, with partition projection on account,
 * region and day: no crawler, no partitions to add, and a query of one day lists one day's folders.
 * Entries are parsed by Hive's RegexSerDe (Java regex, whole-line match, one group per column) with
 * a pattern that accepts entries that end early (older formats) and entries that carry fields AWS
 * added after it was written: everything after the known fields is skipped.
 */
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ELB_LOG_KEY_PREFIX, ELB_LOG_SERVICE_FOLDER } from '../../facts/elb';

export interface AlbLogColumn {
  readonly name: string;
  /** Hive type; a value that does not parse as the type reads as NULL. */
  readonly type: 'string' | 'int' | 'bigint' | 'double';
}

const quotedField = '"([^"]*)"';

/**
 * The columns and, for each, the regex that captures it (the pieces of a column that share a log
 * field, such as `client_ip` and `client_port`, are captured by one piece). Fields up to
 * `error_reason` are in every entry AWS has documented since 2018; the later ones are optional in
 * order, so an entry may stop after any of them.
 */
const REQUIRED: ReadonlyArray<readonly [string, readonly AlbLogColumn[]]> = [
  ['([^ ]*)', [{ name: 'type', type: 'string' }]],
  ['([^ ]*)', [{ name: 'time', type: 'string' }]],
  ['([^ ]*)', [{ name: 'elb', type: 'string' }]],
  ['([^ ]*):([0-9]*)', [{ name: 'client_ip', type: 'string' }, { name: 'client_port', type: 'int' }]],
  // `-` when the target is a Lambda function or no target was reached
  ['([^ ]*)[:-]([0-9]*)', [{ name: 'target_ip', type: 'string' }, { name: 'target_port', type: 'int' }]],
  ['([-.0-9]*)', [{ name: 'request_processing_time', type: 'double' }]],
  ['([-.0-9]*)', [{ name: 'target_processing_time', type: 'double' }]],
  ['([-.0-9]*)', [{ name: 'response_processing_time', type: 'double' }]],
  ['(-|[0-9]*)', [{ name: 'elb_status_code', type: 'int' }]],
  ['(-|[0-9]*)', [{ name: 'target_status_code', type: 'string' }]],
  ['([-0-9]*)', [{ name: 'received_bytes', type: 'bigint' }]],
  ['([-0-9]*)', [{ name: 'sent_bytes', type: 'bigint' }]],
  ['"([^ ]*) (.*) (- |[^ ]*)"', [{ name: 'request_verb', type: 'string' }, { name: 'request_url', type: 'string' }, { name: 'request_proto', type: 'string' }]],
  [quotedField, [{ name: 'user_agent', type: 'string' }]],
  ['([^ ]*)', [{ name: 'ssl_cipher', type: 'string' }]],
  ['([^ ]*)', [{ name: 'ssl_protocol', type: 'string' }]],
  ['([^ ]*)', [{ name: 'target_group_arn', type: 'string' }]],
  [quotedField, [{ name: 'trace_id', type: 'string' }]],
  [quotedField, [{ name: 'domain_name', type: 'string' }]],
  [quotedField, [{ name: 'chosen_cert_arn', type: 'string' }]],
  ['([-.0-9]*)', [{ name: 'matched_rule_priority', type: 'string' }]],
  ['([^ ]*)', [{ name: 'request_creation_time', type: 'string' }]],
  [quotedField, [{ name: 'actions_executed', type: 'string' }]],
  [quotedField, [{ name: 'redirect_url', type: 'string' }]],
  [quotedField, [{ name: 'error_reason', type: 'string' }]],
];

const OPTIONAL: ReadonlyArray<readonly [string, AlbLogColumn]> = [
  [quotedField, { name: 'target_port_list', type: 'string' }],
  [quotedField, { name: 'target_status_code_list', type: 'string' }],
  [quotedField, { name: 'classification', type: 'string' }],
  [quotedField, { name: 'classification_reason', type: 'string' }],
  ['([^ ]*)', { name: 'conn_trace_id', type: 'string' }],
  [quotedField, { name: 'transformed_host', type: 'string' }],
  [quotedField, { name: 'transformed_uri', type: 'string' }],
  [quotedField, { name: 'request_transform_status', type: 'string' }],
];

export const ALB_LOG_COLUMNS: readonly AlbLogColumn[] = [...REQUIRED.flatMap(([, c]) => c), ...OPTIONAL.map(([, c]) => c)];

/** The RegexSerDe `input.regex`: one capturing group per column, the rest non-capturing. */
export const ALB_LOG_REGEX =
  REQUIRED.map(([piece]) => piece).join(' ') +
  OPTIONAL.reduceRight((tail, [piece]) => `(?: ${piece}${tail})?`, '') +
  // fields AWS adds later
  '(?: .*)?';

/** Partition keys, in the order the location template names them. */
export const ALB_LOG_PARTITION_KEYS = ['account', 'region', 'day'] as const;

export interface AlbLogProjection {
  /** The ALB log bucket of a region, with `${region}` where the region goes. */
  readonly bucketNameTemplate: string;
  readonly accountIds: readonly string[];
  readonly regions: readonly string[];
  /** First projected day, `yyyy/MM/dd`. */
  readonly startDate: string;
}

export function albLogLocationTemplate(p: Pick<AlbLogProjection, 'bucketNameTemplate'>): string {
  return `s3://${p.bucketNameTemplate}/${ELB_LOG_KEY_PREFIX}/\${account}/${ELB_LOG_SERVICE_FOLDER}/\${region}/\${day}`;
}

export function albLogProjectionParameters(p: AlbLogProjection): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    'projection.account.values': p.accountIds.join(','),
    'projection.region.type': 'enum',
    'projection.region.values': p.regions.join(','),
    'projection.day.type': 'date',
    'projection.day.format': 'yyyy/MM/dd',
    'projection.day.range': `${p.startDate},NOW`,
    'projection.day.interval': '1',
    'projection.day.interval.unit': 'DAYS',
    'storage.location.template': albLogLocationTemplate(p),
  };
}

export interface AlbLogTableProps extends AlbLogProjection {
  readonly provider: AwsProvider;
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** A bucket the table's own location names (one region's); projection reads every region's. */
  readonly locationBucketName: string;
}

const literal = (v: string) => v.replace(/\$\{/g, () => '$${');

export class AlbLogTable extends Construct {
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, props: AlbLogTableProps) {
    super(scope, id);
    const parameters = Object.fromEntries(Object.entries(albLogProjectionParameters(props)).map(([k, v]) => [k, literal(v)]));
    this.table = new GlueCatalogTable(this, 'table', {
      provider: props.provider,
      catalogId: props.catalogId,
      databaseName: props.databaseName,
      name: props.tableName,
      description: 'Application Load Balancer access logs of every governed region, projected by account, region and day',
      tableType: 'EXTERNAL_TABLE',
      parameters: { EXTERNAL: 'TRUE', ...parameters },
      partitionKeys: ALB_LOG_PARTITION_KEYS.map((name) => ({ name, type: 'string' })),
      storageDescriptor: {
        location: `s3://${props.locationBucketName}/${ELB_LOG_KEY_PREFIX}/`,
        inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: {
          serializationLibrary: 'org.apache.hadoop.hive.serde2.RegexSerDe',
          parameters: { 'serialization.format': '1', 'input.regex': ALB_LOG_REGEX },
        },
        columns: ALB_LOG_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      },
    });
  }
}
