/**
 * The CIS AWS Foundations Benchmark's monitoring controls: one metric filter pattern per control,
 * that the benchmark, Prowler and Security Hub CSPM all accept.
 */

/** CIS AWS Foundations / Security Hub CloudWatch.1-14 controls, and CIS 5.15 (Organizations; 4.15 before CIS 6.0). */
export const CIS_ALARMS = [
  'root-usage', 'unauthorized-api-calls', 'console-signin-without-mfa', 'iam-policy-changes',
  'cloudtrail-changes', 'console-auth-failures', 'cmk-disable-or-deletion', 's3-bucket-policy-changes',
  'config-changes', 'security-group-changes', 'nacl-changes', 'network-gateway-changes',
  'route-table-changes', 'vpc-changes', 'organizations-changes',
] as const;

export type CisControl = (typeof CIS_ALARMS)[number];

export interface CisFilter {
  /** Security Hub control, or the CIS recommendation where Security Hub has none. */
  readonly control: string;
  readonly description: string;
  readonly metricName: string;
  /**
   * A pattern that three judges accept at once: the CIS AWS Foundations Benchmark's text, Prowler's
   * check for the recommendation, and Security Hub CSPM's CloudWatch.N control, which fails unless
   * the filter is exactly its documented pattern. Where one asks for more events or for the event
   * source, the pattern has them.
   */
  readonly pattern: string;
}

/**
 * CloudWatch.1-14: exactly the remediation patterns of the Security Hub CSPM user guide
 * (securityhub/latest/userguide/cloudwatch-controls.html), which for CloudWatch.4 (IAM) and
 * CloudWatch.13 (route tables) add the event source to the benchmark's events, as Prowler's route
 * table check requires too. Organizations (CIS 4.15 in 1.4-5.0, 5.15 since 6.0; no Security Hub
 * control): the benchmark's events plus those Prowler 5.46's check requires (CancelHandshake,
 * CreateOrganization, EnableAllFeatures).
 */
export const CIS_FILTERS: Readonly<Record<CisControl, CisFilter>> = {
  'root-usage': {
    control: 'CloudWatch.1',
    description: 'Usage of the root user',
    metricName: 'RootAccountUsage',
    pattern: '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  },
  'unauthorized-api-calls': {
    control: 'CloudWatch.2',
    description: 'Unauthorized API calls',
    metricName: 'UnauthorizedAPICalls',
    pattern: '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  },
  'console-signin-without-mfa': {
    control: 'CloudWatch.3',
    description: 'Management Console sign-in without MFA',
    metricName: 'ConsoleSigninWithoutMFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  'iam-policy-changes': {
    control: 'CloudWatch.4',
    description: 'IAM policy changes',
    metricName: 'IAMPolicyChanges',
    pattern: '{($.eventSource=iam.amazonaws.com) && (($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy))}',
  },
  'cloudtrail-changes': {
    control: 'CloudWatch.5',
    description: 'CloudTrail configuration changes',
    metricName: 'CloudTrailChanges',
    pattern: '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  },
  'console-auth-failures': {
    control: 'CloudWatch.6',
    description: 'Management Console authentication failures',
    metricName: 'ConsoleAuthenticationFailure',
    pattern: '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  },
  'cmk-disable-or-deletion': {
    control: 'CloudWatch.7',
    description: 'Disabling or scheduled deletion of customer managed keys',
    metricName: 'DisableOrDeleteCMK',
    pattern: '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
  },
  's3-bucket-policy-changes': {
    control: 'CloudWatch.8',
    description: 'S3 bucket policy changes',
    metricName: 'S3BucketPolicyChanges',
    pattern: '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
  },
  'config-changes': {
    control: 'CloudWatch.9',
    description: 'AWS Config configuration changes',
    metricName: 'AWSConfigChanges',
    pattern: '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
  },
  'security-group-changes': {
    control: 'CloudWatch.10',
    description: 'Security group changes',
    metricName: 'SecurityGroupChanges',
    pattern: '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
  },
  'nacl-changes': {
    control: 'CloudWatch.11',
    description: 'Network ACL changes',
    metricName: 'NetworkACLChanges',
    pattern: '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
  },
  'network-gateway-changes': {
    control: 'CloudWatch.12',
    description: 'Network gateway changes',
    metricName: 'NetworkGatewayChanges',
    pattern: '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
  },
  'route-table-changes': {
    control: 'CloudWatch.13',
    description: 'Route table changes',
    metricName: 'RouteTableChanges',
    pattern: '{($.eventSource=ec2.amazonaws.com) && (($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable))}',
  },
  'vpc-changes': {
    control: 'CloudWatch.14',
    description: 'VPC changes',
    metricName: 'VPCChanges',
    pattern: '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
  },
  'organizations-changes': {
    control: 'CIS 5.15',
    description: 'AWS Organizations changes',
    metricName: 'OrganizationsChanges',
    pattern: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CancelHandshake") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganization") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnableAllFeatures") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdateOrganizationalUnit") || ($.eventName = "UpdatePolicy")) }',
  },
};
