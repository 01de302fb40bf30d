/**
 * Checkov findings accepted at a resource, with the reason a reviewer reads. They are written
 * into the resource's Terraform JSON comment (`"//"`, which Terraform ignores) as
 * `{"checkov": {"skip": [{"id", "comment"}]}}`; Checkov itself reads no comments in Terraform
 * JSON, so `scripts/checkov-gate.ts` applies them.
 */
import type { TerraformElement } from 'cdktf';

export interface CheckovSkip {
  readonly id: string;
  readonly reason: string;
}

/** Findings that are accepted for the same reason wherever they occur. */
export const ACCEPTED = {
  noObjectEventNotifications: {
    id: 'CKV2_AWS_62',
    reason: 'nothing consumes object events of this bucket; its writes are recorded by the Organization trail',
  },
  noCrossRegionReplication: {
    id: 'CKV_AWS_144',
    reason: 'kept in the home region by design (data residency); S3 stores objects across several AZs',
  },
  accessLogBucketIsNotLogged: {
    id: 'CKV_AWS_18',
    reason: 'the access-log bucket itself: logging it into itself would loop',
  },
  accessLogsNeedSseS3: {
    id: 'CKV_AWS_145',
    reason: 'S3 server access logs can only be delivered into a bucket encrypted with SSE-S3',
  },
  stateBucketAccessRecordedByTrail: {
    id: 'CKV_AWS_18',
    reason: 'only the deployment and plan roles read it, only the deployment role writes it; the Organization trail records object access when trail.s3DataEvents is on',
  },
  trailDeliveryWithoutSns: {
    id: 'CKV_AWS_252',
    reason: 'delivery is watched through CloudWatch Logs and the CIS alarms; an SNS message per log file is noise',
  },
  queryResultsAccessRecordedByTrail: {
    id: 'CKV_AWS_18',
    reason: 'query results expire within days; the Organization trail records object access when trail.s3DataEvents is on',
  },
  memberDetectorHasNoOrganizationConfiguration: {
    id: 'CKV2_AWS_3',
    reason: "the management account's detector is a member; the organization configuration belongs to the delegated administrator's detector",
  },
  notifierWithoutTracing: {
    id: 'CKV_AWS_50',
    reason: 'no X-Ray tracing: it needs xray:Put* on "*", which the least-privilege role leaves out',
  },
  notifierOutsideVpc: {
    id: 'CKV_AWS_117',
    reason: 'not in a VPC: the function reaches only SNS, and holds no network-reachable data',
  },
  notifierWithoutCodeSigning: {
    id: 'CKV_AWS_272',
    reason: 'no code signing: the code is bundled from this repository at synth and reviewed with it',
  },
  deploymentRoleAdministers: {
    id: 'CKV_AWS_274',
    reason: 'the deployment role deploys every resource of its account, IAM included; only the apply job and the listed deployers may assume it',
  },
  globalIamTypesRecordedInOneRegion: {
    id: 'CKV2_AWS_48',
    reason: 'records every supported resource type; the global IAM types are recorded once per account, by the recorder of awsConfig.globalResourceTypesRegion',
  },
  recordersOfTheOrganization: {
    id: 'CKV_AWS_70',
    reason: "any principal is narrowed to the organization's recorder roles (aws:PrincipalOrgID and their name pattern): accounts that join later cannot be listed",
  },
  notifierEnvironmentHoldsNoSecret: {
    id: 'CKV_AWS_173',
    reason: 'the environment holds only the topic ARN and where to look records up, no secret',
  },
  notifierEnvironmentIsNotASecret: {
    id: 'CKV_AWS_45',
    reason: 'the notification options name the detail level, a table, a workgroup, a log group and account ids: nothing secret',
  },
  loadBalancerLogsNeedSseS3: {
    id: 'CKV_AWS_145',
    reason: 'Application and Classic Load Balancers deliver access logs only into buckets encrypted with SSE-S3',
  },
  loadBalancerLogsRecordedByTrail: {
    id: 'CKV_AWS_18',
    reason: 'only ELB log delivery writes it and only the query role reads it; the Organization trail records object access when trail.s3DataEvents is on',
  },
  stagingBucketReplicatesIntoArchive: {
    id: 'CKV_AWS_18',
    reason: 'only Firehose writes it and S3 replication reads it, for days; the Organization trail records object access when trail.s3DataEvents is on',
  },
  centralizationStackWithoutSns: {
    id: 'CKV_AWS_124',
    reason: 'the stack holds one rule and only Terraform changes it, in a reviewed plan; its API calls are in the Organization trail',
  },
  pipelineErrorLogsShortRetention: {
    id: 'CKV_AWS_338',
    reason: 'Firehose delivery errors only, kept logCollection.cloudWatchLogs.pipelineLogRetentionDays; the collected logs themselves are in the archive',
  },
  integrityWithoutTracing: {
    id: 'CKV_AWS_50',
    reason: 'no X-Ray tracing: it needs xray:Put* on "*", which the least-privilege role leaves out; metrics and logs record every run',
  },
  integrityOutsideVpc: {
    id: 'CKV_AWS_117',
    reason: 'not in a VPC: the function reaches only S3, CloudTrail, CloudWatch, SNS and SQS APIs, and holds no network-reachable data',
  },
  integrityWithoutCodeSigning: {
    id: 'CKV_AWS_272',
    reason: 'no code signing: the code is bundled from this repository at synth and reviewed with it',
  },
  integrityEnvironmentHoldsNoSecret: {
    id: 'CKV_AWS_173',
    reason: 'the environment holds bucket, trail, queue and topic names, no secret',
  },
  integrityPlannerRunsOncePerSchedule: {
    id: 'CKV_AWS_115',
    reason: 'started once a day by its schedule only; a reservation would take from the account\'s unreserved concurrency for nothing',
  },
  integrityVerifierBoundedByQueue: {
    id: 'CKV_AWS_115',
    reason: "its concurrency is bounded by the SQS event source mapping's maximum concurrency (integrity.concurrency)",
  },
  integrityVerifierDeadLettersThroughQueue: {
    id: 'CKV_AWS_116',
    reason: 'invoked synchronously by the SQS event source mapping: failed messages go to the queue\'s dead-letter queue by its redrive policy',
  },
  integrityScheduleInputHoldsNoSecret: {
    id: 'CKV_AWS_297',
    reason: 'the schedule\'s input is "{}": nothing for a customer managed key to protect',
  },
  centralizedRetentionWithoutTracing: {
    id: 'CKV_AWS_50',
    reason: 'no X-Ray tracing: it needs xray:Put* on "*", which the least-privilege role leaves out; every run logs what it changed',
  },
  centralizedRetentionOutsideVpc: {
    id: 'CKV_AWS_117',
    reason: 'not in a VPC: the function reaches only the CloudWatch Logs API, and holds no network-reachable data',
  },
  centralizedRetentionWithoutCodeSigning: {
    id: 'CKV_AWS_272',
    reason: 'no code signing: the code is bundled from this repository at synth and reviewed with it',
  },
  centralizedRetentionEnvironmentHoldsNoSecret: {
    id: 'CKV_AWS_173',
    reason: 'the environment holds a log group name prefix and a number of days, no secret',
  },
  centralizedRetentionRunsOncePerSchedule: {
    id: 'CKV_AWS_115',
    reason: 'started by its schedule only, once an hour; a reservation would take from the account\'s unreserved concurrency for nothing',
  },
  centralizedRetentionRetriedByNextRun: {
    id: 'CKV_AWS_116',
    reason: 'a failed run loses nothing: the next scheduled run sweeps every centralized log group again',
  },
  centralizedRetentionScheduleInputHoldsNoSecret: {
    id: 'CKV_AWS_297',
    reason: 'the schedule\'s input is "{}": nothing for a customer managed key to protect',
  },
  centralizedRetentionLogsShortRetention: {
    id: 'CKV_AWS_338',
    reason: 'the function\'s own runs only (which retentions it set), kept logCollection.cloudWatchLogs.pipelineLogRetentionDays',
  },
  accountProjectionWithoutTracing: {
    id: 'CKV_AWS_50',
    reason: 'no X-Ray tracing: it needs xray:Put* on "*", which the least-privilege role leaves out; its log group records every run',
  },
  accountProjectionOutsideVpc: {
    id: 'CKV_AWS_117',
    reason: 'not in a VPC: the function reaches only the Organizations and Glue APIs, and holds no network-reachable data',
  },
  accountProjectionWithoutCodeSigning: {
    id: 'CKV_AWS_272',
    reason: 'no code signing: the code is bundled from this repository at synth and reviewed with it',
  },
  accountProjectionEnvironmentHoldsNoSecret: {
    id: 'CKV_AWS_173',
    reason: 'the environment holds the catalog, database and table names, no secret',
  },
  accountProjectionRepairedDaily: {
    id: 'CKV_AWS_116',
    reason: 'no dead-letter queue: every run syncs the whole projection, so the daily run repairs what a failed run missed; its errors are on the security dashboard',
  },
} as const satisfies Record<string, CheckovSkip>;

/** The shape of the accepted findings in a resource's `"//"` comment. */
export interface CheckovComment {
  readonly skip: ReadonlyArray<{ readonly id: string; readonly comment: string }>;
}

/** Accepts findings at one resource; call once per resource, with every skip it needs. */
export function acceptCheckovFindings(resource: TerraformElement, skips: readonly CheckovSkip[]): void {
  if (skips.length === 0) return;
  const comment: CheckovComment = { skip: skips.map((s) => ({ id: s.id, comment: s.reason })) };
  resource.addOverride('//.checkov', comment);
}

/** The findings accepted in a synthesized resource's comment. */
export function acceptedIn(resource: { readonly '//'?: { readonly checkov?: CheckovComment } }): CheckovSkip[] {
  return (resource['//']?.checkov?.skip ?? []).map((s) => ({ id: s.id, reason: s.comment }));
}
