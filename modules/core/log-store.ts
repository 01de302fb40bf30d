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

/**
 * Log groups that an AWS service makes outside Terraform (the centralization rule's copies), so no
 * resource of a stack is the store. They are declared on the resource that keeps them in bounds
 * (the function that sets their retention), whose provider says their account and region, as
 * `{"serviceLogGroups": {...}}` in its comment; the processing record and the retention test read
 * them there.
 */
export interface ServiceLogGroups {
  readonly holds: readonly LogTypeName[];
  /** Every such log group's name starts with it. */
  readonly namePrefix: string;
  /** Who makes them, for the reader of the record. */
  readonly madeBy: string;
  /** The retention every one of them is given, and by what. */
  readonly retentionDays: number;
  readonly retentionSetBy: string;
  /** The key they are encrypted with (ARN or reference). */
  readonly kmsKeyArn: string;
}

export function declareServiceLogGroups(resource: TerraformElement, groups: ServiceLogGroups): void {
  resource.addOverride('//.serviceLogGroups', groups);
}

/** The service-made log groups declared in a synthesized resource's comment, if any. */
export function serviceLogGroupsOf(resource: { readonly '//'?: { readonly serviceLogGroups?: ServiceLogGroups } }): ServiceLogGroups | undefined {
  return resource['//']?.serviceLogGroups;
}
