/**
 * The Log Archive's load balancer log buckets of one region (ELB delivers only into a bucket of the
 * load balancer's own region; another account is fine): one for Application and Classic Load
 * Balancers, which can deliver only into SSE-S3, and one for Network Load Balancers, under a
 * customer managed key. Each admits the delivery service only for the organization's accounts,
 * each account only under its own `AWSLogs/<account>/` prefix, only over TLS, and nobody deletes.
 */
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ELB_LOG_DELIVERY_PRINCIPAL, ELB_LOG_KEY_PREFIX, legacyElbGrantResources, MAX_BUCKET_POLICY_BYTES, NLB_LOG_DELIVERY_PRINCIPAL } from '../../facts/elb';
import { ACCEPTED } from '../core/checkov';
import { EncryptionKey } from '../core/encryption-key';
import { type PolicyStatement, policyDocument, principalsByArn } from '../core/policy-document';
import { PrivateBucket } from '../core/private-bucket';
import { DESTRUCTIVE_ACTIONS } from '../evidence/archive-bucket';

/**
 * `${aws:SourceAccount}` in a Resource is an IAM policy variable, the account the delivery service
 * acts for; Terraform would read `${` as interpolation, so it is written `$${`.
 */
const SOURCE_ACCOUNT_VARIABLE = '$${aws:SourceAccount}';

export interface LoadBalancerLogBucketsProps {
  readonly provider: AwsProvider;
  /** Log Archive account, which owns the buckets and the NLB key. */
  readonly accountId: string;
  readonly region: string;
  readonly organizationId: string;
  readonly albBucketName: string;
  readonly nlbBucketName: string;
  readonly nlbKeyAlias: string;
  /** Days the logs are kept. */
  readonly retentionDays: number;
  /** @default none */
  readonly transitions?: ReadonlyArray<{ readonly days: number; readonly storageClass: string }>;
  /** IAM principals that may read the logs (the Athena query role). @default none */
  readonly readerArns?: readonly string[];
  /**
   * The legacy regional ELB account, granted beside the service principal for these accounts'
   * prefixes (it carries no organization to condition on). @default not granted
   */
  readonly legacyElbAccount?: { readonly accountId: string; readonly grantedAccountIds: readonly string[] };
  /** Terraform empties the buckets when destroying them: only for a test organization that is torn down. @default false */
  readonly forceDestroy?: boolean;
}

function readStatements(bucketArn: string, readerArns: readonly string[]): PolicyStatement[] {
  if (readerArns.length === 0) return [];
  return [{
    Sid: 'ReadersReadTheLogs',
    Effect: 'Allow',
    ...principalsByArn(readerArns),
    Action: ['s3:GetObject', 's3:ListBucket', 's3:GetBucketLocation'],
    Resource: [bucketArn, `${bucketArn}/*`],
  }];
}

function denyDeleting(bucketArn: string): PolicyStatement {
  return { Sid: 'DenyDeletingLogs', Effect: 'Deny', Principal: '*', Action: [...DESTRUCTIVE_ACTIONS], Resource: [bucketArn, `${bucketArn}/*`] };
}

/** Each account writes under its own prefix only. */
const ownPrefix = (bucketArn: string) => `${bucketArn}/${ELB_LOG_KEY_PREFIX}/${SOURCE_ACCOUNT_VARIABLE}/*`;

