/**
 * The policy of the unlocked bucket that receives the S3 server access logs of the archive (and of
 * the Config bucket, when AWS Config delivers there), the record of who read the evidence. S3 cannot deliver access logs into an Object Lock bucket, so this bucket
 * is guarded by policy instead: S3's log delivery writes, nobody deletes a log or the bucket, and
 * only the deployment role may change the policy, lifecycle or versioning. Its lifecycle still
 * expires the logs: lifecycle expiration is S3's own work, not a request a bucket policy denies.
 */
import type { PolicyStatement } from '../core/policy-document';
import { DESTRUCTIVE_ACTIONS, GUARD_ACTIONS } from './archive-bucket';

export interface AccessLogBucketPolicyProps {
  readonly bucketArn: string;
  /** Account of the bucket and of the buckets whose access it logs. */
  readonly accountId: string;
  /** The buckets whose server access logs are delivered here, each under its own key prefix; `label` names its grant (letters only). */
  readonly loggedBuckets: readonly { readonly arn: string; readonly prefix: string; readonly label: string }[];
  /** The one principal allowed to change the bucket's policy, lifecycle and versioning. */
  readonly administratorRoleArn: string;
}

export function accessLogBucketStatements(props: AccessLogBucketPolicyProps): PolicyStatement[] {
  const { bucketArn } = props;
  return [
    // one grant per logged bucket, each for its own prefix only, as AWS's example grant names the
    // target prefix and the source bucket (AmazonS3/latest/userguide/enable-server-access-logging.html)
    ...props.loggedBuckets.map((b): PolicyStatement => ({
      Sid: `S3DeliversAccessLogsOf${b.label}`,
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${b.prefix}*`,
      Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': b.arn } },
    })),
    {
      Sid: 'DenyDeletingAccessLogs',
      Effect: 'Deny',
      Principal: '*',
      Action: [...DESTRUCTIVE_ACTIONS],
      Resource: [bucketArn, `${bucketArn}/*`],
    },
    {
      Sid: 'DenyShorteningAccessLogs',
      Effect: 'Deny',
      Principal: '*',
      Action: [...GUARD_ACTIONS],
      Resource: bucketArn,
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': props.administratorRoleArn } },
    },
  ];
}
