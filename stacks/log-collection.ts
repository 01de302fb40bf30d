/**
 * The organization's other logs (docs/log-collection.md). In the home region: the Log Archive
 * receives the centralized CloudWatch Logs of every account, keeps the copies for their configured
 * retention (an hourly function sets it) and archives them through Firehose;
 * the management account holds the organization-wide centralization rule, the Logs Insights
 * queries on the trail's log group and, for those who have CloudTrail Lake, the organization event
 * data store; the Audit account gets the table over the load balancer logs. Per governed region
 * (`log-collection-REGION`, that region's providers only): the Log Archive's load balancer log
 * buckets, and the organization Config rule that flags load balancers not logging into them.
 */
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { Construct } from 'constructs';
import { LEGACY_ELB_ACCOUNTS } from '../facts/elb';
import { CENTRALIZED_LOG_GROUP_NAME_PATTERN } from '../facts/log-collection';
import { bundleFunction } from '../lambda/bundle';
import { LOG_COLLECTION_STACK_ID, logCollectionRegionStackId } from '../config/names';
import { landingZoneLogGroups } from '../config/rules';
import { AlbLogTable } from '../modules/collection/alb-log-table';
import { CentralizedLogRetention } from '../modules/collection/centralized-log-retention';
import { ElbLoggingRule } from '../modules/collection/elb-logging-rule';
import { InsightsQueries } from '../modules/collection/insights-queries';
import { LoadBalancerLogBuckets } from '../modules/collection/load-balancer-log-buckets';
import { LogCentralizationRule } from '../modules/collection/log-centralization-rule';
import { LogDeliveryPipeline } from '../modules/collection/log-delivery-pipeline';
import { OrganizationEventDataStore } from '../modules/collection/organization-event-data-store';
import { policyDocument } from '../modules/core/policy-document';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';

function allAccountIds(context: LandingZoneContext): string[] {
  const { accounts } = context.config;
  return [accounts.management, accounts.logArchive, accounts.audit, ...accounts.members].map((a) => a.id);
}

