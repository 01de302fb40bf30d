/**
 * An organization aggregator: one view of every account's configuration and compliance in every
 * governed region, in the account registered as Config's delegated administrator (the Audit
 * account). Config reads the organization through a role that trusts it.
 */
import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { CONFIG_SERVICE_PRINCIPAL, ORGANIZATION_AGGREGATOR_MANAGED_POLICY } from '../../facts/aws-config';
import { policyDocument } from '../core/policy-document';
import { protect } from '../core/protection';

export interface OrganizationAggregatorProps {
  /** The delegated administrator, in the region that holds the aggregator. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly aggregatorName: string;
  readonly roleName: string;
  /** Regions whose data is aggregated. */
  readonly regions: readonly string[];
}

export class OrganizationAggregator extends Construct {
  readonly aggregator: ConfigConfigurationAggregator;

  constructor(scope: Construct, id: string, props: OrganizationAggregatorProps) {
    super(scope, id);
    const { provider } = props;
    const role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: 'AWS Config reads the organization for its organization aggregator',
      assumeRolePolicy: policyDocument([
        {
          Sid: 'ConfigAggregatesForThisAccount',
          Effect: 'Allow',
          Principal: { Service: CONFIG_SERVICE_PRINCIPAL },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } },
        },
      ]),
    });
    const readOrganization = new IamRolePolicyAttachment(this, 'read-organization', {
      provider,
      role: role.name,
      policyArn: ORGANIZATION_AGGREGATOR_MANAGED_POLICY,
    });
    this.aggregator = new ConfigConfigurationAggregator(this, 'aggregator', {
      provider,
      name: props.aggregatorName,
      organizationAggregationSource: { roleArn: role.arn, regions: [...props.regions], allRegions: false },
      dependsOn: [readOrganization],
    });
    protect(this.aggregator, "the organization aggregator is the auditor's one view of every account's configuration and compliance");
  }
}
