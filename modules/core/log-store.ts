/**
 * What a store of the landing zone holds, declared where the store is made: a bucket, log group,
 * queue or stream names the log types it keeps (facts/personal-data.ts), or says why it keeps no
 * log data. The declaration is written into the resource's Terraform JSON comment (`"//"`, which
 * Terraform ignores) as `{"logStore": {...}}`, where the processing record and the retention test
 * read it from the synthesized stacks.
 */
import type { TerraformElement } from 'cdktf';
import type { LogTypeName } from '../../facts/personal-data';

export type LogStore =
  | {
      readonly holds: readonly LogTypeName[];
      /** Why the store keeps its data without end: set only from an acknowledgement in the config. */
      readonly keptWithoutEndBecause?: string;
    }
  | { readonly holds: readonly []; readonly noLogDataBecause: string };

/** Resource types that keep data: every one of them declares what it holds. */
export const STORE_TYPES = [
  'aws_s3_bucket',
  'aws_cloudwatch_log_group',
  'aws_sqs_queue',
  'aws_kinesis_firehose_delivery_stream',
  'aws_cloudtrail_event_data_store',
  'aws_securitylake_data_lake',
] as const;

export function declareLogStore(resource: TerraformElement, store: LogStore): void {
  resource.addOverride('//.logStore', store);
}

/** The declaration in a synthesized resource's comment, if any. */
export function logStoreOf(resource: { readonly '//'?: { readonly logStore?: LogStore } }): LogStore | undefined {
  return resource['//']?.logStore;
}
