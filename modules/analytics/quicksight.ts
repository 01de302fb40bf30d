/**
 * Amazon QuickSight over the Organization trail, in the Audit account: an Athena data source on
 * one workgroup, data sets that query the trail table directly (no SPICE copy of the records),
 * and a dashboard of API calls per account, service and day, denied calls, console sign-ins with
 * and without MFA, and root activity. Only the named QuickSight users and groups get permissions.
 *
 * QuickSight reaches Athena and S3 with the role of its subscription (provider 5.100 has no
 * per-data-source role), so its users are assigned a managed policy holding exactly the query
 * role's statements (workgroup, table, the trail's prefix, decryption through S3 only).
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { QuicksightDashboard } from '@cdktf/provider-aws/lib/quicksight-dashboard';
import { QuicksightDataSet } from '@cdktf/provider-aws/lib/quicksight-data-set';
import { QuicksightDataSource } from '@cdktf/provider-aws/lib/quicksight-data-source';
import { QuicksightIamPolicyAssignment } from '@cdktf/provider-aws/lib/quicksight-iam-policy-assignment';
import { Construct } from 'constructs';
import { parseQuickSightPrincipal, QUICKSIGHT_ACTIONS } from '../../facts/quicksight';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { ACCESS_DENIED_ERRORS } from '../../facts/investigations';
import { lastDays, quoted } from './forensic-queries';

type ColumnType = 'STRING' | 'INTEGER';

/** A data set: one SQL query over the trail table, and the columns it returns. */
export interface TrailDataSet {
  readonly id: string;
  readonly name: string;
  readonly sql: string;
  readonly columns: Readonly<Record<string, ColumnType>>;
}

/** The data sets of the dashboard; every query reads only the last `days` days' partitions. */
export function trailDataSets(database: string, table: string, days: number): TrailDataSet[] {
  const from = `"${database}"."${table}"`;
  const recent = lastDays(days);
  return [
    {
      id: 'api-calls',
      name: 'API calls per account, service and day',
      sql: `SELECT "date" AS day, account, eventsource AS service, count(*) AS calls
FROM ${from}
WHERE ${recent}
GROUP BY "date", account, eventsource`,
      columns: { day: 'STRING', account: 'STRING', service: 'STRING', calls: 'INTEGER' },
    },
    {
      id: 'denied-calls',
      name: 'Calls refused by IAM or an SCP',
      sql: `SELECT "date" AS day, account, useridentity.arn AS principal, eventsource AS service, eventname AS action, errorcode, count(*) AS denied
FROM ${from}
WHERE ${recent}
  AND errorcode IN (${quoted(ACCESS_DENIED_ERRORS)})
GROUP BY "date", account, useridentity.arn, eventsource, eventname, errorcode`,
      columns: { day: 'STRING', account: 'STRING', principal: 'STRING', service: 'STRING', action: 'STRING', errorcode: 'STRING', denied: 'INTEGER' },
    },
    {
      id: 'console-sign-ins',
      name: 'Console sign-ins with and without MFA',
      sql: `SELECT "date" AS day, account, useridentity.type AS identity_type,
  CASE WHEN json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes' THEN 'with MFA' ELSE 'without MFA' END AS mfa,
  coalesce(json_extract_scalar(responseelements, '$.ConsoleLogin'), 'Failure') AS result, count(*) AS sign_ins
FROM ${from}
WHERE ${recent}
  AND eventname = 'ConsoleLogin'
GROUP BY 1, 2, 3, 4, 5`,
      columns: { day: 'STRING', account: 'STRING', identity_type: 'STRING', mfa: 'STRING', result: 'STRING', sign_ins: 'INTEGER' },
    },
    {
      id: 'root-activity',
      name: 'Root user activity',
      sql: `SELECT "date" AS day, account, eventsource AS service, eventname AS action, sourceipaddress AS source_ip, count(*) AS calls
FROM ${from}
WHERE ${recent}
  AND useridentity.type = 'Root'
  AND useridentity.invokedby IS NULL
  AND eventtype <> 'AwsServiceEvent'
GROUP BY "date", account, eventsource, eventname, sourceipaddress`,
      columns: { day: 'STRING', account: 'STRING', service: 'STRING', action: 'STRING', source_ip: 'STRING', calls: 'INTEGER' },
    },
  ];
}

export interface TrailQuickSightProps {
  /** The Audit account in the QuickSight region (the home region). */
  readonly provider: AwsProvider;
  readonly accountId: string;
  /** Athena workgroup the data source runs its queries in. */
  readonly workgroup: string;
  readonly databaseName: string;
  readonly tableName: string;
  /** Days of the trail the data sets read. */
  readonly lookbackDays: number;
  readonly dataSourceId: string;
  /** Each data set's id is this prefix followed by its own id. */
  readonly dataSetIdPrefix: string;
  readonly dashboardId: string;
  /** Managed policy assigned to the users and groups: what QuickSight may read on their behalf. */
  readonly policyName: string;
  readonly readStatements: readonly PolicyStatement[];
  /** QuickSight users or groups (ARNs) who may change the data sets and dashboard. */
  readonly authors: readonly string[];
  /** QuickSight users or groups (ARNs) who may view the dashboard. */
  readonly readers: readonly string[];
}

type Permission = { principal: string; actions: string[] };

function permissions(props: TrailQuickSightProps, actions: { readonly owner: readonly string[]; readonly viewer: readonly string[] }): Permission[] {
  return [
    ...props.authors.map((principal) => ({ principal, actions: [...actions.owner] })),
    ...props.readers.filter((r) => !props.authors.includes(r)).map((principal) => ({ principal, actions: [...actions.viewer] })),
  ];
}