/** What the ALB/CLB bucket's policy grants, beyond TLS-only. */
export function albBucketStatements(bucketArn: string, props: Pick<LoadBalancerLogBucketsProps, 'organizationId' | 'readerArns' | 'legacyElbAccount'>): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: 'ElbDeliversTheOrganizationsLogs',
      Effect: 'Allow',
      Principal: { Service: ELB_LOG_DELIVERY_PRINCIPAL },
      Action: 's3:PutObject',
      Resource: ownPrefix(bucketArn),
      Condition: { StringEquals: { 'aws:SourceOrgID': props.organizationId } },
    },
    denyDeleting(bucketArn),
    ...readStatements(bucketArn, props.readerArns ?? []),
  ];
  if (props.legacyElbAccount) {
    statements.push({
      Sid: 'LegacyElbAccountDeliversListedAccountsLogs',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${props.legacyElbAccount.accountId}:root` },
      Action: 's3:PutObject',
      Resource: legacyElbGrantResources(bucketArn, props.legacyElbAccount.grantedAccountIds),
    });
  }
  return statements;
}

/** What the NLB bucket's policy grants, beyond TLS-only (the Network Load Balancer guide's policy, limited to the organization). */
export function nlbBucketStatements(bucketArn: string, props: Pick<LoadBalancerLogBucketsProps, 'organizationId' | 'readerArns'>): PolicyStatement[] {
  const fromOrganization = { 'aws:SourceOrgID': props.organizationId };
  return [
    {
      Sid: 'LogDeliveryWritesTheOrganizationsLogs',
      Effect: 'Allow',
      Principal: { Service: NLB_LOG_DELIVERY_PRINCIPAL },
      Action: 's3:PutObject',
      Resource: ownPrefix(bucketArn),
      Condition: { StringEquals: { ...fromOrganization, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    {
      Sid: 'LogDeliveryChecksTheBucketAcl',
      Effect: 'Allow',
      Principal: { Service: NLB_LOG_DELIVERY_PRINCIPAL },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: { StringEquals: fromOrganization },
    },
    denyDeleting(bucketArn),
    ...readStatements(bucketArn, props.readerArns ?? []),
  ];
}

/** The NLB key: log delivery encrypts for the organization's load balancers, readers decrypt through S3. */
export function nlbKeyStatements(region: string, organizationId: string, readerArns: readonly string[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [{
    Sid: 'LogDeliveryEncryptsTheOrganizationsLogs',
    Effect: 'Allow',
    Principal: { Service: NLB_LOG_DELIVERY_PRINCIPAL },
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    Resource: '*',
    Condition: { StringEquals: { 'aws:SourceOrgID': organizationId } },
  }];
  if (readerArns.length > 0) {
    const readers = principalsByArn(readerArns);
    statements.push({
      Sid: 'ReadersDecryptThroughS3',
      Effect: 'Allow',
      Principal: readers.Principal,
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ...readers.Condition, StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    });
  }
  return statements;
}

/** The size in bytes of a bucket policy as S3 measures it (the JSON text). */
export function policyBytes(statements: readonly PolicyStatement[]): number {
  return Buffer.byteLength(policyDocument(statements), 'utf8');
}

export class LoadBalancerLogBuckets extends Construct {
  readonly alb: PrivateBucket;
  readonly nlb: PrivateBucket;
  readonly nlbKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: LoadBalancerLogBucketsProps) {
    super(scope, id);
    const { provider } = props;
    const readerArns = props.readerArns ?? [];
    const sizeCheck = (name: string, statements: readonly PolicyStatement[]) => {
      const bytes = policyBytes(statements);
      if (bytes > MAX_BUCKET_POLICY_BYTES) {
        throw new Error(`the bucket policy of ${name} has ${bytes} bytes; S3 accepts ${MAX_BUCKET_POLICY_BYTES}: grant the legacy ELB account fewer accounts, or none`);
      }
      return statements;
    };
    const lifecycle = { expirationDays: props.retentionDays, transitions: props.transitions, noncurrentVersionExpirationDays: 1, forceDestroy: props.forceDestroy };
    this.alb = new PrivateBucket(this, 'alb', {
      provider,
      logStore: { holds: ['load-balancer-logs'] },
      bucketName: props.albBucketName,
      ...lifecycle,
      acceptedFindings: [ACCEPTED.loadBalancerLogsNeedSseS3, ACCEPTED.loadBalancerLogsRecordedByTrail],
      statements: (arn) => sizeCheck(props.albBucketName, albBucketStatements(arn, props)),
    });
    this.nlbKey = new EncryptionKey(this, 'nlb-key', {
      provider,
      accountId: props.accountId,
      alias: props.nlbKeyAlias,
      description: `Encrypts the Network Load Balancer access logs of ${props.region}`,
      statements: nlbKeyStatements(props.region, props.organizationId, readerArns),
    });
    this.nlb = new PrivateBucket(this, 'nlb', {
      provider,
      logStore: { holds: ['load-balancer-logs'] },
      bucketName: props.nlbBucketName,
      kmsKeyArn: this.nlbKey.key.arn,
      ...lifecycle,
      acceptedFindings: [ACCEPTED.loadBalancerLogsRecordedByTrail],
      statements: (arn) => sizeCheck(props.nlbBucketName, nlbBucketStatements(arn, props)),
    });
  }
}
