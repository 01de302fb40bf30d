/** IAM Access Analyzer facts. */

export const ACCESS_ANALYZER_SERVICE_PRINCIPAL = 'access-analyzer.amazonaws.com';

/** Days without use after which an unused access analyzer reports access: 1 to 365 (UnusedAccessConfiguration.unusedAccessAge). */
export const UNUSED_ACCESS_AGE_DAYS = { min: 1, max: 365 } as const;
