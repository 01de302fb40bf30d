/** Who may use the Log Archive key: the Organization trail to encrypt, the readers to decrypt through S3. */
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
  const statements: PolicyStatement[] = [
    {
      Sid: 'OrganizationTrailEncryptsLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { ...fromTrail, 'kms:EncryptionContext:aws:cloudtrail:arn': users.trailArn } },
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
