/**
 * CloudWatch cross-account observability for the metrics the security dashboard reads from other
 * accounts: in the monitoring account, a sink whose policy lets accounts of the organization only
 * link, and only metrics; in each source account, a link to it that shares only the namespaces the
 * dashboard shows. Sinks and links are regional ("within a Region", CloudWatch User Guide): one
 * sink per region where such metrics live, and one link per source account there.
 */
import { OamLink } from '@cdktf/provider-aws/lib/oam-link';
import { OamSink } from '@cdktf/provider-aws/lib/oam-sink';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { MetricReference } from '../core/dashboard-panel';
import { policyDocument } from '../core/policy-document';

/** The only resource type the links share. */
export const SHARED_RESOURCE_TYPE = 'AWS::CloudWatch::Metric';

export interface MetricSource {
  readonly accountId: string;
  /** The source account in the sink's region. */
  readonly provider: AwsProvider;
}

export interface CrossAccountMetricsProps {
  /** The monitoring account in the sink's region. */
  readonly provider: AwsProvider;
  readonly monitoringAccountId: string;
  readonly region: string;
  readonly sinkName: string;
  readonly organizationId: string;
  /** Every metric shown; those of other accounts in this region decide the links and what they share. */
  readonly metrics: readonly MetricReference[];
  /** The providers of the accounts that may hold such metrics. */
  readonly sources: readonly MetricSource[];
}

/** The namespaces each other account must share in a region, sorted. */
export function sharedNamespaces(metrics: readonly MetricReference[], monitoringAccountId: string, region: string): Map<string, string[]> {
  const byAccount = new Map<string, Set<string>>();
  for (const m of metrics) {
    if (m.accountId === monitoringAccountId || m.region !== region) continue;
    byAccount.set(m.accountId, (byAccount.get(m.accountId) ?? new Set()).add(m.namespace));
  }
  return new Map([...byAccount].map(([account, namespaces]) => [account, [...namespaces].sort()]));
}

export class CrossAccountMetrics extends Construct {
  readonly sink: OamSink;
  readonly links: OamLink[] = [];

  constructor(scope: Construct, id: string, props: CrossAccountMetricsProps) {
    super(scope, id);
    const other = props.metrics.find((m) => m.accountId !== props.monitoringAccountId && m.region !== props.region);
    if (other) throw new Error(`metric ${other.namespace}/${other.metricName} of account ${other.accountId} is in ${other.region}; this sink is in ${props.region}: make a CrossAccountMetrics there`);
    this.sink = new OamSink(this, 'sink', { provider: props.provider, name: props.sinkName });
    const policy = new OamSinkPolicy(this, 'sink-policy', {
      provider: props.provider,
      sinkIdentifier: this.sink.arn,
      policy: policyDocument([
        {
          Sid: 'AccountsOfTheOrganizationLinkMetricsOnly',
          Effect: 'Allow',
          Principal: '*',
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': props.organizationId },
            'ForAllValues:StringEquals': { 'oam:ResourceTypes': [SHARED_RESOURCE_TYPE] },
          },
        },
      ]),
    });
    for (const [accountId, namespaces] of sharedNamespaces(props.metrics, props.monitoringAccountId, props.region)) {
      const source = props.sources.find((s) => s.accountId === accountId);
      if (!source) throw new Error(`metrics of account ${accountId} are shown, but no source provider for it was given`);
      this.links.push(
        new OamLink(this, `link-${accountId}`, {
          provider: source.provider,
          labelTemplate: '$AccountName',
          resourceTypes: [SHARED_RESOURCE_TYPE],
          sinkIdentifier: this.sink.arn,
          linkConfiguration: { metricConfiguration: { filter: `Namespace IN (${namespaces.map((n) => `'${n}'`).join(', ')})` } },
          dependsOn: [policy],
        }),
      );
    }
  }
}
