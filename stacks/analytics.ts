/** Audit account: Athena workgroups, the projected CloudTrail table and saved queries over the Organization trail, and the role that runs them. */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { GLOBAL_EVENTS_REGION } from '../facts/cloudtrail';
import { AthenaAnalytics } from '../modules/analytics/athena-analytics';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';

export class AnalyticsStack extends LandingZoneStack {
  readonly analytics: AthenaAnalytics;

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
      queryRoleTrustedArns: analytics.queryRoleTrustedArns,
    });
  }
}
