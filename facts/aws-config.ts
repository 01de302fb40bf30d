/** AWS Config facts: recording and delivery settings it accepts, its principals and managed policies. */

export const CONFIG_SERVICE_PRINCIPAL = 'config.amazonaws.com';
/** Organization-wide Config rules and conformance packs are delegated through this principal. */
export const CONFIG_MULTI_ACCOUNT_SETUP_PRINCIPAL = 'config-multiaccountsetup.amazonaws.com';

/** How often a recorder records changes (RecordingMode.recordingFrequency). */
export const RECORDING_FREQUENCIES = ['CONTINUOUS', 'DAILY'] as const;

/** A recorder takes at most one recording mode override (RecordingModeOverrides: max 1, Config API). */
export const MAX_RECORDING_MODE_OVERRIDES = 1;

/**
 * Resource types Config always records continuously: DAILY cannot be set for them
 * (RecordingMode, Config API reference).
 */
export const CONTINUOUS_ONLY_RESOURCE_TYPES = [
  'AWS::Config::ResourceCompliance',
  'AWS::Config::ConformancePackCompliance',
  'AWS::Config::ConfigurationRecorder',
] as const;

/** Resource types as Config names them, e.g. AWS::EC2::Instance. */
export const RESOURCE_TYPE_PATTERN = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/;

/** How often a delivery channel delivers configuration snapshots (ConfigSnapshotDeliveryProperties). */
export const SNAPSHOT_DELIVERY_FREQUENCIES = ['One_Hour', 'Three_Hours', 'Six_Hours', 'Twelve_Hours', 'TwentyFour_Hours'] as const;

/**
 * Regions where Config cannot record the global IAM resource types (IAM users, groups, roles and
 * customer managed policies): those where Config became available after February 2022 (Config
 * developer guide, "Recording global resources"; RecordingGroup.includeGlobalResourceTypes).
 */
export const REGIONS_WITHOUT_GLOBAL_IAM_RECORDING = [
  'ap-east-2', 'ap-south-2', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'ca-west-1', 'eu-central-2', 'eu-south-2', 'il-central-1', 'me-central-1', 'mx-central-1',
] as const;

/** What a recorder needs to read the configuration of every resource type (Config: "Permissions for the IAM role"). */
export const CONFIG_ROLE_MANAGED_POLICY = 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole';

/** What an organization aggregator's role needs to read the organization (Config: "Organization aggregators"). */
export const ORGANIZATION_AGGREGATOR_MANAGED_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations';

/** Config delivers every account's files under this key layout (Config: "Permissions for the Amazon S3 bucket"). */
export function configDeliveryKeyPrefix(accountId: string): string {
  return `AWSLogs/${accountId}/Config`;
}
