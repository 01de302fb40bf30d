/**
 * CloudWatch Logs data protection: the managed data identifiers the landing zone masks, where
 * CloudTrail records carry the data each one finds, and which metric or subscription filters masking
 * would break. AWS masks at ingestion and at every egress point after it, metric filters and
 * subscription filters included ("Help protect sensitive log data with masking", CloudWatch Logs
 * user guide): a filter sees asterisks where the data was.
 */
import { type FilterComparison, jsonFilterComparisons } from './cloudwatch';

/** Managed data identifiers are named by this prefix and their id (CloudWatch Logs user guide, "Types of data that you can protect"). */
export const DATA_IDENTIFIER_ARN_PREFIX = 'arn:aws:dataprotection::aws:data-identifier/';

export function dataIdentifierArn(id: string): string {
  return `${DATA_IDENTIFIER_ARN_PREFIX}${id}`;
}

/** The id at the end of a managed data identifier's ARN. */
export function dataIdentifierId(arn: string): string {
  return arn.startsWith(DATA_IDENTIFIER_ARN_PREFIX) ? arn.slice(DATA_IDENTIFIER_ARN_PREFIX.length) : arn;
}

/**
 * Every credential type CloudWatch Logs data protection finds ("Credentials", with their ARNs; the
 * table spells one id OpenSSHPrivateKey, its ARN OpenSshPrivateKey). The landing zone always masks
 * them all: a secret in a log is never something a reader needs.
 */
export const CREDENTIAL_DATA_IDENTIFIERS = ['AwsSecretKey', 'OpenSshPrivateKey', 'PgpPrivateKey', 'PkcsPrivateKey', 'PuttyPrivateKey'] as const;

/**
 * The personal-data identifiers the config may add ("Device identifiers": IpAddress; "Supported
 * identifiers that are language and region independent": EmailAddress). Both are found by pattern
 * with no keyword required, so the tests can mask real records as AWS would and show what the
 * filters still match. Name, Address and the other identifiers AWS finds by machine learning are not
 * offered: what they would mask cannot be shown in a test.
 */
export const PERSONAL_DATA_IDENTIFIERS = ['EmailAddress', 'IpAddress'] as const;

export type CredentialDataIdentifier = (typeof CREDENTIAL_DATA_IDENTIFIERS)[number];
export type PersonalDataIdentifier = (typeof PERSONAL_DATA_IDENTIFIERS)[number];
export type MaskedDataIdentifier = CredentialDataIdentifier | PersonalDataIdentifier;

/** A data protection policy document holds at most this many characters (PutDataProtectionPolicy, policyDocument). */
export const DATA_PROTECTION_POLICY_MAX_CHARACTERS = 30_720;

/** The version of the data protection policy language (CloudWatch Logs user guide, "Understanding data protection policies"). */
export const DATA_PROTECTION_POLICY_VERSION = '2021-06-01';

/**
 * Fields of a CloudTrail record that hold free text or whatever the caller sent, so any kind of
 * data (CloudTrail user guide, "CloudTrail record contents").
 */
const FREE_TEXT_FIELDS = ['requestParameters', 'responseElements', 'additionalEventData', 'serviceEventDetails', 'errorMessage'] as const;

export interface MaskedData {
  readonly description: string;
  /**
   * Where CloudTrail records carry this data: JSON selectors without `$.`, each covering what lies
   * under it (`userIdentity` covers `userIdentity.arn`).
   */
  readonly cloudTrailFields: readonly string[];
  /**
   * The shape of the data, as the tests mask it; AWS finds it by pattern matching (and machine
   * learning), and may find a little more or less. A capture group, where there is one, is the part
   * masked (a keyword must stand next to an AWS secret key, and is not masked itself).
   */
  readonly pattern: RegExp;
}

/** Characters that can stand in a JSON string without escaping, so a masked span never crosses a quote. */
const PEM_BODY = '[^"]*?';

