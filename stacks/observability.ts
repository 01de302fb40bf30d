/**
 * Audit account, home region: the security dashboard of the organization, and the CloudWatch
 * cross-account observability that lets it read the management and Log Archive accounts'
 * metrics (a sink here, a link from each of them). Every panel comes from the construct that makes
 * its metric; the routed-findings rules that count findings by severity live here.
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { severityBandsFrom } from '../facts/guardduty';
import type { DashboardSection } from '../modules/core/dashboard-panel';
import { CrossAccountMetrics } from '../modules/analytics/cross-account-metrics';
import { SecurityDashboard } from '../modules/analytics/security-dashboard';
import { guarddutySeverityPattern, RoutedFindings } from '../modules/detection/routed-findings';
import type { AnalyticsStack } from './analytics';
import type { IntegrityStack } from './integrity';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';
import type { OrgTrailStack } from './org-trail';

/** The stacks whose constructs hand their panels to the dashboard. */
export interface ObservedStacks {
  readonly orgTrail: OrgTrailStack;
  readonly logArchive: LogArchiveStack;
  readonly analytics: AnalyticsStack;
  /** When the config keeps integrity on. */
  readonly integrity?: IntegrityStack;
}

export class ObservabilityStack extends LandingZoneStack {
  readonly dashboard: SecurityDashboard;
  readonly routedFindings: RoutedFindings;
  readonly metrics: CrossAccountMetrics;

  constructor(scope: Construct, context: LandingZoneContext, observed: ObservedStacks) {
    super(scope, STACK_IDS.observability, context);
    const { config, names } = context;
    const { accounts, homeRegion: region } = config;
    const audit = this.provider('audit');
    const at = (accountId: string) => ({ accountId, region });

    this.routedFindings = new RoutedFindings(this, 'routed-findings', {
      provider: audit,
      accountId: accounts.audit.id,
      region,
      ruleNamePrefix: names.routedFindingsRulePrefix,
      logGroupName: names.routedFindingsLogGroup,
      logGroupArn: names.routedFindingsLogGroupArn,
      logRetentionDays: config.notifier.logRetentionDays,
      masking: this.logMasking(),
      keyAlias: names.routedFindingsKeyAlias,
      sources: [
        {
          service: 'GuardDuty',
          bands: severityBandsFrom(config.notifications.guarddutyMinimumSeverity).map((band) => ({
            name: `guardduty-${band.label.toLowerCase()}`,
            label: `${band.label} (${band.from}-${band.below === undefined ? 10 : band.below - 0.1})`,
            eventPattern: guarddutySeverityPattern(band.from, band.below),
          })),
        },
      ],
    });

    const sections: DashboardSection[] = [
      {
        title: 'Alarms',
        description: 'The CIS metric filters and the landing zone\'s own on the Organization trail\'s log group (management account), read as their alarms read them.',
        panels: observed.orgTrail.alarmPanels(at(accounts.management.id)),
      },
      {
        title: 'Findings routed to people',
        description: `Findings of every account and region that reached the notification topic, by severity (GuardDuty ${config.notifications.guarddutyMinimumSeverity} or more).`,
        panels: this.routedFindings.panels(),
      },
      {
        title: 'Trail delivery',
        description: 'What the Organization trail delivers: to CloudWatch Logs (management account) and into the archive (Log Archive account).',
        panels: [
          observed.orgTrail.trail.deliveryPanel(at(accounts.management.id)),
          observed.logArchive.archive.incomingObjectsPanel(at(accounts.logArchive.id)),
        ],
      },
      {
        title: 'Log integrity',
        description: 'The daily verification of every digest chain of the Organization trail in the archive (Log Archive account).',
        panels: observed.integrity ? observed.integrity.verifier.panels(at(accounts.logArchive.id)) : [],
      },
      {
        title: 'Landing zone functions',
        description: 'The functions that keep the analytics in step with the organization.',
        panels: observed.analytics.accountProjection ? [observed.analytics.accountProjection.panel()] : [],
      },
    ].filter((s) => s.panels.length > 0);

    this.metrics = new CrossAccountMetrics(this, 'cross-account-metrics', {
      provider: audit,
      monitoringAccountId: accounts.audit.id,
      region,
      sinkName: names.metricsSinkName,
      organizationId: config.organization.id,
      metrics: sections.flatMap((s) => s.panels.flatMap((p) => p.metrics)),
      sources: [
        { accountId: accounts.management.id, provider: this.provider('management') },
        { accountId: accounts.logArchive.id, provider: this.provider('logArchive') },
      ],
    });
    this.dashboard = new SecurityDashboard(this, 'dashboard', { provider: audit, dashboardName: names.securityDashboardName, region, sections });
  }
}
