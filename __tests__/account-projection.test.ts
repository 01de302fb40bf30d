/**
 * The account projection as the landing zone deploys it: the trail table that the function updates,
 * its role, its schedule and the events forwarded to it. The function itself runs against the
 * emulator in integration/account-projection.test.ts.
 */
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone } from './helpers';

describe('the account projection as the landing zone deploys it', () => {
  const stacks = synthLandingZone();
  const analytics = stackOf(stacks, 'analytics');
  const byProvider = (type: string, provider: string) => resources(analytics, type).filter((r) => r.provider === provider);

  test('the table ignores later changes of projection.account.values only', () => {
    expect(onlyResource(analytics, 'aws_glue_catalog_table').lifecycle).toEqual({ ignore_changes: ['parameters["projection.account.values"]'] });
  });

  test('the function may list the accounts and read and update the one trail table, nothing else', () => {
    const role = resources(analytics, 'aws_iam_role_policy').find((p) => p.name === 'project-the-organizations-accounts')!;
    const policy = policyOf(role);
    expect(statement(policy, 'ListTheOrganizationsAccounts')).toMatchObject({ Action: 'organizations:ListAccounts', Resource: '*' });
    expect(statement(policy, 'ReadAndUpdateTheTrailTableOnly')).toEqual({
      Sid: 'ReadAndUpdateTheTrailTableOnly',
      Effect: 'Allow',
      Action: ['glue:GetTable', 'glue:UpdateTable'],
      Resource: ['arn:aws:glue:eu-west-1:333333333333:catalog', 'arn:aws:glue:eu-west-1:333333333333:database/acme_audit_logs', 'arn:aws:glue:eu-west-1:333333333333:table/acme_audit_logs/cloudtrail'],
    });
    expect(policy.Statement.map((s: any) => s.Sid).sort()).toEqual(['ListTheOrganizationsAccounts', 'ReadAndUpdateTheTrailTableOnly', 'WriteOwnLogs']);
    const fn = onlyResource(analytics, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'acme-account-projection', runtime: 'nodejs22.x', reserved_concurrent_executions: 1 });
    expect(fn.environment.variables).toEqual({ CATALOG_ID: '333333333333', DATABASE_NAME: 'acme_audit_logs', TABLE_NAME: 'cloudtrail', ACCOUNT_PARAMETER: 'projection.account.values' });
  });

  test('Organizations events are taken from the management account in us-east-1 and forwarded to the Audit account', () => {
    const [forward] = byProvider('aws_cloudwatch_event_rule', 'aws.management_us_east_1');
    expect(JSON.parse(forward.event_pattern)).toEqual({
      source: ['aws.organizations'],
      'detail-type': ['AWS API Call via CloudTrail', 'AWS Service Event via CloudTrail'],
      detail: { eventSource: ['organizations.amazonaws.com'], eventName: ['CreateAccountResult', 'AccountJoinedOrganization', 'InviteAccountToOrganization', 'AcceptHandshake'] },
    });
    const [target] = byProvider('aws_cloudwatch_event_target', 'aws.management_us_east_1');
    expect(target.arn).toMatch(/^\$\{aws_cloudwatch_event_bus\..+\.arn\}$/);
    const trust = policyOf(byProvider('aws_iam_role', 'aws.management_us_east_1')[0], 'assume_role_policy');
    expect(trust.Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111111111111:rule/acme-account-projection' } });
    const busPolicy = policyOf(onlyResource(analytics, 'aws_cloudwatch_event_bus_policy'));
    expect(busPolicy.Statement).toEqual([expect.objectContaining({
      Action: 'events:PutEvents',
      Principal: { AWS: ['arn:aws:iam::111111111111:root'] },
      Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/acme-account-projection-forward'] } },
    })]);
  });

  test('the function runs on those events and once a day', () => {
    const rules = byProvider('aws_cloudwatch_event_rule', 'aws.audit_eu_west_1');
    expect(rules.map((r) => r.schedule_expression ?? JSON.parse(r.event_pattern).source[0]).sort()).toEqual(['aws.organizations', 'rate(1 day)']);
    expect(byProvider('aws_cloudwatch_event_target', 'aws.audit_eu_west_1')).toHaveLength(2);
    expect(resources(analytics, 'aws_lambda_permission').map((p) => p.principal)).toEqual(['events.amazonaws.com', 'events.amazonaws.com']);
  });

  test('the organization lets the Audit account call ListAccounts, and nothing else', () => {
    const delegation = policyOf(onlyResource(stackOf(stacks, 'organization'), 'aws_organizations_resource_policy'), 'content');
    expect(delegation.Statement).toEqual([
      { Sid: 'AuditAccountListsTheAccounts', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 'organizations:ListAccounts', Resource: '*' },
    ]);
  });

  test('switched off, the table is Terraform\'s alone and nothing of the function is made', () => {
    const off = synthLandingZone(exampleConfig((raw) => (raw.analytics = { followNewAccounts: false })));
    expect(onlyResource(stackOf(off, 'analytics'), 'aws_glue_catalog_table').lifecycle).toBeUndefined();
    expect(resources(stackOf(off, 'analytics'), 'aws_lambda_function')).toEqual([]);
    expect(resources(stackOf(off, 'organization'), 'aws_organizations_resource_policy')).toEqual([]);
  });
});
