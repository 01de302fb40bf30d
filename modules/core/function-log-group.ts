/**
 * The log group of this repository's Lambda functions: encrypted with a key of its own that
 * CloudWatch Logs may use for that group only, with a retention. Made in the scope given, as
 * `key` and `log-group`.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { EncryptionKey, logGroupKeyStatement } from './encryption-key';
import { declareLogStore } from './log-store';

export interface FunctionLogGroupProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly retentionDays: number;
  readonly keyAlias: string;
  readonly keyDescription: string;
}

export function functionLogGroup(scope: Construct, props: FunctionLogGroupProps): { readonly key: EncryptionKey; readonly logGroup: CloudwatchLogGroup } {
  const key = new EncryptionKey(scope, 'key', {
    provider: props.provider,
    accountId: props.accountId,
    alias: props.keyAlias,
    description: props.keyDescription,
    statements: [logGroupKeyStatement(props.region, props.arn)],
  });
  const logGroup = new CloudwatchLogGroup(scope, 'log-group', {
    provider: props.provider,
    name: props.name,
    retentionInDays: props.retentionDays,
    kmsKeyId: key.key.arn,
  });
  declareLogStore(logGroup, { holds: ['function-logs'] });
  return { key, logGroup };
}
