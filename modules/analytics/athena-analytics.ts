/**
 * Athena over the Organization trail: a KMS-encrypted results bucket whose results expire, one
 * workgroup per team that enforces its settings (engine version 3, SSE-KMS results, a per-query
 * scan cutoff, CloudWatch metrics), the Glue database and projected CloudTrail table, the saved
 * forensic queries, and the role investigators assume to run them.
 */
import { AthenaNamedQuery } from '@cdktf/provider-aws/lib/athena-named-query';
import { AthenaWorkgroup } from '@cdktf/provider-aws/lib/athena-workgroup';
import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCEPTED } from '../core/checkov';
import { CloudTrailTable, type CloudTrailProjection } from './cloudtrail-table';
import { EncryptionKey } from '../core/encryption-key';
import { forensicQueries } from './forensic-queries';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { PrivateBucket } from '../core/private-bucket';

/** Athena's current engine; the only one new workgroups should run. */
export const ATHENA_ENGINE_VERSION = 'Athena engine version 3';

export interface WorkgroupSettings {
  readonly name: string;
  readonly description: string;
  /** Queries scanning more than this many bytes are cancelled. */
  readonly bytesScannedCutoffPerQuery: number;
}

export interface AthenaAnalyticsProps {
  readonly provider: AwsProvider;
  /** Account that runs the queries (the Audit account). */
  readonly accountId: string;
  readonly region: string;
  readonly resultsBucketName: string;
  readonly resultsKeyAlias: string;
  /** Days a query result is kept. */
  readonly resultsExpirationDays: number;
  readonly workgroups: readonly WorkgroupSettings[];
  /** Workgroup that holds the saved forensic queries; one of `workgroups`. */
  readonly savedQueriesWorkgroup: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** Where the Organization trail's files are, and which partitions exist. */
  readonly trail: CloudTrailProjection;
  /** KMS key of the archive bucket; the query role decrypts with it, through S3 only. */
  readonly archiveKeyArn: string;
  /** Name of the role investigators assume; the archive's bucket and key policies already trust it. */
  readonly queryRoleName: string;
  /**
   * Terraform may delete the results bucket with its objects and the workgroups with their query
   * history: only for a test organization that is torn down.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * The account projection function adds accounts to the table after Terraform made it.
   * @default false
   */
  readonly accountsMaintainedElsewhere?: boolean;
  /**
   * The roles (exact ARNs) that may assume the query role: named roles, not a whole account, so
   * that who may read the evidence is decided here. @default none: no query role
   */
  readonly queryRoleTrustedArns?: readonly string[];
}

export interface QueryRoleGrants {
  readonly accountId: string;
  readonly region: string;
  readonly workgroupNames: readonly string[];
  readonly databaseName: string;
  readonly tableName: string;
  readonly archiveBucketName: string;
  /** Key prefix the role may read, e.g. `AWSLogs/o-abc/`. */
  readonly archivePrefix: string;
  readonly archiveKeyArn: string;
  readonly resultsBucketArn: string;
  readonly resultsKeyArn: string;
}

/** Least privilege for running the workgroups' queries over the trail, and nothing else. */
export function queryRoleStatements(g: QueryRoleGrants): PolicyStatement[] {
  const athena = `arn:aws:athena:${g.region}:${g.accountId}`;
  const glue = `arn:aws:glue:${g.region}:${g.accountId}`;
  const archiveArn = `arn:aws:s3:::${g.archiveBucketName}`;
  const throughS3 = { StringEquals: { 'kms:ViaService': `s3.${g.region}.amazonaws.com` } };
  return [
    {
      Sid: 'RunQueriesInTheWorkgroups',
      Effect: 'Allow',
      Action: [
        'athena:StartQueryExecution', 'athena:StopQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults',
        'athena:GetQueryResultsStream', 'athena:GetQueryRuntimeStatistics', 'athena:BatchGetQueryExecution',
        'athena:ListQueryExecutions', 'athena:GetWorkGroup', 'athena:GetNamedQuery', 'athena:BatchGetNamedQuery',
        'athena:ListNamedQueries',
      ],
      Resource: g.workgroupNames.map((name) => `${athena}:workgroup/${name}`),
    },
    {
      Sid: 'BrowseTheCatalog',
      Effect: 'Allow',
      Action: ['athena:GetDataCatalog', 'athena:ListDatabases', 'athena:GetDatabase', 'athena:ListTableMetadata', 'athena:GetTableMetadata'],
      Resource: `${athena}:datacatalog/AwsDataCatalog`,
    },
    {
      Sid: 'ListWorkgroups',
      Effect: 'Allow',
      Action: ['athena:ListWorkGroups', 'athena:ListEngineVersions'],
      Resource: '*',
    },
    {
      Sid: 'ReadTheTrailTable',
      Effect: 'Allow',
      Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
      Resource: [`${glue}:catalog`, `${glue}:database/${g.databaseName}`, `${glue}:table/${g.databaseName}/${g.tableName}`],
    },
    {
      Sid: 'ListTheTrailPrefix',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: archiveArn,
      Condition: { StringLike: { 's3:prefix': [g.archivePrefix, `${g.archivePrefix}*`] } },
    },
    {
      Sid: 'ReadTheTrailFiles',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:GetBucketLocation'],
      Resource: [archiveArn, `${archiveArn}/${g.archivePrefix}*`],
    },
    {
      // Files in Glacier or Deep Archive must be restored before Athena reads them (docs/archive.md).
      Sid: 'RestoreArchivedTrailFiles',
      Effect: 'Allow',
      Action: 's3:RestoreObject',
      Resource: `${archiveArn}/${g.archivePrefix}*`,
    },
    {
      Sid: 'DecryptTheTrailFilesThroughS3',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: g.archiveKeyArn,
      Condition: throughS3,
    },
    {
      Sid: 'ReadAndWriteQueryResults',
      Effect: 'Allow',
      Action: [
        's3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts',
        's3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketMultipartUploads',
      ],
      Resource: [g.resultsBucketArn, `${g.resultsBucketArn}/*`],
    },
    {
      Sid: 'EncryptAndDecryptQueryResultsThroughS3',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: g.resultsKeyArn,
      Condition: throughS3,
    },
  ];
}

