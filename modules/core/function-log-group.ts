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

/** The props of every construct whose functions log to a group of their own. */
export interface FunctionLogGroupSettings {
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  /** The functions' log group. */
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly logRetentionDays: number;
  /** Alias of the key that encrypts the log group. */
  readonly keyAlias: string;
  /** What the log group's data protection policy masks. */
  readonly masking: LogMasking;
}

export interface FunctionLogGroupOptions {
  readonly keyDescription: string;
  /** What the log group holds. @default ['function-logs'] */
  readonly holds?: readonly LogTypeName[];
}

/** Reads only the settings' own fields: a construct passes its whole props. */
export function functionLogGroup(scope: Construct, settings: FunctionLogGroupSettings, options: FunctionLogGroupOptions): { readonly key: EncryptionKey; readonly logGroup: CloudwatchLogGroup } {
  const key = new EncryptionKey(scope, 'key', {
    provider: settings.provider,
    accountId: settings.accountId,
    alias: settings.keyAlias,
    description: options.keyDescription,
    statements: [logGroupKeyStatement(settings.region, settings.logGroupArn)],
  });
  const logGroup = new CloudwatchLogGroup(scope, 'log-group', {
    provider: settings.provider,
    name: settings.logGroupName,
    retentionInDays: settings.logRetentionDays,
    kmsKeyId: key.key.arn,
  });
  declareLogStore(logGroup, { holds: options.holds ?? ['function-logs'] });
  maskLogGroup(scope, 'data-protection', { provider: settings.provider, logGroup, masking: settings.masking });
  return { key, logGroup };
}
