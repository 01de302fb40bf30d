/**
 * What a construct hands to the security dashboard: panels of the metrics it creates or causes,
 * each named where it lives (account, region) and read as the construct's own alarm reads it. The
 * construct that makes a metric filter, an alarm or a rule builds its panel from the same values,
 * so no metric or alarm name is written twice.
 */

export type MetricStatistic = 'Sum' | 'Average' | 'Maximum' | 'Minimum' | 'SampleCount';

/** Where a metric is published. */
export interface MetricLocation {
  readonly accountId: string;
  readonly region: string;
}

/** One CloudWatch metric as a dashboard widget names it. */
export interface MetricReference extends MetricLocation {
  readonly namespace: string;
  readonly metricName: string;
  /** @default none */
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic: MetricStatistic;
  readonly periodSeconds: number;
  /** The line's name in the legend. */
  readonly label: string;
}

/** A horizontal line over a panel's metrics, e.g. an alarm's threshold. */
export interface PanelThreshold {
  readonly value: number;
  readonly label: string;
}

export interface DashboardPanel {
  readonly title: string;
  readonly metrics: readonly MetricReference[];
  /** @default none */
  readonly thresholds?: readonly PanelThreshold[];
  /** `timeSeries` over the dashboard's period, or the latest value of each metric. @default 'timeSeries' */
  readonly view?: 'timeSeries' | 'singleValue';
  /** Stack the lines (counts that add up, like findings by severity). @default false */
  readonly stacked?: boolean;
}

/** A titled group of panels, rendered under one heading. */
export interface DashboardSection {
  readonly title: string;
  /** One line under the heading: what the section shows and where it comes from. */
  readonly description: string;
  readonly panels: readonly DashboardPanel[];
}
