/**
 * The saved Athena queries an investigator starts from, over the CloudTrail table of
 * `cloudtrail-table.ts`: the SQL of each question of facts/investigations.ts, whose name and
 * description they share with the Logs Insights queries. Each reads only the last days' partitions
 * (`"date"`, `yyyy/MM/dd`), so a query scans days of logs, not years; widen `LOOKBACK_DAYS` in the
 * console for a longer look.
 */
import { ACCESS_DENIED_ERRORS, INVESTIGATION_EVENTS, INVESTIGATIONS, type InvestigationName } from '../../facts/investigations';

export interface SavedQuery {
  /** Unique name, shown in the Athena console's saved queries. */
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** Days every saved query looks back. */
export const LOOKBACK_DAYS = 7;

export const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** The partition predicate: only the folders of the last `days` days are listed and read. */
export function lastDays(days: number): string {
  return `"date" >= date_format(current_date - interval '${days}' day, '%Y/%m/%d')`;
}

/** The SQL of every question, over `table`, reading only the last `days` days' partitions. */
export function forensicSql(table: string, days: number): Record<InvestigationName, string> {
  const recent = lastDays(days);
  return {
    'root-account-activity': `SELECT eventtime, recipientaccountid, awsregion, eventsource, eventname, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND eventtype <> 'AwsServiceEvent'
ORDER BY eventtime DESC`,
    'console-sign-in-without-mfa': `SELECT eventtime, recipientaccountid, useridentity.type, useridentity.arn, sourceipaddress, useragent
FROM ${table}
WHERE ${recent}
  AND eventname = 'ConsoleLogin'
  AND useridentity.type IN ('IAMUser', 'Root')
  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'
  AND coalesce(json_extract_scalar(additionaleventdata, '$.MFAUsed'), 'No') <> 'Yes'
ORDER BY eventtime DESC`,
    'failed-console-sign-ins': `SELECT useridentity.arn, useridentity.username, recipientaccountid, sourceipaddress, errormessage,
  count(*) AS failures, min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM ${table}
WHERE ${recent}
  AND eventname = 'ConsoleLogin'
  AND (errormessage IS NOT NULL OR json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Failure')
GROUP BY useridentity.arn, useridentity.username, recipientaccountid, sourceipaddress, errormessage
ORDER BY failures DESC`,
    'database-deletions': `SELECT eventtime, recipientaccountid, awsregion, eventname,
  coalesce(json_extract_scalar(requestparameters, '$.dBInstanceIdentifier'), json_extract_scalar(requestparameters, '$.dBClusterIdentifier')) AS database_id,
  useridentity.arn AS principal, useridentity.sessioncontext.sessionissuer.arn AS role, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'rds.amazonaws.com'
  AND eventname IN (${quoted(INVESTIGATION_EVENTS['database-deletions'])})
ORDER BY eventtime DESC`,
    'trail-changes': `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.name') AS trail,
  useridentity.arn AS principal, sourceipaddress, useragent, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'cloudtrail.amazonaws.com'
  AND eventname IN (${quoted(INVESTIGATION_EVENTS['trail-changes'])})
ORDER BY eventtime DESC`,
    'security-group-changes': `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.groupId') AS group_id,
  useridentity.arn AS principal, sourceipaddress, requestparameters, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'ec2.amazonaws.com'
  AND eventname IN (${quoted(INVESTIGATION_EVENTS['security-group-changes'])})
ORDER BY eventtime DESC`,
    'access-denied-by-principal': `SELECT useridentity.arn AS principal, recipientaccountid, count(*) AS denied_calls,
  min(eventtime) AS first_seen, max(eventtime) AS last_seen, slice(array_agg(DISTINCT eventname), 1, 20) AS some_actions
FROM ${table}
WHERE ${recent}
  AND errorcode IN (${quoted(ACCESS_DENIED_ERRORS)})
GROUP BY useridentity.arn, recipientaccountid
ORDER BY denied_calls DESC`,
    'kms-key-disable-or-deletion': `SELECT eventtime, recipientaccountid, awsregion, eventname, json_extract_scalar(requestparameters, '$.keyId') AS key_id,
  useridentity.arn AS principal, sourceipaddress, errorcode
FROM ${table}
WHERE ${recent}
  AND eventsource = 'kms.amazonaws.com'
  AND eventname IN (${quoted(INVESTIGATION_EVENTS['kms-key-disable-or-deletion'])})
ORDER BY eventtime DESC`,
  };
}

export function forensicQueries(table: string, days: number = LOOKBACK_DAYS): SavedQuery[] {
  const sql = forensicSql(table, days);
  return INVESTIGATIONS.map((q) => ({ name: q.name, description: q.description(days), sql: sql[q.name] }));
}
