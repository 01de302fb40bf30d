/**
 * AWS Organizations facts.
 *
 * Organizations is a global service whose CloudTrail events are recorded only in US East
 * (N. Virginia) ("You can view all CloudTrail information for AWS Organizations only in the US
 * East (N. Virginia) Region", Organizations User Guide, Logging API calls with AWS CloudTrail), so
 * EventBridge receives them on the management account's event bus in us-east-1.
 */
export const ORGANIZATIONS_EVENTS_REGION = 'us-east-1';

/**
 * The CloudTrail events of the management account that say an account is, or is about to be, in
 * the organization:
 * - `CreateAccountResult`: the service event that ends an asynchronous CreateAccount;
 * - `AccountJoinedOrganization`: logged in the management account when an invited account accepts
 *   (the invited account's own `AcceptHandshake` is recorded in that account only, Organizations
 *   User Guide, "Accepting or declining account invitations");
 * - `InviteAccountToOrganization` and `AcceptHandshake`: the invitation, and handshakes the
 *   management account itself accepts.
 */
export const ACCOUNT_JOIN_EVENT_NAMES = ['CreateAccountResult', 'AccountJoinedOrganization', 'InviteAccountToOrganization', 'AcceptHandshake'] as const;

/** EventBridge pattern of those events (API calls and service events alike). */
export function accountJoinEventPattern(): Record<string, unknown> {
  return {
    source: ['aws.organizations'],
    'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
    detail: { eventSource: ['organizations.amazonaws.com'], eventName: [...ACCOUNT_JOIN_EVENT_NAMES] },
  };
}
