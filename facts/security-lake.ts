/** Security Lake facts: the AWS log sources it collects, what each carries, and the prefix of its buckets. */

export const SECURITY_LAKE_SOURCES = [
  'CLOUD_TRAIL_MGMT', 'S3_DATA', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS', 'EKS_AUDIT',
  'LAMBDA_EXECUTION', 'WAF',
] as const;

export type SecurityLakeSource = (typeof SECURITY_LAKE_SOURCES)[number];

/** Collected unless the config says otherwise: the organization's management events, which the trail records anyway. */
export const DEFAULT_SECURITY_LAKE_SOURCES = ['CLOUD_TRAIL_MGMT'] as const satisfies readonly SecurityLakeSource[];

/**
 * The personal data each source brings into the lake, from the fields of the AWS log each one
 * normalises (CloudTrail records, VPC Flow Logs, Route 53 Resolver query logs, WAF logs, EKS audit
 * logs, Security Hub findings).
 */
export const SECURITY_LAKE_SOURCE_PERSONAL_DATA: Record<SecurityLakeSource, string> = {
  CLOUD_TRAIL_MGMT: 'principal names and ARNs, source IP addresses, user agents of management API calls',
  S3_DATA: 'the same for every object read and write, with the object keys (often names or customer ids)',
  VPC_FLOW: 'source and destination IP addresses and ports of every network flow',
  ROUTE53: 'every DNS name workloads and users resolve, with the querying IP address',
  SH_FINDINGS: 'principals, IP addresses and resources named in security findings',
  EKS_AUDIT: 'Kubernetes user names, groups, source IPs and the objects they touched',
  LAMBDA_EXECUTION: 'principals and source IPs of every function invocation',
  WAF: 'client IP addresses, full request URIs, query strings and headers of web requests',
};

export const SECURITY_LAKE_BUCKET_PREFIX = 'aws-security-data-lake-';