// The provider types `definition` as `any` and passes it through unconverted: its blocks are
// written in Terraform's own (snake_case) names.
const column = (dataSet: string, name: string) => ({ data_set_identifier: dataSet, column_name: name });
const dimension = (dataSet: string, name: string) => ({ categorical_dimension_field: { field_id: `${dataSet}.${name}`, column: column(dataSet, name) } });
const sum = (dataSet: string, name: string) => ({
  numerical_measure_field: { field_id: `${dataSet}.${name}.sum`, column: column(dataSet, name), aggregation_function: { simple_numerical_aggregation: 'SUM' } },
});
const title = (text: string) => ({ format_text: { plain_text: text } });

function stackedBars(visualId: string, text: string, dataSet: string, category: string, colour: string, value: string) {
  return {
    bar_chart_visual: {
      visual_id: visualId,
      title: title(text),
      chart_configuration: {
        bars_arrangement: 'STACKED',
        orientation: 'VERTICAL',
        field_wells: { bar_chart_aggregated_field_wells: { category: [dimension(dataSet, category)], colors: [dimension(dataSet, colour)], values: [sum(dataSet, value)] } },
      },
    },
  };
}

function table(visualId: string, text: string, dataSet: string, groupBy: readonly string[], value: string) {
  return {
    table_visual: {
      visual_id: visualId,
      title: title(text),
      chart_configuration: { field_wells: { table_aggregated_field_wells: { group_by: groupBy.map((g) => dimension(dataSet, g)), values: [sum(dataSet, value)] } } },
    },
  };
}

export class TrailQuickSight extends Construct {
  readonly dataSource: QuicksightDataSource;
  readonly dataSets: Record<string, QuicksightDataSet> = {};
  readonly dashboard: QuicksightDashboard;

  constructor(scope: Construct, id: string, props: TrailQuickSightProps) {
    super(scope, id);
    const { provider, accountId } = props;
    const principals = [...props.authors, ...props.readers].map((arn) => {
      const principal = parseQuickSightPrincipal(arn);
      if (!principal) throw new Error(`${arn} is not a QuickSight user or group ARN`);
      return principal;
    });
    if (principals.length === 0) throw new Error('TrailQuickSight needs at least one author or reader');

    const policy = new IamPolicy(this, 'read-policy', {
      provider,
      name: props.policyName,
      description: 'What QuickSight may read for its users: the trail table through one workgroup, the trail prefix, decryption through S3',
      policy: policyDocument(props.readStatements),
    });
    const namespaces = [...new Set(principals.map((p) => p.namespace))];
    namespaces.forEach((namespace) => {
      const named = (kind: 'user' | 'group') => principals.filter((p) => p.namespace === namespace && p.kind === kind).map((p) => p.name);
      new QuicksightIamPolicyAssignment(this, `assignment-${namespace}`, {
        provider,
        awsAccountId: accountId,
        namespace,
        assignmentName: props.policyName,
        assignmentStatus: 'ENABLED',
        policyArn: policy.arn,
        identities: [{ user: named('user'), group: named('group') }],
      });
    });

    this.dataSource = new QuicksightDataSource(this, 'data-source', {
      provider,
      awsAccountId: accountId,
      dataSourceId: props.dataSourceId,
      name: `Organization trail (Athena workgroup ${props.workgroup})`,
      type: 'ATHENA',
      parameters: { athena: { workGroup: props.workgroup } },
      permission: permissions(props, QUICKSIGHT_ACTIONS.dataSource),
    });

    for (const set of trailDataSets(props.databaseName, props.tableName, props.lookbackDays)) {
      this.dataSets[set.id] = new QuicksightDataSet(this, `data-set-${set.id}`, {
        provider,
        awsAccountId: accountId,
        dataSetId: `${props.dataSetIdPrefix}${set.id}`,
        name: set.name,
        // every view queries Athena: no copy of the records leaves the archive
        importMode: 'DIRECT_QUERY',
        physicalTableMap: [
          {
            physicalTableMapId: set.id,
            customSql: {
              dataSourceArn: this.dataSource.arn,
              name: set.id,
              sqlQuery: set.sql,
              columns: Object.entries(set.columns).map(([name, type]) => ({ name, type })),
            },
          },
        ],
        permissions: permissions(props, QUICKSIGHT_ACTIONS.dataSet),
      });
    }

    this.dashboard = new QuicksightDashboard(this, 'dashboard', {
      provider,
      awsAccountId: accountId,
      dashboardId: props.dashboardId,
      name: 'Organization trail activity',
      versionDescription: `Last ${props.lookbackDays} days of the Organization trail`,
      definition: {
        data_set_identifiers_declarations: Object.entries(this.dataSets).map(([identifier, set]) => ({ identifier, data_set_arn: set.arn })),
        sheets: [
          {
            sheet_id: 'organization-trail',
            name: 'Organization trail',
            visuals: [
              stackedBars('api-calls-per-day', 'API calls per day, by account', 'api-calls', 'day', 'account', 'calls'),
              table('api-calls-by-service', 'API calls by account and service', 'api-calls', ['account', 'service'], 'calls'),
              table('denied-calls', 'Calls refused by IAM or an SCP', 'denied-calls', ['day', 'account', 'principal', 'action', 'errorcode'], 'denied'),
              stackedBars('console-sign-ins', 'Console sign-ins per day, with and without MFA', 'console-sign-ins', 'day', 'mfa', 'sign_ins'),
              table('root-activity', 'Root user activity', 'root-activity', ['day', 'account', 'action', 'source_ip'], 'calls'),
            ],
          },
        ],
      },
      permissions: permissions(props, QUICKSIGHT_ACTIONS.dashboard),
    });
  }
}
