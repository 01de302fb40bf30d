/** GuardDuty facts: its protection plans and Runtime Monitoring's agent add-ons. */

export const GUARDDUTY_PROTECTION_PLANS = [
  'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
] as const;

export const GUARDDUTY_RUNTIME_ADDONS = [
  'EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT',
] as const;

/**
 * GuardDuty's severity levels and the lowest value of each: Low 1.0-3.9, Medium 4.0-6.9, High
 * 7.0-8.9, Critical 9.0-10.0 (GuardDuty User Guide, "Severity levels of GuardDuty findings").
 */
export const GUARDDUTY_SEVERITY_LEVELS = [
  { label: 'Low', from: 1 },
  { label: 'Medium', from: 4 },
  { label: 'High', from: 7 },
  { label: 'Critical', from: 9 },
] as const;

/** A severity range: at least `from`, and below `below` where there is a next level. */
export interface SeverityBand {
  readonly label: string;
  readonly from: number;
  readonly below?: number;
}

/** The levels a minimum severity lets through, the lowest cut at the minimum. */
export function severityBandsFrom(minimum: number): SeverityBand[] {
  return GUARDDUTY_SEVERITY_LEVELS.flatMap((level, i): SeverityBand[] => {
    const below = GUARDDUTY_SEVERITY_LEVELS[i + 1]?.from;
    if (below !== undefined && below <= minimum) return [];
    return [{ label: level.label, from: Math.max(level.from, minimum), ...(below === undefined ? {} : { below }) }];
  });
}
