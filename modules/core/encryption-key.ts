/**
 * A customer-managed KMS key with yearly rotation, an alias, and a policy built from statements.
 * A key that protects evidence also carries a life guard: its policy denies disabling it, scheduling
 * its deletion, rewriting its policy and turning rotation off to every principal but a break-glass
 * role, and to that role without MFA.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { type PolicyStatement, policyDocument } from './policy-document';
import { protect } from './protection';

/** What would end a key's life or lift its guard; only the break-glass role may, with MFA. */
export const KEY_LIFE_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation'] as const;

/**
 * The key policy statements of the life guard. An explicit deny in a key policy wins over every
 * allow, the root statement's included, and binds principals of every account, the key's owner and
 * its root user included (KMS key policies; IAM policy evaluation logic). The root statement
 * (`AccountAdministersKey`) stays, so the key never becomes unmanageable: the break-glass role is
 * still allowed through it. `aws:MultiFactorAuthPresent` is only present for credentials obtained
 * with MFA, hence `BoolIfExists`.
 */
export function keyLifeGuardStatements(breakGlassRoleArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'OnlyBreakGlassEndsTheKeysLife',
      Effect: 'Deny',
      Principal: '*',
      Action: [...KEY_LIFE_ACTIONS],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': breakGlassRoleArn } },
    },
    {
      Sid: 'BreakGlassNeedsMfa',
      Effect: 'Deny',
      Principal: '*',
      Action: [...KEY_LIFE_ACTIONS],
      Resource: '*',
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ];
}

export interface EncryptionKeyProps {
  readonly provider: AwsProvider;
  /** Account that owns the key; its administrators manage it through IAM. */
  readonly accountId: string;
  /** Alias, with the `alias/` prefix. */
  readonly alias: string;
  readonly description: string;
  /** Who may use the key, beyond the owning account's administration of it. */
  readonly statements: readonly PolicyStatement[];
  /**
   * Keep Terraform from ever scheduling the key's deletion; plan review protects the key.
   * @default false, unless `lifeGuard` is given
   */
  readonly preventDestroy?: boolean;
  /**
   * For keys whose loss loses evidence: Terraform never schedules their deletion (prevent_destroy),
   * plan review protects them with the reason, and the key policy carries the life guard.
   * @default an ordinary key
   */
  readonly lifeGuard?: {
    /** Why losing the key loses evidence; shown in plan review. */
    readonly reason: string;
    /** The one role that may disable it, schedule its deletion or rewrite its policy (with MFA). */
    readonly breakGlassRoleArn: string;
  };
}

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const guard = props.lifeGuard;
    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      policy: policyDocument([
        {
          Sid: 'AccountAdministersKey',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        ...props.statements,
        ...(guard ? keyLifeGuardStatements(guard.breakGlassRoleArn) : []),
      ]),
      // The guard denies PutKeyPolicy to the deployment role that creates the key, which the
      // lockout safety check would refuse; the break-glass role keeps the key manageable.
      bypassPolicyLockoutSafetyCheck: guard ? true : undefined,
      lifecycle: guard || props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    if (guard || props.preventDestroy) {
      protect(this.key, guard?.reason ?? `deleting the key makes everything encrypted with it unreadable (${props.description.replace(/^Encrypts/, 'it encrypts')})`);
    }
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: props.alias,
      targetKeyId: this.key.keyId,
    });
  }
}

/** Lets CloudWatch Logs use a key for one log group only (the group's ARN is its encryption context). */
export function logGroupKeyStatement(region: string, logGroupArn: string): PolicyStatement {
  return {
    Sid: 'CloudWatchLogsEncryptsTheLogGroup',
    Effect: 'Allow',
    Principal: { Service: `logs.${region}.amazonaws.com` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  };
}
