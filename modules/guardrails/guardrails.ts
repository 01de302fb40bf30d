/**
 * Service control policies that keep every member account from blinding the audit logging and the
 * security services: no stopping or changing the Organization trail, no deleting or loosening the
 * archive bucket, no disabling its key, no leaving the organization, no disabling GuardDuty or
 * deleting Security Lake. One role, the deployment role in every account, is exempt.
 */
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { DESTRUCTIVE_ACTIONS, GUARD_ACTIONS } from '../evidence/archive-bucket';
import { type PolicyStatement, policyDocument } from '../core/policy-document';

/** AWS's limit on an SCP's size, in characters, whitespace outside strings not counted. */
export const SCP_MAX_CHARACTERS = 5120;

/** AWS's limit on SCPs attached to one root, OU or account, FullAWSAccess included. */
export const SCPS_PER_TARGET_LIMIT = 5;

/** Actions that stop, delete or narrow the Organization trail. */
export const TRAIL_PROTECTED_ACTIONS = [
  'cloudtrail:StopLogging',
  'cloudtrail:DeleteTrail',
  'cloudtrail:UpdateTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:PutInsightSelectors',
] as const;

/** Actions that disable the archive key, schedule its deletion, or rewrite who may use it. */
export const KEY_PROTECTED_ACTIONS = [
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:PutKeyPolicy',
  'kms:DisableKeyRotation',
] as const;

/** Actions that move or remove the archive key's alias, which would lift the key's guard. */
export const KEY_ALIAS_PROTECTED_ACTIONS = ['kms:DeleteAlias', 'kms:UpdateAlias'] as const;

/**
 * Actions that blind GuardDuty: deleting or reconfiguring a detector, leaving or dissolving the
 * administrator relationship, turning protection plans off for the organization or a member,
 * redirecting the findings export, and trusted IP lists (findings from listed addresses are never
 * raised). The administrator's day-to-day work (reading findings, suppression rules, threat
 * intelligence lists) stays allowed; the deployment role applies configuration changes.
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

/** Actions that delete the data lake or its sources, or change its retention. */
export const SECURITY_LAKE_PROTECTED_ACTIONS = [
  'securitylake:DeleteDataLake',
  'securitylake:UpdateDataLake',
  'securitylake:DeleteAwsLogSource',
  'securitylake:DeleteCustomLogSource',
  'securitylake:DeleteDataLakeOrganizationConfiguration',
  'securitylake:DeregisterDataLakeDelegatedAdministrator',
] as const;

/** Actions on Security Lake's own buckets that would drop its data. */
export const SECURITY_LAKE_BUCKET_PROTECTED_ACTIONS = ['s3:DeleteBucket', 's3:PutLifecycleConfiguration'] as const;

/** What the guardrails protect; every name is known before the resources exist. */
export interface ProtectedResources {
  /** Role name exempt in every account (the deployment role), e.g. OrganizationAccountAccessRole. */
  readonly exemptRoleName: string;
  readonly trailArn: string;
  readonly archiveBucketName: string;
  /** The archive key is found by account and alias, since its id is not known here. */
  readonly archiveKey: { readonly accountId: string; readonly alias: string };
  /** Prefix of Security Lake's bucket names; absent when Security Lake is not used. @default not protected */
  readonly securityLakeBucketPrefix?: string;
}

export interface ServiceControlPolicy {
  readonly name: string;
  readonly description: string;
  readonly statements: readonly PolicyStatement[];
}

