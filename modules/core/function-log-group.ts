/**
 * The log group of this repository's Lambda functions (and of the data protection findings):
 * encrypted with a key of its own that CloudWatch Logs may use for that group only, with a
 * retention and a data protection policy. Made in the scope given, as `key`, `log-group` and
 * `data-protection`.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { EncryptionKey, logGroupKeyStatement } from './encryption-key';
import { type LogMasking, maskLogGroup } from './data-protection';
import { declareLogStore } from './log-store';
import type { LogTypeName } from '../../facts/personal-data';

export interface FunctionLogGroupProps {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly retentionDays: number;
  readonly keyAlias: string;
  readonly keyDescription: string;
  /** What the data protection policy masks. */
  readonly masking: LogMasking;
  /** What the log group holds. @default ['function-logs'] */
  readonly holds?: readonly LogTypeName[];
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
  declareLogStore(logGroup, { holds: props.holds ?? ['function-logs'] });
  maskLogGroup(scope, 'data-protection', { provider: props.provider, logGroup, masking: props.masking });
  return { key, logGroup };
}
