/**
 * The questions an investigation starts from, asked of the Organization trail: one catalog, so that
 * the Athena saved query and the CloudWatch Logs Insights query of a question share its name and
 * description. Each engine's text lives beside its table (modules/analytics/forensic-queries.ts,
 * modules/collection/insights-queries.ts); both must answer every question here.
 */

export interface Investigation {
  /** Unique name, shown in the Athena console's saved queries and the Logs Insights query list. */
  readonly name: string;
  /** What it answers, for a look-back of `days` days. */
  readonly description: (days: number) => string;
}

export const INVESTIGATIONS = [
  { name: 'root-account-activity', description: (days: number) => `Every call made with a root user's credentials, in any account, in the last ${days} days` },
  { name: 'console-sign-in-without-mfa', description: (days: number) => `Successful console sign-ins of IAM users and root without MFA, in the last ${days} days` },
  { name: 'failed-console-sign-ins', description: (days: number) => `Failed console sign-ins by principal and source IP, in the last ${days} days` },
  { name: 'database-deletions', description: (days: number) => `Who deleted an RDS instance or Aurora cluster (principal, source IP, time), in the last ${days} days` },
  { name: 'trail-changes', description: (days: number) => `Calls that stop, delete or change what a CloudTrail trail records, in the last ${days} days` },
  { name: 'security-group-changes', description: (days: number) => `Security groups created, deleted or with changed rules, in the last ${days} days` },
  { name: 'access-denied-by-principal', description: (days: number) => `Calls refused by IAM or an SCP, counted by principal, in the last ${days} days` },
  { name: 'kms-key-disable-or-deletion', description: (days: number) => `KMS keys disabled or scheduled for deletion, in the last ${days} days` },
] as const satisfies readonly Investigation[];

export type InvestigationName = (typeof INVESTIGATIONS)[number]['name'];

/** Errors AWS services return when IAM or an SCP refuses a call. */
export const ACCESS_DENIED_ERRORS = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'] as const;

/** The event names each question looks for, shared by both engines' texts. */
export const INVESTIGATION_EVENTS = {
  'database-deletions': ['DeleteDBInstance', 'DeleteDBCluster'],
  'trail-changes': ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutAdvancedEventSelectors', 'CreateTrail'],
  'security-group-changes': [
    'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
    'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'ModifySecurityGroupRules',
  ],
  'kms-key-disable-or-deletion': ['DisableKey', 'ScheduleKeyDeletion'],
} as const satisfies Partial<Record<InvestigationName, readonly string[]>>;
