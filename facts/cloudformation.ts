/** CloudFormation StackSets facts for service-managed stack sets. */

/** The principal a member account is registered for as StackSets delegated administrator (CloudFormation user guide). */
export const STACKSETS_DELEGATED_ADMIN_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/**
 * The role StackSets creates in every target account and deploys stack instances with: the
 * administrator's service-linked role may assume only `arn:aws:iam::*:role/stacksets-exec-*`
 * (AWS managed policy CloudFormationStackSetsOrgAdminServiceRolePolicy). It is not a
 * service-linked role, so SCPs bind it.
 */
export const STACKSETS_EXECUTION_ROLE_NAME_PATTERN = 'stacksets-exec-*';

/** Stack instances are stacks named `StackSet-<stack set name>-<id>` in each target account and Region. */
export function stackInstanceStackNamePattern(stackSetName: string): string {
  return `StackSet-${stackSetName}-*`;
}

/** AWS's limit on a template passed as a body (CreateStackSet TemplateBody), in bytes. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
