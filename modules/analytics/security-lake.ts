/**
 * Amazon Security Lake in the delegated administrator's account: the meta-store manager role,
 * the Lake Formation settings a query subscriber needs, a data lake in every governed region
 * (optionally replicating into a rollup region), the AWS log sources normalised to OCSF for every
 * account and region, and a Lake Formation query subscriber.
 *
 * The AWS provider (5.x) takes one `configuration` block per `aws_securitylake_data_lake` and one
 * `source` block per `aws_securitylake_aws_log_source` (it rejects more at validate), so there is
 * one data lake resource per region and one log-source resource per source, all made through the
 * one provider of the stack: the Security Lake API takes the region of each configuration.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LakeformationDataLakeSettings } from '@cdktf/provider-aws/lib/lakeformation-data-lake-settings';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecuritylakeAwsLogSource } from '@cdktf/provider-aws/lib/securitylake-aws-log-source';
import { SecuritylakeDataLake } from '@cdktf/provider-aws/lib/securitylake-data-lake';
import { SecuritylakeSubscriber } from '@cdktf/provider-aws/lib/securitylake-subscriber';
import { SecuritylakeSubscriberNotification } from '@cdktf/provider-aws/lib/securitylake-subscriber-notification';
import { Construct } from 'constructs';
import { SECURITY_LAKE_BUCKET_PREFIX } from '../../facts/security-lake';
import { declareLogStore } from '../core/log-store';
import { type PolicyStatement, policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';
import { protect } from '../core/protection';

/** The OCSF schema version of the AWS log sources. */
export const SOURCE_VERSION = '2.0';

/**
 * Security Lake's partition-updating Lambda functions assume exactly this role (name and path);
 * the AWS managed policy below is the one AWS documents for it.
 */
export const META_STORE_MANAGER_ROLE = { name: 'AmazonSecurityLakeMetaStoreManagerV2', path: '/service-role/' } as const;
export const META_STORE_MANAGER_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AmazonSecurityLakeMetastoreManager';

/** `kms_key_id` value for S3-managed encryption: replication from a CMK-encrypted lake into an S3-encrypted one is not supported. */
export const S3_MANAGED_KEY = 'S3_MANAGED_KEY';

export interface SecurityLakeLifecycle {
  readonly transitions: ReadonlyArray<{ readonly days: number; readonly storageClass: string }>;
  readonly expirationDays: number;
}

export interface SecurityLakeProps {
  readonly provider: AwsProvider;
  /** Account of the data lake (the delegated administrator). */
  readonly accountId: string;
  /** Regions with a data lake; each collects its own logs. */
  readonly regions: readonly string[];
  /** Region the other regions replicate into. @default no replication */
  readonly rollupRegion?: string;
  readonly lifecycle: SecurityLakeLifecycle;
  /** AWS log sources to collect. */
  readonly sources: readonly string[];
  /** Accounts whose logs are collected. */
  readonly sourceAccountIds: readonly string[];
  /** Role S3 assumes to replicate into the rollup region; Security Lake requires the `SecurityLake` prefix. */
  readonly replicationRoleName: string;
  /**
   * Every Lake Formation data lake administrator of the account, in the stack's region: the
   * identity that deploys (it creates the subscriber, which Security Lake requires of an
   * administrator) and whoever else administers the account's data lake. Lake Formation keeps one
   * list, which this replaces.
   */
  readonly lakeFormationAdministrators: readonly string[];
  /** The query subscriber. @default none */
  readonly subscriber?: SubscriberIdentity;
  /**
   * A subscriber with S3 data access (a SIEM): it reads the lake's objects through the role Security
   * Lake makes for it, told of new objects by Security Lake's SQS queue. @default none
   */
  readonly dataSubscriber?: SubscriberIdentity;
}

export interface SubscriberIdentity {
  readonly name: string;
  /** The subscriber's account. */
  readonly accountId: string;
  /** What it presents when it assumes Security Lake's role. */
  readonly externalId: string;
}

/** Security Lake names its buckets `aws-security-data-lake-REGION-...`; nobody chooses it. */

