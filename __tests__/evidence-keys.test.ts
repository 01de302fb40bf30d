/**
 * The keys whose loss loses evidence (the archive key, the trail log group's key, the state key):
 * no principal but the break-glass role, and it only with MFA, may disable them, schedule their
 * deletion, rewrite their policy or stop their rotation; the root statement that keeps a key
 * manageable stays. Evaluated with the key policies' own Deny statements.
 */
import { policyOf, resources, statement, synthStack } from './helpers';
import { denyingStatements, denyStatementsOf, isDenied } from './support/scp';

const keys = [
  { name: 'the archive key', stack: 'log-archive', description: /^Encrypts the Organization trail/, account: '222222222222' },
  { name: "the trail log group's key", stack: 'org-trail', description: /^Encrypts the Organization trail log group/, account: '111111111111' },
  { name: 'the state key', stack: 'bootstrap', description: /^Encrypts the landing zone Terraform state/, account: '111111111111' },
];

const LIFE = ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:DisableKeyRotation'];

describe.each(keys)('$name', ({ stack, description, account }) => {
  const key = resources(synthStack(stack), 'aws_kms_key').find((k) => description.test(k.description))!;
  const policy = policyOf(key);
  const denies = denyStatementsOf(key.policy);
  const keyArn = `arn:aws:kms:eu-west-1:${account}:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const role = (pathAndName: string) => `arn:aws:iam::${account}:role/${pathAndName}`;
  const breakGlass = role('landing-zone/audit-landing-zone-break-glass');
  const withMfa = { 'aws:MultiFactorAuthPresent': 'true' };

  test('keeps the root statement, so the key stays manageable through IAM', () => {
    expect(statement(policy, 'AccountAdministersKey')).toEqual({ Sid: 'AccountAdministersKey', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });
  });

  test.each(LIFE)('%s is refused to the account administrator and root, the deployment, organization access and plan roles', (action) => {
    for (const principalArn of [
      role('aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
      `arn:aws:iam::${account}:root`,
      role('landing-zone/audit-landing-zone-deployer'),
      role('OrganizationAccountAccessRole'),
      role('landing-zone/audit-landing-zone-planner'),
    ]) {
      // with MFA too: only the break-glass role is let through
      expect({ principalArn, refused: isDenied([denies], { action, resource: keyArn, principalArn, context: withMfa }) }).toEqual({ principalArn, refused: true });
    }
  });

  test.each(LIFE)('%s is allowed to the break-glass role with MFA only', (action) => {
    expect(denyingStatements([denies], { action, resource: keyArn, principalArn: breakGlass, context: withMfa })).toEqual([]);
    expect(denyingStatements([denies], { action, resource: keyArn, principalArn: breakGlass })).toEqual(['BreakGlassNeedsMfa']);
    expect(denyingStatements([denies], { action, resource: keyArn, principalArn: breakGlass, context: { 'aws:MultiFactorAuthPresent': 'false' } })).toEqual(['BreakGlassNeedsMfa']);
    expect(isDenied([denies], { action, resource: keyArn, principalArn: role('team/audit-landing-zone-break-glass'), context: withMfa })).toBe(true);
  });

  test('leaves using the key alone', () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:GetKeyPolicy']) {
      expect(isDenied([denies], { action, resource: keyArn, principalArn: role('landing-zone/audit-landing-zone-deployer') })).toBe(false);
    }
  });

  test('cannot be destroyed by Terraform, and is created past the lockout check that its guard would fail', () => {
    expect(key).toMatchObject({ lifecycle: { prevent_destroy: true }, bypass_policy_lockout_safety_check: true, enable_key_rotation: true });
  });
});

test('keys that protect no evidence carry no guard', () => {
  const results = resources(synthStack('analytics'), 'aws_kms_key');
  expect(results.length).toBeGreaterThan(0);
  for (const key of results) {
    expect(denyStatementsOf(key.policy).Statement).toEqual([]);
    expect(key.bypass_policy_lockout_safety_check).toBeUndefined();
  }
});
