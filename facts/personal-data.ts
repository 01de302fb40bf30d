/**
 * What each kind of log the landing zone keeps says about people: the fields that carry personal
 * data (GDPR Art. 4(1): information relating to an identified or identifiable natural person),
 * from each format's documented record structure. The processing record names these per store.
 */
export interface LogType {
  readonly description: string;
  /** Fields (in the format's own names) that carry personal data. */
  readonly personalData: readonly string[];
  /** Where the format is documented. */
  readonly source: string;
}

export const LOG_TYPES = {
  cloudtrail: {
    description: 'CloudTrail records: every API call of every account and region',
    personalData: [
      'userIdentity.arn, userName, principalId, sessionContext.sessionIssuer (who: IAM users, roles, federated and Identity Center users, often named after people or e-mail addresses)',
      'userIdentity.accessKeyId',
      'sourceIPAddress',
      'userAgent',
      'requestParameters and responseElements (may name users, e-mail addresses, tags)',
      'additionalEventData (console sign-ins: MFA use, redirect URLs)',
    ],
    source: 'CloudTrail record contents (cloudtrail-event-reference-record-contents)',
  },
  'cloudtrail-digest': {
    description: 'CloudTrail digest files: hashes and signatures of the log files',
    personalData: [],
    source: 'CloudTrail digest file structure (cloudtrail-log-file-validation-digest-file-structure)',
  },
  's3-access-logs': {
    description: 'S3 server access logs of the landing zone\'s buckets',
    personalData: ['Requester (IAM principal)', 'Remote IP', 'Request-URI (object keys)', 'User-Agent'],
    source: 'Amazon S3 server access log format (LogFormat)',
  },
  'guardduty-findings': {
    description: 'GuardDuty findings exported from the delegated administrator',
    personalData: ['resource.accessKeyDetails (user name, principal id, access key id)', 'service.action remote IP addresses, domains and geolocation'],
    source: 'GuardDuty finding format (guardduty_findings-summary)',
  },
  'query-results': {
    description: 'Athena query results: whatever a query selected from the trail',
    personalData: ['any CloudTrail field a query selects'],
    source: 'Athena query results (querying)',
  },
  'function-logs': {
    description: 'Logs of the landing zone\'s own functions',
    personalData: ['event ids and principal names the function logs while it works'],
    source: 'the functions in lambda/',
  },
  'security-lake-ocsf': {
    description: 'Security Lake: the sources it collects, normalised to OCSF',
    personalData: ['actor.user (name, uid, account)', 'src_endpoint.ip and dst_endpoint.ip', 'http_request.user_agent', 'api.request and api.response data'],
    source: 'OCSF schema, as Security Lake writes it (open-cybersecurity-schema-framework)',
  },
  'load-balancer-logs': {
    description: 'Access logs of the organization\'s load balancers',
    personalData: ['client:port (the client\'s IP address)', 'request (URL, with query strings)', 'user_agent', 'ssl_cipher and trace ids that follow one client'],
    source: 'Access log entries of Application and Network Load Balancers (load-balancer-access-logs)',
  },
  'cloudwatch-logs': {
    description: 'CloudWatch Logs of the organization\'s accounts, collected by name prefix',
    personalData: ['whatever the applications log: user ids, e-mail and IP addresses, request data'],
    source: 'the workloads that write the collected log groups',
  },
  'data-protection-findings': {
    description: 'Audit findings of the CloudWatch Logs data protection policies: which log event held which kind of sensitive data',
    personalData: [],
    source: 'CloudWatch Logs data protection audit findings reports (mask-sensitive-log-data-audit-findings): the log group, the data identifier, a count and character offsets, never the data',
  },
  'config-history': {
    description: 'AWS Config configuration history and snapshots of every account and governed region',
    personalData: [
      'configuration of IAM users, groups and roles (names often of people), their access keys\' ids and policies',
      'tags (owners, e-mail addresses)',
      'private and public IP addresses of network interfaces, instances and security group rules',
    ],
    source: 'AWS Config configuration items (config-item-table)',
  },
  'failed-notifications': {
    description: 'Notifier events that could not be published (dead-letter queue)',
    personalData: ['the CloudTrail records of the event (see cloudtrail)'],
    source: 'Lambda asynchronous invocation dead-letter queues (invocation-async-retain-records)',
  },
} as const satisfies Record<string, LogType>;

export type LogTypeName = keyof typeof LOG_TYPES;
