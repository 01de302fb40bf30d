/**
 * Findings routed to people, counted by severity for the security dashboard: on the home region's
 * default event bus of the administrator account, where the findings rule of every region sends
 * what it routes, one rule per severity band records each routed finding into one encrypted log
 * group (a searchable record of every finding that reached the notification path). Each band's
 * rule publishes its own EventBridge metrics, so the dashboard counts the bands without a metric
 * filter; every finding matches exactly one band.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { DashboardPanel } from '../core/dashboard-panel';
import { EncryptionKey, logGroupKeyStatement } from '../core/encryption-key';
import { type LogMasking, maskLogGroup } from '../core/data-protection';
import { declareLogStore } from '../core/log-store';
import { policyDocument } from '../core/policy-document';
import { protect } from '../core/protection';

/** One band: the findings of a service within a severity range. */
export interface FindingsBand {
  /** Suffix of the band's rule name, e.g. `guardduty-high`. */
  readonly name: string;
  /** Legend label, e.g. `High (7-8.9)`. */
  readonly label: string;
  readonly eventPattern: Record<string, unknown>;
}

/** The bands of one service, drawn as one stacked panel. */
export interface FindingsSource {
  readonly service: string;
  readonly bands: readonly FindingsBand[];
}

export interface RoutedFindingsProps {
  /** The administrator account in the home region, whose default bus receives every region's routed findings. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** Every band's rule is named this prefix followed by the band's name. */
  readonly ruleNamePrefix: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly logRetentionDays: number;
  /** The data protection policy of the log group. */
  readonly masking: LogMasking;
  readonly keyAlias: string;
  readonly sources: readonly FindingsSource[];
}

/** GuardDuty findings with a severity in [from, below). */
export function guarddutySeverityPattern(from: number, below?: number): Record<string, unknown> {
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: { severity: [{ numeric: below === undefined ? ['>=', from] : ['>=', from, '<', below] }] },
  };
}

export class RoutedFindings extends Construct {
  private readonly props: RoutedFindingsProps;

  constructor(scope: Construct, id: string, props: RoutedFindingsProps) {
    super(scope, id);
    this.props = props;
    const { provider, region, accountId } = props;
    const bands = props.sources.flatMap((s) => s.bands);
    if (bands.length === 0) throw new Error('RoutedFindings needs at least one band');
    const ruleArn = (band: FindingsBand) => `arn:aws:events:${region}:${accountId}:rule/${props.ruleNamePrefix}${band.name}`;

    const key = new EncryptionKey(this, 'key', {
      provider,
      accountId,
      alias: props.keyAlias,
      description: `Encrypts the log group ${props.logGroupName} of routed findings`,
      statements: [logGroupKeyStatement(region, props.logGroupArn)],
    });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: key.key.arn,
    });
    declareLogStore(logGroup, { holds: ['guardduty-findings'] });
    maskLogGroup(this, 'data-protection', { provider, logGroup, masking: props.masking });
    // EventBridge writes to a log group through the account's CloudWatch Logs resource policy.
    const logPolicy = new CloudwatchLogResourcePolicy(this, 'log-policy', {
      provider,
      policyName: props.logGroupName.replace(/^\/+/, '').replace(/\//g, '-'),
      policyDocument: policyDocument([
        {
          Sid: 'EventBridgeRecordsRoutedFindings',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${props.logGroupArn}:*`,
          Condition: { ArnEquals: { 'aws:SourceArn': bands.map(ruleArn) } },
        },
      ]),
    });
    for (const band of bands) {
      const rule = new CloudwatchEventRule(this, `rule-${band.name}`, {
        provider,
        name: `${props.ruleNamePrefix}${band.name}`,
        description: `Routed findings: ${band.name} (${band.label})`,
        eventPattern: JSON.stringify(band.eventPattern),
      });
      protect(rule, `it counts the routed ${band.label} findings for the security dashboard; without it the dashboard shows none`);
      new CloudwatchEventTarget(this, `target-${band.name}`, {
        provider,
        rule: rule.name,
        targetId: 'routed-findings-log',
        arn: logGroup.arn,
        dependsOn: [logPolicy],
      });
    }
  }

  /** One stacked panel per service: its routed findings per hour, by severity. */
  panels(): DashboardPanel[] {
    const { accountId, region, ruleNamePrefix } = this.props;
    return this.props.sources.map((source) => ({
      title: `${source.service} findings routed, by severity (per hour, whole organization)`,
      stacked: true,
      metrics: source.bands.map((band) => ({
        accountId,
        region,
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensions: { RuleName: `${ruleNamePrefix}${band.name}` },
        statistic: 'Sum' as const,
        periodSeconds: 3600,
        label: band.label,
      })),
    }));
  }
}
