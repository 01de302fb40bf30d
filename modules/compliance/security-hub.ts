/**
 * Security Hub CSPM for a whole organization, configured centrally: Security Hub in the
 * administrator account, its designation as delegated administrator, cross-Region aggregation into
 * the home region, the organization configuration CENTRAL, and one configuration policy (Security
 * Hub on, the standards, the disabled controls) associated with the root or OUs. Central
 * configuration applies the policy in every linked region and to accounts that join later, so
 * nothing here is per account or per region.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { Construct } from 'constructs';
import { protect } from '../core/protection';
import { GUARDDUTY_PRODUCT_NAME, labelsAtOrAbove, type SeverityLabel } from '../../facts/security-hub';

/**
 * The EventBridge pattern of new, active Security Hub findings at or above a severity label, of
 * every product but GuardDuty (whose findings have their own notification path). Passed checks are
 * INFORMATIONAL, so any threshold of LOW or more leaves them out.
 */
export function securityHubFindingPattern(minimumSeverity: SeverityLabel): Record<string, unknown> {
  return {
    source: ['aws.securityhub'],
    'detail-type': ['Security Hub Findings - Imported'],
    detail: {
      findings: {
        ProductName: [{ 'anything-but': GUARDDUTY_PRODUCT_NAME }],
        Severity: { Label: labelsAtOrAbove(minimumSeverity) },
        Workflow: { Status: ['NEW'] },
        RecordState: ['ACTIVE'],
      },
    },
  };
}

export interface DisabledControl {
  readonly id: string;
  /** Why it is off, for reviewers; Security Hub's central configuration keeps no reason. */
  readonly reason: string;
}

export interface SecurityHubOrganizationProps {
  /** The management account in the home region: only it designates the delegated administrator. */
  readonly managementProvider: AwsProvider;
  /** The delegated administrator (the Audit account) in the home region. */
  readonly administratorProvider: AwsProvider;
  readonly administratorAccountId: string;
  /** Regions whose findings are aggregated into the home region and that the policy configures. */
  readonly linkedRegions: readonly string[];
  readonly policyName: string;
  /** Standards ARNs the policy enables (as documented by AWS, in the home region's form). */
  readonly standardsArns: readonly string[];
  /** @default none: every control of the enabled standards, new ones included */
  readonly disabledControls?: readonly DisabledControl[];
  /** Root or OU ids the policy is associated with. */
  readonly targets: readonly string[];
}

export class SecurityHubOrganization extends Construct {
  readonly administratorHub: SecurityhubAccount;
  readonly designation: SecurityhubOrganizationAdminAccount;
  readonly findingAggregator: SecurityhubFindingAggregator;
  readonly organizationConfiguration: SecurityhubOrganizationConfiguration;
  readonly policy: SecurityhubConfigurationPolicy;
  readonly associations: SecurityhubConfigurationPolicyAssociation[];

  constructor(scope: Construct, id: string, props: SecurityHubOrganizationProps) {
    super(scope, id);
    const administrator = props.administratorProvider;
    // Security Hub on in the administrator before it is designated; the standards come from the policy.
    this.administratorHub = new SecurityhubAccount(this, 'administrator-hub', {
      provider: administrator,
      enableDefaultStandards: false,
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    this.designation = new SecurityhubOrganizationAdminAccount(this, 'delegated-administrator', {
      provider: props.managementProvider,
      adminAccountId: props.administratorAccountId,
      dependsOn: [this.administratorHub],
    });
    // Central configuration needs cross-Region aggregation, created by the designated administrator.
    this.findingAggregator = new SecurityhubFindingAggregator(this, 'finding-aggregator', {
      provider: administrator,
      linkingMode: props.linkedRegions.length > 0 ? 'SPECIFIED_REGIONS' : 'NO_REGIONS',
      specifiedRegions: props.linkedRegions.length > 0 ? [...props.linkedRegions] : undefined,
      dependsOn: [this.designation],
    });
    // CENTRAL requires auto-enable off and no default standards: the policy decides both.
    this.organizationConfiguration = new SecurityhubOrganizationConfiguration(this, 'organization-configuration', {
      provider: administrator,
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      dependsOn: [this.findingAggregator],
    });
    const disabled = props.disabledControls ?? [];
    this.policy = new SecurityhubConfigurationPolicy(this, 'policy', {
      provider: administrator,
      name: props.policyName,
      description: `Security Hub on with ${props.standardsArns.length} standards in every account and governed region; ${disabled.length} controls disabled (securityHub.disabledControls)`,
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: [...props.standardsArns],
        // A disabled list (not an enabled one) keeps new controls of the standards switched on.
        securityControlsConfiguration: { disabledControlIdentifiers: disabled.map((c) => c.id) },
      },
      dependsOn: [this.organizationConfiguration],
    });
    this.associations = props.targets.map(
      (target) =>
        new SecurityhubConfigurationPolicyAssociation(this, `association-${target}`, {
          provider: administrator,
          policyId: this.policy.id,
          targetId: target,
        }),
    );
    protect(this.administratorHub, 'deleting it disables Security Hub in the delegated administrator account, and with it the organization view');
    protect(this.designation, 'without the delegated administrator, Security Hub stops configuring and aggregating the organization');
    protect(this.findingAggregator, 'central configuration needs the aggregator; without it findings of the linked regions stop reaching the home region');
    protect(this.organizationConfiguration, 'deleting it resets the organization to local configuration, with auto-enable off');
    protect(this.policy, 'the configuration policy keeps Security Hub and its standards on in every account and region');
    for (const association of this.associations) protect(association, 'a dissociated root or OU is no longer configured by the policy');
  }
}
