/**
 * The Organization trail: every account, every region, global service events, log file
 * validation, SSE-KMS, delivery to CloudWatch Logs (where the CIS alarms read it, masked), Insights, and
 * advanced event selectors: every read and every deletion of the evidence in the archive bucket is
 * recorded, the trail's own deliveries into it never (they would record themselves without end).
 */
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { type LogMasking, maskLogGroup } from '../core/data-protection';
import { declareLogStore } from '../core/log-store';
import type { DashboardPanel, MetricLocation } from '../core/dashboard-panel';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';
import { protect } from '../core/protection';

/** Which S3 object-level (data) events the trail records. */
export type S3DataEvents =
  | { readonly mode: 'none' }
  | { readonly mode: 'all-except-archive' }
  | { readonly mode: 'listed'; readonly buckets: readonly string[] };

export interface OrganizationTrailProps {
  /** The management account's provider in the home region. */
  readonly provider: AwsProvider;
  readonly trailName: string;
  /** The trail's ARN as every other policy names it; must match the trail created here. */
  readonly trailArn: string;
  readonly bucketName: string;
  /** KMS key that encrypts the log files (the archive key). */
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
  readonly logGroupKmsKeyArn: string;
  readonly logRetentionDays: number;
  /** What the log group's data protection policy masks (the CIS metric filters and the notifier see the masked records). */
  readonly masking: LogMasking;
  readonly cloudWatchRoleName: string;
  /** @default [] */
  readonly insights?: readonly string[];
  /** @default { mode: 'none' } */
  readonly s3DataEvents?: S3DataEvents;
  /**
   * Bucket name prefixes whose data events are never recorded: the archive's own buckets, whose
   * recording would log the trail's own writes without end.
   */
  readonly excludedBucketPrefixes: readonly string[];
  /** Terraform refuses to destroy the trail; only a removable test organization turns it off. @default true */
  readonly preventDestroy?: boolean;
}

/**
 * Write events of the archive that are its deliveries, not access to evidence: CloudTrail and the
 * GuardDuty export write with PutObject. Every other write event (deletions, retention and legal
 * hold changes, copies, restores) is recorded.
 */
export const ARCHIVE_DELIVERY_EVENTS = ['PutObject'] as const;

/**
 * The advanced event selectors: all management events; every read and every write but a delivery
 * of the archive's objects (given the archive bucket); and S3 data events elsewhere as configured. Within a selector all field
 * conditions must match; an event is recorded when any selector matches (CloudTrail, "Filtering data
 * events by using advanced event selectors").
 */
export function trailEventSelectors(
  s3DataEvents: S3DataEvents,
  excludedBucketPrefixes: readonly string[],
  archiveBucketName?: string,
): CloudtrailAdvancedEventSelector[] {
  const s3Objects = [
    { field: 'eventCategory', equalTo: ['Data'] },
    { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
  ];
  const selectors: CloudtrailAdvancedEventSelector[] = [
    { name: 'All management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
  ];
  if (archiveBucketName !== undefined) {
    const archiveObjects = { field: 'resources.ARN', startsWith: [`arn:aws:s3:::${archiveBucketName}/`] };
    selectors.push(
      { name: 'Reads of the evidence', fieldSelector: [...s3Objects, { field: 'readOnly', equalTo: ['true'] }, archiveObjects] },
      {
        name: 'Deletions and changes of the evidence',
        fieldSelector: [...s3Objects, { field: 'readOnly', equalTo: ['false'] }, archiveObjects, { field: 'eventName', notEquals: [...ARCHIVE_DELIVERY_EVENTS] }],
      },
    );
  }
  const excluded = excludedBucketPrefixes.map((b) => `arn:aws:s3:::${b}`);
  if (s3DataEvents.mode === 'all-except-archive') {
    selectors.push({
      name: 'S3 object events outside the log archive',
      fieldSelector: [...s3Objects, { field: 'resources.ARN', notStartsWith: excluded }],
    });
  } else if (s3DataEvents.mode === 'listed') {
    selectors.push({
      name: 'S3 object events of the listed buckets',
      fieldSelector: [
        ...s3Objects,
        { field: 'resources.ARN', startsWith: s3DataEvents.buckets.map((b) => `arn:aws:s3:::${b}/`) },
      ],
    });
  }
  return selectors;
}

export class OrganizationTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly logGroup: CloudwatchLogGroup;
  private readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    this.logGroupName = props.logGroupName;
    const provider = props.provider;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logGroupKmsKeyArn,
    });
    declareLogStore(this.logGroup, { holds: ['cloudtrail'] });
    maskLogGroup(this, 'data-protection', { provider, logGroup: this.logGroup, masking: props.masking });
    const role = new IamRole(this, 'cloudwatch-role', {
      provider,
      name: props.cloudWatchRoleName,
      description: 'CloudTrail delivers the Organization trail to its CloudWatch Logs group',
      assumeRolePolicy: serviceAssumeRolePolicy('cloudtrail.amazonaws.com', props.trailArn),
    });
    const rolePolicy = new IamRolePolicy(this, 'cloudwatch-role-policy', {
      provider,
      role: role.name,
      name: 'deliver-to-log-group',
      policy: policyDocument([
        {
          Sid: 'WriteTrailLogStreams',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `${this.logGroup.arn}:log-stream:*`,
        },
      ]),
    });
    this.trail = new Cloudtrail(this, 'trail', {
      provider,
      name: props.trailName,
      s3BucketName: props.bucketName,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      insightSelector: (props.insights ?? []).map((insightType) => ({ insightType })),
      advancedEventSelector: trailEventSelectors(props.s3DataEvents ?? { mode: 'none' }, props.excludedBucketPrefixes, props.bucketName),
      dependsOn: [rolePolicy],
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    acceptCheckovFindings(this.trail, [ACCEPTED.trailDeliveryWithoutSns]);
    protect(this.trail, 'the Organization trail records every API call of every account; without it nothing is recorded');
    protect(this.logGroup, 'the CIS alarms and the notifier read the trail in this log group; a new group starts empty');
  }

  /** What CloudTrail delivers to the log group (the CIS alarms read it): nothing for long is a broken delivery. */
  deliveryPanel(location: MetricLocation): DashboardPanel {
    const metric = (metricName: string, label: string) => ({
      ...location, namespace: 'AWS/Logs', metricName, dimensions: { LogGroupName: this.logGroupName }, statistic: 'Sum' as const, periodSeconds: 300, label,
    });
    return {
      title: `Trail delivery to CloudWatch Logs (${this.logGroupName})`,
      metrics: [metric('IncomingLogEvents', 'CloudTrail events delivered')],
    };
  }
}
