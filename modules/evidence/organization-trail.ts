/**
 * The Organization trail: every account, every region, global service events, log file
 * validation, SSE-KMS, delivery to CloudWatch Logs (where the CIS alarms read it), Insights, and
 * advanced event selectors that never record the archive's own buckets.
 */
import { Cloudtrail, type CloudtrailAdvancedEventSelector } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { declareLogStore } from '../core/log-store';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';

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

/** The advanced event selectors: all management events, plus S3 data events as configured. */
export function trailEventSelectors(
  s3DataEvents: S3DataEvents,
  excludedBucketPrefixes: readonly string[],
): CloudtrailAdvancedEventSelector[] {
  const selectors: CloudtrailAdvancedEventSelector[] = [
    { name: 'All management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
  ];
  const s3Objects = [
    { field: 'eventCategory', equalTo: ['Data'] },
    { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
  ];
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

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const provider = props.provider;
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logGroupKmsKeyArn,
    });
    declareLogStore(this.logGroup, { holds: ['cloudtrail'] });
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
      advancedEventSelector: trailEventSelectors(props.s3DataEvents ?? { mode: 'none' }, props.excludedBucketPrefixes),
      dependsOn: [rolePolicy],
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    acceptCheckovFindings(this.trail, [ACCEPTED.trailDeliveryWithoutSns]);
  }
}
