/**
 * The investigations of facts/investigations.ts as CloudWatch Logs Insights queries, saved on the
 * Organization trail's log group in the management account: the same question, name and
 * description as the Athena saved query, answered from the recent events in CloudWatch Logs (the
 * time range is picked in the console; Athena reads the archive's years).
 */
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { ACCESS_DENIED_ERRORS, INVESTIGATION_EVENTS, INVESTIGATIONS, type InvestigationName } from '../../facts/investigations';

/** Days the description speaks of; the console's time range decides what is read. */
export const INSIGHTS_LOOKBACK_DAYS = 7;

const list = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;

/** The Logs Insights text of every question, over CloudTrail records as the trail delivers them to CloudWatch Logs. */
export const INSIGHTS_QUERIES: Readonly<Record<InvestigationName, string>> = {
  'root-account-activity': `fields eventTime, recipientAccountId, awsRegion, eventSource, eventName, sourceIPAddress, userAgent, errorCode
| filter userIdentity.type = 'Root' and not ispresent(userIdentity.invokedBy) and eventType != 'AwsServiceEvent'
| sort eventTime desc`,
  'console-sign-in-without-mfa': `fields eventTime, recipientAccountId, userIdentity.type, userIdentity.arn, sourceIPAddress, userAgent
| filter eventName = 'ConsoleLogin' and userIdentity.type in ['IAMUser', 'Root']
| filter responseElements.ConsoleLogin = 'Success' and additionalEventData.MFAUsed != 'Yes'
| sort eventTime desc`,
  'failed-console-sign-ins': `filter eventName = 'ConsoleLogin' and (ispresent(errorMessage) or responseElements.ConsoleLogin = 'Failure')
| stats count(*) as failures, min(eventTime) as first_seen, max(eventTime) as last_seen by userIdentity.arn, userIdentity.userName, recipientAccountId, sourceIPAddress, errorMessage
| sort failures desc`,
  'database-deletions': `fields eventTime, recipientAccountId, awsRegion, eventName, requestParameters.dBInstanceIdentifier, requestParameters.dBClusterIdentifier, userIdentity.arn, userIdentity.sessionContext.sessionIssuer.arn, sourceIPAddress, userAgent, errorCode
| filter eventSource = 'rds.amazonaws.com' and eventName in ${list(INVESTIGATION_EVENTS['database-deletions'])}
| sort eventTime desc`,
  'trail-changes': `fields eventTime, recipientAccountId, awsRegion, eventName, requestParameters.name, userIdentity.arn, sourceIPAddress, userAgent, errorCode
| filter eventSource = 'cloudtrail.amazonaws.com' and eventName in ${list(INVESTIGATION_EVENTS['trail-changes'])}
| sort eventTime desc`,
  'security-group-changes': `fields eventTime, recipientAccountId, awsRegion, eventName, requestParameters.groupId, userIdentity.arn, sourceIPAddress, errorCode
| filter eventSource = 'ec2.amazonaws.com' and eventName in ${list(INVESTIGATION_EVENTS['security-group-changes'])}
| sort eventTime desc`,
  'access-denied-by-principal': `filter errorCode in ${list(ACCESS_DENIED_ERRORS)}
| stats count(*) as denied_calls, min(eventTime) as first_seen, max(eventTime) as last_seen by userIdentity.arn, recipientAccountId
| sort denied_calls desc`,
  'kms-key-disable-or-deletion': `fields eventTime, recipientAccountId, awsRegion, eventName, requestParameters.keyId, userIdentity.arn, sourceIPAddress, errorCode
| filter eventSource = 'kms.amazonaws.com' and eventName in ${list(INVESTIGATION_EVENTS['kms-key-disable-or-deletion'])}
| sort eventTime desc`,
};

export interface InsightsQueriesProps {
  readonly provider: AwsProvider;
  /** The trail's log group. */
  readonly logGroupName: string;
  /** Console folder the queries are listed under. */
  readonly folder: string;
}

export class InsightsQueries extends Construct {
  readonly definitions: CloudwatchQueryDefinition[];

  constructor(scope: Construct, id: string, props: InsightsQueriesProps) {
    super(scope, id);
    this.definitions = INVESTIGATIONS.map((q) => new CloudwatchQueryDefinition(this, q.name, {
      provider: props.provider,
      // a "/" files the query in a folder of the Logs Insights console
      name: `${props.folder}/${q.name}`,
      logGroupNames: [props.logGroupName],
      queryString: `# ${q.description(INSIGHTS_LOOKBACK_DAYS).replace(/, in the last \d+ days$/, '')}\n${INSIGHTS_QUERIES[q.name]}`,
    }));
  }
}
