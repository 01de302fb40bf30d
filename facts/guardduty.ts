/** GuardDuty facts: its protection plans and Runtime Monitoring's agent add-ons. */

export const GUARDDUTY_PROTECTION_PLANS = [
  'S3_DATA_EVENTS', 'EKS_AUDIT_LOGS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS',
  'LAMBDA_NETWORK_LOGS', 'RUNTIME_MONITORING',
] as const;

export const GUARDDUTY_RUNTIME_ADDONS = [
  'EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT',
] as const;