/** What S3 may do to replicate the contributing regions' lake buckets into the rollup region's. */
export function replicationStatements(accountId: string, contributing: readonly string[], rollupRegion: string): PolicyStatement[] {
  const inAccount = { StringEquals: { 's3:ResourceAccount': accountId } };
  return [
    {
      Sid: 'ReadContributingLakes',
      Effect: 'Allow',
      Action: [
        's3:ListBucket', 's3:GetReplicationConfiguration', 's3:GetObjectVersionForReplication', 's3:GetObjectVersion',
        's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging', 's3:GetObjectRetention', 's3:GetObjectLegalHold',
      ],
      Resource: contributing.flatMap((r) => [`arn:aws:s3:::${SECURITY_LAKE_BUCKET_PREFIX}${r}*`, `arn:aws:s3:::${SECURITY_LAKE_BUCKET_PREFIX}${r}*/*`]),
      Condition: inAccount,
    },
    {
      Sid: 'ReplicateIntoRollupLake',
      Effect: 'Allow',
      Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:GetObjectVersionTagging'],
      Resource: `arn:aws:s3:::${SECURITY_LAKE_BUCKET_PREFIX}${rollupRegion}*/*`,
      Condition: inAccount,
    },
  ];
}

/**
 * The one call Terraform cannot make: auto-enable the sources in accounts that join the
 * organization later. Run it once as the delegated administrator.
 */
export function organizationAutoEnableCommand(region: string, regions: readonly string[], sources: readonly string[]): string {
  const autoEnable = regions.map((r) => ({ region: r, sources: sources.map((s) => ({ sourceName: s, sourceVersion: SOURCE_VERSION })) }));
  return `aws securitylake create-data-lake-organization-configuration --region ${region} --auto-enable-new-account '${JSON.stringify(autoEnable)}'`;
}

export class SecurityLake extends Construct {
  readonly lakeFormationSettings: LakeformationDataLakeSettings;
  readonly metaStoreManager: IamRole;
  /** Data lake per region. */
  readonly dataLakes: Record<string, SecuritylakeDataLake> = {};
  readonly logSources: SecuritylakeAwsLogSource[] = [];
  readonly subscriber?: SecuritylakeSubscriber;
  readonly dataSubscriber?: SecuritylakeSubscriber;

