/**
 * Every derived name and ARN, in one place. Names are deterministic from config so that
 * cross-account policies can be written before the resources on the other side exist.
 */
import { CENTRALIZED_LOG_GROUP_PREFIX, firehoseErrorLogGroup, lambdaLogGroup } from '../facts/log-collection';
import { GITHUB_OIDC_HOST } from '../facts/github';
import { SECURITY_LAKE_BUCKET_PREFIX } from '../facts/security-lake';
import type { Config } from './schema';

/** Ids of the stacks every landing zone has; each stack's state is `ID/terraform.tfstate`. */
export const STACK_IDS = {
  bootstrap: 'bootstrap',
  organization: 'organization',
  logArchive: 'log-archive',
  orgTrail: 'org-trail',
  analytics: 'analytics',
  securityLake: 'security-lake',
  integrity: 'integrity',
  observability: 'observability',
  compliance: 'compliance',
} as const;

/** The log collection stacks (docs/log-collection.md): one in the home region, one per governed region for the load balancer logs. */
export const LOG_COLLECTION_STACK_ID = 'log-collection';
export function logCollectionRegionStackId(region: string): string {
  return `${LOG_COLLECTION_STACK_ID}-${region}`;
}

/** Whether the config asks for anything the home-region log collection stack holds. */
export function wantsLogCollection(config: Pick<Config, 'logCollection'>): boolean {
  const c = config.logCollection;
  return c.loadBalancerLogs.enabled || c.cloudWatchLogs.enabled || c.insightsQueries.enabled || c.cloudTrailLake.enabled;
}

/** Id of the stack of one governed region. */
export function guarddutyStackId(region: string): string {
  return `guardduty-${region}`;
}

