/**
 * What S3 bills for keeping objects, as the Amazon S3 pricing page lists it for US East
 * (N. Virginia) in USD (list prices of 2025; other regions differ by a few percent), and the
 * per-object overheads the S3 user guide documents. The cost model in scripts/cost-model.ts
 * reads only these.
 */

/** S3 Standard, per GB-month, by the tier the bucket's total Standard storage reaches. */
export const STANDARD_TIERS: ReadonlyArray<{ readonly upToGb: number; readonly perGbMonth: number }> = [
  { upToGb: 50 * 1024, perGbMonth: 0.023 },
  { upToGb: 500 * 1024, perGbMonth: 0.022 },
  { upToGb: Number.POSITIVE_INFINITY, perGbMonth: 0.021 },
];

/** Storage per GB-month of the classes the archive moves objects into. */
export const STORAGE_PER_GB_MONTH: Readonly<Record<string, number>> = {
  STANDARD_IA: 0.0125,
  ONEZONE_IA: 0.01,
  INTELLIGENT_TIERING: 0.023,
  GLACIER_IR: 0.004,
  GLACIER: 0.0036,
  DEEP_ARCHIVE: 0.00099,
};

/** PUT requests (how CloudTrail writes), per 1,000. */
export const PUT_PER_1000 = 0.005;

/** Lifecycle transition requests into each class, per 1,000: every object moved is one request. */
export const TRANSITION_PER_1000: Readonly<Record<string, number>> = {
  STANDARD_IA: 0.01,
  ONEZONE_IA: 0.01,
  INTELLIGENT_TIERING: 0.01,
  GLACIER_IR: 0.02,
  GLACIER: 0.03,
  DEEP_ARCHIVE: 0.05,
};

/**
 * Smallest size billed, in KB: an object under 128 KB in Standard-IA, One Zone-IA or Glacier
 * Instant Retrieval is billed as 128 KB (S3 user guide, "Comparing the Amazon S3 storage classes").
 */
export const MINIMUM_BILLABLE_KB: Readonly<Record<string, number>> = { STANDARD_IA: 128, ONEZONE_IA: 128, GLACIER_IR: 128 };

/**
 * Every object archived in Glacier Flexible Retrieval or Deep Archive carries 32 KB of index billed
 * at that class's rate and 8 KB of name and metadata billed at the Standard rate (S3 user guide,
 * "Understanding archival storage in S3 Glacier Flexible Retrieval and S3 Glacier Deep Archive").
 */
export const ARCHIVED_OBJECT_OVERHEAD_KB = { atClassRate: 32, atStandardRate: 8 } as const;
export const ARCHIVED_CLASSES: readonly string[] = ['GLACIER', 'DEEP_ARCHIVE'];

/** Restoring from Deep Archive: per GB and per 1,000 requests, standard (within 12 hours) and bulk (within 48 hours). */
export const DEEP_ARCHIVE_RESTORE = {
  standard: { perGb: 0.02, per1000: 0.1, hours: 12 },
  bulk: { perGb: 0.0025, per1000: 0.025, hours: 48 },
} as const;