  constructor(scope: Construct, id: string, props: SecurityLakeProps) {
    super(scope, id);
    const provider = props.provider;
    const { rollupRegion } = props;
    if (rollupRegion && !props.regions.includes(rollupRegion)) {
      throw new Error(`rollupRegion ${rollupRegion} is not one of the lake's regions (${props.regions.join(', ')})`);
    }

    if (props.lakeFormationAdministrators.length === 0) {
      throw new Error('lakeFormationAdministrators is empty: the identity that deploys must be a Lake Formation administrator to create the subscriber');
    }
    // PutDataLakeSettings replaces the whole settings object: the administrators are the full list
    // (Lake Formation API reference, PutDataLakeSettings), and the defaults for new databases and
    // tables are written as AWS sets them in a new account ("Use only IAM access control"), so that
    // nothing else in the account changes. Cross-account version 3: Security Lake supports
    // versions 2 and 3 only (Security Lake user guide, "Creating a subscriber with query access").
    this.lakeFormationSettings = new LakeformationDataLakeSettings(this, 'lake-formation-settings', {
      provider,
      admins: [...props.lakeFormationAdministrators],
      // SET_CONTEXT comes back from the API with TRUE (provider documentation), so it is written too
      parameters: { CROSS_ACCOUNT_VERSION: '3', SET_CONTEXT: 'TRUE' },
      createDatabaseDefaultPermissions: [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }],
      createTableDefaultPermissions: [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }],
    });

    this.metaStoreManager = new IamRole(this, 'meta-store-manager', {
      provider,
      name: META_STORE_MANAGER_ROLE.name,
      path: META_STORE_MANAGER_ROLE.path,
      description: 'Security Lake indexes new data lake partitions into the Glue Data Catalog',
      assumeRolePolicy: serviceAssumeRolePolicy('lambda.amazonaws.com'),
    });
    const metaStorePolicy = new IamRolePolicyAttachment(this, 'meta-store-manager-policy', {
      provider,
      role: this.metaStoreManager.name,
      policyArn: META_STORE_MANAGER_POLICY_ARN,
    });

    const contributing = rollupRegion ? props.regions.filter((r) => r !== rollupRegion) : [];
    let replication: { roleArn: string; policy: IamRolePolicy } | undefined;
    if (rollupRegion && contributing.length > 0) {
      const role = new IamRole(this, 'replication-role', {
        provider,
        name: props.replicationRoleName,
        description: `S3 replicates the Security Lake data of the contributing regions into ${rollupRegion}`,
        assumeRolePolicy: serviceAssumeRolePolicy('s3.amazonaws.com'),
      });
      const policy = new IamRolePolicy(this, 'replication-policy', {
        provider,
        name: 'replicate-into-rollup-region',
        role: role.name,
        policy: policyDocument(replicationStatements(props.accountId, contributing, rollupRegion)),
      });
      replication = { roleArn: role.arn, policy };
    }

    // The rollup region's lake first: the others replicate into its bucket.
    const ordered = rollupRegion ? [rollupRegion, ...contributing] : [...props.regions];
    for (const region of ordered) {
      const replicates = replication && region !== rollupRegion;
      this.dataLakes[region] = new SecuritylakeDataLake(this, `data-lake-${region}`, {
        provider,
        metaStoreManagerRoleArn: this.metaStoreManager.arn,
        configuration: [
          {
            region,
            encryptionConfiguration: [{ kmsKeyId: S3_MANAGED_KEY }],
            lifecycleConfiguration: [
              {
                transition: props.lifecycle.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
                expiration: [{ days: props.lifecycle.expirationDays }],
              },
            ],
            replicationConfiguration: replicates && rollupRegion ? [{ regions: [rollupRegion], roleArn: replication!.roleArn }] : undefined,
          },
        ],
        dependsOn: [
          metaStorePolicy,
          this.lakeFormationSettings,
          ...(replicates ? [replication!.policy, this.dataLakes[rollupRegion!]] : []),
        ],
      });
      declareLogStore(this.dataLakes[region], { holds: ['security-lake-ocsf'] });
    }
    const lakes = Object.values(this.dataLakes);
    for (const lake of lakes) protect(lake, 'deleting a data lake stops collection in its region; its data goes with its lifecycle');

    // One source after another: Security Lake answers parallel changes to one lake with
    // ConflictException and the provider does not retry (terraform-provider-aws#42973).
    for (const source of props.sources) {
      const previous = this.logSources[this.logSources.length - 1];
      this.logSources.push(
        new SecuritylakeAwsLogSource(this, `source-${source}`, {
          provider,
          source: [{ sourceName: source, sourceVersion: SOURCE_VERSION, accounts: [...props.sourceAccountIds], regions: [...props.regions] }],
          dependsOn: previous ? [...lakes, previous] : lakes,
          // There is no update API, so a change of accounts replaces the source: collection off
          // for the whole organization, then on for the listed accounts only. And the provider reads
          // back every account the source covers, also those Security Lake enabled by itself
          // (terraform-provider-aws#37167). Accounts that join later are enabled by the
          // organization configuration (organizationAutoEnableCommand), not by this list.
          lifecycle: { ignoreChanges: ['source[0].accounts'] },
        }),
      );
    }
    for (const source of this.logSources) protect(source, 'deleting a log source stops its collection in every account and region');

    const subscribe = (id: string, identity: SubscriberIdentity, accessType: 'LAKEFORMATION' | 'S3', description: string) =>
      new SecuritylakeSubscriber(this, id, {
        provider,
        subscriberName: identity.name,
        subscriberDescription: description,
        accessType,
        subscriberIdentity: [{ principal: identity.accountId, externalId: identity.externalId }],
        source: props.sources.map((s) => ({ awsLogSourceResource: [{ sourceName: s, sourceVersion: SOURCE_VERSION }] })),
        dependsOn: [...lakes, ...this.logSources],
      });
    if (props.subscriber) {
      this.subscriber = subscribe('subscriber', props.subscriber, 'LAKEFORMATION', 'Queries the Security Lake tables through Lake Formation');
    }
    if (props.dataSubscriber) {
      this.dataSubscriber = subscribe('data-subscriber', props.dataSubscriber, 'S3', 'Reads new Security Lake objects from S3, told by SQS (a SIEM)');
      // Security Lake creates the queue and tells the subscriber of every new object on it.
      const siemReads = 'the SIEM reads Security Lake through this subscriber; without it the SIEM receives nothing';
      protect(this.dataSubscriber, siemReads);
      protect(new SecuritylakeSubscriberNotification(this, 'data-subscriber-notification', {
        provider,
        subscriberId: this.dataSubscriber.id,
        configuration: [{ sqsNotificationConfiguration: [{}] }],
      }), siemReads);
    }
  }
}
