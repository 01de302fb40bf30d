/**
 * The identities the landing zone is deployed and reviewed with, as the bootstrap stack creates
 * them: who may assume the deployment, plan and break-glass roles, and what each may do.
 */
import { exampleConfig, policyOf, resources, statement, type SynthesizedJson, synthLandingZone, synthStack } from './helpers';
import { denyingStatements, isDenied } from './support/scp';

const bootstrap = synthStack('bootstrap');

const MANAGEMENT = '111111111111';
const LOG_ARCHIVE = '222222222222';
const AUDIT = '333333333333';
const ACCOUNTS = [MANAGEMENT, LOG_ARCHIVE, AUDIT];
const providerAccount: Record<string, string> = {
  'aws.management_eu_west_1': MANAGEMENT,
  'aws.log_archive_eu_west_1': LOG_ARCHIVE,
  'aws.audit_eu_west_1': AUDIT,
};

function rolesNamed(json: SynthesizedJson, name: string) {
  return resources(json, 'aws_iam_role').filter((r) => r.name === name);
}

function roleNamed(json: SynthesizedJson, name: string, account: string) {
  const found = rolesNamed(json, name).filter((r) => providerAccount[r.provider] === account);
  if (found.length !== 1) throw new Error(`expected one role ${name} in ${account}, found ${found.length}`);
  return found[0];
}

/** The inline policies and managed policy attachments of a role, by its Terraform reference. */
function policiesOf(json: SynthesizedJson, role: Record<string, any>) {
  const [name] = Object.entries(json.resource?.aws_iam_role ?? {}).find(([, r]) => r === role)!;
  const ref = `\${aws_iam_role.${name}.name}`;
  return {
    inline: resources(json, 'aws_iam_role_policy').filter((p) => p.role === ref).map((p) => policyOf(p)),
    managed: resources(json, 'aws_iam_role_policy_attachment').filter((a) => a.role === ref).map((a) => a.policy_arn),
    ref: `\${aws_iam_role.${name}.arn}`,
  };
}

