/**
 * Turns one CloudTrail record into an e-mail. `minimal` (the default of the config) says what, where,
 * when, in which account, who (the user or role name), the event id and how to look the record up;
 * `full` adds the personal data a record carries: source IP, user agent, access key id, session
 * details, the users named, the request and response. Pure: no AWS, no clock, no environment.
 */

/** A CloudTrail record as delivered to CloudWatch Logs; every field may be missing. */
export type CloudTrailRecord = Record<string, unknown>;

export interface Notification {
  /** ASCII, one line, under SNS's limit of 100 characters. */
  readonly subject: string;
  readonly message: string;
}

/** How much of the record the e-mail carries. */
export type Detail = 'minimal' | 'full';

/** Where the whole record can be read: every notification says how to look it up. */
export interface LookUp {
  /** The Athena table over the archive (`database.table`), its workgroup and account. */
  readonly athena: { readonly table: string; readonly workgroup: string; readonly accountId: string; readonly region: string };
  /** The trail's CloudWatch Logs group, which holds the record for its retention. */
  readonly logGroup: { readonly name: string; readonly accountId: string; readonly region: string };
}

export interface NotificationOptions {
  readonly detail: Detail;
  readonly lookUp: LookUp;
}

/** SNS rejects subjects of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;
/** Request and response JSON beyond this is cut, so one huge call cannot swamp the e-mail. */
const MAX_JSON_LENGTH = 4000;

type Json = unknown;

function at(value: Json, path: string): Json {
  let current: Json = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, Json>)[key];
  }
  return current;
}

function text(value: Json, path: string): string | undefined {
  const found = at(value, path);
  if (typeof found === 'string' && found !== '') return found;
  if (typeof found === 'number' || typeof found === 'boolean') return String(found);
  return undefined;
}

/** EC2 wraps lists as `{ items: [...] }`. */
function items(value: Json, path: string): Json[] {
  const found = at(value, path);
  if (Array.isArray(found)) return found;
  const inner = at(found, 'items');
  return Array.isArray(inner) ? inner : [];
}

function unique(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined))];
}

/**
 * Calls AWS services make themselves (`userIdentity.type` AWSService) or on someone's behalf
 * (`invokedBy`, present only then: CloudTrail user guide, "CloudTrail userIdentity element"); the
 * call that caused them is recorded, and notified, on its own.
 */
export function isServiceInitiated(record: CloudTrailRecord): boolean {
  return text(record.userIdentity, 'type') === 'AWSService' || text(record.userIdentity, 'invokedBy') !== undefined;
}

/** The principal in a few words: the user or role name, else the ARN, else the type. */
export function principalName(record: CloudTrailRecord): string {
  const identity = record.userIdentity;
  const type = text(identity, 'type');
  if (type === 'Root') return 'root';
  const issuer = text(identity, 'sessionContext.sessionIssuer.userName');
  const arn = text(identity, 'arn');
  if (type === 'AssumedRole' && arn) {
    const session = arn.split('/').slice(2).join('/');
    return issuer ? `${issuer}${session ? `/${session}` : ''}` : arn;
  }
  return text(identity, 'userName') ?? arn ?? text(identity, 'invokedBy') ?? text(identity, 'principalId') ?? type ?? 'unknown principal';
}