/** A Deny that binds every principal but the exempt role. */
function denyExceptDeploymentRole(
  exemptRoleName: string,
  statement: Omit<PolicyStatement, 'Effect'>,
): PolicyStatement {
  const { Sid, Condition, ...rest } = statement;
  return {
    Sid,
    Effect: 'Deny',
    ...rest,
    Condition: { ...Condition, ArnNotLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${exemptRoleName}` } },
  };
}

/** The trail, the archive bucket and its key, and membership of the organization. */
export function auditLoggingStatements(p: ProtectedResources): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${p.archiveBucketName}`;
  const keyScope = `arn:aws:kms:*:${p.archiveKey.accountId}`;
  return [
    { Sid: 'ProtectOrganizationTrail', Action: [...TRAIL_PROTECTED_ACTIONS], Resource: p.trailArn },
    { Sid: 'ProtectArchiveEvidence', Action: [...DESTRUCTIVE_ACTIONS], Resource: [bucketArn, `${bucketArn}/*`] },
    { Sid: 'ProtectArchiveGuard', Action: [...GUARD_ACTIONS], Resource: bucketArn },
    {
      Sid: 'ProtectArchiveKey',
      Action: [...KEY_PROTECTED_ACTIONS],
      Resource: `${keyScope}:key/*`,
      // kms:ResourceAliases is multivalued: any of the key's aliases may match
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': p.archiveKey.alias } },
    },
    { Sid: 'ProtectArchiveKeyAlias', Action: [...KEY_ALIAS_PROTECTED_ACTIONS], Resource: `${keyScope}:${p.archiveKey.alias}` },
    { Sid: 'StayInOrganization', Action: 'organizations:LeaveOrganization', Resource: '*' },
  ].map((s) => denyExceptDeploymentRole(p.exemptRoleName, s));
}

/** GuardDuty in every account, and Security Lake where it is used. */
export function securityServiceStatements(p: ProtectedResources): PolicyStatement[] {
  const statements: Array<Omit<PolicyStatement, 'Effect'>> = [
    { Sid: 'KeepGuardDutyWatching', Action: [...GUARDDUTY_PROTECTED_ACTIONS], Resource: '*' },
  ];
  if (p.securityLakeBucketPrefix !== undefined) {
    statements.push(
      { Sid: 'KeepSecurityLake', Action: [...SECURITY_LAKE_PROTECTED_ACTIONS], Resource: '*' },
      {
        Sid: 'KeepSecurityLakeBuckets',
        Action: [...SECURITY_LAKE_BUCKET_PROTECTED_ACTIONS],
        Resource: `arn:aws:s3:::${p.securityLakeBucketPrefix}*`,
      },
    );
  }
  return statements.map((s) => denyExceptDeploymentRole(p.exemptRoleName, s));
}

/** The policy document as AWS stores it: minified JSON. */
export function scpContent(policy: ServiceControlPolicy): string {
  return policyDocument(policy.statements);
}

/** AWS's measure of an SCP: its characters, whitespace outside strings not counted. */
export function scpSize(content: string): number {
  return JSON.stringify(JSON.parse(content)).length;
}

/** Fails synth where AWS would reject the policy for its size. */
export function checkScpSize(name: string, content: string): void {
  const size = scpSize(content);
  if (size > SCP_MAX_CHARACTERS) {
    throw new Error(
      `service control policy ${name} is ${size} characters, over the AWS limit of ${SCP_MAX_CHARACTERS}: ` +
        'split its statements into another policy or shorten its action lists with wildcards',
    );
  }
}

/** Fails synth where a target would carry more SCPs than AWS allows (FullAWSAccess takes one place). */
export function checkPoliciesPerTarget(policyCount: number): void {
  const places = SCPS_PER_TARGET_LIMIT - 1;
  if (policyCount > places) {
    throw new Error(
      `${policyCount} service control policies would be attached to each target, but AWS allows ${SCPS_PER_TARGET_LIMIT} ` +
        `per root, OU or account, FullAWSAccess included: merge them into at most ${places}`,
    );
  }
}

export interface GuardrailsProps {
  /** The management account's provider (SCPs are managed there only). */
  readonly provider: AwsProvider;
  readonly policies: readonly ServiceControlPolicy[];
  /** Root, OU or account ids every policy is attached to. */
  readonly targets: readonly string[];
}

/** Creates each policy, checked against AWS's limits, and attaches it to every target. */
export class Guardrails extends Construct {
  readonly policies: OrganizationsPolicy[];

  constructor(scope: Construct, id: string, props: GuardrailsProps) {
    super(scope, id);
    checkPoliciesPerTarget(props.policies.length);
    this.policies = props.policies.map((policy) => {
      const content = scpContent(policy);
      checkScpSize(policy.name, content);
      const scp = new OrganizationsPolicy(this, policy.name, {
        provider: props.provider,
        name: policy.name,
        description: policy.description,
        type: 'SERVICE_CONTROL_POLICY',
        content,
      });
      for (const target of props.targets) {
        new OrganizationsPolicyAttachment(this, `${policy.name}-${target}`, {
          provider: props.provider,
          policyId: scp.id,
          targetId: target,
        });
      }
      return scp;
    });
  }
}
