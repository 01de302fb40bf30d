/**
 * The CloudWatch dashboard a security team opens first: one heading per section and one widget per
 * panel, built from the panels the constructs that create the metrics hand over
 * (modules/core/dashboard-panel.ts). Metrics of other accounts are read through CloudWatch
 * cross-account observability (cross-account-metrics.ts): each metric names its account and region.
 */
import { Token } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { DashboardPanel, DashboardSection, MetricReference } from '../core/dashboard-panel';

export interface SecurityDashboardProps {
  /** The monitoring account in the dashboard's region. */
  readonly provider: AwsProvider;
  readonly dashboardName: string;
  /** Region the dashboard lives in; a metric elsewhere names its own. */
  readonly region: string;
  readonly sections: readonly DashboardSection[];
}

/** Grid of the dashboard body: 24 columns; two panels side by side under each heading. */
const COLUMNS = 24;
const PANEL = { width: 12, height: 6 };
const HEADING_HEIGHT = 2;

/** A metric in the body's array form: namespace, name, dimension pairs, then its options. */
function metricArray(m: MetricReference): unknown[] {
  return [
    m.namespace,
    m.metricName,
    ...Object.entries(m.dimensions ?? {}).flat(),
    { accountId: m.accountId, region: m.region, stat: m.statistic, period: m.periodSeconds, label: m.label },
  ];
}

function metricWidget(panel: DashboardPanel, region: string, x: number, y: number): Record<string, unknown> {
  if (panel.metrics.length === 0) throw new Error(`panel "${panel.title}" has no metrics`);
  return {
    type: 'metric',
    x,
    y,
    ...PANEL,
    properties: {
      title: panel.title,
      view: panel.view ?? 'timeSeries',
      stacked: panel.stacked ?? false,
      region,
      metrics: panel.metrics.map(metricArray),
      ...(panel.thresholds?.length ? { annotations: { horizontal: panel.thresholds.map((t) => ({ value: t.value, label: t.label })) } } : {}),
    },
  };
}

/** The dashboard body (CloudWatch "Dashboard Body Structure and Syntax"). */
export function dashboardBody(region: string, sections: readonly DashboardSection[]): { widgets: Record<string, unknown>[] } {
  const widgets: Record<string, unknown>[] = [];
  let y = 0;
  for (const section of sections) {
    widgets.push({ type: 'text', x: 0, y, width: COLUMNS, height: HEADING_HEIGHT, properties: { markdown: `## ${section.title}\n${section.description}` } });
    y += HEADING_HEIGHT;
    section.panels.forEach((panel, i) => {
      const column = i % (COLUMNS / PANEL.width);
      widgets.push(metricWidget(panel, region, column * PANEL.width, y));
      if (column === COLUMNS / PANEL.width - 1 || i === section.panels.length - 1) y += PANEL.height;
    });
  }
  return { widgets };
}

export class SecurityDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: SecurityDashboardProps) {
    super(scope, id);
    const body = JSON.stringify(dashboardBody(props.region, props.sections));
    // Panels carry names derived from config, never another resource's attribute: a token here
    // would tie the dashboard's stack to the stack that made the metric.
    if (Token.isUnresolved(body)) throw new Error(`a panel of dashboard ${props.dashboardName} names a metric by a resource attribute; name it by its props`);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: props.dashboardName,
      dashboardBody: body,
    });
  }
}
