/**
 * The guardrail of the compliance services: member accounts cannot stop or change their Config
 * recorder or delivery channel, take apart the StackSet that deploys them (in the Audit account)
 * or its stacks and roles (in every account), loosen the unlocked Config bucket, disable Security
 * Hub or change its central configuration, or delete or change the Access Analyzer analyzers.
 * The deployment role (by its path and name) is exempt; where StackSets acts (recorders, their
 * stacks and roles), so is its execution role, which is not a service-linked role and so is bound
 * by SCPs. Nobody else may create, change or pass a role of the execution role's name pattern, so
 * its exemption cannot be borrowed by a role an account administrator makes.
 */
import { STACKSETS_EXECUTION_ROLE_NAME_PATTERN, stackInstanceStackNamePattern } from '../../facts/cloudformation';
import type { PolicyStatement } from '../core/policy-document';
import { DESTRUCTIVE_ACTIONS, GUARD_ACTIONS } from '../evidence/archive-bucket';
import { deny, ROLE_PROTECTED_ACTIONS } from './guardrails';

/** Actions that stop, remove or redirect recording, or its organization view. */
export const CONFIG_PROTECTED_ACTIONS = [
  'config:StopConfigurationRecorder',
  'config:DeleteConfigurationRecorder',
  'config:PutConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'config:PutDeliveryChannel',
  'config:DeleteRetentionConfiguration',
  'config:PutRetentionConfiguration',
  'config:DeleteConfigurationAggregator',
  'config:PutConfigurationAggregator',
] as const;

/** Actions on the StackSet itself that would remove or change the recorders of every account. */
export const STACK_SET_PROTECTED_ACTIONS = [
  'cloudformation:DeleteStackSet',
  'cloudformation:UpdateStackSet',
  'cloudformation:DeleteStackInstances',
  'cloudformation:UpdateStackInstances',
  'cloudformation:StopStackSetOperation',
] as const;

/** Actions on a stack instance's stack in a member account, which would remove that account's recorder. */
export const STACK_INSTANCE_PROTECTED_ACTIONS = [
  'cloudformation:DeleteStack',
  'cloudformation:UpdateStack',
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
] as const;

/**
 * Actions that disable Security Hub or change its central configuration, its aggregation, the
 * standards or controls. Working findings (workflow status, notes, automation rules, insights)
 * stays allowed: it is the administrator's daily work, and suppressed findings are still kept.
 */
export const SECURITY_HUB_PROTECTED_ACTIONS = [
  'securityhub:DisableSecurityHub',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount',
  'securityhub:DisassociateMembers',
  'securityhub:DeleteMembers',
  'securityhub:DisableOrganizationAdminAccount',
  'securityhub:UpdateOrganizationConfiguration',
  'securityhub:DeleteFindingAggregator',
  'securityhub:UpdateFindingAggregator',
  'securityhub:DeleteConfigurationPolicy',
  'securityhub:UpdateConfigurationPolicy',
  'securityhub:StartConfigurationPolicyAssociation',
  'securityhub:StartConfigurationPolicyDisassociation',
  'securityhub:BatchDisableStandards',
  'securityhub:UpdateStandardsControl',
  'securityhub:BatchUpdateStandardsControlAssociations',
  'securityhub:UpdateSecurityControl',
  'securityhub:UpdateSecurityHubConfiguration',
  'securityhub:DisableImportFindingsForProduct',
] as const;

/** Actions that delete or reconfigure an analyzer. Archive rules (the administrator's tuning) stay allowed. */
export const ACCESS_ANALYZER_PROTECTED_ACTIONS = ['access-analyzer:DeleteAnalyzer', 'access-analyzer:UpdateAnalyzer'] as const;

export interface ComplianceResources {
  /** The deployment role in every account (an ARN pattern, path included): the one principal exempt. */
  readonly deploymentRoleArnPattern: string;
  /** Config: the StackSet and the recorder roles' name prefix; absent when Config is not managed here. */
  readonly config?: {
    readonly stackSetName: string;
    /** e.g. acme-config-recorder- (the region follows). */
    readonly recorderRoleNamePrefix: string;
    readonly bucketName: string;
  };
  readonly securityHub: boolean;
  readonly accessAnalyzer: boolean;
}

export function complianceStatements(p: ComplianceResources): PolicyStatement[] {
  const deployment = [p.deploymentRoleArnPattern];
  // StackSets' execution role, at the path `/` where StackSets creates it
  const stackSetsExecutionRole = `arn:aws:iam::*:role/${STACKSETS_EXECUTION_ROLE_NAME_PATTERN}`;
  const withStackSets = [...deployment, stackSetsExecutionRole];
  const statements: PolicyStatement[] = [];
  const add = (statement: Omit<PolicyStatement, 'Effect'>, exempt: readonly string[] = deployment) => statements.push(deny(statement, exempt));
  if (p.config) {
    const bucketArn = `arn:aws:s3:::${p.config.bucketName}`;
    add({ Sid: 'KeepConfigRecording', Action: [...CONFIG_PROTECTED_ACTIONS], Resource: '*' }, withStackSets);
    add({ Sid: 'KeepConfigStackSet', Action: [...STACK_SET_PROTECTED_ACTIONS], Resource: `arn:aws:cloudformation:*:*:stackset/${p.config.stackSetName}:*` });
    add(
      { Sid: 'KeepConfigStacks', Action: [...STACK_INSTANCE_PROTECTED_ACTIONS], Resource: `arn:aws:cloudformation:*:*:stack/${stackInstanceStackNamePattern(p.config.stackSetName)}/*` },
      withStackSets,
    );
    add(
      {
        Sid: 'KeepConfigRoles',
        Action: [...ROLE_PROTECTED_ACTIONS],
        Resource: [`arn:aws:iam::*:role/${p.config.recorderRoleNamePrefix}*`, stackSetsExecutionRole],
      },
      withStackSets,
    );
    add({ Sid: 'KeepConfigDeliveries', Action: [...DESTRUCTIVE_ACTIONS], Resource: [bucketArn, `${bucketArn}/*`] });
    add({ Sid: 'KeepConfigBucketGuard', Action: [...GUARD_ACTIONS], Resource: bucketArn });
  }
  if (p.securityHub) add({ Sid: 'KeepSecurityHub', Action: [...SECURITY_HUB_PROTECTED_ACTIONS], Resource: '*' });
  if (p.accessAnalyzer) add({ Sid: 'KeepAccessAnalyzer', Action: [...ACCESS_ANALYZER_PROTECTED_ACTIONS], Resource: '*' });
  return statements;
}
