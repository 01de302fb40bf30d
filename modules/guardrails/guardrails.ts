/**
 * Service control policies that keep every member account from blinding the audit logging and the
 * security services: no stopping or changing the Organization trail, no deleting or loosening the
 * archive bucket, no disabling its key, no leaving the organization, no disabling GuardDuty or
 * deleting Security Lake, no changing the landing zone's own roles. One role, the deployment role in
 * every account, is exempt, and not from everything: nobody may disable the archive key or schedule
 * its deletion, only the break-glass role may rewrite its policy, only the security operations roles
 * may write GuardDuty suppression rules. SCPs bind no principal of the management account and no
 * service-linked role (AWS Organizations, "Service control policies"). In the Log Archive, only the
 * deployment role may change the data protection policies, and only the configured roles unmask.
 */
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { DESTRUCTIVE_ACTIONS, GUARD_ACTIONS } from '../evidence/archive-bucket';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { protect } from '../core/protection';

/** AWS's limit on an SCP's (and an RCP's) size, in characters, whitespace outside strings not counted. */
export const SCP_MAX_CHARACTERS = 5120;

/** AWS's limit on SCPs (and on RCPs) attached to one root, OU or account, FullAWSAccess included. */
export const SCPS_PER_TARGET_LIMIT = 5;

/** Actions that stop, delete or narrow the Organization trail. */
export const TRAIL_PROTECTED_ACTIONS = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
] as const;

/** Actions that end the archive key's life; the guardrails exempt nobody (the key policy, a break-glass role with MFA). */
export const KEY_LIFE_PROTECTED_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey'] as const;

/** Actions that rewrite who may use the archive key or stop its rotation; only the break-glass role may. */
export const KEY_POLICY_PROTECTED_ACTIONS = ['kms:PutKeyPolicy', 'kms:DisableKeyRotation'] as const;

/** Actions that move or remove the archive key's alias, which would lift the key's guard. */
export const KEY_ALIAS_PROTECTED_ACTIONS = ['kms:DeleteAlias', 'kms:UpdateAlias'] as const;

/**
 * Every change to a role, its creation included, and passing it to a service (an instance profile
 * or a function would run with its credentials). Reads stay allowed.
 */
export const ROLE_PROTECTED_ACTIONS = [
  'iam:CreateRole',
  'iam:DeleteRole*',
  'iam:UpdateRole*',
  'iam:UpdateAssumeRolePolicy',
  'iam:PutRole*',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:PassRole',
] as const;

/**
 * Actions that blind GuardDuty: deleting or reconfiguring a detector, leaving or dissolving the
 * administrator relationship, turning protection plans off for the organization or a member,
 * redirecting the findings export, and trusted IP lists (findings from listed addresses are never
 * raised). Threat intelligence lists and reading findings stay allowed; suppression rules are
 * guarded on their own (GUARDDUTY_SUPPRESSION_ACTIONS).
 */
export const GUARDDUTY_PROTECTED_ACTIONS = [
  'guardduty:DeleteDetector',
  'guardduty:UpdateDetector',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateMembers',
  'guardduty:DeleteMembers',
  'guardduty:StopMonitoringMembers',
  'guardduty:UpdateMemberDetectors',
  'guardduty:UpdateOrganizationConfiguration',
  'guardduty:UpdateMalwareScanSettings',
  'guardduty:DeletePublishingDestination',
  'guardduty:UpdatePublishingDestination',
  'guardduty:CreateIPSet',
  'guardduty:UpdateIPSet',
] as const;

/**
 * Suppression rules (filters) archive matching findings before they reach EventBridge, the S3
 * export or any integrated service (GuardDuty, "Suppression rules"): only the security operations
 * roles may create or change them.
 */
export const GUARDDUTY_SUPPRESSION_ACTIONS = ['guardduty:CreateFilter', 'guardduty:UpdateFilter'] as const;

/** Actions that delete the data lake or its sources, or change its retention. */
export const SECURITY_LAKE_PROTECTED_ACTIONS = [
  'securitylake:DeleteDataLake',
  'securitylake:UpdateDataLake',
  'securitylake:DeleteAwsLogSource',
  'securitylake:DeleteCustomLogSource',
  'securitylake:DeleteDataLakeOrganizationConfiguration',
  'securitylake:DeregisterDataLakeDelegatedAdministrator',
] as const;

