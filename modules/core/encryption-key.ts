/** A customer-managed KMS key with yearly rotation, an alias, and a policy built from statements. */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { type PolicyStatement, policyDocument } from './policy-document';

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
   * Keep Terraform from ever scheduling the key's deletion (keys whose loss loses evidence).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

export class EncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
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
      ]),
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
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
