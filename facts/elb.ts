/**
 * Elastic Load Balancing access-log facts: who delivers the logs into S3, with which encryption,
 * under which keys, and the format of an Application Load Balancer's log entry.
 *
 * Sources: "Enable access logs for your Application Load Balancer" and "... for your Network Load
 * Balancer" (Elastic Load Balancing user guides), "Access log entries" (ALB user guide); the regional
 * account ids are those AWS lists there (also in the AWS provider's aws_elb_service_account).
 */

/**
 * The principal that writes Application and Classic Load Balancer access logs (and ALB connection
 * and health check logs). AWS introduced it for the regions opened in August 2022 or later, and now
 * recommends it in every region in place of the regional ELB account below: unlike an account, a
 * service principal carries `aws:SourceAccount` and `aws:SourceOrgID`, so a bucket can admit exactly
 * the organization's load balancers.
 */
export const ELB_LOG_DELIVERY_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** The principal that writes Network Load Balancer access logs (TLS listeners only). */
export const NLB_LOG_DELIVERY_PRINCIPAL = 'delivery.logs.amazonaws.com';

/**
 * The legacy per-region Elastic Load Balancing accounts, in the regions that opened before August
 * 2022. A bucket policy may grant one of them instead of the service principal; AWS recommends
 * replacing such grants. An AWS account principal carries no source account or organization, so
 * such a grant can be limited to the organization only by listing each account's prefix.
 */
export const LEGACY_ELB_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/**
 * Which principal a region's ALB/CLB log bucket must grant: the regional account exists only in
 * the regions opened before August 2022; the service principal works everywhere.
 */
export function elbLogDeliveryPrincipals(region: string): { readonly service: string; readonly legacyAccount?: string } {
  return { service: ELB_LOG_DELIVERY_PRINCIPAL, legacyAccount: LEGACY_ELB_ACCOUNTS[region] };
}

/**
 * Server-side encryption each load balancer type can deliver into: ALB and CLB access logs only
 * into SSE-S3 buckets; NLB access logs also into SSE-KMS with a customer managed key whose policy
 * lets `delivery.logs.amazonaws.com` use it.
 */
export const STRONGEST_LOG_BUCKET_ENCRYPTION = {
  application: 'SSE-S3',
  classic: 'SSE-S3',
  network: 'SSE-KMS',
} as const;

/** Where ELB writes a load balancer's files: `AWSLogs/<account>/elasticloadbalancing/<region>/yyyy/MM/dd/`. */
export const ELB_LOG_KEY_PREFIX = 'AWSLogs';
export const ELB_LOG_SERVICE_FOLDER = 'elasticloadbalancing';

/** S3 refuses bucket policies larger than this (bytes). */
export const MAX_BUCKET_POLICY_BYTES = 20 * 1024;

/**
 * The fields of an Application Load Balancer access log entry, in order, as the ALB user guide's
 * "Access log entries" lists them. `quoted` fields are written between double quotes. AWS appends
 * fields over time (conn_trace_id in 2024; transformed_host, transformed_uri and
 * request_transform_status in 2025): a parser must accept entries that end early and entries that
 * carry fields it does not know yet.
 */
export const ALB_LOG_FIELDS = [
  { name: 'type', quoted: false },
  { name: 'time', quoted: false },
  { name: 'elb', quoted: false },
  { name: 'client:port', quoted: false },
  { name: 'target:port', quoted: false },
  { name: 'request_processing_time', quoted: false },
  { name: 'target_processing_time', quoted: false },
  { name: 'response_processing_time', quoted: false },
  { name: 'elb_status_code', quoted: false },
  { name: 'target_status_code', quoted: false },
  { name: 'received_bytes', quoted: false },
  { name: 'sent_bytes', quoted: false },
  { name: 'request', quoted: true },
  { name: 'user_agent', quoted: true },
  { name: 'ssl_cipher', quoted: false },
  { name: 'ssl_protocol', quoted: false },
  { name: 'target_group_arn', quoted: false },
  { name: 'trace_id', quoted: true },
  { name: 'domain_name', quoted: true },
  { name: 'chosen_cert_arn', quoted: true },
  { name: 'matched_rule_priority', quoted: false },
  { name: 'request_creation_time', quoted: false },
  { name: 'actions_executed', quoted: true },
  { name: 'redirect_url', quoted: true },
  { name: 'error_reason', quoted: true },
  { name: 'target:port_list', quoted: true },
  { name: 'target_status_code_list', quoted: true },
  { name: 'classification', quoted: true },
  { name: 'classification_reason', quoted: true },
  { name: 'conn_trace_id', quoted: false },
  { name: 'transformed_host', quoted: true },
  { name: 'transformed_uri', quoted: true },
  { name: 'request_transform_status', quoted: true },
] as const;

/** Key prefixes the legacy ELB account grant must list: one per account, `AWSLogs/<account>/*`. */
export function legacyElbGrantResources(bucketArn: string, accountIds: readonly string[]): string[] {
  return accountIds.map((id) => `${bucketArn}/${ELB_LOG_KEY_PREFIX}/${id}/*`);
}

/**
 * Bytes the ALB log bucket policy holds besides the legacy grant's resource list (TLS-only,
 * deny-delete, the service principal's grant, the readers): measured at 1,000 accounts by
 * __tests__/log-collection.test.ts, which fails if the real policy outgrows this allowance.
 */
export const LB_POLICY_BYTES_BESIDES_LEGACY_RESOURCES = 3072;
