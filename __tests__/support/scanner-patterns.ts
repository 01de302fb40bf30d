/**
 * What the scanners auditors run look for in each CIS metric filter, for the tests of
 * facts/cis.ts (the patterns of modules/detection/cis-alarms.ts):
 * - Prowler 5.46.0 (Apache-2.0): the regular expression each CloudWatch check matches a metric
 *   filter's pattern against, built as `build_metric_filter_pattern` in
 *   prowler/providers/aws/services/cloudwatch/lib/metric_filters.py builds it (every clause a
 *   lookahead, so their order does not matter), from the event source, event names and clauses each
 *   check passes (prowler/providers/aws/services/cloudwatch/<check>/<check>.py);
 * - Security Hub CSPM: the filter pattern the user guide's remediation gives for CloudWatch.1-14
 *   (securityhub/latest/userguide/cloudwatch-controls.html), which the control requires exactly;
 * - the CIS AWS Foundations Benchmark's own pattern where it names more than Security Hub (5.15).
 */
import type { CisControl } from '../../facts/cis';

interface ProwlerClauses {
  readonly eventSource?: string;
  readonly eventNames?: readonly string[];
  readonly extra?: ReadonlyArray<readonly [field: string, operator: '=' | '!=', value: string]>;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `build_metric_filter_pattern` of Prowler, as a JavaScript regular expression. */
export function prowlerPattern({ eventSource, eventNames = [], extra = [] }: ProwlerClauses): RegExp {
  const parts: string[] = [];
  if (eventSource !== undefined) parts.push(`(?=.*\\$\\.eventSource\\s*=\\s*.?${escape(eventSource)})`);
  for (const name of eventNames) parts.push(`(?=.*\\$\\.eventName\\s*=\\s*.?${escape(name)}\\b)`);
  for (const [field, operator, value] of extra) {
    parts.push(`(?=.*\\$\\.${escape(field)}${operator === '!=' ? '\\s*!=\\s*' : '\\s*=\\s*'}.?${escape(value)})`);
  }
  return new RegExp(parts.join(''), 's');
}

export interface ScannerExpectation {
  /** Prowler's check id. */
  readonly prowlerCheck: string;
  /** The regular expression Prowler's check matches the pattern against. */
  readonly prowler: RegExp;
  /** Event names (with their event source) any of the three asks the filter to count. */
  readonly events: readonly string[];
  readonly eventSource: string;
  /** Whether one of them requires `$.eventSource` in the pattern. */
  readonly sourceRequired: boolean;
  /** Security Hub CSPM's documented pattern, where it has a control for it. */
  readonly securityHub?: string;
}

const PROWLER_ORGANIZATIONS_EVENTS = [
  'AcceptHandshake', 'AttachPolicy', 'CancelHandshake', 'CreateAccount', 'CreateOrganization', 'CreateOrganizationalUnit',
  'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'EnableAllFeatures',
  'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'DetachPolicy', 'DisablePolicyType', 'MoveAccount',
  'RemoveAccountFromOrganization', 'UpdateOrganizationalUnit', 'UpdatePolicy',
];
/** CIS AWS Foundations Benchmark 5.15 (4.15 before 6.0): the events of its filter pattern. */
const CIS_ORGANIZATIONS_EVENTS = [
  'AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake',
  'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType',
  'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy',
  'UpdateOrganizationalUnit',
];
const IAM_EVENTS = [
  'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy',
  'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy',
  'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
];
const CLOUDTRAIL_EVENTS = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'];
const S3_EVENTS = [
  'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy',
  'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
];
const CONFIG_EVENTS = ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'];
const SECURITY_GROUP_EVENTS = [
  'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
  'CreateSecurityGroup', 'DeleteSecurityGroup',
];
const NACL_EVENTS = ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'];
const GATEWAY_EVENTS = ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'];
const ROUTE_TABLE_EVENTS = ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'];
const VPC_EVENTS = [
  'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection',
  'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink',
];

/** Security Hub's pattern: `{($.eventSource=S) && ((…) || …)}` or `{(…) || …}`, as its guide writes them. */
const anyOf = (names: readonly string[]) => names.map((n) => `($.eventName=${n})`).join(' || ');
const securityHub = (names: readonly string[], source?: string) => (source ? `{($.eventSource=${source}) && (${anyOf(names)})}` : `{${anyOf(names)}}`);

export const SCANNER_EXPECTATIONS: Readonly<Record<CisControl, ScannerExpectation>> = {
  'root-usage': {
    prowlerCheck: 'cloudwatch_log_metric_filter_root_usage',
    prowler: /\$\.userIdentity\.type\s*=\s*.?Root.+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*.?AwsServiceEvent.?/s,
    events: [],
    eventSource: '',
    sourceRequired: false,
    securityHub: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  },
  'unauthorized-api-calls': {
    prowlerCheck: 'cloudwatch_log_metric_filter_unauthorized_api_calls',
    prowler: /\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?/s,
    events: [],
    eventSource: '',
    sourceRequired: false,
    securityHub: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  },
  'console-signin-without-mfa': {
    prowlerCheck: 'cloudwatch_log_metric_filter_sign_in_without_mfa',
    prowler: prowlerPattern({ eventNames: ['ConsoleLogin'], extra: [['additionalEventData.MFAUsed', '!=', 'Yes']] }),
    events: [],
    eventSource: '',
    sourceRequired: false,
    securityHub: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  'iam-policy-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_policy_changes',
    prowler: prowlerPattern({ eventNames: IAM_EVENTS }),
    events: IAM_EVENTS,
    eventSource: 'iam.amazonaws.com',
    sourceRequired: true,
    securityHub: securityHub(IAM_EVENTS, 'iam.amazonaws.com'),
  },
  'cloudtrail-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
    prowler: prowlerPattern({ eventNames: CLOUDTRAIL_EVENTS }),
    events: CLOUDTRAIL_EVENTS,
    eventSource: 'cloudtrail.amazonaws.com',
    sourceRequired: false,
    securityHub: securityHub(CLOUDTRAIL_EVENTS),
  },
  'console-auth-failures': {
    prowlerCheck: 'cloudwatch_log_metric_filter_authentication_failures',
    prowler: prowlerPattern({ eventNames: ['ConsoleLogin'], extra: [['errorMessage', '=', 'Failed authentication']] }),
    events: [],
    eventSource: '',
    sourceRequired: false,
    securityHub: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  },
  'cmk-disable-or-deletion': {
    prowlerCheck: 'cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk',
    prowler: prowlerPattern({ eventSource: 'kms.amazonaws.com', eventNames: ['DisableKey', 'ScheduleKeyDeletion'] }),
    events: ['DisableKey', 'ScheduleKeyDeletion'],
    eventSource: 'kms.amazonaws.com',
    sourceRequired: true,
    securityHub: securityHub(['DisableKey', 'ScheduleKeyDeletion'], 'kms.amazonaws.com'),
  },
  's3-bucket-policy-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes',
    prowler: prowlerPattern({ eventSource: 's3.amazonaws.com', eventNames: S3_EVENTS }),
    events: S3_EVENTS,
    eventSource: 's3.amazonaws.com',
    sourceRequired: true,
    securityHub: securityHub(S3_EVENTS, 's3.amazonaws.com'),
  },
  'config-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
    prowler: prowlerPattern({ eventSource: 'config.amazonaws.com', eventNames: CONFIG_EVENTS }),
    events: CONFIG_EVENTS,
    eventSource: 'config.amazonaws.com',
    sourceRequired: true,
    securityHub: securityHub(CONFIG_EVENTS, 'config.amazonaws.com'),
  },
  'security-group-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_security_group_changes',
    prowler: prowlerPattern({ eventNames: SECURITY_GROUP_EVENTS }),
    events: SECURITY_GROUP_EVENTS,
    eventSource: 'ec2.amazonaws.com',
    sourceRequired: false,
    securityHub: securityHub(SECURITY_GROUP_EVENTS),
  },
  'nacl-changes': {
    prowlerCheck: 'cloudwatch_changes_to_network_acls_alarm_configured',
    prowler: prowlerPattern({ eventNames: NACL_EVENTS }),
    events: NACL_EVENTS,
    eventSource: 'ec2.amazonaws.com',
    sourceRequired: false,
    securityHub: securityHub(NACL_EVENTS),
  },
  'network-gateway-changes': {
    prowlerCheck: 'cloudwatch_changes_to_network_gateways_alarm_configured',
    prowler: prowlerPattern({ eventNames: GATEWAY_EVENTS }),
    events: GATEWAY_EVENTS,
    eventSource: 'ec2.amazonaws.com',
    sourceRequired: false,
    securityHub: securityHub(GATEWAY_EVENTS),
  },
  'route-table-changes': {
    prowlerCheck: 'cloudwatch_changes_to_network_route_tables_alarm_configured',
    prowler: prowlerPattern({ eventSource: 'ec2.amazonaws.com', eventNames: ROUTE_TABLE_EVENTS }),
    events: ROUTE_TABLE_EVENTS,
    eventSource: 'ec2.amazonaws.com',
    sourceRequired: true,
    securityHub: securityHub(ROUTE_TABLE_EVENTS, 'ec2.amazonaws.com'),
  },
  'vpc-changes': {
    prowlerCheck: 'cloudwatch_changes_to_vpcs_alarm_configured',
    prowler: prowlerPattern({ eventNames: VPC_EVENTS }),
    events: VPC_EVENTS,
    eventSource: 'ec2.amazonaws.com',
    sourceRequired: false,
    securityHub: securityHub(VPC_EVENTS),
  },
  'organizations-changes': {
    prowlerCheck: 'cloudwatch_log_metric_filter_aws_organizations_changes',
    prowler: prowlerPattern({ eventSource: 'organizations.amazonaws.com', eventNames: PROWLER_ORGANIZATIONS_EVENTS }),
    events: [...new Set([...CIS_ORGANIZATIONS_EVENTS, ...PROWLER_ORGANIZATIONS_EVENTS])],
    eventSource: 'organizations.amazonaws.com',
    sourceRequired: true,
  },
};
