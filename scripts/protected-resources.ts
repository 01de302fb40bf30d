/**
 * The resources a pull request must not delete or replace without an explicit decision: the
 * ones whose loss loses evidence or switches off a guard. One table, read by `plan-review`.
 * A rule matches on the resource type and, for S3, on the bucket being the Log Archive or the
 * Terraform state bucket (recognised by the name patterns of config/names.ts).
 */

/** What a planned resource looks like to a rule: its type and its attribute values. */
export interface PlannedResource {
  readonly type: string;
  /** `before` values where the resource exists (delete, replace, update), else `after`. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ProtectionRule {
  readonly type: string;
  /** Why deleting or replacing it needs a decision; shown to reviewers. */
  readonly reason: string;
  /** Further condition on the values; without it every resource of the type is protected. */
  readonly when?: (values: Readonly<Record<string, unknown>>) => boolean;
}

/** `PREFIX-log-archive-ACCOUNT-REGION` (names.archiveBucket). */
const ARCHIVE_BUCKET = /^[a-z][a-z0-9-]*-log-archive-\d{12}-[a-z]{2}(-[a-z]+)+-\d$/;
/** `PREFIX-tfstate-ACCOUNT-REGION` (names.stateBucket). */
const STATE_BUCKET = /^[a-z][a-z0-9-]*-tfstate-\d{12}-[a-z]{2}(-[a-z]+)+-\d$/;

/** `PREFIX-log-integrity-...` (names.logIntegrity): the daily digest-chain verification's functions, schedule and alarms. */
const LOG_INTEGRITY = /^[a-z][a-z0-9-]*-log-integrity-[a-z-]+$/;

export function isLogIntegrity(name: unknown): boolean {
  return typeof name === 'string' && LOG_INTEGRITY.test(name);
}

export function isArchiveBucket(name: unknown): boolean {
  return typeof name === 'string' && ARCHIVE_BUCKET.test(name);
}

export function isStateBucket(name: unknown): boolean {
  return typeof name === 'string' && STATE_BUCKET.test(name);
}

const archiveBucket = (values: Readonly<Record<string, unknown>>) => isArchiveBucket(values.bucket);
const stateBucket = (values: Readonly<Record<string, unknown>>) => isStateBucket(values.bucket);

export const PROTECTION_RULES: readonly ProtectionRule[] = [
  { type: 'aws_s3_bucket', when: archiveBucket, reason: 'the Log Archive bucket holds the organization\'s evidence (Object Lock); a new bucket starts empty and unlocked' },
  { type: 'aws_s3_bucket', when: stateBucket, reason: 'the Terraform state bucket holds the state of every stack' },
  { type: 'aws_s3_bucket_object_lock_configuration', reason: 'Object Lock keeps the evidence undeletable until its retention ends' },
  { type: 'aws_s3_bucket_policy', when: archiveBucket, reason: 'the archive bucket policy denies deleting evidence and loosening the guard' },
  { type: 'aws_s3_bucket_policy', when: stateBucket, reason: 'the state bucket policy enforces TLS on the state of every stack' },
  { type: 'aws_s3_bucket_lifecycle_configuration', when: archiveBucket, reason: 'the archive lifecycle never expires evidence before its retention; a replacement may not' },
  { type: 'aws_s3_bucket_versioning', when: archiveBucket, reason: 'deleting the versioning resource suspends versioning of the archive' },
  { type: 'aws_s3_bucket_versioning', when: stateBucket, reason: 'deleting the versioning resource suspends versioning of the state, the only way back from a bad apply' },
  { type: 'aws_kms_key', reason: 'a deleted KMS key makes everything encrypted with it unreadable (archive, trail logs, state)' },
  { type: 'aws_cloudtrail', reason: 'the Organization trail records every API call of every account; without it nothing is recorded' },
  { type: 'aws_cloudtrail_event_data_store', reason: 'the CloudTrail Lake event data store holds the organization\'s events for its retention; a new one starts empty' },
  { type: 'aws_s3_bucket_replication_configuration', reason: 'it copies the collected CloudWatch Logs from staging into the archive; without it they expire in staging unarchived' },
  { type: 'aws_guardduty_detector', reason: 'deleting the detector stops GuardDuty in its region and discards its findings' },
  { type: 'aws_guardduty_organization_admin_account', reason: 'without the delegated administrator GuardDuty stops covering the member accounts in its region' },
  { type: 'aws_guardduty_organization_configuration', reason: 'it auto-enables GuardDuty and its protection plans in every member account' },
  { type: 'aws_securitylake_data_lake', reason: 'deleting the data lake stops collection in every governed region' },
  { type: 'aws_organizations_policy', reason: 'the SCPs keep member accounts from switching off logging and security services' },
  { type: 'aws_organizations_policy_attachment', reason: 'a detached SCP no longer protects the logging and security services' },
  { type: 'aws_lambda_function', when: (v) => isLogIntegrity(v.function_name), reason: 'the log integrity check proves every day that no CloudTrail file was altered or removed; without it nothing checks' },
  { type: 'aws_scheduler_schedule', when: (v) => isLogIntegrity(v.name), reason: 'the schedule starts the daily log integrity check; without it the check never runs' },
  { type: 'aws_lambda_event_source_mapping', when: (v) => isLogIntegrity(String(v.function_name ?? '').split(':').pop()), reason: 'it feeds the log integrity verifier; without it no account or region is verified' },
  { type: 'aws_cloudwatch_metric_alarm', when: (v) => isLogIntegrity(v.alarm_name), reason: 'the alarm reports tampering with the CloudTrail files (or a check that could not run); without it a failure goes unseen' },
];

/** Why a resource is protected, or undefined where it is not. */
export function protectionOf(resource: PlannedResource): string | undefined {
  return PROTECTION_RULES.find((rule) => rule.type === resource.type && (rule.when?.(resource.values) ?? true))?.reason;
}
