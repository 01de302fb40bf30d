/**
 * Amazon QuickSight facts: the permission sets its API documents for owners and viewers of data
 * sources, data sets and dashboards, the ARN of a user or group, and the role QuickSight uses to
 * reach AWS data sources (QuickSight User Guide, "Permissions for AWS resources" and the API
 * Reference examples of CreateDataSource, CreateDataSet, CreateDashboard).
 */

export const QUICKSIGHT_ACTIONS = {
  dataSource: {
    owner: ['quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:PassDataSource', 'quicksight:UpdateDataSource', 'quicksight:DeleteDataSource', 'quicksight:UpdateDataSourcePermissions'],
    viewer: ['quicksight:DescribeDataSource', 'quicksight:DescribeDataSourcePermissions', 'quicksight:PassDataSource'],
  },
  dataSet: {
    owner: [
      'quicksight:DescribeDataSet', 'quicksight:DescribeDataSetPermissions', 'quicksight:PassDataSet', 'quicksight:DescribeIngestion', 'quicksight:ListIngestions',
      'quicksight:UpdateDataSet', 'quicksight:DeleteDataSet', 'quicksight:CreateIngestion', 'quicksight:CancelIngestion', 'quicksight:UpdateDataSetPermissions',
    ],
    viewer: ['quicksight:DescribeDataSet', 'quicksight:DescribeDataSetPermissions', 'quicksight:PassDataSet', 'quicksight:DescribeIngestion', 'quicksight:ListIngestions'],
  },
  dashboard: {
    owner: [
      'quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:UpdateDashboardPermissions', 'quicksight:QueryDashboard', 'quicksight:UpdateDashboard',
      'quicksight:DeleteDashboard', 'quicksight:DescribeDashboardPermissions', 'quicksight:UpdateDashboardPublishedVersion',
    ],
    viewer: ['quicksight:DescribeDashboard', 'quicksight:ListDashboardVersions', 'quicksight:QueryDashboard'],
  },
} as const;

/** `arn:aws:quicksight:IDENTITY-REGION:ACCOUNT:user|group/NAMESPACE/NAME`. */
export const QUICKSIGHT_PRINCIPAL_ARN = /^arn:aws:quicksight:([a-z]{2}(-[a-z]+)+-\d):(\d{12}):(user|group)\/([A-Za-z0-9._-]{1,64})\/([\w+=,.@-]{1,128})$/;

export interface QuickSightPrincipal {
  readonly arn: string;
  readonly accountId: string;
  readonly kind: 'user' | 'group';
  readonly namespace: string;
  readonly name: string;
}

export function parseQuickSightPrincipal(arn: string): QuickSightPrincipal | undefined {
  const m = QUICKSIGHT_PRINCIPAL_ARN.exec(arn);
  return m ? { arn, accountId: m[3], kind: m[4] as 'user' | 'group', namespace: m[5], name: m[6] } : undefined;
}

/**
 * The role QuickSight creates at subscription to reach Athena and S3 for the whole QuickSight
 * account (its "resource access" role), unless the subscription chose another.
 */
export const QUICKSIGHT_DEFAULT_SERVICE_ROLE = 'service-role/aws-quicksight-service-role-v0';
