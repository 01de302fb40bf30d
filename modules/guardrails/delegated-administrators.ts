/**
 * Delegated administrators that hold for the whole organization, not per region: Security Lake's
 * (registered through AWS Organizations, since the AWS provider has no Security Lake resource for
 * it), AWS Config's with StackSets' (the Config StackSet is administered from the same account),
 * IAM Access Analyzer's and, optionally, CloudTrail's. GuardDuty's is regional and lives in its
 * regional stacks; Security Hub's is designated through Security Hub in the compliance stack.
 */
import { CloudtrailOrganizationDelegatedAdminAccount } from '@cdktf/provider-aws/lib/cloudtrail-organization-delegated-admin-account';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';
import { ACCESS_ANALYZER_SERVICE_PRINCIPAL } from '../../facts/access-analyzer';
import { STACKSETS_DELEGATED_ADMIN_PRINCIPAL } from '../../facts/cloudformation';
import { CONFIG_MULTI_ACCOUNT_SETUP_PRINCIPAL, CONFIG_SERVICE_PRINCIPAL } from '../../facts/aws-config';
import { SECURITY_HUB_SERVICE_PRINCIPAL } from '../../facts/security-hub';

export const SECURITY_LAKE_SERVICE_PRINCIPAL = 'securitylake.amazonaws.com';

/**
 * Services that need trusted access to AWS Organizations before the landing zone deploys. It is
 * enabled by hand once (see docs/guardrails.md): `aws_organizations_organization` would own the
 * organization's whole list and remove every principal it was not told about. GuardDuty's own
 * principal is not listed: designating its delegated administrator enables its trusted access.
 */
export const TRUSTED_ACCESS_SERVICE_PRINCIPALS = [
  'cloudtrail.amazonaws.com',
  'malware-protection.guardduty.amazonaws.com',
  SECURITY_LAKE_SERVICE_PRINCIPAL,
  CONFIG_SERVICE_PRINCIPAL,
  CONFIG_MULTI_ACCOUNT_SETUP_PRINCIPAL,
  SECURITY_HUB_SERVICE_PRINCIPAL,
  ACCESS_ANALYZER_SERVICE_PRINCIPAL,
] as const;

export interface DelegatedAdministratorsProps {
  /** The management account's provider: only it can register delegated administrators. */
  readonly provider: AwsProvider;
  /** Account that administers Security Lake for the organization. @default Security Lake is not delegated */
  readonly securityLakeAccountId?: string;
  /** Account that may manage the organization's trails. @default CloudTrail is administered by the management account only */
  readonly cloudTrailAccountId?: string;
  /**
   * Account that administers AWS Config for the organization: registered for config.amazonaws.com
   * (the organization aggregator), config-multiaccountsetup.amazonaws.com (organization rules and
   * conformance packs) and StackSets (the StackSet that deploys the recorders).
   * @default not delegated
   */
  readonly configAccountId?: string;
  /** Account that administers IAM Access Analyzer for the organization. @default not delegated */
  readonly accessAnalyzerAccountId?: string;
}

export class DelegatedAdministrators extends Construct {
  readonly securityLake?: OrganizationsDelegatedAdministrator;
  readonly cloudTrail?: CloudtrailOrganizationDelegatedAdminAccount;
  /** Every registration through AWS Organizations, in the order they are made. */
  readonly registrations: OrganizationsDelegatedAdministrator[] = [];

  constructor(scope: Construct, id: string, props: DelegatedAdministratorsProps) {
    super(scope, id);
    // One at a time: AWS Organizations refuses concurrent changes (ConcurrentModificationException),
    // and the provider does not retry them.
    const register = (name: string, accountId: string, servicePrincipal: string, reason: string) => {
      const previous = this.registrations[this.registrations.length - 1];
      const registration = new OrganizationsDelegatedAdministrator(this, name, {
        provider: props.provider,
        accountId,
        servicePrincipal,
        dependsOn: previous ? [previous] : undefined,
      });
      protect(registration, reason);
      this.registrations.push(registration);
      return registration;
    };
    if (props.securityLakeAccountId !== undefined) {
      this.securityLake = register('security-lake', props.securityLakeAccountId, SECURITY_LAKE_SERVICE_PRINCIPAL, 'without its delegated administrator Security Lake cannot be administered for the organization');
    }
    if (props.configAccountId !== undefined) {
      register('config', props.configAccountId, CONFIG_SERVICE_PRINCIPAL, 'without its delegated administrator the organization aggregator stops seeing the member accounts');
      register('config-multi-account-setup', props.configAccountId, CONFIG_MULTI_ACCOUNT_SETUP_PRINCIPAL, 'without it the Audit account can no longer manage organization Config rules and conformance packs');
      register('stacksets', props.configAccountId, STACKSETS_DELEGATED_ADMIN_PRINCIPAL, 'without it the Audit account can no longer administer the StackSet that deploys every member account\'s Config recorders');
    }
    if (props.accessAnalyzerAccountId !== undefined) {
      register('access-analyzer', props.accessAnalyzerAccountId, ACCESS_ANALYZER_SERVICE_PRINCIPAL, 'without its delegated administrator the organization analyzers in the Audit account stop covering the member accounts');
    }
    if (props.cloudTrailAccountId !== undefined) {
      this.cloudTrail = new CloudtrailOrganizationDelegatedAdminAccount(this, 'cloudtrail', {
        provider: props.provider,
        accountId: props.cloudTrailAccountId,
      });
    }
  }
}
