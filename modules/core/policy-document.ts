/** IAM policy documents as typed objects, rendered to the JSON that AWS and Terraform take. */

export type PolicyPrincipal = '*' | { readonly AWS?: string | string[]; readonly Service?: string | string[]; readonly Federated?: string };

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: PolicyPrincipal;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  /** Absent only in trust policies, where IAM forbids it. */
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  /** Values are strings, as AWS documents them (`"false"`, not `false`): scanners read only those. */
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return JSON.stringify(document);
}

/**
 * The condition of a request made over plain HTTP. The string `"false"`, as the IAM reference and
 * S3's TLS-only example write it: IAM would accept the JSON boolean too, but Prowler's
 * s3_bucket_secure_transport_policy (CIS 3.1.1) recognises only the string.
 */
export const OVER_PLAIN_HTTP = { Bool: { 'aws:SecureTransport': 'false' } } as const;

/** Denies every request to a bucket that does not come over TLS. */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: OVER_PLAIN_HTTP,
  };
}

/** A role that an AWS service assumes, only on behalf of the given source ARN. */
export function serviceAssumeRolePolicy(service: string, sourceArn?: string): string {
  return policyDocument([
    {
      Sid: 'AssumedByService',
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sts:AssumeRole',
      ...(sourceArn ? { Condition: { StringEquals: { 'aws:SourceArn': sourceArn } } } : {}),
    },
  ]);
}

/**
 * Grants to IAM principals that may not exist yet: AWS rejects a policy naming a role that does
 * not exist, so name their accounts and match the roles by `aws:PrincipalArn`.
 */
export function principalsByArn(principalArns: readonly string[]): Pick<PolicyStatement, 'Principal' | 'Condition'> {
  const accounts = [...new Set(principalArns.map((arn) => arn.split(':')[4]))].sort();
  return {
    Principal: { AWS: accounts.map((id) => `arn:aws:iam::${id}:root`) },
    Condition: { ArnLike: { 'aws:PrincipalArn': [...principalArns] } },
  };
}

/**
 * An IAM policy variable such as `${aws:PrincipalAccount}`, escaped as `$${...}` so that Terraform,
 * which reads `${` in a string as its own interpolation, hands it to IAM untouched.
 */
export function policyVariable(key: string): string {
  return `$\${${key}}`;
}

/** A string Terraform must pass on untouched (a CloudFormation template with its own `${...}`). */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
