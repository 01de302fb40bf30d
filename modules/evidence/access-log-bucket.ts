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
  /** The buckets whose server access logs are delivered here, each under its own key prefix. */
  readonly loggedBuckets: readonly { readonly arn: string; readonly prefix: string }[];
  /** The one principal allowed to change the bucket's policy, lifecycle and versioning. */
  readonly administratorRoleArn: string;
}

export function accessLogBucketStatements(props: AccessLogBucketPolicyProps): PolicyStatement[] {
  const { bucketArn } = props;
  return [
    {
      Sid: 'S3DeliversTheArchiveAccessLogs',
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      // exactly each logged bucket's prefix, as AWS's example grant names the target prefix
      // (AmazonS3/latest/userguide/enable-server-access-logging.html, "bucket policy")
      Resource: props.loggedBuckets.map((b) => `${bucketArn}/${b.prefix}*`),
      Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': props.loggedBuckets.map((b) => b.arn) } },
    },
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
