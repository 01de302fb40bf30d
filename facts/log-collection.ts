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
 * A centralization rule names the log groups it creates in the destination from
 * `DestinationLogsConfiguration.LogGroupNameConfiguration.LogGroupNamePattern`: static text and the
 * variables `${source.logGroup}` (the source log group's whole name, with its leading `/` where it
 * has one), `${source.accountId}`, `${source.region}`, `${source.org.id}`, `${source.org.ouId}`,
 * `${source.org.rootId}` and `${source.org.path}`; 1-512 characters of `[._\-/#A-Za-z0-9]` and
 * variables (CloudWatch Observability Admin API reference, LogGroupNameConfiguration). Without a
 * pattern a copy takes the source's name.
 */
export const LOG_GROUP_NAME_PATTERN = /^(?:[._\-/#A-Za-z0-9]+|\$\{[A-Za-z]+(?:\.[A-Za-z]+){1,2}\})+$/;
export const LOG_GROUP_NAME_PATTERN_MAX_LENGTH = 512;

/**
 * The landing zone's choice, in one place: every centralized copy in the Log Archive is named
 * `collected/ACCOUNT/REGION` followed by the source's name (`collected/444444444441/eu-west-1/aws/lambda/orders`),
 * so that one prefix selects every copy (for the function that sets their retention, for IAM and
 * for Logs Insights), the copies of two accounts' `/aws/lambda/orders` stay apart, and no copy
 * shares the name space of the Log Archive's own log groups (`/aws/...`, which AWS's services name).
 * A source name without a leading `/` follows the region directly.
 */
export const CENTRALIZED_LOG_GROUP_PREFIX = 'collected/';
export const CENTRALIZED_LOG_GROUP_NAME_PATTERN = `${CENTRALIZED_LOG_GROUP_PREFIX}\${source.accountId}/\${source.region}\${source.logGroup}`;

/** The name the rule gives the copy of a source log group under CENTRALIZED_LOG_GROUP_NAME_PATTERN. */
export function centralizedLogGroupName(source: { readonly accountId: string; readonly region: string; readonly logGroup: string }): string {
  return `${CENTRALIZED_LOG_GROUP_PREFIX}${source.accountId}/${source.region}${source.logGroup}`;
}

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