/** Actions on Security Lake's own buckets and objects that would drop its data or loosen its guard. */
export const SECURITY_LAKE_BUCKET_PROTECTED_ACTIONS = [
  's3:DeleteBucket',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutLifecycleConfiguration',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutBucketVersioning',
] as const;

/**
 * Actions that lift the masking of log groups: their data protection policies and the account-level
 * one (PutAccountPolicy and DeleteAccountPolicy also write an account's other account-level
 * policies, the subscription filter policy of the log collection among them, which only the
 * deployment role writes in these accounts too).
 */
export const MASKING_PROTECTED_ACTIONS = [
  'logs:PutDataProtectionPolicy',
  'logs:DeleteDataProtectionPolicy',
  'logs:PutAccountPolicy',
  'logs:DeleteAccountPolicy',
] as const;

/** What the guardrails protect, and who is exempt; every name is known before the resources exist. */
export interface ProtectedResources {
  /** The deployment role in every account (an ARN pattern): the one principal exempt. */
  readonly deploymentRoleArnPattern: string;
  /** The break-glass role in every account (an ARN pattern): the only one that may rewrite the archive key's policy. */
  readonly breakGlassRoleArnPattern: string;
  /**
   * The landing zone's own roles, by name (deployment, plan, break-glass): nobody but the
   * deployment role may create, change or pass a role of these names, under any path.
   */
  readonly guardedRoleNames: readonly string[];
  /** Roles (ARN patterns) that may create or change GuardDuty suppression rules. @default nobody */
  readonly suppressionRuleRoleArns?: readonly string[];
  readonly trailArn: string;
  readonly archiveBucketName: string;
  /** The archive key is found by account and alias, since its id is not known here. */
  readonly archiveKey: { readonly accountId: string; readonly alias: string };
  /** Prefix of Security Lake's bucket names; absent when Security Lake is not used. @default not protected */
  readonly securityLakeBucketPrefix?: string;
  /**
   * The member accounts that hold masked log groups (the Log Archive), and the roles (ARN patterns)
   * that may unmask them there. @default masking not guarded
   */
  readonly masking?: { readonly accountIds: readonly string[]; readonly unmaskRoleArns: readonly string[] };
  /**
   * A test organization that must be removable: the deployment role may then end the archive key's
   * life too (its teardown deletes the key). @default false: nobody may
   */
  readonly removable?: boolean;
}

export interface ServiceControlPolicy {
  readonly name: string;
  readonly description: string;
  readonly statements: readonly PolicyStatement[];
}

/**
 * A Deny that binds every principal but the exempt ones (none: every principal of the member
 * accounts). An SCP's explicit deny wins over every allow of the account (IAM policy evaluation);
 * `ArnNotLike` on `aws:PrincipalArn` compares the role's ARN, path included, not the session's.
 */
