/**
 * The Glue table over an Organization trail's files in the Log Archive bucket, with partition
 * projection on account, region and day: no crawler, no `ALTER TABLE ADD PARTITION`, and a query
 * that filters on `"date"` reads only those days' folders.
 *
 * Columns follow the CloudTrail record as AWS documents the Athena table for it
 * (Athena user guide, "Create the table for CloudTrail logs in Athena using partition projection"):
 * the Hive JSON SerDe over CloudTrail's own input format, which unwraps each file's `Records` array.
 */
import { GlueCatalogTable } from '@cdktf/provider-aws/lib/glue-catalog-table';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCOUNT_PROJECTION_PARAMETER } from '../../facts/athena';

/** A Hive column type: a primitive, or a struct, array or map of other types. */
export type HiveType =
  | 'string'
  | { readonly struct: Readonly<Record<string, HiveType>> }
  | { readonly array: HiveType }
  | { readonly map: readonly [HiveType, HiveType] };

const struct = (fields: Record<string, HiveType>): HiveType => ({ struct: fields });

/** The CloudTrail record, in the lower-case names Athena gives JSON keys. */
export const CLOUDTRAIL_COLUMNS: Readonly<Record<string, HiveType>> = {
  eventversion: 'string',
  useridentity: struct({
    type: 'string',
    principalid: 'string',
    arn: 'string',
    accountid: 'string',
    invokedby: 'string',
    accesskeyid: 'string',
    username: 'string',
    onbehalfof: struct({ userid: 'string', identitystorearn: 'string' }),
    sessioncontext: struct({
      attributes: struct({ mfaauthenticated: 'string', creationdate: 'string' }),
      sessionissuer: struct({ type: 'string', principalid: 'string', arn: 'string', accountid: 'string', username: 'string' }),
      ec2roledelivery: 'string',
      webidfederationdata: struct({ federatedprovider: 'string', attributes: { map: ['string', 'string'] } }),
    }),
  }),
  eventtime: 'string',
  eventsource: 'string',
  eventname: 'string',
  awsregion: 'string',
  sourceipaddress: 'string',
  useragent: 'string',
  errorcode: 'string',
  errormessage: 'string',
  requestparameters: 'string',
  responseelements: 'string',
  additionaleventdata: 'string',
  requestid: 'string',
  eventid: 'string',
  readonly: 'string',
  resources: { array: struct({ arn: 'string', accountid: 'string', type: 'string' }) },
  eventtype: 'string',
  apiversion: 'string',
  recipientaccountid: 'string',
  serviceeventdetails: 'string',
  sharedeventid: 'string',
  vpcendpointid: 'string',
  vpcendpointaccountid: 'string',
  eventcategory: 'string',
  addendum: struct({ reason: 'string', updatedfields: 'string', originalrequestid: 'string', originaleventid: 'string' }),
  sessioncredentialfromconsole: 'string',
  edgedevicedetails: 'string',
  tlsdetails: struct({ tlsversion: 'string', ciphersuite: 'string', clientprovidedhostheader: 'string' }),
};

/** Partition keys, in the order of the folders under `AWSLogs/<org-id>/`. */
export const CLOUDTRAIL_PARTITION_KEYS = ['account', 'region', 'date'] as const;

/** Format of the `date` partition: CloudTrail's `yyyy/MM/dd` folders (Java date pattern). */
export const DATE_PARTITION_FORMAT = 'yyyy/MM/dd';

/** Renders a type the way Glue and Hive write it, e.g. `struct<arn:string,type:string>`. */
export function hiveTypeString(type: HiveType): string {
  if (type === 'string') return 'string';
  if ('struct' in type) return `struct<${Object.entries(type.struct).map(([name, t]) => `${name}:${hiveTypeString(t)}`).join(',')}>`;
  if ('array' in type) return `array<${hiveTypeString(type.array)}>`;
  return `map<${hiveTypeString(type.map[0])},${hiveTypeString(type.map[1])}>`;
}

