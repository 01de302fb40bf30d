/**
 * Facts of the services that carry CloudWatch Logs into S3 and keep CloudTrail Lake: their limits
 * and the names AWS gives their own log groups.
 */

/**
 * Firehose buffering hints of an S3 destination: 1-128 MiB and 0-900 seconds (Amazon Data Firehose
 * developer guide, "Configure buffering hints"; the API's BufferingHints).
 */
export const FIREHOSE_BUFFER_SIZE_MIB = { min: 1, max: 128 } as const;
export const FIREHOSE_BUFFER_INTERVAL_SECONDS = { min: 0, max: 900 } as const;

/**
 * CloudWatch Logs sends subscription data to Firehose gzip-compressed already; Firehose must not
 * compress it again (CloudWatch Logs user guide, "Using CloudWatch Logs subscription filters").
 */
export const CLOUDWATCH_LOGS_RECORDS_ARE_GZIPPED = true;

/** The log group Firehose writes its delivery errors to: `/aws/kinesisfirehose/<stream>`. */
export function firehoseErrorLogGroup(streamName: string): string {
  return `/aws/kinesisfirehose/${streamName}`;
}

/** Lambda writes a function's logs to `/aws/lambda/<function>` unless told otherwise. */
export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/**
 * An account-level subscription filter policy (`PutAccountPolicy`, SUBSCRIPTION_FILTER_POLICY)
 * selects log groups only by `LogGroupName NOT IN [...]`; one policy per account and region.
 */
export const ACCOUNT_SUBSCRIPTION_POLICY_MAX_EXCLUDED = 50;

/**
 * A centralization rule's `LogGroupSelectionCriteria` uses the OAM link filter syntax
 * (`LogGroupName LIKE '/aws/lambda/%' OR ...`), at most 2,000 characters.
 */
export const CENTRALIZATION_SELECTION_MAX_LENGTH = 2000;

/**
 * CloudTrail Lake event data store retention: 7-3653 days with extendable retention pricing,
 * 7-2557 days with seven-year (fixed) retention pricing (CloudTrail user guide, "Event data store
 * pricing options").
 */
export const EVENT_DATA_STORE_RETENTION_DAYS = {
  EXTENDABLE_RETENTION_PRICING: { min: 7, max: 3653 },
  FIXED_RETENTION_PRICING: { min: 7, max: 2557 },
} as const;

/**
 * The OAM-filter expression that selects the log groups whose names start with one of the
 * prefixes, less the excluded names (OAM link filter syntax: LIKE, NOT IN, AND, OR, parentheses;
 * in LIKE, `%` matches any run of characters and `_` any one character).
 */
export function centralizationSelectionCriteria(prefixes: readonly string[], excluded: readonly string[] = []): string {
  const selected = prefixes.map((p) => `LogGroupName LIKE '${p}%'`).join(' OR ');
  if (excluded.length === 0) return selected;
  return `(${selected}) AND LogGroupName NOT IN (${excluded.map((g) => `'${g}'`).join(', ')})`;
}
