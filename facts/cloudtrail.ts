/** CloudTrail facts: Insights types, where an Organization trail writes, where global events arrive. */

export const INSIGHT_TYPES = ['ApiCallRateInsight', 'ApiErrorRateInsight'] as const;

/** Prefixes under which CloudTrail writes an Organization trail's files. */
export function trailWritePrefixes(managementAccountId: string, organizationId: string): string[] {
  return [`AWSLogs/${managementAccountId}`, `AWSLogs/${organizationId}`];
}

/** CloudTrail delivers global service events (IAM, STS, console sign-in) to us-east-1, governed or not. */
export const GLOBAL_EVENTS_REGION = 'us-east-1';
