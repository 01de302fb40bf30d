/** The activity notifier's default events and its subscription filter pattern, shared by config rules and the construct. */
import { MAX_SUBSCRIPTION_PATTERN_LENGTH } from './cloudwatch';

export { MAX_SUBSCRIPTION_PATTERN_LENGTH };

/**
 * CloudTrail events the activity notifier e-mails by default: instance lifecycle, security group
 * and IAM changes. Root console sign-ins are added by `notifier.rootConsoleSignIn`.
 */
export const DEFAULT_NOTIFIED_EVENT_NAMES = [
  'RunInstances', 'StartInstances', 'StopInstances', 'TerminateInstances',
  'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
  'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup',
  'CreateUser', 'DeleteUser', 'CreateRole', 'DeleteRole', 'CreateAccessKey', 'DeleteAccessKey',
  'CreateLoginProfile', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion',
  'AttachUserPolicy', 'DetachUserPolicy', 'AttachRolePolicy', 'DetachRolePolicy',
  'AttachGroupPolicy', 'DetachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy',
  'UpdateAssumeRolePolicy',
] as const;

/**
 * The subscription filter pattern: any listed event name, and root console sign-ins if asked.
 * Written without spaces or quotes (event names are letters and digits; `&&` binds tighter than
 * `||`) so that some 35 events fit CloudWatch Logs' limit.
 */
export function notifierFilterPattern(eventNames: readonly string[], rootConsoleSignIn: boolean): string {
  const terms = eventNames.map((name) => `$.eventName=${name}`);
  if (rootConsoleSignIn) terms.push('$.eventName=ConsoleLogin&&$.userIdentity.type=Root');
  if (terms.length === 0) throw new Error('the notifier filter needs at least one event name, or root console sign-ins');
  return `{${terms.join('||')}}`;
}
