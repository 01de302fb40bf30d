/**
 * A data perimeter around the evidence: a resource control policy, attached to the Log Archive and
 * Audit accounts, that caps what anyone may do to their S3 and KMS resources, whatever a bucket or
 * key policy grants. Only principals of the organization reach them (identity perimeter), and AWS
 * services only when acting for a resource of the organization (confused-deputy protection). It
 * follows AWS's data perimeter policy examples (aws-samples/data-perimeter-policy-examples,
 * resource_control_policies/identity_perimeter_rcp.json: EnforceOrgIdentities and
 * EnforceConfusedDeputyProtection), narrowed to S3 and KMS. RCPs never apply to the management
 * account's resources, nor to service-linked roles.
 */
import type { PolicyStatement } from '../core/policy-document';

/** The services whose resources the perimeter covers. */
export const DATA_PERIMETER_ACTIONS = ['s3:*', 'kms:*'] as const;

export interface DataPerimeter {
  readonly organizationId: string;
  /**
   * Accounts outside the organization that are trusted as principals (aws:PrincipalAccount) and as
   * the source of a service's request (aws:SourceAccount).
   * @default none
   */
  readonly trustedAccountIds?: readonly string[];
  /**
   * Accounts of the organization whose services write into the evidence (the trail's, GuardDuty's,
   * S3 access logging's): trusted as a source even where a service does not set aws:SourceOrgID.
   */
  readonly evidenceSourceAccountIds: readonly string[];
  /**
   * AWS-owned accounts a service acts from as an IAM principal, not as a service principal (the
   * legacy ELB log delivery accounts): trusted as principals only.
   * @default none
   */
  readonly awsServiceAccountIds?: readonly string[];
}

export function dataPerimeterStatements(p: DataPerimeter): PolicyStatement[] {
  const trusted = [...(p.trustedAccountIds ?? [])];
  const principalAccounts = [...trusted, ...(p.awsServiceAccountIds ?? [])];
  return [
    {
      Sid: 'EnforceOrgIdentities',
      Effect: 'Deny',
      Principal: '*',
      Action: [...DATA_PERIMETER_ACTIONS],
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: {
          'aws:PrincipalOrgID': p.organizationId,
          ...(principalAccounts.length > 0 ? { 'aws:PrincipalAccount': principalAccounts } : {}),
        },
        // AWS services acting with their own service principal are checked by the next statement
        BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
      },
    },
    {
      Sid: 'EnforceConfusedDeputyProtection',
      Effect: 'Deny',
      Principal: '*',
      Action: [...DATA_PERIMETER_ACTIONS],
      Resource: '*',
      Condition: {
        StringNotEqualsIfExists: {
          'aws:SourceOrgID': p.organizationId,
          'aws:SourceAccount': [...p.evidenceSourceAccountIds, ...trusted],
        },
        // only where the service says on whose behalf it acts
        Null: { 'aws:SourceAccount': 'false' },
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
      },
    },
  ];
}
