/**
 * CIS AWS Foundations metric filters and alarms on the Organization trail's log group: one
 * metric filter, one metric and one alarm per control, every alarm notifying one SNS topic.
 * `logMetricAlarm` is one such filter and alarm, for the landing zone's own alarms too.
 */
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { CIS_FILTERS, type CisControl, type CisFilter } from '../../facts/cis';
import type { DashboardPanel, MetricLocation, MetricReference } from '../core/dashboard-panel';
import { OCCURRENCE, occurrenceAlarm } from '../core/occurrence-alarm';
import { protect } from '../core/protection';

export interface CisAlarmsProps {
  readonly provider: AwsProvider;
  /** Log group the Organization trail delivers to. */
  readonly logGroupName: string;
  readonly controls: readonly CisControl[];
  /** Topic every alarm notifies. */
  readonly topicArn: string;
  /** Alarm and filter names are this prefix followed by `cis-` and the control id. */
  readonly alarmNamePrefix: string;
  readonly metricNamespace: string;
}

export interface LogMetricAlarmProps {
  readonly provider: AwsProvider;
  readonly logGroupName: string;
  /** Name of the metric filter and of the alarm. */
  readonly name: string;
  readonly filter: CisFilter;
  readonly metricNamespace: string;
  readonly topicArn: string;
}

/** A metric filter on the trail's log group and the alarm on its metric; both protected in plan review. */
export function logMetricAlarm(scope: Construct, id: string, props: LogMetricAlarmProps): CloudwatchMetricAlarm {
  const { provider, filter, name } = props;
  const metricFilter = new CloudwatchLogMetricFilter(scope, `${id}-filter`, {
    provider,
    name,
    logGroupName: props.logGroupName,
    pattern: filter.pattern,
    metricTransformation: { name: filter.metricName, namespace: props.metricNamespace, value: '1' },
  });
  const alarm = occurrenceAlarm(scope, `${id}-alarm`, {
    provider,
    alarmName: name,
    description: `${filter.control}: ${filter.description} in any account of the organization (metric filter ${name} on ${props.logGroupName})`,
    namespace: props.metricNamespace,
    metricName: filter.metricName,
    statistic: 'Sum',
    topicArn: props.topicArn,
    dependsOn: [metricFilter],
  });
  const reason = `the ${filter.control} alarm (${filter.description.toLowerCase()}) watches every account, the management account included, which no SCP binds`;
  protect(metricFilter, reason);
  protect(alarm, reason);
  return alarm;
}

/** What a dashboard needs of a log metric alarm: its name, and the metric it reads. */
export type WatchedAlarm = Pick<LogMetricAlarmProps, 'name' | 'filter' | 'metricNamespace'>;

/**
 * Alarms' metrics, read as the alarms read them, with the alarms' threshold: an alarm is in ALARM
 * exactly when its line reaches the threshold. CloudWatch cross-account observability shares
 * metrics, not alarms, so the Audit account's dashboard shows the alarms' state this way.
 */
export function logMetricAlarmPanels(title: string, alarms: readonly WatchedAlarm[], location: MetricLocation): DashboardPanel[] {
  const metrics: MetricReference[] = alarms.map((alarm) => ({
    ...location,
    namespace: alarm.metricNamespace,
    metricName: alarm.filter.metricName,
    statistic: 'Sum',
    periodSeconds: OCCURRENCE.periodSeconds,
    label: alarm.name,
  }));
  const threshold = [{ value: OCCURRENCE.threshold, label: 'alarm' }];
  return [
    { title: `${title}: matching events per 5 minutes, now (1 or more is an alarm)`, metrics, thresholds: threshold, view: 'singleValue' },
    { title: `${title}: matching events per 5 minutes`, metrics, thresholds: threshold },
  ];
}

export class CisAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** Every alarm's name and metric, for the security dashboard. */
  readonly watched: WatchedAlarm[] = [];

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    for (const control of props.controls) {
      const watched = { name: `${props.alarmNamePrefix}cis-${control}`, filter: CIS_FILTERS[control], metricNamespace: props.metricNamespace };
      this.watched.push(watched);
      this.alarms.push(logMetricAlarm(this, control, { ...watched, provider: props.provider, logGroupName: props.logGroupName, topicArn: props.topicArn }));
    }
  }
}
