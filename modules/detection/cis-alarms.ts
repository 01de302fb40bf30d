/**
 * CIS AWS Foundations metric filters and alarms on the Organization trail's log group: one
 * metric filter, one metric and one alarm per control, every alarm notifying one SNS topic.
 */
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { CIS_FILTERS, type CisControl } from '../../facts/cis';
import { occurrenceAlarm } from '../core/occurrence-alarm';

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

export class CisAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: CisAlarmsProps) {
    super(scope, id);
    const { provider } = props;
    for (const control of props.controls) {
      const filter = CIS_FILTERS[control];
      const name = `${props.alarmNamePrefix}cis-${control}`;
      const metricFilter = new CloudwatchLogMetricFilter(this, `${control}-filter`, {
        provider,
        name,
        logGroupName: props.logGroupName,
        pattern: filter.pattern,
        metricTransformation: { name: filter.metricName, namespace: props.metricNamespace, value: '1' },
      });
      this.alarms.push(
        occurrenceAlarm(this, `${control}-alarm`, {
          provider,
          alarmName: name,
          description: `${filter.control}: ${filter.description} in any account of the organization (metric filter ${name} on ${props.logGroupName})`,
          namespace: props.metricNamespace,
          metricName: filter.metricName,
          statistic: 'Sum',
          topicArn: props.topicArn,
          dependsOn: [metricFilter],
        }),
      );
    }
  }
}
