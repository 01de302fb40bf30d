/**
 * Actions a region-deny SCP must leave alone wherever they are requested: the global services,
 * whose single endpoint lives in one region (us-east-1 mostly, us-west-2 for a few), and the few
 * read calls that consoles and CLIs make from any region. Without them, the organization could not
 * use IAM, Organizations, billing or support from a governed region.
 *
 * Source: AWS Control Tower's Region deny control (GRREGIONDENY, "Deny access to AWS based on the
 * requested AWS Region", Control Tower controls reference), as a landing zone 4.0 applies it.
 * When AWS adds a global service, it is added here, in this one place.
 */
export const REGION_DENY_EXEMPT_ACTIONS = [
  'a4b:*', 'access-analyzer:*', 'account:*', 'acm:*', 'activate:*', 'artifact:*',
  'aws-marketplace-management:*', 'aws-marketplace:*', 'aws-portal:*', 'billing:*', 'billingconductor:*',
  'budgets:*', 'ce:*', 'chatbot:*', 'chime:*', 'cloudfront:*', 'cloudtrail:LookupEvents',
  'compute-optimizer:*', 'config:*', 'consoleapp:*', 'consolidatedbilling:*', 'cur:*',
  'datapipeline:GetAccountLimits', 'devicefarm:*', 'directconnect:*', 'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways', 'ec2:DescribeVpnGateways', 'ecr-public:*', 'fms:*', 'freetier:*',
  'globalaccelerator:*', 'health:*', 'iam:*', 'importexport:*', 'invoicing:*', 'iq:*', 'kms:*',
  'license-manager:ListReceivedLicenses', 'lightsail:Get*', 'mobileanalytics:*', 'networkmanager:*',
  'notifications-contacts:*', 'notifications:*', 'organizations:*', 'payments:*', 'pricing:*',
  'quicksight:DescribeAccountSubscription', 'resource-explorer-2:*', 'route53-recovery-cluster:*',
  'route53-recovery-control-config:*', 'route53-recovery-readiness:*', 'route53:*', 'route53domains:*',
  's3:CreateMultiRegionAccessPoint', 's3:DeleteMultiRegionAccessPoint', 's3:DescribeMultiRegionAccessPointOperation',
  's3:GetAccountPublicAccessBlock', 's3:GetBucketLocation', 's3:GetBucketPolicyStatus', 's3:GetBucketPublicAccessBlock',
  's3:GetMultiRegionAccessPoint', 's3:GetMultiRegionAccessPointPolicy', 's3:GetMultiRegionAccessPointPolicyStatus',
  's3:GetStorageLensConfiguration', 's3:GetStorageLensDashboard', 's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints', 's3:ListStorageLensConfigurations', 's3:PutAccountPublicAccessBlock',
  's3:PutMultiRegionAccessPointPolicy', 'savingsplans:*', 'shield:*', 'sso:*', 'sts:*', 'support:*',
  'supportapp:*', 'supportplans:*', 'sustainability:*', 'tag:GetResources', 'tax:*', 'trustedadvisor:*',
  'vendor-insights:ListEntitledSecurityProfiles', 'waf-regional:*', 'waf:*', 'wafv2:*',
] as const;
