/**
 * Security Hub CSPM facts: the standards it offers and their ARNs, its severity labels, its control
 * identifiers, and where its home (aggregation) Region may be.
 */

/** CIS AWS Foundations Benchmark versions Security Hub CSPM offers, newest first (CSPM user guide, "CIS AWS Foundations Benchmark"). */
export const CIS_BENCHMARK_VERSIONS = ['5.0.0', '3.0.0', '1.4.0', '1.2.0'] as const;

export type CisBenchmarkVersion = (typeof CIS_BENCHMARK_VERSIONS)[number];

/** The newest CIS version AWS offers: the default. */
export const NEWEST_CIS_BENCHMARK_VERSION: CisBenchmarkVersion = CIS_BENCHMARK_VERSIONS[0];

/**
 * Standards ARNs as AWS documents them (DescribeStandards; the AWS provider's
 * aws_securityhub_standards_subscription reference). CIS 1.2.0 is the one global "ruleset" ARN;
 * every later standard is named per Region.
 */
export function cisBenchmarkStandardArn(version: CisBenchmarkVersion, region: string): string {
  return version === '1.2.0'
    ? 'arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0'
    : `arn:aws:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/${version}`;
}

export function foundationalBestPracticesStandardArn(region: string): string {
  return `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;
}

/** The standards ARNs AWS documents, to check an ARN against. */
export function documentedStandardArns(region: string): string[] {
  return [foundationalBestPracticesStandardArn(region), ...CIS_BENCHMARK_VERSIONS.map((v) => cisBenchmarkStandardArn(v, region))];
}

/**
 * ASFF Severity.Label values, lowest first. A passed control check is INFORMATIONAL, so a
 * threshold of LOW or more never notifies passed checks (ASFF, "Severity").
 */
export const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** The labels a notification threshold may name (every label but that of passed checks). */
export const NOTIFIABLE_SEVERITY_LABELS = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

export type SeverityLabel = (typeof SEVERITY_LABELS)[number];

/** The labels at or above a threshold. */
export function labelsAtOrAbove(minimum: SeverityLabel): SeverityLabel[] {
  return SEVERITY_LABELS.slice(SEVERITY_LABELS.indexOf(minimum));
}

/** Security control identifiers, e.g. IAM.6, EC2.10, CloudWatch.1. */
export const SECURITY_CONTROL_ID_PATTERN = /^[A-Za-z0-9]+\.\d+$/;

/** ASFF ProductName of GuardDuty's findings, which have their own notification path. */
export const GUARDDUTY_PRODUCT_NAME = 'GuardDuty';

export const SECURITY_HUB_SERVICE_PRINCIPAL = 'securityhub.amazonaws.com';