export class AthenaAnalytics extends Construct {
  readonly resultsKey: EncryptionKey;
  readonly resultsBucket: PrivateBucket;
  readonly workgroups: Record<string, AthenaWorkgroup> = {};
  readonly database: GlueCatalogDatabase;
  readonly table: CloudTrailTable;
  /** Only when someone may assume it. */
  readonly queryRole?: IamRole;
  private readonly grants: QueryRoleGrants;

  /** The query role's least privilege, for the given workgroups (all by default); QuickSight reads with the same. */
  queryStatements(workgroupNames: readonly string[] = this.grants.workgroupNames): PolicyStatement[] {
    const unknown = workgroupNames.filter((w) => !this.grants.workgroupNames.includes(w));
    if (unknown.length > 0) throw new Error(`workgroups ${unknown.join(', ')} are not among ${this.grants.workgroupNames.join(', ')}`);
    return queryRoleStatements({ ...this.grants, workgroupNames });
  }

  constructor(scope: Construct, id: string, props: AthenaAnalyticsProps) {
    super(scope, id);
    const provider = props.provider;
    if (!props.workgroups.some((w) => w.name === props.savedQueriesWorkgroup)) {
      throw new Error(`savedQueriesWorkgroup ${props.savedQueriesWorkgroup} is not one of the workgroups (${props.workgroups.map((w) => w.name).join(', ')})`);
    }

    this.resultsKey = new EncryptionKey(this, 'results-key', {
      provider,
      accountId: props.accountId,
      alias: props.resultsKeyAlias,
      description: 'Encrypts Athena query results over the Organization trail',
      statements: [],
    });
    this.resultsBucket = new PrivateBucket(this, 'results', {
      logStore: { holds: ['query-results'] },
      provider,
      bucketName: props.resultsBucketName,
      kmsKeyArn: this.resultsKey.key.arn,
      expirationDays: props.resultsExpirationDays,
      // An expired result becomes a noncurrent version: drop it the next day, not 90 days later.
      noncurrentVersionExpirationDays: 1,
      acceptedFindings: [ACCEPTED.queryResultsAccessRecordedByTrail],
      forceDestroy: props.forceDestroy,
    });

    for (const w of props.workgroups) {
      this.workgroups[w.name] = new AthenaWorkgroup(this, `workgroup-${w.name}`, {
        provider,
        name: w.name,
        description: w.description,
        state: 'ENABLED',
        forceDestroy: props.forceDestroy ? true : undefined,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: w.bytesScannedCutoffPerQuery,
          engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
          resultConfiguration: {
            outputLocation: `s3://${props.resultsBucketName}/${w.name}/`,
            expectedBucketOwner: props.accountId,
            encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKeyArn: this.resultsKey.key.arn },
          },
        },
      });
    }

    this.database = new GlueCatalogDatabase(this, 'database', {
      provider,
      catalogId: props.accountId,
      name: props.databaseName,
      description: 'Audit logs of the organization, for Athena',
    });
    this.table = new CloudTrailTable(this, 'cloudtrail', {
      ...props.trail,
      provider,
      catalogId: props.accountId,
      databaseName: this.database.name,
      tableName: props.tableName,
      accountsMaintainedElsewhere: props.accountsMaintainedElsewhere,
    });

    const savedIn = this.workgroups[props.savedQueriesWorkgroup];
    for (const query of forensicQueries(props.tableName)) {
      new AthenaNamedQuery(this, `query-${query.name}`, {
        provider,
        name: query.name,
        description: query.description,
        workgroup: savedIn.name,
        database: this.database.name,
        query: query.sql,
        dependsOn: [this.table.table],
      });
    }

    this.grants = {
      accountId: props.accountId,
      region: props.region,
      workgroupNames: props.workgroups.map((w) => w.name),
      databaseName: props.databaseName,
      tableName: props.tableName,
      archiveBucketName: props.trail.bucketName,
      archivePrefix: `AWSLogs/${props.trail.organizationId}/`,
      archiveKeyArn: props.archiveKeyArn,
      resultsBucketArn: this.resultsBucket.bucket.arn,
      resultsKeyArn: this.resultsKey.key.arn,
    };

    const trusted = props.queryRoleTrustedArns ?? [];
    if (trusted.length === 0) return;
    const queryRole = new IamRole(this, 'query-role', {
      provider,
      name: props.queryRoleName,
      description: 'Runs the Athena workgroups\' queries over the Organization trail in the Log Archive',
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        {
          Sid: 'AssumedByTheInvestigators',
          Effect: 'Allow',
          Principal: { AWS: [...trusted] },
          Action: 'sts:AssumeRole',
        },
      ]),
    });
    this.queryRole = queryRole;
    new IamRolePolicy(this, 'query-role-policy', {
      provider,
      name: 'query-the-organization-trail',
      role: queryRole.name,
      policy: policyDocument(this.queryStatements()),
    });
  }
}