export class LogCollectionStack extends LandingZoneStack {
  readonly pipeline?: LogDeliveryPipeline;
  readonly centralization?: LogCentralizationRule;
  readonly centralizedRetention?: CentralizedLogRetention;
  readonly insights?: InsightsQueries;
  readonly eventDataStore?: OrganizationEventDataStore;
  readonly albTable?: AlbLogTable;

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, LOG_COLLECTION_STACK_ID, context);
    const { config, names } = context;
    const { homeRegion, accounts } = config;
    const { loadBalancerLogs, cloudWatchLogs, insightsQueries, cloudTrailLake } = config.logCollection;

    if (cloudWatchLogs.enabled) {
      this.pipeline = new LogDeliveryPipeline(this, 'cloudwatch-logs', {
        provider: this.provider('logArchive'),
        accountId: accounts.logArchive.id,
        region: homeRegion,
        keyAlias: names.logCollectionKeyAlias,
        stagingBucketName: names.logStagingBucket,
        stagingRetentionDays: cloudWatchLogs.stagingRetentionDays,
        streamName: names.logDeliveryStreamName,
        streamLogGroupName: names.logDeliveryLogGroup,
        streamLogRetentionDays: cloudWatchLogs.pipelineLogRetentionDays,
        // the findings log group is the log-archive stack's, which this stack follows (outputOf)
        masking: this.logMasking(names.maskingFindingsLogGroup),
        deliveryRoleName: names.logDeliveryRoleName,
        subscriptionRoleName: names.logsToFirehoseRoleName,
        replicationRoleName: names.logStagingReplicationRoleName,
        subscriptionPolicyName: names.logSubscriptionPolicyName,
        buffering: cloudWatchLogs.buffering,
        prefix: names.collectedLogsPrefix,
        archive: { bucketArn: names.archiveBucketArn, kmsKeyArn: this.outputOf(logArchive.archiveKeyArn) },
        excludedLogGroups: landingZoneLogGroups(config),
        preventDestroy: context.preventDestroy,
        forceDestroy: !context.preventDestroy,
      });
      this.centralization = new LogCentralizationRule(this, 'centralization', {
        provider: this.provider('management'),
        stackName: names.logCentralizationStackName,
        ruleName: names.logCentralizationRuleName,
        organizationId: config.organization.id,
        sourceRegions: config.governedRegions,
        logGroupPrefixes: cloudWatchLogs.logGroupPrefixes,
        excludedLogGroups: landingZoneLogGroups(config),
        includeEncryptedLogGroups: cloudWatchLogs.includeEncryptedLogGroups,
        destination: { accountId: accounts.logArchive.id, region: homeRegion, kmsKeyArn: this.pipeline.key.key.arn, logGroupNamePattern: CENTRALIZED_LOG_GROUP_NAME_PATTERN },
      });
      const n = names.centralizedLogRetention;
      this.centralizedRetention = new CentralizedLogRetention(this, 'centralized-log-retention', {
        masking: this.logMasking(names.maskingFindingsLogGroup),
        provider: this.provider('logArchive'),
        accountId: accounts.logArchive.id,
        region: homeRegion,
        codeZip: bundleFunction('centralized-log-retention'),
        logGroupNamePrefix: n.logGroupPrefix,
        retentionDays: cloudWatchLogs.centralizedRetentionDays,
        holds: ['cloudwatch-logs'],
        copiesKmsKeyArn: this.pipeline.key.key.arn,
        copiesMadeBy: `the organization's centralization rule ${names.logCentralizationRuleName}`,
        functionName: n.functionName,
        logGroupName: n.logGroup,
        logGroupArn: n.logGroupArn,
        logRetentionDays: cloudWatchLogs.pipelineLogRetentionDays,
        keyAlias: n.keyAlias,
        schedulerRoleName: n.schedulerRoleName,
        scheduleName: n.scheduleName,
      });
    }

    if (insightsQueries.enabled) {
      this.insights = new InsightsQueries(this, 'insights-queries', {
        provider: this.provider('management'),
        logGroupName: names.trailLogGroup,
        folder: names.insightsQueryFolder,
      });
    }

    if (cloudTrailLake.enabled) {
      this.eventDataStore = new OrganizationEventDataStore(this, 'cloudtrail-lake', {
        provider: this.provider('management'),
        accountId: accounts.management.id,
        region: homeRegion,
        name: names.eventDataStoreName,
        keyAlias: names.eventDataStoreKeyAlias,
        retentionDays: cloudTrailLake.retentionDays,
        billingMode: cloudTrailLake.billingMode,
        s3DataEvents: config.trail.s3DataEvents,
        excludedBucketPrefixes: names.untrailedBucketPrefixes,
        preventDestroy: context.preventDestroy,
        archiveBucketName: names.archiveBucket,
      });
    }

    if (loadBalancerLogs.enabled) {
      const audit = this.provider('audit');
      this.albTable = new AlbLogTable(this, 'alb-log-table', {
        provider: audit,
        catalogId: accounts.audit.id,
        databaseName: names.glueDatabase,
        tableName: names.albLogTable,
        bucketNameTemplate: names.albLogBucket('${region}'),
        locationBucketName: names.albLogBucket(homeRegion),
        accountIds: allAccountIds(context),
        regions: config.governedRegions,
        startDate: loadBalancerLogs.projectionStartDate,
      });
      const buckets = config.governedRegions.map((r) => `arn:aws:s3:::${names.albLogBucket(r)}`);
      new IamRolePolicy(this, 'query-role-reads-load-balancer-logs', {
        provider: audit,
        role: names.auditQueryRoleName,
        name: names.loadBalancerLogsQueryPolicyName,
        policy: policyDocument([
          {
            Sid: 'ReadTheLoadBalancerLogTable',
            Effect: 'Allow',
            Action: ['glue:GetTable', 'glue:GetTables', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition'],
            Resource: [
              `arn:aws:glue:${homeRegion}:${accounts.audit.id}:catalog`,
              `arn:aws:glue:${homeRegion}:${accounts.audit.id}:database/${names.glueDatabase}`,
              `arn:aws:glue:${homeRegion}:${accounts.audit.id}:table/${names.glueDatabase}/${names.albLogTable}`,
            ],
          },
          { Sid: 'ReadTheLoadBalancerLogs', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'], Resource: [...buckets, ...buckets.map((b) => `${b}/*`)] },
        ]),
      });
    }
  }
}

export class LogCollectionRegionStack extends LandingZoneStack {
  readonly buckets: LoadBalancerLogBuckets;
  readonly configRule?: ElbLoggingRule;

  constructor(scope: Construct, context: LandingZoneContext, region: string) {
    super(scope, logCollectionRegionStackId(region), context);
    const { config, names } = context;
    const lb = config.logCollection.loadBalancerLogs;
    const legacyAccount = lb.legacyElbAccountPrincipal ? LEGACY_ELB_ACCOUNTS[region] : undefined;
    this.buckets = new LoadBalancerLogBuckets(this, 'load-balancer-logs', {
      provider: this.provider('logArchive', region),
      accountId: config.accounts.logArchive.id,
      region,
      organizationId: config.organization.id,
      albBucketName: names.albLogBucket(region),
      nlbBucketName: names.nlbLogBucket(region),
      nlbKeyAlias: names.nlbLogKeyAlias,
      retentionDays: lb.retentionDays,
      transitions: lb.transitions,
      readerArns: [names.auditQueryRoleArn, ...config.archive.readers],
      legacyElbAccount: legacyAccount ? { accountId: legacyAccount, grantedAccountIds: allAccountIds(context) } : undefined,
      forceDestroy: !context.preventDestroy,
    });
    if (lb.configRule) {
      this.configRule = new ElbLoggingRule(this, 'elb-logging-rule', {
        provider: this.provider('management', region),
        ruleName: names.elbLoggingConfigRuleName,
        bucketNames: [names.albLogBucket(region)],
      });
    }
  }
}