function ascii(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

export function subjectOf(record: CloudTrailRecord): string {
  const event = text(record, 'eventName') ?? 'unknown event';
  const failed = text(record, 'errorCode') ? ' (failed)' : '';
  const account = text(record, 'recipientAccountId') ?? text(record, 'userIdentity.accountId') ?? 'unknown account';
  const subject = ascii(`AWS ${event}${failed} by ${principalName(record)} in ${account}`);
  return subject.length <= MAX_SUBJECT_LENGTH ? subject : `${subject.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

type Line = readonly [label: string, value: string | undefined];

function section(title: string, lines: readonly Line[]): string[] {
  const present = lines.filter((l): l is readonly [string, string] => l[1] !== undefined && l[1] !== '');
  if (present.length === 0) return [];
  const width = Math.max(...present.map(([label]) => label.length)) + 1;
  return ['', title, ...present.map(([label, value]) => `  ${`${label}:`.padEnd(width + 1)}${value}`)];
}

function principalLines(record: CloudTrailRecord): Line[] {
  const identity = record.userIdentity;
  const issuerArn = text(identity, 'sessionContext.sessionIssuer.arn');
  const issuerType = text(identity, 'sessionContext.sessionIssuer.type');
  return [
    ['Type', text(identity, 'type')],
    ['ARN', text(identity, 'arn')],
    ['User name', text(identity, 'userName')],
    ['Account', text(identity, 'accountId')],
    ['Invoked by', text(identity, 'invokedBy')],
    ['Session issuer', issuerArn ? `${issuerArn}${issuerType ? ` (${issuerType})` : ''}` : undefined],
    ['MFA in session', text(identity, 'sessionContext.attributes.mfaAuthenticated')],
    ['Access key', text(identity, 'accessKeyId')],
  ];
}

function permissionSummary(permission: Json): string {
  const protocol = text(permission, 'ipProtocol');
  const from = text(permission, 'fromPort');
  const to = text(permission, 'toPort');
  const ports = protocol === '-1' ? 'all traffic' : `${protocol ?? '?'} ${from === to ? from ?? '' : `${from}-${to}`}`.trim();
  const sources = unique([
    ...items(permission, 'ipRanges').map((r) => text(r, 'cidrIp')),
    ...items(permission, 'ipv6Ranges').map((r) => text(r, 'cidrIpv6')),
    ...items(permission, 'groups').map((g) => text(g, 'groupId')),
    ...items(permission, 'prefixListIds').map((p) => text(p, 'prefixListId')),
  ]);
  return `${ports} ${sources.length > 0 ? sources.join(', ') : '(no source)'}`;
}

/** Resource lines that name or identify a person: only in `full` notifications. */
const PERSONAL_RESOURCE_LINES: ReadonlySet<string> = new Set(['IAM user', 'Created ARN', 'Access key']);

/** The resources of the call, as far as the record names them. */
export function resourceLines(record: CloudTrailRecord): Line[] {
  const request = record.requestParameters;
  const response = record.responseElements;
  const instances = [...items(response, 'instancesSet'), ...items(request, 'instancesSet')];
  const rules = items(request, 'ipPermissions');
  const singleRule = text(request, 'ipProtocol')
    ? [`${text(request, 'ipProtocol')} ${text(request, 'fromPort') ?? ''}-${text(request, 'toPort') ?? ''} ${text(request, 'cidrIp') ?? text(request, 'sourceSecurityGroupName') ?? ''}`.trim()]
    : [];
  const list = (values: string[]) => (values.length > 0 ? values.join(', ') : undefined);
  // groupName names a security group in EC2 calls and an IAM group in IAM calls
  const iam = text(record, 'eventSource') === 'iam.amazonaws.com';
  return [
    ['Instance ids', list(unique(instances.map((i) => text(i, 'instanceId'))))],
    ['Instance type', list(unique([text(request, 'instanceType'), ...instances.map((i) => text(i, 'instanceType'))]))],
    ['Image', list(unique(instances.map((i) => text(i, 'imageId'))))],
    ['Instance state', list(unique(instances.map((i) => text(i, 'currentState.name') ?? text(i, 'instanceState.name'))))],
    ['Subnet', list(unique(instances.map((i) => text(i, 'subnetId'))))],
    ['VPC', list(unique([text(request, 'vpcId'), ...instances.map((i) => text(i, 'vpcId'))]))],
    ['Instance profile', text(request, 'iamInstanceProfile.name') ?? text(request, 'iamInstanceProfile.arn')],
    ['Security group', list(unique([text(request, 'groupId'), text(response, 'groupId'), iam ? undefined : text(request, 'groupName')]))],
    ['Rules', list([...rules.map(permissionSummary), ...singleRule])],
    ['Rule ids', list(unique(items(response, 'securityGroupRuleSet').map((r) => text(r, 'securityGroupRuleId'))))],
    ['IAM user', text(request, 'userName') ?? text(response, 'user.userName')],
    ['IAM role', text(request, 'roleName') ?? text(response, 'role.roleName')],
    ['IAM group', iam ? text(request, 'groupName') : undefined],
    ['Created ARN', text(response, 'user.arn') ?? text(response, 'role.arn') ?? text(response, 'policy.arn')],
    ['Policy', text(request, 'policyArn') ?? text(request, 'policyName')],
    ['Access key', text(response, 'accessKey.accessKeyId') ?? text(request, 'accessKeyId')],
    ['Console login', text(response, 'ConsoleLogin')],
    ['MFA used', text(record, 'additionalEventData.MFAUsed')],
  ];
}

function json(value: Json): string | undefined {
  if (value === undefined || value === null) return undefined;
  const rendered = JSON.stringify(value, null, 2);
  return rendered.length <= MAX_JSON_LENGTH ? rendered : `${rendered.slice(0, MAX_JSON_LENGTH)}\n... (cut; the full record is in the trail)`;
}

/** Which day folders of the archive hold the record: the day of the event and the next (files are filed by delivery). */
function dayFolders(eventTime: string | undefined): string[] {
  const time = eventTime ? Date.parse(eventTime) : Number.NaN;
  if (Number.isNaN(time)) return [];
  const day = (t: number) => new Date(t).toISOString().slice(0, 10).replace(/-/g, '/');
  return [day(time), day(time + 86_400_000)];
}

/** Record values are untrusted: keep only what ids, account numbers and regions are made of. */
function literal(value: string): string {
  return value.replace(/[^A-Za-z0-9:/._-]/g, '');
}

/** How to read the whole record: an Athena query over the archive, and a Logs Insights query on the trail's log group. */
export function lookUpLines(record: CloudTrailRecord, lookUp: LookUp): string[] {
  const eventId = text(record, 'eventID');
  if (!eventId) return [];
  const id = literal(eventId);
  const account = text(record, 'recipientAccountId');
  const region = text(record, 'awsRegion');
  const days = dayFolders(text(record, 'eventTime'));
  const filters = [
    account && `account = '${literal(account)}'`,
    region && `region = '${literal(region)}'`,
    days.length > 0 && `"date" IN (${days.map((d) => `'${d}'`).join(', ')})`,
    `eventid = '${id}'`,
  ].filter((f): f is string => typeof f === 'string');
  const { athena, logGroup } = lookUp;
  return [
    '',
    'Look it up',
    `  Athena, account ${athena.accountId}, ${athena.region}, workgroup ${athena.workgroup}:`,
    `    SELECT * FROM ${athena.table} WHERE ${filters.join(' AND ')}`,
    `  CloudWatch Logs Insights, account ${logGroup.accountId}, ${logGroup.region}, log group ${logGroup.name}:`,
    `    fields @timestamp, @message | filter eventID = "${id}"`,
  ];
}

export function messageOf(record: CloudTrailRecord, options: NotificationOptions): string {
  const event = text(record, 'eventName') ?? 'unknown event';
  const error = text(record, 'errorCode');
  const full = options.detail === 'full';
  const resources = resourceLines(record).filter(([label]) => full || !PERSONAL_RESOURCE_LINES.has(label));
  const lines = [
    `${event} by ${principalName(record)} in account ${text(record, 'recipientAccountId') ?? '?'}, region ${text(record, 'awsRegion') ?? '?'}`,
    ...section('When', [['Time (UTC)', text(record, 'eventTime')]]),
    ...section('Who', full ? principalLines(record) : [['Principal', principalName(record)], ['Type', text(record.userIdentity, 'type')]]),
    ...(full
      ? section('From', [
          ['Source IP', text(record, 'sourceIPAddress')],
          ['User agent', text(record, 'userAgent')],
        ])
      : []),
    ...section('What', [
      ['Event', event],
      ['Service', text(record, 'eventSource')],
      ['Type', text(record, 'eventType')],
      ['Result', error ? `FAILED: ${error}` : 'succeeded'],
      // error messages quote the caller's ARN
      ['Error', full ? text(record, 'errorMessage') : undefined],
      ['Account', text(record, 'recipientAccountId')],
      ['Region', text(record, 'awsRegion')],
      ['Event id', text(record, 'eventID')],
    ]),
    ...section('Resources', resources),
    ...lookUpLines(record, options.lookUp),
  ];
  if (full) {
    const request = json(record.requestParameters);
    if (request) lines.push('', 'Request parameters', request);
    const response = json(record.responseElements);
    if (response) lines.push('', 'Response elements', response);
  }
  return `${lines.join('\n')}\n`;
}

export function notificationOf(record: CloudTrailRecord, options: NotificationOptions): Notification {
  return { subject: subjectOf(record), message: messageOf(record, options) };
}
