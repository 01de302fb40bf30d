/** Who may use the Log Archive key: the Organization trail to encrypt (and decrypt, for the bucket key), the readers to decrypt through S3. */
import type { PolicyStatement } from '../core/policy-document';
import { principalsByArn } from '../core/policy-document';

export interface ArchiveKeyUsers {
  /** The only trail allowed to encrypt with the key. */
  readonly trailArn: string;
  /** Region of the archive bucket (readers decrypt only through S3 there). */
  readonly region: string;
  /** IAM principals that read the archive. */
  readonly readerArns: readonly string[];
}

export function archiveKeyStatements(users: ArchiveKeyUsers): PolicyStatement[] {
  const fromTrail = { 'aws:SourceArn': users.trailArn };
  const dataKeysOfTrail = { StringEquals: { ...fromTrail, 'kms:EncryptionContext:aws:cloudtrail:arn': users.trailArn } };
  const statements: PolicyStatement[] = [
    {
      Sid: 'OrganizationTrailEncryptsLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: dataKeysOfTrail,
    },
    {
      // The archive uses an S3 Bucket Key, and then CloudTrail needs kms:Decrypt to create or update
      // an SSE-KMS trail (CloudTrail user guide, create-kms-key-policy-for-cloudtrail, "Required KMS
      // key policy elements for trails"). Scoped like the encrypt grant: this trail only, and only
      // for data keys made under its encryption context.
      Sid: 'OrganizationTrailDecryptsWithBucketKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: dataKeysOfTrail,
    },
    {
      Sid: 'OrganizationTrailDescribesKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: fromTrail },
    },
  ];
  if (users.readerArns.length > 0) {
    const readers = principalsByArn(users.readerArns);
    statements.push({
      Sid: 'ReadersDecryptThroughS3',
      Effect: 'Allow',
      Principal: readers.Principal,
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ...readers.Condition, StringEquals: { 'kms:ViaService': `s3.${users.region}.amazonaws.com` } },
    });
  }
  return statements;
}