describe("GitHub's OIDC provider and the workflow's roles (management account)", () => {
  const [oidc] = resources(bootstrap, 'aws_iam_openid_connect_provider');
  const apply = roleNamed(bootstrap, 'acme-github-apply', MANAGEMENT);
  const plan = roleNamed(bootstrap, 'acme-github-plan', MANAGEMENT);

  test('trust the GitHub issuer for the audience of configure-aws-credentials, without a thumbprint', () => {
    expect(oidc).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'], provider: 'aws.management_eu_west_1' });
    expect(oidc.thumbprint_list).toBeUndefined();
  });

  test('only jobs of the production environment of the repository get the apply role', () => {
    expect(apply.path).toBe('/landing-zone/');
    expect(policyOf(apply, 'assume_role_policy').Statement).toEqual([
      {
        Sid: 'AssumedByTheWorkflowJob',
        Effect: 'Allow',
        Principal: { Federated: expect.stringMatching(/^\$\{aws_iam_openid_connect_provider\.github_provider_\w+\.arn\}$/) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/audit-landing-zone:environment:production' } },
      },
    ]);
  });

  test('pull-request jobs get the plan role, which may assume the plan roles and nothing else', () => {
    const trust = statement(policyOf(plan, 'assume_role_policy'), 'AssumedByTheWorkflowJob');
    expect(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:acme/audit-landing-zone:pull_request');
    const { inline, managed } = policiesOf(bootstrap, plan);
    expect(managed).toEqual([]);
    expect(inline.flatMap((p) => p.Statement)).toEqual([
      { Sid: 'PlanThroughThePlanRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/landing-zone/audit-landing-zone-planner`) },
    ]);
  });

  test('the apply role may assume the deployment roles and nothing else', () => {
    const { inline, managed } = policiesOf(bootstrap, apply);
    expect(managed).toEqual([]);
    expect(inline.flatMap((p) => p.Statement)).toEqual([
      { Sid: 'DeployThroughTheDeploymentRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/landing-zone/audit-landing-zone-deployer`) },
    ]);
  });

  test('the environment is configurable, and without a repository there is no OIDC provider', () => {
    const staging = synthStack('bootstrap', exampleConfig((raw) => (raw.deployment.github.applyEnvironment = 'landing-zone')));
    const trust = statement(policyOf(roleNamed(staging, 'acme-github-apply', MANAGEMENT), 'assume_role_policy'), 'AssumedByTheWorkflowJob');
    expect(trust.Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:acme/audit-landing-zone:environment:landing-zone');
    const none = synthStack('bootstrap', exampleConfig((raw) => delete raw.deployment.github));
    expect(resources(none, 'aws_iam_openid_connect_provider')).toEqual([]);
    expect(rolesNamed(none, 'acme-github-apply')).toEqual([]);
  });
});

describe('the deployment role of each account', () => {
  test.each(ACCOUNTS)('in %s: created under the configured path, administers the account, trusted only by the apply job and the management deployers', (account) => {
    const role = roleNamed(bootstrap, 'audit-landing-zone-deployer', account);
    expect(role.path).toBe('/landing-zone/');
    expect(policiesOf(bootstrap, role).managed).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
      {
        Sid: 'AssumedByTheDeployers',
        Effect: 'Allow',
        Principal: { AWS: [policiesOf(bootstrap, roleNamed(bootstrap, 'acme-github-apply', MANAGEMENT)).ref, 'arn:aws:iam::111111111111:role/acme-platform-deployer'] },
        Action: 'sts:AssumeRole',
      },
    ]);
    expect(JSON.stringify(role)).not.toMatch(/OrganizationAccountAccessRole|:root/);
  });

  test('the organization access role is used only to create them, in the Log Archive and Audit accounts', () => {
    const viaOrganizationAccess = (bootstrap.provider?.aws ?? []).filter((p) => JSON.stringify(p.assume_role ?? []).includes('OrganizationAccountAccessRole'));
    expect(viaOrganizationAccess.map((p) => p.alias).sort()).toEqual(['audit_eu_west_1', 'log_archive_eu_west_1']);
    for (const [id, json] of synthLandingZone()) {
      if (id !== 'bootstrap') expect({ id, named: JSON.stringify(json).includes('OrganizationAccountAccessRole') }).toEqual({ id, named: false });
    }
  });
});

describe('the plan role of each account', () => {
  test.each(ACCOUNTS)('in %s: read-only (ReadOnlyAccess), trusted by the pull-request role and the deployers only', (account) => {
    const role = roleNamed(bootstrap, 'audit-landing-zone-planner', account);
    expect(policyOf(role, 'assume_role_policy').Statement[0].Principal.AWS).toEqual([
      policiesOf(bootstrap, roleNamed(bootstrap, 'acme-github-plan', MANAGEMENT)).ref,
      'arn:aws:iam::111111111111:role/acme-platform-deployer',
    ]);
    expect(policiesOf(bootstrap, role).managed).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  test('reads and decrypts the Terraform state, and no other data, in the management account', () => {
    const { inline } = policiesOf(bootstrap, roleNamed(bootstrap, 'audit-landing-zone-planner', MANAGEMENT));
    const [policy] = inline;
    const state = 'arn:aws:s3:::acme-tfstate-111111111111-eu-west-1';
    const resolved = JSON.parse(JSON.stringify(policy).replace(/\$\{aws_s3_bucket\.state-bucket_\w+\.arn\}/g, state));
    const planner = `arn:aws:iam::${MANAGEMENT}:role/landing-zone/audit-landing-zone-planner`;
    const read = (action: string, resource: string) => isDenied([{ Statement: resolved.Statement.filter((s: any) => s.Effect === 'Deny') }], { action, resource, principalArn: planner });
    expect(read('s3:GetObject', `${state}/org-trail/terraform.tfstate`)).toBe(false);
    expect(read('s3:GetObject', 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/AWSLogs/o-acme12ab34/x.json.gz')).toBe(true);
    expect(read('logs:GetLogEvents', 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/cloudtrail/acme-organization-trail:log-stream:x')).toBe(true);
    expect(read('cloudtrail:LookupEvents', '*')).toBe(true);
    expect(read('ssm:GetParameter', 'arn:aws:ssm:eu-west-1:111111111111:parameter/x')).toBe(true);
    expect(read('s3:GetBucketPolicy', state)).toBe(false);
    expect(statement(resolved, 'ReadTheState').Resource).toBe(`${state}/*`);
    expect(statement(resolved, 'DecryptTheState')).toMatchObject({ Action: 'kms:Decrypt', Resource: expect.stringMatching(/aws_kms_key\.state-key_\w+\.arn/), Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } } });
    expect(resolved.Statement.filter((s: any) => s.Effect === 'Allow').flatMap((s: any) => [s.Action].flat())).toEqual(['s3:ListBucket', 's3:GetObject', 's3:GetObjectVersion', 'kms:Decrypt']);
  });

  test('reads no data at all in the Log Archive and Audit accounts', () => {
    for (const account of [LOG_ARCHIVE, AUDIT]) {
      const [policy] = policiesOf(bootstrap, roleNamed(bootstrap, 'audit-landing-zone-planner', account)).inline;
      expect(policy.Statement).toEqual([expect.objectContaining({ Sid: 'NoDataReads', Effect: 'Deny', Resource: '*' })]);
      const planner = `arn:aws:iam::${account}:role/landing-zone/audit-landing-zone-planner`;
      expect(denyingStatements([policy as any], { action: 's3:GetObject', resource: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/AWSLogs/x', principalArn: planner })).toEqual(['NoDataReads']);
    }
  });
});

describe('the break-glass role', () => {
  test('exists in the accounts with evidence keys only, assumable only with MFA by the listed users', () => {
    const roles = rolesNamed(bootstrap, 'audit-landing-zone-break-glass');
    expect(roles.map((r) => providerAccount[r.provider]).sort()).toEqual([MANAGEMENT, LOG_ARCHIVE]);
    for (const role of roles) {
      expect(role.path).toBe('/landing-zone/');
      expect(policyOf(role, 'assume_role_policy').Statement).toEqual([
        { Sid: 'AssumedWithMfa', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:user/acme-break-glass'] }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } },
      ]);
      const { inline, managed } = policiesOf(bootstrap, role);
      expect(managed).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
      expect(inline[0].Statement[0].Action).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy', 'kms:CancelKeyDeletion']));
      expect(inline[0].Statement[0].Resource).toBe(`arn:aws:kms:*:${providerAccount[role.provider]}:key/*`);
    }
  });

  test('is not created when nobody is trusted with it', () => {
    const none = synthStack('bootstrap', exampleConfig((raw) => (raw.deployment.breakGlass = { trustedArns: [] })));
    expect(rolesNamed(none, 'audit-landing-zone-break-glass')).toEqual([]);
  });
});
