/**
 * An organization AWS Config managed rule, in one region, that flags every Application and Classic
 * Load Balancer of the organization whose access logs are off or go elsewhere than the region's
 * Log Archive bucket (ELB_LOGGING_ENABLED; it does not evaluate Network or Gateway Load Balancers).
 * Organization rules evaluate only where a configuration recorder runs: the compliance stack's
 * Config StackSet records every member account.
 */
import { ConfigOrganizationManagedRule } from '@cdktf/provider-aws/lib/config-organization-managed-rule';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';

export const ELB_LOGGING_RULE_IDENTIFIER = 'ELB_LOGGING_ENABLED';

export interface ElbLoggingRuleProps {
  readonly provider: AwsProvider;
  readonly ruleName: string;
  /** Buckets a load balancer may log to (the region's ALB log bucket). */
  readonly bucketNames: readonly string[];
  /** Accounts the rule does not evaluate. @default none */
  readonly excludedAccounts?: readonly string[];
}

export class ElbLoggingRule extends Construct {
  readonly rule: ConfigOrganizationManagedRule;

  constructor(scope: Construct, id: string, props: ElbLoggingRuleProps) {
    super(scope, id);
    this.rule = new ConfigOrganizationManagedRule(this, 'rule', {
      provider: props.provider,
      name: props.ruleName,
      ruleIdentifier: ELB_LOGGING_RULE_IDENTIFIER,
      description: 'Load balancers must deliver access logs to the Log Archive bucket of their region',
      inputParameters: JSON.stringify({ s3BucketNames: props.bucketNames.join(',') }),
      resourceTypesScope: ['AWS::ElasticLoadBalancing::LoadBalancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer'],
      excludedAccounts: props.excludedAccounts?.length ? [...props.excludedAccounts] : undefined,
    });
  }
}
