import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing, TerraformStack } from 'cdktf';
import type { Config } from '../config/schema';
import { TRUSTED_ACCESS_SERVICE_PRINCIPALS } from '../modules/guardrails/delegated-administrators';
import { checkPoliciesPerTarget, checkScpSize, Guardrails, MASKING_PROTECTED_ACTIONS, SCP_MAX_CHARACTERS, scpSize } from '../modules/guardrails/guardrails';
import { buildLandingZone } from '../stacks/landing-zone';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { OrganizationStack } from '../stacks/organization';
import { exampleConfig, resources, type SynthesizedJson, testApp } from './helpers';
import { denyingStatements, isDenied, type ScpRequest } from './support/scp';

function synthOrganization(config: Config = exampleConfig()): SynthesizedJson {
  const stack = new OrganizationStack(testApp(), landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state'));
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

/** The guardrails' SCPs; the region deny, which refuses by region rather than by action, is tested in privacy.test.ts. */
function scpContents(json: SynthesizedJson): string[] {
  return resources(json, 'aws_organizations_policy').filter((p) => p.type === 'SERVICE_CONTROL_POLICY' && !String(p.name).endsWith('-deny-ungoverned-regions')).map((p) => p.content as string);
}

const organization = synthOrganization();
const scps = scpContents(organization);

const trailArn = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail';
const archiveArn = 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1';
const archiveObject = `${archiveArn}/AWSLogs/o-acme12ab34/444444444441/CloudTrail/eu-west-1/2026/01/01/trail.json.gz`;
const archiveKeyArn = 'arn:aws:kms:eu-west-1:222222222222:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const archiveAliasArn = 'arn:aws:kms:eu-west-1:222222222222:alias/acme-log-archive';
const archiveKeyContext = { 'kms:ResourceAliases': ['alias/acme-log-archive'] };
const detectorArn = 'arn:aws:guardduty:eu-west-1:444444444441:detector/12abc34d567e8fa901bc2d34e56789f0';
const dataLakeArn = 'arn:aws:securitylake:eu-west-1:222222222222:data-lake/default';

const securityLakeBucket = 'arn:aws:s3:::aws-security-data-lake-eu-west-1-abcdef0123456789';
const role = (account: string, pathAndName: string) => `arn:aws:iam::${account}:role/${pathAndName}`;

/** The principals every guard is tried with, in the account the request is made in. */
const principals = (account: string) => ({
  'the account administrator': role(account, 'aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
  'the organization access role': role(account, 'OrganizationAccountAccessRole'),
  'a pull-request plan role': role(account, 'landing-zone/audit-landing-zone-planner'),
  'a workload role': role(account, 'developer'),
  'the deployment role': role(account, 'landing-zone/audit-landing-zone-deployer'),
  'the break-glass role': role(account, 'landing-zone/audit-landing-zone-break-glass'),
  'the security operations role': role(account, 'acme-soc-analyst'),
  "StackSets' execution role": role(account, 'stacksets-exec-0123456789abcdef0123456789abcdef'),
});
type Who = keyof ReturnType<typeof principals>;
const ALWAYS_REFUSED: readonly Who[] = ['the account administrator', 'the organization access role', 'a pull-request plan role', 'a workload role'];

type Action = Omit<ScpRequest, 'principalArn'> & { readonly account: string };

interface Guard {
  readonly requests: readonly Action[];
  /** Who the guard lets through; everyone else is refused. */
  readonly exempt: readonly Who[];
}

const LOG_ARCHIVE = '222222222222';
const MEMBER = '444444444441';
const iamWrites = ['CreateRole', 'DeleteRole', 'UpdateAssumeRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'UpdateRole', 'PutRolePermissionsBoundary', 'TagRole', 'PassRole'];

/** Per guard, the requests that would blind it or lift it, and who may make them. */
const guards: Record<string, Guard> = {
  'the Organization trail': {
    requests: ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'].map((a) => ({ account: MEMBER, action: `cloudtrail:${a}`, resource: trailArn })),
    exempt: ['the deployment role'],
  },
  'the archive objects': {
    requests: ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention'].map((action) => ({ account: LOG_ARCHIVE, action, resource: archiveObject })),
    exempt: ['the deployment role'],
  },
  'the archive bucket': {
    requests: [
      's3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration',
      's3:PutBucketObjectLockConfiguration', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutBucketLogging',
    ].map((action) => ({ account: LOG_ARCHIVE, action, resource: archiveArn })),
    exempt: ['the deployment role'],
  },
  "the archive key's life": {
    requests: [
      ...['kms:ScheduleKeyDeletion', 'kms:DisableKey'].map((action) => ({ account: LOG_ARCHIVE, action, resource: archiveKeyArn, context: archiveKeyContext })),
      { account: LOG_ARCHIVE, action: 'kms:ScheduleKeyDeletion', resource: archiveKeyArn, context: { 'kms:ResourceAliases': ['alias/legacy-name', 'alias/acme-log-archive'] } },
    ],
    exempt: [],
  },
  "the archive key's policy and rotation": {
    requests: ['kms:PutKeyPolicy', 'kms:DisableKeyRotation'].map((action) => ({ account: LOG_ARCHIVE, action, resource: archiveKeyArn, context: archiveKeyContext })),
    exempt: ['the break-glass role'],
  },
  "the archive key's alias": {
    requests: ['kms:DeleteAlias', 'kms:UpdateAlias'].map((action) => ({ account: LOG_ARCHIVE, action, resource: archiveAliasArn })),
    exempt: ['the deployment role'],
  },
  'the deployment role': {
    requests: [
      ...iamWrites.map((a) => ({ account: LOG_ARCHIVE, action: `iam:${a}`, resource: role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-deployer') })),
      // a role of its name under another path, or none, in an account that has no deployment role yet
      { account: MEMBER, action: 'iam:CreateRole', resource: role(MEMBER, 'audit-landing-zone-deployer') },
      { account: MEMBER, action: 'iam:CreateRole', resource: role(MEMBER, 'landing-zone/audit-landing-zone-deployer') },
      { account: MEMBER, action: 'iam:CreateRole', resource: role(MEMBER, 'team/ops/audit-landing-zone-deployer') },
    ],
    exempt: ['the deployment role'],
  },
  'the plan and break-glass roles': {
    requests: ['landing-zone/audit-landing-zone-planner', 'landing-zone/audit-landing-zone-break-glass', 'audit-landing-zone-break-glass'].flatMap((name) =>
      ['UpdateAssumeRolePolicy', 'AttachRolePolicy', 'PutRolePolicy', 'CreateRole'].map((a) => ({ account: LOG_ARCHIVE, action: `iam:${a}`, resource: role(LOG_ARCHIVE, name) })),
    ),
    exempt: ['the deployment role'],
  },
  GuardDuty: {
    requests: [
      'DeleteDetector', 'UpdateDetector', 'DisassociateFromAdministratorAccount', 'DisassociateFromMasterAccount',
      'DisassociateMembers', 'DeleteMembers', 'StopMonitoringMembers', 'UpdateMemberDetectors', 'UpdateOrganizationConfiguration',
      'DeletePublishingDestination', 'UpdatePublishingDestination', 'CreateIPSet', 'UpdateIPSet',
    ].map((a) => ({ account: MEMBER, action: `guardduty:${a}`, resource: detectorArn })),
    exempt: ['the deployment role'],
  },
  'GuardDuty findings (suppression rules)': {
    requests: ['CreateFilter', 'UpdateFilter'].map((a) => ({ account: '333333333333', action: `guardduty:${a}`, resource: 'arn:aws:guardduty:eu-west-1:333333333333:detector/0123/filter/quiet' })),
    exempt: ['the security operations role'],
  },
  'Security Lake': {
    requests: [
      ...['DeleteDataLake', 'UpdateDataLake', 'DeleteAwsLogSource', 'DeleteDataLakeOrganizationConfiguration'].map((a) => ({ account: LOG_ARCHIVE, action: `securitylake:${a}`, resource: dataLakeArn })),
      ...['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketVersioning', 's3:PutLifecycleConfiguration'].map((action) => ({ account: LOG_ARCHIVE, action, resource: securityLakeBucket })),
      ...['s3:DeleteObject', 's3:DeleteObjectVersion'].map((action) => ({ account: LOG_ARCHIVE, action, resource: `${securityLakeBucket}/aws/CLOUD_TRAIL_MGMT/2.0/region=eu-west-1/accountId=444444444441/eventDay=20260101/part.gz.parquet` })),
    ],
    exempt: ['the deployment role'],
  },
  'the data protection policies of the Log Archive (its own and the account-level one)': {
    requests: MASKING_PROTECTED_ACTIONS.map((action) => ({ account: LOG_ARCHIVE, action, resource: action.endsWith('AccountPolicy') ? '*' : `arn:aws:logs:eu-west-1:${LOG_ARCHIVE}:log-group:/aws/lambda/acme-log-integrity` })),
    exempt: ['the deployment role'],
  },
  'the masked data of the Log Archive (unmasking: only privacy.masking.unmaskRoles, none of these)': {
    requests: [{ account: LOG_ARCHIVE, action: 'logs:Unmask', resource: `arn:aws:logs:eu-west-1:${LOG_ARCHIVE}:log-group:/aws/lambda/acme-payments-api` }],
    exempt: [],
  },
  'membership of the organization': {
    requests: [{ account: MEMBER, action: 'organizations:LeaveOrganization', resource: '*' }],
    exempt: ['the deployment role'],
  },
};

const label = (r: Action) => [r.action, r.resource] as const;

describe('the guardrails (service control policies)', () => {
  describe.each(Object.entries(guards))('protect %s', (_guard, { requests, exempt }) => {
    test.each(requests.map((r) => [...label(r), r] as const))('%s on %s is refused to the account administrator, the organization access role, a plan role and workloads', (_a, _r, request) => {
      const who = principals(request.account);
      for (const principal of ALWAYS_REFUSED) {
        expect({ principal, refusedBy: denyingStatements(scps, { ...request, principalArn: who[principal] }).length > 0 }).toEqual({ principal, refusedBy: true });
      }
    });

    const others = (Object.keys(principals(MEMBER)) as Who[]).filter((w) => !ALWAYS_REFUSED.includes(w));
    test.each(requests.map((r) => [...label(r), r] as const))(`%s on %s is allowed to ${exempt.join(', ') || 'nobody'} only`, (_a, _r, request) => {
      const who = principals(request.account);
      for (const principal of others) {
        const refused = isDenied(scps, { ...request, principalArn: who[principal] });
        expect({ principal, refused }).toEqual({ principal, refused: !exempt.includes(principal) });
      }
    });
  });

  test('exempt the deployment role by its exact path and name only, not look-alikes', () => {
    const request = { action: 's3:PutBucketPolicy', resource: archiveArn };
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'landing-zone/audit-landing-zone-deployer') })).toBe(false);
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'audit-landing-zone-deployer') })).toBe(true);
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'team/landing-zone/audit-landing-zone-deployer') })).toBe(true);
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'landing-zone/audit-landing-zone-deployer-copy') })).toBe(true);
    expect(isDenied(scps, { ...request, principalArn: `arn:aws:iam::${MEMBER}:user/landing-zone/audit-landing-zone-deployer` })).toBe(true);
  });

  test('name no organization access role in any exemption', () => {
    for (const content of scps) expect(content).not.toContain('OrganizationAccountAccessRole');
    const exemptions = scps.flatMap((c) => (JSON.parse(c).Statement as any[]).flatMap((s) => [s.Condition?.ArnNotLike?.['aws:PrincipalArn'] ?? []].flat()));
    expect([...new Set(exemptions)].sort()).toEqual([
      'arn:aws:iam::*:role/landing-zone/audit-landing-zone-break-glass',
      'arn:aws:iam::*:role/landing-zone/audit-landing-zone-deployer',
      'arn:aws:iam::*:role/stacksets-exec-*',
      'arn:aws:iam::222222222222:role/acme-incident-responder',
      'arn:aws:iam::333333333333:role/acme-soc-analyst',
    ]);
  });

  test('exempt the configured deployment role and path, and no longer the defaults', () => {
    const custom = scpContents(synthOrganization(exampleConfig((raw) => (raw.deployment = { ...raw.deployment, roleName: 'acme-deployer', rolePath: '/platform/' }))));
    const request = { action: 'cloudtrail:StopLogging', resource: trailArn };
    expect(isDenied(custom, { ...request, principalArn: role(LOG_ARCHIVE, 'platform/acme-deployer') })).toBe(false);
    expect(isDenied(custom, { ...request, principalArn: role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-deployer') })).toBe(true);
    expect(isDenied(custom, { action: 'iam:CreateRole', resource: role(MEMBER, 'acme-deployer'), principalArn: role(MEMBER, 'OrganizationAccountAccessRole') })).toBe(true);
  });

  test('let nobody write suppression rules when no security operations role is configured', () => {
    const none = scpContents(synthOrganization(exampleConfig((raw) => (raw.guardduty = { suppressionRuleRoleArns: [] }))));
    const request = { action: 'guardduty:CreateFilter', resource: '*' };
    expect(isDenied(none, { ...request, principalArn: role('333333333333', 'acme-soc-analyst') })).toBe(true);
    expect(isDenied(none, { ...request, principalArn: role('333333333333', 'landing-zone/audit-landing-zone-deployer') })).toBe(true);
  });

  test.each<[string, Omit<ScpRequest, 'principalArn'>]>([
    ['reading the archive', { action: 's3:GetObject', resource: archiveObject }],
    ['listing the archive', { action: 's3:ListBucket', resource: archiveArn }],
    ['looking up events', { action: 'cloudtrail:LookupEvents', resource: '*' }],
    ["stopping a member's own trail", { action: 'cloudtrail:StopLogging', resource: 'arn:aws:cloudtrail:eu-west-1:444444444441:trail/app-trail' }],
    ['deleting objects of another bucket', { action: 's3:DeleteObject', resource: 'arn:aws:s3:::acme-payments-data/report.csv' }],
    ["changing another bucket's policy", { action: 's3:PutBucketPolicy', resource: 'arn:aws:s3:::acme-payments-data' }],
    ['deleting a key with other aliases', { action: 'kms:ScheduleKeyDeletion', resource: 'arn:aws:kms:eu-west-1:444444444441:key/1111', context: { 'kms:ResourceAliases': ['alias/payments'] } }],
    ['deleting a key without aliases in the Log Archive account', { action: 'kms:ScheduleKeyDeletion', resource: 'arn:aws:kms:eu-west-1:222222222222:key/2222', context: { 'kms:ResourceAliases': [] } }],
    ['decrypting with the archive key', { action: 'kms:Decrypt', resource: archiveKeyArn, context: archiveKeyContext }],
    ['reading GuardDuty findings', { action: 'guardduty:GetFindings', resource: detectorArn }],
    ['deleting a GuardDuty suppression rule', { action: 'guardduty:DeleteFilter', resource: detectorArn }],
    ['listing Security Lake sources', { action: 'securitylake:ListLogSources', resource: '*' }],
    ['reading Security Lake data', { action: 's3:GetObject', resource: `${securityLakeBucket}/aws/part.parquet` }],
    ['changing a workload role', { action: 'iam:UpdateAssumeRolePolicy', resource: role(MEMBER, 'developer') }],
    ['reading the deployment role', { action: 'iam:GetRole', resource: role(MEMBER, 'landing-zone/audit-landing-zone-deployer') }],
  ])('leave alone %s', (_what, request) => {
    expect(denyingStatements(scps, { ...request, principalArn: role(MEMBER, 'developer') })).toEqual([]);
  });

  test('are four SCPs and one RCP, each minified and within the AWS size limit of 5,120 characters', () => {
    expect(resources(organization, 'aws_organizations_policy').map((p) => [p.name, p.type]).sort()).toEqual([
      ['acme-data-perimeter', 'RESOURCE_CONTROL_POLICY'],
      ['acme-deny-ungoverned-regions', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-audit-logging', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-compliance', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-security-services', 'SERVICE_CONTROL_POLICY'],
    ]);
    expect(scps).toHaveLength(3);
    for (const content of resources(organization, 'aws_organizations_policy').map((p) => p.content as string)) {
      expect(content).toBe(JSON.stringify(JSON.parse(content)));
      expect(scpSize(content)).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    }
  });

  /** Attachments of the SCPs (the RCP's go to the Log Archive and Audit accounts). */
  const scpAttachments = (json: SynthesizedJson) => resources(json, 'aws_organizations_policy_attachment').filter((a) => !/data-perimeter/.test(a.policy_id));

  test('are attached to the organization root when no targets are configured', () => {
    const json = synthOrganization(exampleConfig((raw) => delete raw.guardrails.targets));
    const attachments = scpAttachments(json);
    expect(attachments.map((a) => a.target_id)).toEqual(['r-ac1e', 'r-ac1e', 'r-ac1e', 'r-ac1e']);
    expect(new Set(attachments.map((a) => a.policy_id)).size).toBe(4);
  });

  test('are attached to exactly the configured targets, every policy to every target', () => {
    const targets = ['ou-ac1e-workload1', 'ou-ac1e-sandbox12'];
    const json = synthOrganization(exampleConfig((raw) => (raw.guardrails.targets = targets)));
    const byPolicy = new Map<string, string[]>();
    for (const a of scpAttachments(json)) {
      byPolicy.set(a.policy_id, [...(byPolicy.get(a.policy_id) ?? []), a.target_id]);
    }
    expect(byPolicy.size).toBe(resources(json, 'aws_organizations_policy').filter((p) => p.type === 'SERVICE_CONTROL_POLICY').length);
    for (const attached of byPolicy.values()) expect(attached.sort()).toEqual([...targets].sort());
  });

  test('are not created when guardrails.enabled is false', () => {
    const json = synthOrganization(exampleConfig((raw) => (raw.guardrails.enabled = false)));
    expect(resources(json, 'aws_organizations_policy').map((p) => p.type)).toEqual(['RESOURCE_CONTROL_POLICY']);
    expect(scpAttachments(json)).toEqual([]);
  });

  test('leave Security Lake alone when it is not used', () => {
    const withoutLake = scpContents(synthOrganization(exampleConfig((raw) => (raw.securityLake = { enabled: false }))));
    const memberRole = role(MEMBER, 'developer');
    expect(isDenied(withoutLake, { action: 'securitylake:DeleteDataLake', resource: dataLakeArn, principalArn: memberRole })).toBe(false);
    expect(isDenied(withoutLake, { action: 'guardduty:DeleteDetector', resource: detectorArn, principalArn: memberRole })).toBe(true);
  });
});

describe('the compliance guardrail', () => {
  const AUDIT = '333333333333';
  const stackSetArn = `arn:aws:cloudformation:eu-west-1:${AUDIT}:stackset/acme-config-recorder:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`;
  const instanceStackArn = `arn:aws:cloudformation:us-east-1:${MEMBER}:stack/StackSet-acme-config-recorder-0f1e2d3c-4b5a/0f1e2d3c-4b5a-6978`;
  const recorderRoleArn = role(MEMBER, 'acme-config-recorder-us-east-1');
  const stackSetsRoleArn = role(MEMBER, 'stacksets-exec-0123456789abcdef0123456789abcdef');
  const configBucketArn = 'arn:aws:s3:::acme-config-222222222222-eu-west-1';
  const analyzerArn = `arn:aws:access-analyzer:eu-west-1:${AUDIT}:analyzer/acme-organization`;
  const hubArn = (account: string) => `arn:aws:securityhub:eu-west-1:${account}:hub/default`;
  const withStackSets: readonly Who[] = ['the deployment role', "StackSets' execution role"];

  /** What would switch the compliance layer off, and who may still do it: StackSets' execution role where it deploys the recorders. */
  const complianceGuards: Record<string, Guard> = {
    recording: {
      requests: ['StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'PutConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutRetentionConfiguration'].map((a) => ({ account: MEMBER, action: `config:${a}`, resource: '*' })),
      exempt: withStackSets,
    },
    'the aggregator': {
      requests: [{ account: AUDIT, action: 'config:DeleteConfigurationAggregator', resource: `arn:aws:config:eu-west-1:${AUDIT}:config-aggregator/config-aggregator-abc` }],
      exempt: withStackSets,
    },
    'the StackSet': {
      requests: ['DeleteStackSet', 'UpdateStackSet', 'DeleteStackInstances', 'UpdateStackInstances', 'StopStackSetOperation'].map((a) => ({ account: AUDIT, action: `cloudformation:${a}`, resource: stackSetArn })),
      exempt: ['the deployment role'],
    },
    'a stack instance': {
      requests: ['DeleteStack', 'UpdateStack', 'CreateChangeSet', 'ExecuteChangeSet'].map((a) => ({ account: MEMBER, action: `cloudformation:${a}`, resource: instanceStackArn })),
      exempt: withStackSets,
    },
    'the recorder role': {
      requests: [...iamWrites, 'DeleteRolePermissionsBoundary'].map((a) => ({ account: MEMBER, action: `iam:${a}`, resource: recorderRoleArn })),
      exempt: withStackSets,
    },
    "StackSets' execution role, and roles that would match its exemption": {
      requests: [
        ...['UpdateAssumeRolePolicy', 'AttachRolePolicy', 'PutRolePolicy', 'DeleteRole', 'PassRole'].map((a) => ({ account: MEMBER, action: `iam:${a}`, resource: stackSetsRoleArn })),
        // a role of its pattern, by name or by path, would be exempt: nobody else may make one
        { account: MEMBER, action: 'iam:CreateRole', resource: role(MEMBER, 'stacksets-exec-mine') },
        { account: MEMBER, action: 'iam:CreateRole', resource: role(MEMBER, 'stacksets-exec-x/anything') },
      ],
      exempt: withStackSets,
    },
    'the Config bucket': {
      requests: [
        ...['s3:DeleteObject', 's3:DeleteObjectVersion'].map((action) => ({ account: LOG_ARCHIVE, action, resource: `${configBucketArn}/AWSLogs/444444444441/Config/us-east-1/2026/1/1/ConfigHistory/x.json.gz` })),
        ...['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning', 's3:PutReplicationConfiguration'].map((action) => ({ account: LOG_ARCHIVE, action, resource: configBucketArn })),
      ],
      exempt: ['the deployment role'],
    },
    'Security Hub': {
      requests: [
        'DisableSecurityHub', 'DisassociateFromAdministratorAccount', 'UpdateOrganizationConfiguration', 'DeleteFindingAggregator', 'UpdateConfigurationPolicy',
        'DeleteConfigurationPolicy', 'StartConfigurationPolicyDisassociation', 'BatchDisableStandards', 'UpdateStandardsControl', 'UpdateSecurityControl',
      ].map((a) => ({ account: MEMBER, action: `securityhub:${a}`, resource: hubArn(MEMBER) })),
      exempt: ['the deployment role'],
    },
    'Access Analyzer': {
      requests: ['DeleteAnalyzer', 'UpdateAnalyzer'].map((a) => ({ account: AUDIT, action: `access-analyzer:${a}`, resource: analyzerArn })),
      exempt: ['the deployment role'],
    },
  };

  describe.each(Object.entries(complianceGuards))('protect %s', (_guard, { requests, exempt }) => {
    test.each(requests.map((r) => [...label(r), r] as const))('%s on %s is refused to the account administrator, the organization access role, a plan role and workloads', (_a, _r, request) => {
      const who = principals(request.account);
      for (const principal of ALWAYS_REFUSED) {
        expect({ principal, refusedBy: denyingStatements(scps, { ...request, principalArn: who[principal] }).length > 0 }).toEqual({ principal, refusedBy: true });
      }
    });

    const others = (Object.keys(principals(MEMBER)) as Who[]).filter((w) => !ALWAYS_REFUSED.includes(w));
    test.each(requests.map((r) => [...label(r), r] as const))(`%s on %s is allowed to ${exempt.join(', ')} only`, (_a, _r, request) => {
      const who = principals(request.account);
      for (const principal of others) {
        const refused = isDenied(scps, { ...request, principalArn: who[principal] });
        expect({ principal, refused }).toEqual({ principal, refused: !exempt.includes(principal) });
      }
    });
  });

  test.each<[string, Omit<ScpRequest, 'principalArn'>]>([
    ['reading recorders', { action: 'config:DescribeConfigurationRecorders', resource: '*' }],
    ["updating a finding's workflow", { action: 'securityhub:BatchUpdateFindings', resource: hubArn(AUDIT) }],
    ['automation rules', { action: 'securityhub:CreateAutomationRule', resource: `arn:aws:securityhub:eu-west-1:${AUDIT}:automation-rule/*` }],
    ['archive rules', { action: 'access-analyzer:CreateArchiveRule', resource: analyzerArn }],
    ["a member's own stacks", { action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:us-east-1:${MEMBER}:stack/payments-api/0f1e` }],
    ["a member's own roles", { action: 'iam:DeleteRole', resource: role(MEMBER, 'payments-api') }],
    ['reading the Config bucket', { action: 's3:GetObject', resource: `${configBucketArn}/AWSLogs/444444444441/Config/x.json.gz` }],
  ])('leaves alone %s', (_what, request) => {
    expect(denyingStatements(scps, { ...request, principalArn: role(MEMBER, 'developer') })).toEqual([]);
  });

  test("StackSets' execution role is exempt by its name pattern at the root path only, not by a look-alike", () => {
    const request = { action: 'config:StopConfigurationRecorder', resource: '*' };
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'team/stacksets-exec-0123') })).toBe(true);
    expect(isDenied(scps, { ...request, principalArn: `arn:aws:iam::${MEMBER}:user/stacksets-exec-0123` })).toBe(true);
    expect(isDenied(scps, { ...request, principalArn: role(MEMBER, 'my-stacksets-exec-0123') })).toBe(true);
  });

  test('exempts the configured deployment role and path, and no longer the defaults', () => {
    const custom = scpContents(synthOrganization(exampleConfig((raw) => (raw.deployment = { ...raw.deployment, roleName: 'acme-deployer', rolePath: '/platform/' }))));
    const request = { action: 'securityhub:DisableSecurityHub', resource: hubArn(MEMBER) };
    expect(isDenied(custom, { ...request, principalArn: role(MEMBER, 'platform/acme-deployer') })).toBe(false);
    expect(isDenied(custom, { ...request, principalArn: role(MEMBER, 'landing-zone/audit-landing-zone-deployer') })).toBe(true);
    expect(isDenied(custom, { ...request, principalArn: role(MEMBER, 'acme-deployer') })).toBe(true);
  });

  test('each statement is left out with its service, and the policy with all three', () => {
    const memberRole = role(MEMBER, 'developer');
    const noHub = scpContents(synthOrganization(exampleConfig((raw) => (raw.securityHub = { enabled: false }))));
    expect(isDenied(noHub, { action: 'securityhub:DisableSecurityHub', resource: '*', principalArn: memberRole })).toBe(false);
    expect(isDenied(noHub, { action: 'config:StopConfigurationRecorder', resource: '*', principalArn: memberRole })).toBe(true);
    const none = synthOrganization(exampleConfig((raw) => {
      raw.awsConfig = { enabled: false };
      raw.securityHub = { enabled: false };
      raw.accessAnalyzer = { enabled: false };
    }));
    expect(resources(none, 'aws_organizations_policy').map((p) => p.name).sort()).toEqual(['acme-data-perimeter', 'acme-deny-ungoverned-regions', 'acme-protect-audit-logging', 'acme-protect-security-services']);
  });
});

describe('the data perimeter (resource control policy)', () => {
  const rcps = resources(organization, 'aws_organizations_policy').filter((p) => p.type === 'RESOURCE_CONTROL_POLICY');
  const rcp = rcps.map((p) => p.content as string);
  const archiveObjectGet = { action: 's3:GetObject', resource: archiveObject };
  const inOrg = (account: string) => ({ 'aws:PrincipalOrgID': 'o-acme12ab34', 'aws:PrincipalAccount': account });
  const service = (sourceAccount: string, sourceOrg?: string) => ({
    'aws:PrincipalIsAWSService': 'true',
    'aws:SourceAccount': sourceAccount,
    ...(sourceOrg ? { 'aws:SourceOrgID': sourceOrg } : {}),
  });

  test('is one RCP, attached to the Log Archive and Audit accounts, within the size limit', () => {
    expect(rcps).toHaveLength(1);
    const attachments = resources(organization, 'aws_organizations_policy_attachment').filter((a) => /data-perimeter/.test(a.policy_id));
    expect(attachments.map((a) => a.target_id).sort()).toEqual(['222222222222', '333333333333']);
    expect(scpSize(rcp[0])).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
    // RCPs take Principal "*" only
    for (const s of JSON.parse(rcp[0]).Statement) expect(s.Principal).toBe('*');
  });

  test('denies a principal outside the organization, on S3 and KMS', () => {
    const outsider = { principalArn: 'arn:aws:iam::999999999999:role/attacker', context: { 'aws:PrincipalAccount': '999999999999', 'aws:PrincipalIsAWSService': 'false' } };
    expect(denyingStatements(rcp, { ...archiveObjectGet, ...outsider })).toEqual(['EnforceOrgIdentities']);
    expect(isDenied(rcp, { action: 'kms:Decrypt', resource: archiveKeyArn, ...outsider })).toBe(true);
  });

  test('exempts no principal by name: outside the organization even the landing zone\'s role names are refused', () => {
    for (const content of rcp) {
      for (const statement of JSON.parse(content).Statement) expect(statement.Condition?.ArnNotLike).toBeUndefined();
      expect(content).not.toContain('OrganizationAccountAccessRole');
    }
    const outside = '999999999999';
    for (const [principal, principalArn] of Object.entries(principals(outside))) {
      const request = { principalArn, context: { 'aws:PrincipalAccount': outside, 'aws:PrincipalOrgID': 'o-other12345', 'aws:PrincipalIsAWSService': 'false' } };
      for (const r of [archiveObjectGet, { action: 's3:PutBucketPolicy', resource: archiveArn }, { action: 'kms:Decrypt', resource: archiveKeyArn }]) {
        expect({ principal, action: r.action, refusedBy: denyingStatements(rcp, { ...r, ...request }) }).toEqual({ principal, action: r.action, refusedBy: ['EnforceOrgIdentities'] });
      }
    }
  });

  test('lets principals of the organization through, from any of its accounts', () => {
    for (const account of ['333333333333', '444444444441', '555555555555']) {
      expect(denyingStatements(rcp, { ...archiveObjectGet, principalArn: `arn:aws:iam::${account}:role/reader`, context: { ...inOrg(account), 'aws:PrincipalIsAWSService': 'false' } })).toEqual([]);
    }
  });

  test('lets AWS services through on behalf of the organization, and denies them on behalf of anyone else (confused deputy)', () => {
    const put = { action: 's3:PutObject', resource: archiveObject, principalArn: 'cloudtrail.amazonaws.com' };
    expect(isDenied(rcp, { ...put, context: service('444444444441', 'o-acme12ab34') })).toBe(false);
    expect(denyingStatements(rcp, { ...put, context: service('999999999999', 'o-other12345') })).toEqual(['EnforceConfusedDeputyProtection']);
    expect(isDenied(rcp, { ...put, context: service('999999999999') })).toBe(true);
  });

  test('trusts the landing zone\'s own accounts as a source where a service sets no aws:SourceOrgID', () => {
    const put = { action: 's3:PutObject', resource: 'arn:aws:s3:::acme-access-logs-222222222222-eu-west-1/s3-access-logs/x', principalArn: 'logging.s3.amazonaws.com' };
    expect(isDenied(rcp, { ...put, context: service('222222222222') })).toBe(false);
    expect(isDenied(rcp, { ...put, context: service('444444444441') })).toBe(true);
  });

  test('leaves services alone that name no source account (their KMS grants carry the encryption context)', () => {
    expect(isDenied(rcp, { action: 'kms:Decrypt', resource: archiveKeyArn, principalArn: 'dynamodb.amazonaws.com', context: { 'aws:PrincipalIsAWSService': 'true' } })).toBe(false);
  });

  test('lets the configured outside accounts through, as principal and as source', () => {
    const trusted = resources(synthOrganization(exampleConfig((raw) => (raw.dataPerimeter = { trustedAccountIds: ['156460612806'] }))), 'aws_organizations_policy')
      .filter((p) => p.type === 'RESOURCE_CONTROL_POLICY')
      .map((p) => p.content as string);
    const elb = { action: 's3:PutObject', resource: archiveObject, principalArn: 'arn:aws:iam::156460612806:root', context: { 'aws:PrincipalAccount': '156460612806' } };
    expect(isDenied(trusted, elb)).toBe(false);
    expect(isDenied(rcp, elb)).toBe(true);
  });

  test('lets the legacy ELB account of a governed region deliver access logs when logCollection grants it, and no other outsider', () => {
    const withLegacy = resources(synthOrganization(exampleConfig((raw) => (raw.logCollection.loadBalancerLogs = { enabled: true, legacyElbAccountPrincipal: true }))), 'aws_organizations_policy')
      .filter((p) => p.type === 'RESOURCE_CONTROL_POLICY')
      .map((p) => p.content as string);
    const albLog = 'arn:aws:s3:::acme-alb-logs-222222222222-eu-west-1/AWSLogs/444444444441/elasticloadbalancing/eu-west-1/x.log.gz';
    const delivery = (account: string) => ({ action: 's3:PutObject', resource: albLog, principalArn: `arn:aws:iam::${account}:root`, context: { 'aws:PrincipalAccount': account, 'aws:PrincipalIsAWSService': 'false' } });
    // eu-west-1's and us-east-1's legacy accounts (AWS: "Enable access logs for your Classic Load Balancer")
    expect(isDenied(withLegacy, delivery('156460612806'))).toBe(false);
    expect(isDenied(withLegacy, delivery('127311923021'))).toBe(false);
    expect(isDenied(rcp, delivery('156460612806'))).toBe(true);
    // the exception is a principal's, never a source account's
    expect(isDenied(withLegacy, { action: 's3:PutObject', resource: albLog, principalArn: 'cloudtrail.amazonaws.com', context: service('156460612806') })).toBe(true);
    expect(isDenied(withLegacy, delivery('999999999999'))).toBe(true);
  });

  test('is not created when dataPerimeter.enabled is false', () => {
    const off = synthOrganization(exampleConfig((raw) => (raw.dataPerimeter = { enabled: false })));
    expect(resources(off, 'aws_organizations_policy').filter((p) => p.type === 'RESOURCE_CONTROL_POLICY')).toEqual([]);
  });
});

describe('the limits AWS puts on SCPs, checked at synth', () => {
  const document = (padding: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'x'.repeat(padding) }] });
  const overhead = document(0).length;

  test('a policy over 5,120 characters fails, naming the policy, its size and the limit', () => {
    expect(() => checkScpSize('acme-protect-everything', document(5121 - overhead))).toThrow(
      'service control policy acme-protect-everything is 5121 characters, over the AWS limit of 5120',
    );
  });

  test('a policy of exactly 5,120 characters passes, and whitespace outside strings is not counted', () => {
    const content = document(5120 - overhead);
    expect(() => checkScpSize('at-limit', content)).not.toThrow();
    expect(() => checkScpSize('pretty', JSON.stringify(JSON.parse(content), null, 2))).not.toThrow();
  });

  test('a policy too big fails the synth of the construct', () => {
    const stack = new TerraformStack(testApp(), 'limits');
    const provider = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const statements = Array.from({ length: 200 }, (_, i) => ({ Sid: `Deny${i}`, Effect: 'Deny' as const, Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::bucket-${i}` }));
    expect(() => new Guardrails(stack, 'guardrails', { provider, targets: ['r-ac1e'], policies: [{ name: 'acme-too-big', description: '', statements }] })).toThrow(
      /acme-too-big is \d{4,} characters, over the AWS limit of 5120/,
    );
  });

  test('at most four policies per target, since FullAWSAccess takes the fifth place', () => {
    expect(() => checkPoliciesPerTarget(4)).not.toThrow();
    expect(() => checkPoliciesPerTarget(5)).toThrow(/5 service control policies .* AWS allows 5 per root, OU or account, FullAWSAccess included/);
  });
});

describe('the delegated administrators', () => {
  test('Security Lake is delegated to the Log Archive account by default, through AWS Organizations', () => {
    expect(resources(organization, 'aws_organizations_delegated_administrator').filter((d) => d.service_principal === 'securitylake.amazonaws.com')).toEqual([
      expect.objectContaining({ account_id: '222222222222' }),
    ]);
  });

  test('Security Lake is delegated to the configured account, and not at all when it is not used', () => {
    const lake = (json: SynthesizedJson) => resources(json, 'aws_organizations_delegated_administrator').filter((d) => d.service_principal === 'securitylake.amazonaws.com');
    const audit = synthOrganization(exampleConfig((raw) => (raw.securityLake = { account: 'audit' })));
    expect(lake(audit).map((d) => d.account_id)).toEqual(['333333333333']);
    const off = synthOrganization(exampleConfig((raw) => (raw.securityLake = { enabled: false })));
    expect(lake(off)).toEqual([]);
  });

  test('AWS Config (for the aggregator and organization rules), StackSets and Access Analyzer are delegated to the Audit account', () => {
    const delegated = resources(organization, 'aws_organizations_delegated_administrator').filter((d) => d.service_principal !== 'securitylake.amazonaws.com');
    expect(delegated.map((d) => [d.service_principal, d.account_id]).sort()).toEqual([
      ['access-analyzer.amazonaws.com', '333333333333'],
      ['config-multiaccountsetup.amazonaws.com', '333333333333'],
      ['config.amazonaws.com', '333333333333'],
      ['member.org.stacksets.cloudformation.amazonaws.com', '333333333333'],
    ]);
    const none = synthOrganization(exampleConfig((raw) => {
      raw.awsConfig = { enabled: false };
      raw.securityHub = { enabled: false };
      raw.accessAnalyzer = { enabled: false };
    }));
    expect(resources(none, 'aws_organizations_delegated_administrator').map((d) => d.service_principal)).toEqual(['securitylake.amazonaws.com']);
  });

  test('registrations are made one after another: AWS Organizations refuses concurrent changes', () => {
    const all = new Map(Object.entries(organization.resource?.aws_organizations_delegated_administrator ?? {}));
    const address = (name: string) => `aws_organizations_delegated_administrator.${name}`;
    // one chain through all five: a single first one, and each other waiting for exactly one
    const firsts = [...all].filter(([, r]) => r.depends_on === undefined).map(([name]) => name);
    expect(firsts).toHaveLength(1);
    const chain = [firsts[0]];
    for (;;) {
      const next = [...all].find(([, r]) => JSON.stringify(r.depends_on) === JSON.stringify([address(chain[chain.length - 1])]));
      if (!next) break;
      chain.push(next[0]);
    }
    expect(chain.length).toBe(all.size);
    expect(all.size).toBe(5);
  });

  test('CloudTrail is delegated only when organization.cloudTrailDelegatedAdministrator names an account', () => {
    expect(resources(organization, 'aws_cloudtrail_organization_delegated_admin_account')).toEqual([]);
    const json = synthOrganization(exampleConfig((raw) => (raw.organization.cloudTrailDelegatedAdministrator = 'audit')));
    expect(resources(json, 'aws_cloudtrail_organization_delegated_admin_account').map((d) => d.account_id)).toEqual(['333333333333']);
  });

  test('everything is in the management account, the only one that can manage the organization', () => {
    const all = Object.values(organization.resource ?? {}).flatMap((byName) => Object.values(byName));
    expect(all.length).toBeGreaterThan(0);
    expect(new Set(all.map((r) => r.provider))).toEqual(new Set(['aws.management_eu_west_1']));
  });

  test('the guide gives the command that enables trusted access for every service the landing zone relies on', () => {
    const guide = fs.readFileSync(path.join(__dirname, '..', 'docs', 'guardrails.md'), 'utf8');
    for (const principal of TRUSTED_ACCESS_SERVICE_PRINCIPALS) {
      expect(guide).toContain(`aws organizations enable-aws-service-access --service-principal ${principal}`);
    }
  });
});

describe('the organization stack in the deployment order', () => {
  const config = exampleConfig();
  const stacks = buildLandingZone(testApp(), landingZoneContext(config, 'aws', '/tmp/landing-zone-test-state'));
  const byId = new Map(stacks.map((s) => [s.node.id, s]));
  const dependsOn = (id: string) => (byId.get(id)?.dependencies ?? []).map((d) => d.node.id);

  test('comes right after bootstrap, before the Log Archive', () => {
    expect(stacks.map((s) => s.node.id).slice(0, 3)).toEqual(['bootstrap', 'organization', 'log-archive']);
    expect(dependsOn('organization')).toEqual(['bootstrap']);
  });

  test('is deployed before the Organization trail and Security Lake, which need its trusted access and delegated administrator', () => {
    expect(dependsOn('org-trail')).toContain('organization');
    expect(dependsOn('security-lake')).toContain('organization');
  });
});

describe('config rules for the guardrails', () => {
  test.each([
    [['r-zzzz'], 'guardrails.targets[0]: r-zzzz is not this organization\'s root (organization.rootId is r-ac1e)'],
    [['r-ac1e', 'r-ac1e'], 'guardrails.targets[1]: r-ac1e is listed twice'],
    [[], 'guardrails.targets: is empty, so the guardrails would protect nothing'],
  ])('targets %j are rejected', (targets, message) => {
    expect(() => exampleConfig((raw) => (raw.guardrails.targets = targets))).toThrow(message);
  });
});
