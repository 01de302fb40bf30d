/**
 * The policy of the unlocked bucket that receives the archive's S3 server access logs, the record
 * of who read the evidence. S3 cannot deliver access logs into an Object Lock bucket, so this bucket
 * is guarded by policy instead: S3's log delivery writes, nobody deletes a log or the bucket, and
 * only the deployment role may change the policy, lifecycle or versioning. Its lifecycle still
 * expires the logs: lifecycle expiration is S3's own work, not a request a bucket policy denies.
 */
import type { PolicyStatement } from '../core/policy-document';
import { DESTRUCTIVE_ACTIONS, GUARD_ACTIONS } from './archive-bucket';

export interface AccessLogBucketPolicyProps {
  readonly bucketArn: string;
  /** Account of the bucket and of the bucket whose access it logs. */
  readonly accountId: string;
  /** The bucket whose server access logs are delivered here. */
  readonly loggedBucketArn: string;
  /** Key prefix the logs are delivered under. */
  readonly prefix: string;
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
      // exactly the archive's log prefix, as AWS's example grant names the target prefix
      // (AmazonS3/latest/userguide/enable-server-access-logging.html, "bucket policy")
      Resource: `${bucketArn}/${props.prefix}*`,
      Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': props.loggedBucketArn } },
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
