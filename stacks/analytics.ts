/**
 * Audit account: Athena workgroups, the projected CloudTrail table and saved queries over the
 * Organization trail, the role that runs them, and the function that keeps the table's accounts
 * in step with the organization (fed by a forwarding rule of the management account in us-east-1).
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { GLOBAL_EVENTS_REGION } from '../facts/cloudtrail';
import { ORGANIZATIONS_EVENTS_REGION } from '../facts/organizations';
import { bundleAccountProjection } from '../lambda/account-projection/bundle';
import { AccountProjection } from '../modules/analytics/account-projection';
import { AthenaAnalytics } from '../modules/analytics/athena-analytics';
import { TrailQuickSight } from '../modules/analytics/quicksight';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';

export class AnalyticsStack extends LandingZoneStack {
  readonly analytics: AthenaAnalytics;
  readonly accountProjection?: AccountProjection;
  readonly quicksight?: TrailQuickSight;

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, STACK_IDS.analytics, context);
    const { config, names } = context;
    const { accounts, analytics } = config;
    this.analytics = new AthenaAnalytics(this, 'athena', {
      provider: this.provider('audit'),
      accountId: accounts.audit.id,
      region: config.homeRegion,
      resultsBucketName: names.athenaResultsBucket,
      resultsKeyAlias: names.athenaResultsKeyAlias,
      resultsExpirationDays: analytics.resultsExpirationDays,
      workgroups: analytics.workgroups,
      savedQueriesWorkgroup: analytics.savedQueriesWorkgroup,
      databaseName: names.glueDatabase,
      tableName: names.cloudTrailTable,
      trail: {
        bucketName: names.archiveBucket,
        organizationId: config.organization.id,
        accountIds: [accounts.management, accounts.logArchive, accounts.audit, ...accounts.members].map((a) => a.id),
        regions: [...new Set<string>([...config.governedRegions, GLOBAL_EVENTS_REGION])],
        startDate: analytics.projectionStartDate,
      },
      // The exact key ARN from the Log Archive's state: the narrowest grant, at the cost of
      // deploying log-archive first (which the archive bucket needs anyway).
      archiveKeyArn: this.outputOf(logArchive.archiveKeyArn),
      queryRoleName: names.auditQueryRoleName,
      forceDestroy: !context.preventDestroy,
      accountsMaintainedElsewhere: analytics.followNewAccounts,
      queryRoleTrustedArns: analytics.queryRoleTrustedArns,
    });
    if (analytics.followNewAccounts) {
      this.accountProjection = new AccountProjection(this, 'account-projection', {
        masking: this.logMasking(),
        provider: this.provider('audit'),
        managementEventsProvider: this.provider('management', ORGANIZATIONS_EVENTS_REGION),
        accountId: accounts.audit.id,
        region: config.homeRegion,
        managementAccountId: accounts.management.id,
        table: { catalogId: accounts.audit.id, databaseName: names.glueDatabase, tableName: names.cloudTrailTable },
        codeZip: bundleAccountProjection(),
        functionName: names.accountProjectionFunctionName,
        logGroupName: names.accountProjectionLogGroup,
        logGroupArn: names.accountProjectionLogGroupArn,
        logRetentionDays: config.notifier.logRetentionDays,
        keyAlias: names.accountProjectionKeyAlias,
        forwarderRoleName: names.accountProjectionForwarderRoleName,
      });
    }
    if (config.quicksight.enabled) {
      this.quicksight = new TrailQuickSight(this, 'quicksight', {
        provider: this.provider('audit'),
        accountId: accounts.audit.id,
        workgroup: analytics.savedQueriesWorkgroup,
        databaseName: names.glueDatabase,
        tableName: names.cloudTrailTable,
        lookbackDays: config.quicksight.lookbackDays,
        dataSourceId: names.quicksightDataSourceId,
        dataSetIdPrefix: names.quicksightDataSetIdPrefix,
        dashboardId: names.quicksightDashboardId,
        policyName: names.quicksightTrailPolicyName,
        readStatements: this.analytics.queryStatements([analytics.savedQueriesWorkgroup]),
        authors: config.quicksight.authors,
        readers: config.quicksight.readers,
      });
    }
  }
}