export interface Names {
  /** The Terraform state bucket: state.bucket, or the name the bootstrap stack derives. */
  readonly stateBucket: string;
  readonly archiveBucket: string;
  readonly archiveBucketArn: string;
  readonly accessLogBucket: string;
  readonly athenaResultsBucket: string;
  readonly archiveKeyAlias: string;
  readonly trailName: string;
  readonly trailArn: string;
  readonly trailLogGroup: string;
  readonly trailLogGroupArn: string;
  readonly trailLogsKeyAlias: string;
  readonly stateKeyAlias: string;
  /** The alias as an ARN, for the S3 backend's `kms_key_id`: state is written with this key, not SSE-S3. */
  readonly stateKeyAliasArn: string;
  readonly trailCloudWatchRoleName: string;
  /** Role in the Audit account that Athena users assume to query the archive. */
  readonly auditQueryRoleName: string;
  readonly auditQueryRoleArn: string;
  readonly glueDatabase: string;
  readonly cloudTrailTable: string;
  readonly athenaResultsKeyAlias: string;
  /** Role S3 assumes to replicate Security Lake data into the rollup region (Security Lake requires the prefix). */
  readonly securityLakeReplicationRoleName: string;
  /** Lake Formation subscriber through which the Audit account queries Security Lake. */
  readonly securityLakeSubscriberName: string;
  readonly securityLakeSubscriberExternalId: string;
  /** Service control policies of the guardrails. */
  readonly auditLoggingGuardrailName: string;
  readonly securityServicesGuardrailName: string;
  readonly regionDenyGuardrailName: string;
  /** Where the guardrails are attached: guardrails.targets, or else the organization root. */
  readonly guardrailTargets: readonly string[];
  /** Prefix Security Lake gives its buckets (aws-security-data-lake-REGION-...); not configurable. */
  readonly securityLakeBucketPrefix: string;
  /**
   * Buckets whose S3 data events the trail and the CloudTrail Lake store never record: the landing
   * zone's own pipeline, whose writes are the trail's, Config's and S3's, not anyone's activity.
   */
  readonly untrailedBucketPrefixes: readonly string[];
  /** Key prefix under which GuardDuty exports the organization's findings into the archive bucket (its default layout). */
  readonly guarddutyFindingsPrefix: string;
  /** The Audit account's GuardDuty detectors in every governed region; detector ids are random, hence the wildcard. */
  readonly guarddutyAuditDetectorArns: readonly string[];
  /** The one topic, in the Audit account's home region, that notifies GuardDuty findings. */
  readonly guarddutyFindingsTopicName: string;
  readonly guarddutyFindingsKeyAlias: string;
  /** The findings rule has this name in every governed region. */
  readonly guarddutyFindingsRuleName: string;
  readonly guarddutyFindingsRuleArn: (region: string) => string;
  /** The role the landing zone deploys with, in each of its accounts (management, Log Archive, Audit). */
  readonly deploymentRoleArn: (accountId: string) => string;
  /** The deployment role in any account: the one principal the guardrails exempt. */
  readonly deploymentRoleArnPattern: string;
  /** The read-only role pull-request plans assume, in each of the landing zone's accounts. */
  readonly planRoleArn: (accountId: string) => string;
  readonly planRoleArnPattern: string;
  /** The break-glass role (MFA), the only principal that may touch the life of the evidence keys. */
  readonly breakGlassRoleArn: (accountId: string) => string;
  readonly breakGlassRoleArnPattern: string;
  /** The role AWS Organizations put in each member account; the bootstrap stack's first run uses it. */
  readonly organizationAccessRoleArn: (accountId: string) => string;
  /** GitHub's OIDC provider in the management account, and the roles the workflow's jobs assume through it. */
  readonly githubOidcProviderArn: string;
  readonly githubApplyRoleName: string;
  readonly githubApplyRoleArn: string;
  readonly githubPlanRoleName: string;
  readonly githubPlanRoleArn: string;
  /** Who may read and decrypt the archive: the Athena query role (when anyone may assume it) and archive.readers. */
  readonly archiveReaderArns: readonly string[];
  /** Days the access-log bucket keeps logs: archive.accessLogRetentionDays, else as long as the evidence (undefined: forever). */
  readonly accessLogRetentionDays: number | undefined;
  /** The Audit account's default event bus in the home region, where every region's findings meet. */
  readonly guarddutyFindingsEventBusArn: string;
  /** Role EventBridge assumes to forward a region's findings to the home region. */
  readonly guarddutyForwarderRoleName: (region: string) => string;
  readonly alarmTopicName: string;
  readonly alarmTopicKeyAlias: string;
  /** The notifier's own topic: activity notices go apart from the CIS alarms. */
  readonly activityTopicName: string;
  readonly activityTopicKeyAlias: string;
  /** Every alarm of the landing zone starts with it; the alarm topic accepts only these. */
  readonly alarmNamePrefix: string;
  /** CloudWatch namespace of the CIS metrics. */
  readonly cisMetricNamespace: string;
  /** Alarm on GuardDuty suppression rules and trusted IP lists, and the namespace of its metric. */
  readonly guarddutySilencedAlarmName: string;
  readonly landingZoneMetricNamespace: string;
  readonly notifierFunctionName: string;
  readonly notifierLogGroup: string;
  readonly notifierLogGroupArn: string;
  readonly notifierKeyAlias: string;
  readonly notifierRoleName: string;
  readonly notifierDeadLetterQueue: string;
  /** Log Archive bucket, in each region, that ALB and CLB access logs go to (SSE-S3: all they accept). */
  readonly albLogBucket: (region: string) => string;
  /** Log Archive bucket, in each region, that NLB access logs go to (SSE-KMS). */
  readonly nlbLogBucket: (region: string) => string;
  readonly nlbLogKeyAlias: string;
  /** Glue table over every region's ALB log bucket, in the analytics database. */
  readonly albLogTable: string;
  /** Inline policy of the Athena query role that reads the load balancer logs. */
  readonly loadBalancerLogsQueryPolicyName: string;
  readonly elbLoggingConfigRuleName: string;
  /** The CloudWatch Logs pipeline in the Log Archive's home region. */
  readonly logCollectionKeyAlias: string;
  readonly logStagingBucket: string;
  readonly logDeliveryStreamName: string;
  /** The pipeline's own log group (Firehose delivery errors): never collected. */
  readonly logDeliveryLogGroup: string;
  readonly logDeliveryRoleName: string;
  readonly logsToFirehoseRoleName: string;
  readonly logStagingReplicationRoleName: string;
  readonly logSubscriptionPolicyName: string;
  readonly logCentralizationRuleName: string;
  readonly logCentralizationStackName: string;
  /** Key prefix of the collected CloudWatch Logs, in the staging bucket and in the archive. */
  readonly collectedLogsPrefix: string;
  /**
   * The centralized copies in the Log Archive's home region (named by the centralization rule) and
   * the scheduled function that sets their retention.
   */
  readonly centralizedLogRetention: {
    /** Every copy's name starts with it (facts/log-collection.ts). */
    readonly logGroupPrefix: string;
    /** Every copy, for IAM: `arn:aws:logs:HOME:LOG_ARCHIVE:log-group:PREFIX*`. */
    readonly logGroupsArn: string;
    readonly functionName: string;
    readonly logGroup: string;
    readonly logGroupArn: string;
    readonly keyAlias: string;
    readonly schedulerRoleName: string;
    readonly scheduleName: string;
  };
  /** Folder of the Logs Insights queries over the trail. */
  readonly insightsQueryFolder: string;
  readonly eventDataStoreName: string;
  readonly eventDataStoreArn: string;
  readonly eventDataStoreKeyAlias: string;
  /** The data protection policies of the log groups: their name (a dimension of the findings metrics), and the account-level policy's. */
  readonly maskingPolicyName: string;
  /** The log group, in the management and Log Archive accounts' home region, that receives the data protection audit findings. */
  readonly maskingFindingsLogGroup: string;
  readonly maskingFindingsLogGroupArn: (accountId: string) => string;
  readonly maskingFindingsKeyAlias: string;
  /** The scheduled digest-chain verification, in the Log Archive account (protected by plan review by these names). */
  readonly logIntegrity: {
    readonly plannerFunctionName: string;
    readonly verifierFunctionName: string;
    readonly schedulerRoleName: string;
    readonly scheduleName: string;
    readonly logGroup: string;
    readonly logGroupArn: string;
    readonly keyAlias: string;
    readonly queueName: string;
    readonly deadLetterQueueName: string;
    readonly topicName: string;
    readonly topicKeyAlias: string;
    /** Every integrity alarm starts with it; within the landing zone's alarm prefix. */
    readonly alarmNamePrefix: string;
    readonly metricNamespace: string;
  };
  /** Function in the Audit account that adds the organization's new accounts to the trail table; also its role, bus and rules. */
  readonly accountProjectionFunctionName: string;
  readonly accountProjectionLogGroup: string;
  readonly accountProjectionLogGroupArn: string;
  readonly accountProjectionKeyAlias: string;
  /** Role in the management account that forwards Organizations' events to the function's bus. */
  readonly accountProjectionForwarderRoleName: string;
  /** The security dashboard in the Audit account. */
  readonly securityDashboardName: string;
  /** Sink of CloudWatch cross-account observability in the Audit account, one per region that needs it. */
  readonly metricsSinkName: string;
  /** Rules that count routed findings by severity are named this prefix and the band. */
  readonly routedFindingsRulePrefix: string;
  readonly routedFindingsLogGroup: string;
  readonly routedFindingsLogGroupArn: string;
  readonly routedFindingsKeyAlias: string;
  /** Id of the archive's S3 request metrics over the Organization trail's prefix. */
  readonly archiveTrailRequestMetrics: string;
  /** QuickSight over the trail: ids of the data source, data sets (prefix) and dashboard, and the managed policy its users are assigned. */
  readonly quicksightDataSourceId: string;
  readonly quicksightDataSetIdPrefix: string;
  readonly quicksightDashboardId: string;
  readonly quicksightTrailPolicyName: string;
  /** The role QuickSight reads Athena and S3 with, from its path and name in the Audit account (quicksight.serviceRole). */
  readonly quicksightServiceRoleArn: (roleName: string) => string;
  /** Security Lake subscriber with S3 access for the SIEM. */
  readonly securityLakeSiemSubscriberName: string;
  /** Topic in the Log Archive account announcing the Organization trail's new objects. */
  readonly trailObjectsTopicName: string;
  readonly trailObjectsKeyAlias: string;
  /** Unlocked bucket AWS Config delivers to (it cannot deliver into an Object Lock bucket); it replicates into the archive. */
  readonly configBucket: string;
  readonly configBucketArn: string;
  readonly configKeyAlias: string;
  /** Role S3 assumes to replicate the Config bucket into the archive. */
  readonly configReplicationRoleName: string;
  /**
   * Recorder, role and delivery channel are named per region: the StackSet deploys each region's
   * stack on its own and in no set order, so nothing in one region may wait for another.
   */
  readonly configRecorderName: (region: string) => string;
  readonly configRecorderRoleName: (region: string) => string;
  /** What every recorder role's name starts with (the region follows). */
  readonly configRecorderRoleNamePrefix: string;
  /** ARN pattern of every recorder role in every account (for the Config bucket and key policies). */
  readonly configRecorderRoleArnPattern: string;
  readonly configDeliveryChannelName: (region: string) => string;
  /** The region whose recorders record the global IAM resource types: awsConfig.globalResourceTypesRegion, or else the home region. */
  readonly configGlobalResourceTypesRegion: string;
  /** The StackSet (in the Audit account, as delegated administrator) that gives every member account its recorders. */
  readonly configStackSetName: string;
  /** Where the StackSet deploys: awsConfig.targets, or else the organization root. */
  readonly configTargets: readonly string[];
  readonly configAggregatorName: string;
  readonly configAggregatorRoleName: string;
  readonly securityHubPolicyName: string;
  /** Where the configuration policy is associated: securityHub.targets, or else the organization root. */
  readonly securityHubTargets: readonly string[];
  /** Security Hub findings (controls, IAM Access Analyzer, ...) reach people through this topic in the Audit account's home region. */
  readonly complianceFindingsTopicName: string;
  readonly complianceFindingsKeyAlias: string;
  readonly complianceFindingsRuleName: string;
  readonly complianceFindingsRuleArn: string;
  /** The organization analyzer of external access has this name in every governed region. */
  readonly accessAnalyzerName: string;
  readonly unusedAccessAnalyzerName: string;
  /** The third guardrail: Config, its StackSet, Security Hub and Access Analyzer. */
  readonly complianceGuardrailName: string;
  /** The resource control policy around the evidence, and the accounts it is attached to. */
  readonly dataPerimeterPolicyName: string;
  readonly dataPerimeterTargets: readonly string[];
}

