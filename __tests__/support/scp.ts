/**
 * A small evaluator of Deny statements, enough to ask "would AWS refuse this request?" of service
 * control policies and of the deny statements of resource policies (key and bucket policies), after
 * AWS's policy evaluation logic: an explicit deny in any policy wins over every allow, so a request
 * is refused when any Deny statement applies. A statement applies when its Principal/NotPrincipal,
 * Action/NotAction (wildcards, case-insensitive), Resource/NotResource (wildcards) and every
 * condition match; condition operators are ANDed, values of one key ORed; negated operators and
 * `...IfExists` hold when the key is absent; `Null` asks whether a key is absent. It reads
 * resource control policies as well (an RCP's `Principal: "*"` names every caller). Anything it
 * does not understand throws, so a policy cannot pass a test by using what the evaluator ignores.
 */

export interface ScpRequest {
  /** e.g. `s3:DeleteObject` */
  readonly action: string;
  /** ARN of the resource acted on; `*` for actions without one. */
  readonly resource: string;
  /** ARN of the calling role (the `aws:PrincipalArn` condition key, its account `aws:PrincipalAccount`), its path included. */
  readonly principalArn: string;
  /**
   * Further condition keys of the request, e.g. `kms:ResourceAliases`, or for an RCP
   * `aws:PrincipalOrgID`, `aws:PrincipalIsAWSService`, `aws:SourceAccount`.
   */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

type Principal = '*' | { AWS?: string | string[]; Service?: string | string[]; Federated?: string };

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

interface Document {
  Statement: Statement[];
}

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** IAM wildcards: `*` any run of characters, `?` any one character. */
function glob(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

/** ArnLike compares each of the six colon-separated parts on its own. */
function arnLike(pattern: string, arn: string): boolean {
  const split = (s: string) => {
    const parts = s.split(':');
    return [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  return p.length === 6 && a.length === 6 && p.every((part, i) => glob(part, a[i]));
}

const MATCHERS: Record<string, (pattern: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringLike: (p, v) => glob(p, v),
  ArnEquals: (p, v) => p === v,
  ArnLike: arnLike,
  Bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
};

const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

/** One operator on one key, with IAM's rules for absent keys and multivalued keys. */
function conditionHolds(operator: string, key: string, expected: string[], request: ScpRequest): boolean {
  const [qualifier, qualified] = operator.includes(':') ? operator.split(':') : [undefined, operator];
  // the principal's ARN and account are in every request's context
  const raw = key === 'aws:PrincipalArn' ? request.principalArn : key === 'aws:PrincipalAccount' ? request.principalArn.split(':')[4] : request.context?.[key];
  const values = raw === undefined ? undefined : list(raw as string | string[]);
  if (qualified === 'Null') {
    if (qualifier !== undefined || expected.length !== 1) throw new Error(`the SCP evaluator takes Null with one value, not ${operator} ${expected.join(',')}`);
    return (values === undefined) === (expected[0] === 'true');
  }
  // `...IfExists`: true when the key is absent, otherwise the operator without the suffix
  const ifExists = qualified.endsWith('IfExists');
  const bare = ifExists ? qualified.slice(0, -'IfExists'.length) : qualified;
  if (ifExists && values === undefined) return true;
  const negated = bare in NEGATED;
  const matcher = MATCHERS[negated ? NEGATED[bare] : bare];
  if (!matcher) throw new Error(`the SCP evaluator does not know the condition operator ${operator}`);
  const matchesAny = (value: string) => expected.some((pattern) => matcher(pattern, value));
  if (qualifier === 'ForAnyValue') {
    if (!values || values.length === 0) return false;
    return values.some((v) => (negated ? !matchesAny(v) : matchesAny(v)));
  }
  if (qualifier === 'ForAllValues') {
    if (!values || values.length === 0) return true;
    return values.every((v) => (negated ? !matchesAny(v) : matchesAny(v)));
  }
  if (qualifier !== undefined) throw new Error(`the SCP evaluator does not know the qualifier ${qualifier}`);
  if (values === undefined) return negated;
  if (values.length !== 1) throw new Error(`${key} is multivalued: use ForAnyValue or ForAllValues with it`);
  return negated ? !matchesAny(values[0]) : matchesAny(values[0]);
}

/** Whether a Principal element names the caller: `*`, or the caller's role ARN or its account's root. */
function principalMatches(principal: Principal, request: ScpRequest): boolean {
  if (principal === '*') return true;
  const unknown = Object.keys(principal).filter((k) => k !== 'AWS');
  if (unknown.length > 0) throw new Error(`the evaluator matches only AWS principals, not ${unknown.join(', ')}`);
  const account = request.principalArn.split(':')[4];
  return list(principal.AWS).some((p) => p === '*' || p === request.principalArn || p === `arn:aws:iam::${account}:root`);
}

function statementApplies(statement: Statement, request: ScpRequest): boolean {
  if (statement.Action !== undefined && statement.NotAction !== undefined) throw new Error(`${statement.Sid}: Action and NotAction together`);
  if (statement.Principal !== undefined && !principalMatches(statement.Principal, request)) return false;
  if (statement.NotPrincipal !== undefined && principalMatches(statement.NotPrincipal, request)) return false;
  const actionMatches = (patterns: string[]) => patterns.some((p) => glob(p, request.action, true));
  const action = statement.Action !== undefined ? actionMatches(list(statement.Action)) : !actionMatches(list(statement.NotAction));
  if (!action) return false;
  const resourceMatches = (patterns: string[]) => patterns.some((p) => glob(p, request.resource));
  const resource = statement.NotResource !== undefined ? !resourceMatches(list(statement.NotResource)) : resourceMatches(list(statement.Resource));
  if (!resource) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => conditionHolds(operator, key, list(expected as string | string[]).map(String), request)),
  );
}

/** The Sids of the Deny statements that refuse the request (empty: no guardrail refuses it). */
export function denyingStatements(policies: readonly (string | Document)[], request: ScpRequest): string[] {
  return policies
    .map((p) => (typeof p === 'string' ? (JSON.parse(p) as Document) : p))
    .flatMap((p) => p.Statement)
    .filter((s) => {
      if (s.Effect !== 'Deny') throw new Error(`${s.Sid}: the SCP evaluator reads Deny statements only`);
      return statementApplies(s, request);
    })
    .map((s) => s.Sid ?? '(no Sid)');
}

/** The Deny statements of a resource policy (a key or bucket policy); its Allow statements are left aside. */
export function denyStatementsOf(policy: string | Document): Document {
  const document = typeof policy === 'string' ? (JSON.parse(policy) as Document) : policy;
  return { Statement: document.Statement.filter((s) => s.Effect === 'Deny') };
}

/** Whether any of the policies refuses the request. */
export function isDenied(policies: readonly (string | Document)[], request: ScpRequest): boolean {
  return denyingStatements(policies, request).length > 0;
}
