/** Security Lake facts: the AWS log sources it collects and the prefix of its buckets. */

export const SECURITY_LAKE_SOURCES = [
  'CLOUD_TRAIL_MGMT', 'S3_DATA', 'VPC_FLOW', 'ROUTE53', 'SH_FINDINGS', 'EKS_AUDIT',
  'LAMBDA_EXECUTION', 'WAF',
] as const;

export const SECURITY_LAKE_BUCKET_PREFIX = 'aws-security-data-lake-';
