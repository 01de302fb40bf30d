/** CloudWatch Logs facts: the retention periods it offers and its filter pattern limits. */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;

/** CloudWatch Logs accepts subscription filter patterns of at most this many characters. */
export const MAX_SUBSCRIPTION_PATTERN_LENGTH = 1024;