/** The config sections names are derived from (the config rules check names on these alone). */
export const NAME_SECTIONS = ['prefix', 'homeRegion', 'accounts', 'organization', 'governedRegions', 'deployment', 'trail', 'guardrails', 'state', 'archive', 'analytics', 'awsConfig', 'securityHub'] as const;

export function namesFor(config: Pick<Config, (typeof NAME_SECTIONS)[number]>): Names {
  const { prefix, homeRegion, accounts } = config;
  const trailName = config.trail.name ?? `${prefix}-organization-trail`;
  const auditQueryRoleName = `${prefix}-audit-log-query`;
  const glueName = `${prefix.replace(/-/g, '_')}_audit_logs`;
  const guarddutyFindings = `${prefix}-guardduty-findings`;
  const notifierFunctionName = `${prefix}-activity-notifier`;
  const archiveBucket = `${prefix}-log-archive-${accounts.logArchive.id}-${homeRegion}`;
  const accessLogBucket = `${prefix}-access-logs-${accounts.logArchive.id}-${homeRegion}`;
  const logDeliveryStreamName = `${prefix}-collected-logs`;
  const eventDataStoreName = `${prefix}-organization-events`;
  const logIntegrity = `${prefix}-log-integrity`;
  const centralizedLogRetention = `${prefix}-collected-log-retention`;
  const stateKeyAlias = `alias/${prefix}-terraform-state`;
  const accountProjection = `${prefix}-account-projection`;
  const { rolePath } = config.deployment;
  const roleArn = (name: string) => (accountId: string) => `arn:aws:iam::${accountId}:role${rolePath}${name}`;
  const deploymentRoleArn = roleArn(config.deployment.roleName);
  const planRoleArn = roleArn(config.deployment.planRoleName);
  const breakGlassRoleArn = roleArn(config.deployment.breakGlass.roleName);
  const githubApplyRoleName = `${prefix}-github-apply`;
  const githubPlanRoleName = `${prefix}-github-plan`;
  const trusted = config.analytics.queryRoleTrustedArns.length > 0;
  const configBucket = `${prefix}-config-${accounts.logArchive.id}-${homeRegion}`;
  const complianceFindings = `${prefix}-compliance-findings`;
  const root = [config.organization.rootId];
  const configRecorder = `${prefix}-config-recorder-`;
  return {
    stateBucket: (config.state.backend === 's3' ? config.state.bucket : undefined) ?? `${prefix}-tfstate-${accounts.management.id}-${homeRegion}`,
    archiveBucket,
    archiveBucketArn: `arn:aws:s3:::${archiveBucket}`,
    accessLogBucket,
    athenaResultsBucket: `${prefix}-athena-results-${accounts.audit.id}-${homeRegion}`,
    archiveKeyAlias: `alias/${prefix}-log-archive`,
    trailName,
    trailArn: `arn:aws:cloudtrail:${homeRegion}:${accounts.management.id}:trail/${trailName}`,
    trailLogGroup: `/aws/cloudtrail/${trailName}`,
    trailLogGroupArn: `arn:aws:logs:${homeRegion}:${accounts.management.id}:log-group:/aws/cloudtrail/${trailName}`,
    trailLogsKeyAlias: `alias/${prefix}-trail-logs`,
    stateKeyAlias,
    stateKeyAliasArn: `arn:aws:kms:${homeRegion}:${accounts.management.id}:${stateKeyAlias}`,
    trailCloudWatchRoleName: `${prefix}-cloudtrail-to-cloudwatch`,
    auditQueryRoleName,
    auditQueryRoleArn: `arn:aws:iam::${accounts.audit.id}:role/${auditQueryRoleName}`,
    glueDatabase: glueName,
    cloudTrailTable: 'cloudtrail',
    athenaResultsKeyAlias: `alias/${prefix}-athena-results`,
    securityLakeReplicationRoleName: `SecurityLake-${prefix}-s3-replication`,
    securityLakeSubscriberName: `${prefix}-audit-query`,
    securityLakeSubscriberExternalId: `${prefix}-audit-${accounts.audit.id}`,
    auditLoggingGuardrailName: `${prefix}-protect-audit-logging`,
    securityServicesGuardrailName: `${prefix}-protect-security-services`,
    regionDenyGuardrailName: `${prefix}-deny-ungoverned-regions`,
    guardrailTargets: config.guardrails.targets ?? root,
    securityLakeBucketPrefix: SECURITY_LAKE_BUCKET_PREFIX,
    untrailedBucketPrefixes: [`${archiveBucket}/`, `${accessLogBucket}/`, `${configBucket}/`, SECURITY_LAKE_BUCKET_PREFIX],
    guarddutyFindingsPrefix: `AWSLogs/${accounts.audit.id}/GuardDuty`,
    guarddutyAuditDetectorArns: config.governedRegions.map((r) => `arn:aws:guardduty:${r}:${accounts.audit.id}:detector/*`),
    guarddutyFindingsTopicName: guarddutyFindings,
    guarddutyFindingsKeyAlias: `alias/${prefix}-guardduty-findings`,
    guarddutyFindingsRuleName: guarddutyFindings,
    deploymentRoleArn,
    deploymentRoleArnPattern: deploymentRoleArn('*'),
    planRoleArn,
    planRoleArnPattern: planRoleArn('*'),
    breakGlassRoleArn,
    breakGlassRoleArnPattern: breakGlassRoleArn('*'),
    organizationAccessRoleArn: (accountId) => `arn:aws:iam::${accountId}:role/${config.deployment.organizationAccessRoleName}`,
    githubOidcProviderArn: `arn:aws:iam::${accounts.management.id}:oidc-provider/${GITHUB_OIDC_HOST}`,
    githubApplyRoleName,
    githubApplyRoleArn: roleArn(githubApplyRoleName)(accounts.management.id),
    githubPlanRoleName,
    githubPlanRoleArn: roleArn(githubPlanRoleName)(accounts.management.id),
    archiveReaderArns: [...(trusted ? [`arn:aws:iam::${accounts.audit.id}:role/${auditQueryRoleName}`] : []), ...config.archive.readers],
    accessLogRetentionDays: config.archive.accessLogRetentionDays ?? config.archive.expirationDays,
    guarddutyFindingsRuleArn: (region) => `arn:aws:events:${region}:${accounts.audit.id}:rule/${guarddutyFindings}`,
    guarddutyFindingsEventBusArn: `arn:aws:events:${homeRegion}:${accounts.audit.id}:event-bus/default`,
    guarddutyForwarderRoleName: (region) => `${prefix}-guardduty-forward-${region}`,
    alarmTopicName: `${prefix}-security-alarms`,
    alarmTopicKeyAlias: `alias/${prefix}-security-alarms`,
    activityTopicName: `${prefix}-activity-notices`,
    activityTopicKeyAlias: `alias/${prefix}-activity-notices`,
    alarmNamePrefix: `${prefix}-`,
    cisMetricNamespace: 'CISBenchmark',
    guarddutySilencedAlarmName: `${prefix}-guardduty-findings-silenced`,
    landingZoneMetricNamespace: 'AuditLandingZone',
    notifierFunctionName,
    notifierLogGroup: `/aws/lambda/${notifierFunctionName}`,
    notifierLogGroupArn: `arn:aws:logs:${homeRegion}:${accounts.management.id}:log-group:/aws/lambda/${notifierFunctionName}`,
    notifierKeyAlias: `alias/${prefix}-activity-notifier`,
    notifierRoleName: notifierFunctionName,
    notifierDeadLetterQueue: `${notifierFunctionName}-failed`,
    albLogBucket: (region) => `${prefix}-alb-logs-${accounts.logArchive.id}-${region}`,
    nlbLogBucket: (region) => `${prefix}-nlb-logs-${accounts.logArchive.id}-${region}`,
    nlbLogKeyAlias: `alias/${prefix}-nlb-logs`,
    albLogTable: 'alb_access_logs',
    loadBalancerLogsQueryPolicyName: 'read-load-balancer-logs',
    elbLoggingConfigRuleName: `${prefix}-elb-logging-enabled`,
    logCollectionKeyAlias: `alias/${prefix}-log-collection`,
    logStagingBucket: `${prefix}-log-staging-${accounts.logArchive.id}-${homeRegion}`,
    logDeliveryStreamName,
    logDeliveryLogGroup: firehoseErrorLogGroup(logDeliveryStreamName),
    logDeliveryRoleName: `${prefix}-collected-logs-delivery`,
    logsToFirehoseRoleName: `${prefix}-logs-to-firehose`,
    logStagingReplicationRoleName: `${prefix}-log-staging-replication`,
    logSubscriptionPolicyName: `${prefix}-collect-centralized-logs`,
    logCentralizationRuleName: `${prefix}-collect-log-groups`,
    logCentralizationStackName: `${prefix}-log-centralization`,
    collectedLogsPrefix: 'cloudwatch-logs/',
    centralizedLogRetention: {
      logGroupPrefix: CENTRALIZED_LOG_GROUP_PREFIX,
      logGroupsArn: `arn:aws:logs:${homeRegion}:${accounts.logArchive.id}:log-group:${CENTRALIZED_LOG_GROUP_PREFIX}*`,
      functionName: centralizedLogRetention,
      logGroup: lambdaLogGroup(centralizedLogRetention),
      logGroupArn: `arn:aws:logs:${homeRegion}:${accounts.logArchive.id}:log-group:${lambdaLogGroup(centralizedLogRetention)}`,
      keyAlias: `alias/${centralizedLogRetention}`,
      schedulerRoleName: `${centralizedLogRetention}-schedule`,
      scheduleName: `${centralizedLogRetention}-hourly`,
    },
    maskingPolicyName: `${prefix}-masking`,
    maskingFindingsLogGroup: `/aws/vendedlogs/${prefix}-data-protection-findings`,
    maskingFindingsLogGroupArn: (accountId) => `arn:aws:logs:${homeRegion}:${accountId}:log-group:/aws/vendedlogs/${prefix}-data-protection-findings`,
    maskingFindingsKeyAlias: `alias/${prefix}-data-protection-findings`,
    insightsQueryFolder: `${prefix}-investigations`,
    eventDataStoreName,
    eventDataStoreArn: `arn:aws:cloudtrail:${homeRegion}:${accounts.management.id}:eventdatastore/*`,
    eventDataStoreKeyAlias: `alias/${prefix}-cloudtrail-lake`,
    logIntegrity: {
      plannerFunctionName: `${logIntegrity}-plan`,
      verifierFunctionName: `${logIntegrity}-verify`,
      schedulerRoleName: `${logIntegrity}-schedule`,
      scheduleName: `${logIntegrity}-daily`,
      logGroup: `/aws/lambda/${logIntegrity}`,
      logGroupArn: `arn:aws:logs:${homeRegion}:${accounts.logArchive.id}:log-group:/aws/lambda/${logIntegrity}`,
      keyAlias: `alias/${logIntegrity}`,
      queueName: `${logIntegrity}-work`,
      deadLetterQueueName: `${logIntegrity}-failed`,
      topicName: `${logIntegrity}-alarms`,
      topicKeyAlias: `alias/${logIntegrity}-alarms`,
      alarmNamePrefix: `${logIntegrity}-`,
      metricNamespace: 'LogIntegrity',
    },
    accountProjectionFunctionName: accountProjection,
    accountProjectionLogGroup: `/aws/lambda/${accountProjection}`,
    accountProjectionLogGroupArn: `arn:aws:logs:${homeRegion}:${accounts.audit.id}:log-group:/aws/lambda/${accountProjection}`,
    accountProjectionKeyAlias: `alias/${accountProjection}`,
    accountProjectionForwarderRoleName: `${accountProjection}-forward`,
    securityDashboardName: `${prefix}-security`,
    metricsSinkName: `${prefix}-security-metrics`,
    routedFindingsRulePrefix: `${prefix}-routed-`,
    routedFindingsLogGroup: `/aws/events/${prefix}-routed-findings`,
    routedFindingsLogGroupArn: `arn:aws:logs:${homeRegion}:${accounts.audit.id}:log-group:/aws/events/${prefix}-routed-findings`,
    routedFindingsKeyAlias: `alias/${prefix}-routed-findings`,
    archiveTrailRequestMetrics: 'organization-trail',
    quicksightDataSourceId: `${prefix}-trail`,
    quicksightDataSetIdPrefix: `${prefix}-trail-`,
    quicksightDashboardId: `${prefix}-trail-activity`,
    quicksightTrailPolicyName: `${prefix}-quicksight-trail-access`,
    quicksightServiceRoleArn: (roleName) => `arn:aws:iam::${accounts.audit.id}:role/${roleName}`,
    securityLakeSiemSubscriberName: `${prefix}-siem`,
    trailObjectsTopicName: `${prefix}-trail-objects`,
    trailObjectsKeyAlias: `alias/${prefix}-trail-objects`,
    configBucket,
    configBucketArn: `arn:aws:s3:::${configBucket}`,
    configKeyAlias: `alias/${prefix}-config-delivery`,
    configReplicationRoleName: `${prefix}-config-replication`,
    configRecorderName: (region) => `${configRecorder}${region}`,
    configRecorderRoleName: (region) => `${configRecorder}${region}`,
    configRecorderRoleNamePrefix: configRecorder,
    configRecorderRoleArnPattern: `arn:aws:iam::*:role/${configRecorder}*`,
    configDeliveryChannelName: (region) => `${prefix}-config-delivery-${region}`,
    configGlobalResourceTypesRegion: config.awsConfig.globalResourceTypesRegion ?? homeRegion,
    configStackSetName: `${prefix}-config-recorder`,
    configTargets: config.awsConfig.targets ?? root,
    configAggregatorName: `${prefix}-organization`,
    configAggregatorRoleName: `${prefix}-config-aggregator`,
    securityHubPolicyName: `${prefix}-baseline`,
    securityHubTargets: config.securityHub.targets ?? root,
    complianceFindingsTopicName: complianceFindings,
    complianceFindingsKeyAlias: `alias/${complianceFindings}`,
    complianceFindingsRuleName: complianceFindings,
    complianceFindingsRuleArn: `arn:aws:events:${homeRegion}:${accounts.audit.id}:rule/${complianceFindings}`,
    accessAnalyzerName: `${prefix}-organization`,
    unusedAccessAnalyzerName: `${prefix}-organization-unused-access`,
    complianceGuardrailName: `${prefix}-protect-compliance`,
    dataPerimeterPolicyName: `${prefix}-data-perimeter`,
    dataPerimeterTargets: [accounts.logArchive.id, accounts.audit.id],
  };
}
