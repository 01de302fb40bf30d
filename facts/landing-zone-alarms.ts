/**
 * Metric filter patterns of the landing zone's own alarms on the Organization trail, beside the CIS
 * catalog (facts/cis.ts) and in its shape. The management account is bound by no SCP, and SCP
 * exemptions are people: these alarms say when the guarded actions happen anyway.
 */
import type { CisFilter } from './cis';

/**
 * GuardDuty silenced: a suppression rule (a filter, which archives matching findings before they
 * reach EventBridge, the S3 export or Security Hub) or a trusted IP list (no findings for its
 * addresses) created or changed, in any account. The SCPs let only the roles named in
 * guardduty.suppressionRuleRoleArns create or change filters; the management account is not bound.
 */
export const GUARDDUTY_SILENCED: CisFilter = {
  control: 'Landing zone',
  description: 'GuardDuty suppression rule or trusted IP list created or changed',
  metricName: 'GuardDutyFindingsSilenced',
  pattern: '{ ($.eventSource = guardduty.amazonaws.com) && (($.eventName = CreateFilter) || ($.eventName = UpdateFilter) || ($.eventName = CreateIPSet) || ($.eventName = UpdateIPSet)) }',
};