export interface CloudTrailProjection {
  /** Bucket holding the trail's files. */
  readonly bucketName: string;
  /** The Organization's id: an Organization trail writes under `AWSLogs/<org-id>/`. */
  readonly organizationId: string;
  /** Every account id whose folders are projected. */
  readonly accountIds: readonly string[];
  /** Every region whose folders are projected. */
  readonly regions: readonly string[];
  /** First projected day, `yyyy/MM/dd`; the range runs to today (`NOW`). */
  readonly startDate: string;
}

/** Where the table reads: the Organization trail's prefix. */
export function cloudTrailLocation(p: Pick<CloudTrailProjection, 'bucketName' | 'organizationId'>): string {
  return `s3://${p.bucketName}/AWSLogs/${p.organizationId}/`;
}

/** The table parameters that switch partition projection on and describe each partition. */
export function projectionParameters(p: CloudTrailProjection): Record<string, string> {
  return {
    'projection.enabled': 'true',
    'projection.account.type': 'enum',
    [ACCOUNT_PROJECTION_PARAMETER]: p.accountIds.join(','),
    'projection.region.type': 'enum',
    'projection.region.values': p.regions.join(','),
    'projection.date.type': 'date',
    'projection.date.format': DATE_PARTITION_FORMAT,
    'projection.date.range': `${p.startDate},NOW`,
    'projection.date.interval': '1',
    'projection.date.interval.unit': 'DAYS',
    'storage.location.template': `${cloudTrailLocation(p)}\${account}/CloudTrail/\${region}/\${date}`,
  };
}

/** Terraform would read `${account}` as a reference: `$${` is its escape for a literal `${`. */
function escapeInterpolation(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.replace(/\$\{/g, () => '$${')]));
}

export interface CloudTrailTableProps extends CloudTrailProjection {
  readonly provider: AwsProvider;
  /** Account of the Glue Data Catalog. */
  readonly catalogId: string;
  readonly databaseName: string;
  readonly tableName: string;
  /**
   * Something other than Terraform adds accounts to `projection.account.values` after the table is
   * created (the account projection function): Terraform sets the first value and ignores later
   * changes of that one parameter, and still manages every other.
   * @default false
   */
  readonly accountsMaintainedElsewhere?: boolean;
}

export class CloudTrailTable extends Construct {
  readonly table: GlueCatalogTable;

  constructor(scope: Construct, id: string, props: CloudTrailTableProps) {
    super(scope, id);
    this.table = new GlueCatalogTable(this, 'table', {
      provider: props.provider,
      catalogId: props.catalogId,
      databaseName: props.databaseName,
      name: props.tableName,
      description: `CloudTrail records of the Organization trail (${props.organizationId}), projected by account, region and day`,
      tableType: 'EXTERNAL_TABLE',
      parameters: {
        EXTERNAL: 'TRUE',
        classification: 'cloudtrail',
        // Athena skips Glacier and Deep Archive objects; with this it reads those that have been
        // restored (Athena user guide, "Query restored Amazon S3 Glacier objects"): a query over
        // old logs then needs only the restore (docs/archive.md).
        read_restored_glacier_objects: 'true',
        ...escapeInterpolation(projectionParameters(props)),
      },
      partitionKeys: CLOUDTRAIL_PARTITION_KEYS.map((name) => ({ name, type: 'string' })),
      storageDescriptor: {
        location: cloudTrailLocation(props),
        inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        serDeInfo: { serializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
        columns: Object.entries(CLOUDTRAIL_COLUMNS).map(([name, type]) => ({ name, type: hiveTypeString(type) })),
      },
      // Terraform reads each entry as a reference expression: one key of the map, not the whole map.
      lifecycle: props.accountsMaintainedElsewhere ? { ignoreChanges: [`parameters[${JSON.stringify(ACCOUNT_PROJECTION_PARAMETER)}]`] } : undefined,
    });
  }
}
