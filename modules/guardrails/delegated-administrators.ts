/**
 * Delegated administrators that hold for the whole organization, not per region: Security Lake's
 * (registered through AWS Organizations, since the AWS provider has no Security Lake resource for
 * it) and, optionally, CloudTrail's. GuardDuty's is regional and lives in its regional stacks.
 */
import { CloudtrailOrganizationDelegatedAdminAccount } from '@cdktf/provider-aws/lib/cloudtrail-organization-delegated-admin-account';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';

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
] as const;

export interface DelegatedAdministratorsProps {
  /** The management account's provider: only it can register delegated administrators. */
  readonly provider: AwsProvider;
  /** Account that administers Security Lake for the organization. @default Security Lake is not delegated */
  readonly securityLakeAccountId?: string;
  /** Account that may manage the organization's trails. @default CloudTrail is administered by the management account only */
  readonly cloudTrailAccountId?: string;
}

export class DelegatedAdministrators extends Construct {
  readonly securityLake?: OrganizationsDelegatedAdministrator;
  readonly cloudTrail?: CloudtrailOrganizationDelegatedAdminAccount;

  constructor(scope: Construct, id: string, props: DelegatedAdministratorsProps) {
    super(scope, id);
    if (props.securityLakeAccountId !== undefined) {
      this.securityLake = new OrganizationsDelegatedAdministrator(this, 'security-lake', {
        provider: props.provider,
        accountId: props.securityLakeAccountId,
        servicePrincipal: SECURITY_LAKE_SERVICE_PRINCIPAL,
      });
      protect(this.securityLake, 'without its delegated administrator Security Lake cannot be administered for the organization');
    }
    if (props.cloudTrailAccountId !== undefined) {
      this.cloudTrail = new CloudtrailOrganizationDelegatedAdminAccount(this, 'cloudtrail', {
        provider: props.provider,
        accountId: props.cloudTrailAccountId,
      });
    }
  }
}
