/**
 * The saved Athena queries an investigator starts from, over the CloudTrail table of
 * `cloudtrail-table.ts`. Each reads only the last days' partitions (`"date"`, `yyyy/MM/dd`), so
 * a query scans days of logs, not years; widen `LOOKBACK_DAYS` in the console for a longer look.
 */

export interface SavedQuery {
  /** Unique name, shown in the Athena console's saved queries. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** Days every saved query looks back. */
export const LOOKBACK_DAYS = 7;

/** Errors AWS services return when IAM or an SCP refuses a call. */
const ACCESS_DENIED_ERRORS = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'];

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The partition predicate: only the folders of the last `days` days are listed and read. */
export function lastDays(days: number): string {
  return `"date" >= date_format(current_date - interval '${days}' day, '%Y/%m/%d')`;
}

export function forensicQueries(table: string, days: number = LOOKBACK_DAYS): SavedQuery[] {
  const recent = lastDays(days);
  return [
    {
      name: 'root-account-activity',
      description: `Every call made with a root user's credentials, in any account, in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, awsregion, eventsource, eventname, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND eventtype <> 'AwsServiceEvent'
ORDER BY eventtime DESC`,
    },
    {
      name: 'console-sign-in-without-mfa',
      description: `Successful console sign-ins of IAM users and root without MFA, in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, useridentity.type, useridentity.arn, sourceipaddress, useragent
FROM ${table}
WHERE ${recent}
  AND eventname = 'ConsoleLogin'
  AND useridentity.type IN ('IAMUser', 'Root')
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'No') <> 'Yes'
ORDER BY eventtime DESC`,
    },
    {
      name: 'failed-console-sign-ins',
      description: `Failed console sign-ins by principal and source IP, in the last ${days} days`,
      sql: `SELECT useridentity.arn, useridentity.username, recipientaccountid, sourceipaddress, errormessage,
  count(*) AS failures, min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM ${table}
WHERE ${recent}
  AND eventname = 'ConsoleLogin'
  AND (errormessage IS NOT NULL OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
GROUP BY useridentity.arn, useridentity.username, recipientaccountid, sourceipaddress, errormessage
ORDER BY failures DESC`,
    },
    {
      name: 'database-deletions',
      description: `Who deleted an RDS instance or Aurora cluster (principal, source IP, time), in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, awsregion, eventname,
  coalesce(json_extract_scalar(requestparameters, '$.dBInstanceIdentifier'), json_extract_scalar(requestparameters, '$.dBClusterIdentifier')) AS database_id,
  useridentity.arn AS principal, useridentity.sessioncontext.sessionissuer.arn AS role, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'rds.amazonaws.com'
  AND eventname IN ('DeleteDBInstance', 'DeleteDBCluster')
ORDER BY eventtime DESC`,
    },
    {
      name: 'trail-changes',
      description: `Calls that stop, delete or change what a CloudTrail trail records, in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.name') AS trail,
  useridentity.arn AS principal, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'cloudtrail.amazonaws.com'
  AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutAdvancedEventSelectors', 'CreateTrail')
ORDER BY eventtime DESC`,
    },
    {
      name: 'security-group-changes',
      description: `Security groups created, deleted or with changed rules, in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.groupId') AS group_id,
  useridentity.arn AS principal, sourceipaddress, requestparameters, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN ('AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules')
ORDER BY eventtime DESC`,
    },
    {
      name: 'access-denied-by-principal',
      description: `Calls refused by IAM or an SCP, counted by principal, in the last ${days} days`,
      sql: `SELECT useridentity.arn AS principal, recipientaccountid, count(*) AS denied_calls,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen, slice(array_agg(DISTINCT eventname), 1, 20) AS some_actions
FROM ${table}
WHERE ${recent}
  AND errorcode IN (${quoted(ACCESS_DENIED_ERRORS)})
GROUP BY useridentity.arn, recipientaccountid
ORDER BY denied_calls DESC`,
    },
    {
      name: 'kms-key-disable-or-deletion',
      description: `KMS keys disabled or scheduled for deletion, in the last ${days} days`,
      sql: `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.keyId') AS key_id,
  useridentity.arn AS principal, sourceipaddress, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN ('DisableKey', 'ScheduleKeyDeletion')
ORDER BY eventtime DESC`,
    },
  ];
}
