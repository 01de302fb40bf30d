/** Athena partition projection facts (Athena User Guide, "Partition projection with Amazon Athena"). */

/**
 * The table parameter that lists the values of an `enum` projected column is
 * `projection.COLUMN.values`, comma-separated; the trail table projects its `account` column so.
 */
export const ACCOUNT_PROJECTION_PARAMETER = 'projection.account.values';