export const MASKED_DATA: Readonly<Record<MaskedDataIdentifier, MaskedData>> = {
  EmailAddress: {
    description: 'e-mail addresses',
    // IAM user, role and session names may be e-mail addresses (Identity Center and federated sessions are)
    cloudTrailFields: ['userIdentity', ...FREE_TEXT_FIELDS],
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  IpAddress: {
    description: 'IPv4 and IPv6 addresses',
    cloudTrailFields: ['sourceIPAddress', 'tlsDetails', ...FREE_TEXT_FIELDS],
    pattern: /(?<![\w.:])(?:(?:(?:25[0-5]|2[0-4]\d|[01]?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d?\d)|(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?)(?![\w.:])/g,
  },
  AwsSecretKey: {
    description: 'AWS secret access keys (next to a keyword such as "secret key" or "aws_secret_access_key")',
    cloudTrailFields: [...FREE_TEXT_FIELDS],
    pattern: /(?:aws_secret_access_key|secret[ _-]?access[ _-]?key|secret[ _-]?key|credentials|set-awscredential)[^A-Za-z0-9/+"]{0,30}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  },
  OpenSshPrivateKey: {
    description: 'OpenSSH private keys',
    cloudTrailFields: [...FREE_TEXT_FIELDS],
    pattern: new RegExp(`-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----`, 'g'),
  },
  PgpPrivateKey: {
    description: 'PGP private keys',
    cloudTrailFields: [...FREE_TEXT_FIELDS],
    pattern: new RegExp(`-----BEGIN PGP PRIVATE KEY BLOCK-----${PEM_BODY}-----END PGP PRIVATE KEY BLOCK-----`, 'g'),
  },
  PkcsPrivateKey: {
    description: 'PKCS#1 and PKCS#8 private keys',
    cloudTrailFields: [...FREE_TEXT_FIELDS],
    pattern: new RegExp(`-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----${PEM_BODY}-----END (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----`, 'g'),
  },
  PuttyPrivateKey: {
    description: 'PuTTY private keys',
    cloudTrailFields: [...FREE_TEXT_FIELDS],
    pattern: /PuTTY-User-Key-File-\d+:[^"]*?Private-MAC: [0-9a-f]+/g,
  },
};

/** Every identifier a policy masks: the credentials always, then the personal data asked for. */
export function maskedIdentifiers(personalData: readonly PersonalDataIdentifier[]): MaskedDataIdentifier[] {
  return [...new Set<MaskedDataIdentifier>([...CREDENTIAL_DATA_IDENTIFIERS, ...personalData])];
}

/** Whether a selector (`userIdentity.arn`, `items[0].id`) lies at or under a field. */
function isUnder(selector: string, field: string): boolean {
  return selector === field || selector.startsWith(`${field}.`) || selector.startsWith(`${field}[`);
}

/** A comparison of a filter that masking of one kind of data would change. */
export interface MaskingConflict {
  readonly identifier: MaskedDataIdentifier;
  readonly comparison: FilterComparison;
}

/**
 * The comparisons of a JSON filter pattern whose outcome masking could change. A comparison reads
 * a field where CloudTrail may carry the data; it is safe only when it is `=` or `!=` against a
 * literal without wildcards that holds no such data (a value equal to that literal has nothing to
 * mask, and a masked value holds asterisks, which the literal does not), or against `*` alone (any
 * value, masked or not). `EXISTS`, `IS NULL`, `IS TRUE` and `IS FALSE` are safe: masking replaces
 * text inside values and removes no field.
 */
export function maskingConflicts(pattern: string, identifiers: readonly MaskedDataIdentifier[]): MaskingConflict[] {
  const conflicts: MaskingConflict[] = [];
  for (const comparison of jsonFilterComparisons(pattern)) {
    for (const identifier of identifiers) {
      const data = MASKED_DATA[identifier];
      if (!data.cloudTrailFields.some((field) => isUnder(comparison.selector, field))) continue;
      const literal = comparison.value;
      const equality = comparison.operator === '=' || comparison.operator === '!=';
      const safe = equality && (literal === '*' || (!literal.includes('*') && !new RegExp(data.pattern.source, data.pattern.flags.replace('g', '')).test(literal)));
      if (!safe) conflicts.push({ identifier, comparison });
    }
  }
  return conflicts;
}