export function deny(statement: Omit<PolicyStatement, 'Effect'>, exemptArnPatterns: readonly string[] = []): PolicyStatement {
  const { Sid, Condition, ...rest } = statement;
  const condition: NonNullable<PolicyStatement['Condition']> = { ...Condition };
  if (exemptArnPatterns.length > 0) {
    Object.assign(condition, { ArnNotLike: { 'aws:PrincipalArn': exemptArnPatterns.length === 1 ? exemptArnPatterns[0] : [...exemptArnPatterns] } });
  }
  return { Sid, Effect: 'Deny', ...rest, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
}

/** A role name under any path, in any account (role names are unique within an account, whatever the path). */
function rolesNamed(names: readonly string[]): string[] {
  return names.flatMap((name) => [`arn:aws:iam::*:role/${name}`, `arn:aws:iam::*:role/*/${name}`]);
}

/** The trail, the archive bucket and its key, the landing zone's roles, and membership of the organization. */
export function auditLoggingStatements(p: ProtectedResources): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${p.archiveBucketName}`;
  const keyScope = `arn:aws:kms:*:${p.archiveKey.accountId}`;
  // kms:ResourceAliases is multivalued: any of the key's aliases may match
  const archiveKey = { Resource: `${keyScope}:key/*`, Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': p.archiveKey.alias } } };
  const deployment = [p.deploymentRoleArnPattern];
  return [
    deny({ Sid: 'ProtectOrganizationTrail', Action: [...TRAIL_PROTECTED_ACTIONS], Resource: p.trailArn }, deployment),
    deny({ Sid: 'ProtectArchiveEvidence', Action: [...DESTRUCTIVE_ACTIONS], Resource: [bucketArn, `${bucketArn}/*`] }, deployment),
    deny({ Sid: 'ProtectArchiveGuard', Action: [...GUARD_ACTIONS], Resource: bucketArn }, deployment),
    deny({ Sid: 'ProtectArchiveKeyLife', Action: [...KEY_LIFE_PROTECTED_ACTIONS], ...archiveKey }, p.removable ? deployment : []),
    deny({ Sid: 'ProtectArchiveKeyPolicy', Action: [...KEY_POLICY_PROTECTED_ACTIONS], ...archiveKey }, [p.breakGlassRoleArnPattern]),
    deny({ Sid: 'ProtectArchiveKeyAlias', Action: [...KEY_ALIAS_PROTECTED_ACTIONS], Resource: `${keyScope}:${p.archiveKey.alias}` }, deployment),
    deny({ Sid: 'ProtectLandingZoneRoles', Action: [...ROLE_PROTECTED_ACTIONS], Resource: rolesNamed(p.guardedRoleNames) }, deployment),
    deny({ Sid: 'StayInOrganization', Action: 'organizations:LeaveOrganization', Resource: '*' }, deployment),
    ...(p.masking ? maskingStatements(p.masking, deployment) : []),
  ];
}

/**
 * In the accounts of the masked log groups, by the caller's account (`aws:PrincipalAccount`, which
 * every request carries, whatever resource types an action names): only the deployment role changes
 * or removes a data protection policy, and only the unmask roles read masked data unmasked.
 */
function maskingStatements(masking: NonNullable<ProtectedResources['masking']>, deployment: readonly string[]): PolicyStatement[] {
  const inAccounts = { StringEquals: { 'aws:PrincipalAccount': masking.accountIds.length === 1 ? masking.accountIds[0] : [...masking.accountIds] } };
  return [
    deny({ Sid: 'KeepLogsMasked', Action: [...MASKING_PROTECTED_ACTIONS], Resource: '*', Condition: inAccounts }, deployment),
    deny({ Sid: 'UnmaskOnlyForIncidentResponse', Action: 'logs:Unmask', Resource: '*', Condition: inAccounts }, masking.unmaskRoleArns),
  ];
}

/** GuardDuty in every account, and Security Lake where it is used. */
export function securityServiceStatements(p: ProtectedResources): PolicyStatement[] {
  const deployment = [p.deploymentRoleArnPattern];
  const statements = [
    deny({ Sid: 'KeepGuardDutyWatching', Action: [...GUARDDUTY_PROTECTED_ACTIONS], Resource: '*' }, deployment),
    deny({ Sid: 'KeepGuardDutyFindingsUnsuppressed', Action: [...GUARDDUTY_SUPPRESSION_ACTIONS], Resource: '*' }, p.suppressionRuleRoleArns ?? []),
  ];
  if (p.securityLakeBucketPrefix !== undefined) {
    statements.push(
      deny({ Sid: 'KeepSecurityLake', Action: [...SECURITY_LAKE_PROTECTED_ACTIONS], Resource: '*' }, deployment),
      // the pattern covers the buckets and, since `*` spans `/`, their objects
      deny({ Sid: 'KeepSecurityLakeData', Action: [...SECURITY_LAKE_BUCKET_PROTECTED_ACTIONS], Resource: `arn:aws:s3:::${p.securityLakeBucketPrefix}*` }, deployment),
    );
  }
  return statements;
}

/** The policy document as AWS stores it: minified JSON. */
export function scpContent(policy: ServiceControlPolicy): string {
  return policyDocument(policy.statements);
}

/** AWS's measure of an SCP: its characters, whitespace outside strings not counted. */
export function scpSize(content: string): number {
  return JSON.stringify(JSON.parse(content)).length;
}

export type OrganizationPolicyType = 'SERVICE_CONTROL_POLICY' | 'RESOURCE_CONTROL_POLICY';

const KINDS: Record<OrganizationPolicyType, { one: string; many: string; full: string }> = {
  SERVICE_CONTROL_POLICY: { one: 'service control policy', many: 'service control policies', full: 'FullAWSAccess' },
  RESOURCE_CONTROL_POLICY: { one: 'resource control policy', many: 'resource control policies', full: 'RCPFullAWSAccess' },
};

/** Fails synth where AWS would reject the policy for its size (RCPs have the SCPs' limit). */
export function checkScpSize(name: string, content: string, type: OrganizationPolicyType = 'SERVICE_CONTROL_POLICY'): void {
  const size = scpSize(content);
  if (size > SCP_MAX_CHARACTERS) {
    throw new Error(
      `${KINDS[type].one} ${name} is ${size} characters, over the AWS limit of ${SCP_MAX_CHARACTERS}: ` +
        'split its statements into another policy or shorten its action lists with wildcards',
    );
  }
}

/** Fails synth where a target would carry more policies than AWS allows (FullAWSAccess takes one place). */
export function checkPoliciesPerTarget(policyCount: number, type: OrganizationPolicyType = 'SERVICE_CONTROL_POLICY'): void {
  const places = SCPS_PER_TARGET_LIMIT - 1;
  if (policyCount > places) {
    const kind = KINDS[type];
    throw new Error(
      `${policyCount} ${kind.many} would be attached to each target, but AWS allows ${SCPS_PER_TARGET_LIMIT} ` +
        `per root, OU or account, ${kind.full} included: merge them into at most ${places}`,
    );
  }
}

/** Why the policies and their attachments are protected in plan review. */
const PROTECTION: Record<OrganizationPolicyType, { policy: string; attachment: string }> = {
  SERVICE_CONTROL_POLICY: {
    policy: 'the SCPs keep member accounts from switching off logging, security and compliance services',
    attachment: 'a detached SCP no longer protects the logging, security and compliance services',
  },
  RESOURCE_CONTROL_POLICY: {
    policy: 'the RCP keeps the evidence accounts\' S3 and KMS resources out of reach of principals outside the organization',
    attachment: 'a detached RCP no longer keeps the evidence inside the organization',
  },
};

export interface GuardrailsProps {
  /** The management account's provider (SCPs are managed there only). */
  readonly provider: AwsProvider;
  /**
   * SCPs cap what principals of the targets may do; RCPs cap what anyone may do to the targets'
   * resources. Both share AWS's limits: 5,120 characters, 5 per target with the FullAWSAccess one.
   * @default 'SERVICE_CONTROL_POLICY'
   */
  readonly type?: OrganizationPolicyType;
  readonly policies: readonly ServiceControlPolicy[];
  /** Root, OU or account ids every policy is attached to. */
  readonly targets: readonly string[];
}

/** Creates each policy, checked against AWS's limits, and attaches it to every target. */
export class Guardrails extends Construct {
  readonly policies: OrganizationsPolicy[];

  constructor(scope: Construct, id: string, props: GuardrailsProps) {
    super(scope, id);
    const type = props.type ?? 'SERVICE_CONTROL_POLICY';
    checkPoliciesPerTarget(props.policies.length, type);
    this.policies = props.policies.map((policy) => {
      const content = scpContent(policy);
      checkScpSize(policy.name, content, type);
      const scp = new OrganizationsPolicy(this, policy.name, {
        provider: props.provider,
        name: policy.name,
        description: policy.description,
        type,
        content,
      });
      protect(scp, PROTECTION[type].policy);
      for (const target of props.targets) {
        const attachment = new OrganizationsPolicyAttachment(this, `${policy.name}-${target}`, {
          provider: props.provider,
          policyId: scp.id,
          targetId: target,
        });
        protect(attachment, PROTECTION[type].attachment);
      }
      return scp;
    });
  }
}
