/**
 * The organization's resource-based delegation policy: read-only Organizations actions that the
 * management account delegates to member accounts ("Delegated administrator for AWS
 * Organizations"). There is one such policy per organization, so every statement goes into it.
 */
import { OrganizationsResourcePolicy } from '@cdktf/provider-aws/lib/organizations-resource-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { protect } from '../core/protection';

export interface OrganizationsDelegationProps {
  /** The management account. */
  readonly provider: AwsProvider;
  readonly statements: readonly PolicyStatement[];
  /** What stops working without the policy: plan review shows it when a plan would delete it. */
  readonly protectedBecause: string;
}

/** Lets one member account list the organization's accounts (ListAccounts, nothing else). */
export function listAccountsStatement(sid: string, accountId: string): PolicyStatement {
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'organizations:ListAccounts', Resource: '*' };
}

export class OrganizationsDelegation extends Construct {
  readonly policy: OrganizationsResourcePolicy;

  constructor(scope: Construct, id: string, props: OrganizationsDelegationProps) {
    super(scope, id);
    if (props.statements.length === 0) throw new Error('the delegation policy needs at least one statement');
    this.policy = new OrganizationsResourcePolicy(this, 'policy', { provider: props.provider, content: policyDocument(props.statements) });
    protect(this.policy, props.protectedBecause);
  }
}
