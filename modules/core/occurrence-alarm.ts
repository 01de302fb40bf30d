/**
 * An alarm that notifies a topic as soon as a metric shows one occurrence or more in five minutes
 * (missing data is fine): the alarm of every "this must never happen" metric in the landing zone.
 */
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';

export interface OccurrenceAlarmProps {
  readonly provider: AwsProvider;
  readonly alarmName: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  /** How the period's data points combine: `Sum` of counts, `Maximum` of a gauge. */
  readonly statistic: 'Sum' | 'Maximum';
  /** @default none: the metric as published without dimensions */
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly topicArn: string;
  /** @default none */
  readonly dependsOn?: ITerraformDependable[];
}

/** How every occurrence alarm reads its metric: one occurrence in five minutes is an alarm. */
export const OCCURRENCE = { periodSeconds: 300, threshold: 1 } as const;

export function occurrenceAlarm(scope: Construct, id: string, props: OccurrenceAlarmProps): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    provider: props.provider,
    alarmName: props.alarmName,
    alarmDescription: props.description,
    namespace: props.namespace,
    metricName: props.metricName,
    statistic: props.statistic,
    dimensions: props.dimensions ? { ...props.dimensions } : undefined,
    period: OCCURRENCE.periodSeconds,
    evaluationPeriods: 1,
    threshold: OCCURRENCE.threshold,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    alarmActions: [props.topicArn],
    dependsOn: props.dependsOn,
  });
}
