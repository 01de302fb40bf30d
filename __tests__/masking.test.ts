/**
 * Mask what nobody needs to read: a CloudWatch Logs data protection policy on every log group the
 * landing zone creates (credentials always, the configured personal data too), an account-level one
 * over the log groups it centralizes, unmasking only by the configured roles, and the CIS metric
 * filters still matching the real records once they are masked as AWS masks them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Config } from '../config/schema';
import { maskedFilterProblems, watchedFilters } from '../config/rules';
import { CIS_ALARMS } from '../facts/cis';
import { CREDENTIAL_DATA_IDENTIFIERS, DATA_IDENTIFIER_ARN_PREFIX, dataIdentifierArn, maskingConflicts, PERSONAL_DATA_IDENTIFIERS } from '../facts/data-protection';
import { jsonFilterComparisons } from '../facts/cloudwatch';
import { GUARDDUTY_SILENCED } from '../facts/landing-zone-alarms';
import { dataProtectionPolicyDocument } from '../modules/core/data-protection';
import { MASKING_PROTECTED_ACTIONS, SCP_MAX_CHARACTERS, scpSize } from '../modules/guardrails/guardrails';
import { buildLandingZone } from '../stacks/landing-zone';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { exampleConfig, exampleInTwoRegions, resources, type SynthesizedJson, synthLandingZone, synthStack, testApp } from './helpers';
import { vendoredRecords } from './support/cloudtrail-records';
import { compileFilterPattern, matchesFilterPattern } from './support/filter-pattern';
import { maskRecord, maskText } from './support/masking';
import { isDenied } from './support/scp';

const CREDENTIAL_ARNS = CREDENTIAL_DATA_IDENTIFIERS.map(dataIdentifierArn);

interface PolicyDocument {
  Name: string;
  Version: string;
  Statement: Array<{ Sid: string; DataIdentifier: string[]; Operation: { Audit?: { FindingsDestination: Record<string, unknown> }; Deidentify?: { MaskConfig: Record<string, unknown> } } }>;
}

/** Every log group of every synthesized stack, with the data protection policy that names it (undefined: none). */
function logGroupsAndPolicies(stacks: Iterable<[string, SynthesizedJson]>): Array<{ at: string; name: string; policy?: PolicyDocument }> {
  const found: Array<{ at: string; name: string; policy?: PolicyDocument }> = [];
  for (const [stack, json] of stacks) {
    const policies = resources(json, 'aws_cloudwatch_log_data_protection_policy');
    for (const [id, group] of Object.entries(json.resource?.aws_cloudwatch_log_group ?? {})) {
      const policy = policies.find((p) => p.log_group_name === `\${aws_cloudwatch_log_group.${id}.name}`);
      found.push({ at: `${stack}: aws_cloudwatch_log_group.${id}`, name: group.name, policy: policy ? JSON.parse(policy.policy_document) : undefined });
    }
  }
  return found;
}

/** Every feature that makes a log group, on. */
const everything = exampleInTwoRegions((raw) => {
  raw.logCollection = { loadBalancerLogs: { enabled: true }, cloudWatchLogs: { enabled: true }, insightsQueries: { enabled: true }, cloudTrailLake: { enabled: true } };
});

describe('a data protection policy on every log group the landing zone creates', () => {
  test.each<[string, Config]>([
    ['the example', exampleConfig()],
    ['every feature on', everything],
    ['no personal data asked for', exampleConfig((raw) => (raw.privacy = { masking: { identifiers: [] } }))],
  ])('%s: every log group of every stack has one, and it masks the credentials in both statements', (_name, config) => {
    const groups = logGroupsAndPolicies(synthLandingZone(config));
    expect(groups.length).toBeGreaterThanOrEqual(6);
    for (const { at, policy } of groups) {
      expect({ at, masked: policy !== undefined }).toEqual({ at, masked: true });
      for (const st of policy!.Statement) expect({ at, sid: st.Sid, credentials: CREDENTIAL_ARNS.every((arn) => st.DataIdentifier.includes(arn)) }).toEqual({ at, sid: st.Sid, credentials: true });
    }
  });

  test("the trail's log group first: credentials, e-mail and IP addresses, findings into the management account's findings log group", () => {
    const orgTrail = synthStack('org-trail');
    const trail = logGroupsAndPolicies([['org-trail', orgTrail]]).find((g) => g.name === '/aws/cloudtrail/acme-organization-trail')!;
    expect(trail.policy).toEqual({
      Name: 'acme-masking',
      Description: expect.any(String),
      Version: '2021-06-01',
      Statement: [
        { Sid: 'audit', DataIdentifier: [...CREDENTIAL_ARNS, `${DATA_IDENTIFIER_ARN_PREFIX}EmailAddress`, `${DATA_IDENTIFIER_ARN_PREFIX}IpAddress`], Operation: { Audit: { FindingsDestination: { CloudWatchLogs: { LogGroup: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.data-protection-findings_log-group_\w+\.name\}$/) } } } } },
        { Sid: 'mask', DataIdentifier: [...CREDENTIAL_ARNS, `${DATA_IDENTIFIER_ARN_PREFIX}EmailAddress`, `${DATA_IDENTIFIER_ARN_PREFIX}IpAddress`], Operation: { Deidentify: { MaskConfig: {} } } },
      ],
    });
    const findings = resources(orgTrail, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/vendedlogs/acme-data-protection-findings');
    expect(findings).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringMatching(/aws_kms_key\.data-protection-findings_key_/) });
  });

  test("the findings log groups report nowhere themselves; the Log Archive's groups report into the log-archive stack's, which their stacks follow", () => {
    const stacks = synthLandingZone(everything);
    const groups = logGroupsAndPolicies(stacks);
    for (const g of groups) {
      const destination = g.policy!.Statement[0].Operation.Audit!.FindingsDestination;
      if (g.name === '/aws/vendedlogs/acme-data-protection-findings') expect({ at: g.at, destination }).toEqual({ at: g.at, destination: {} });
      else if (/^(integrity|log-collection)/.test(g.at)) expect({ at: g.at, destination }).toEqual({ at: g.at, destination: { CloudWatchLogs: { LogGroup: '/aws/vendedlogs/acme-data-protection-findings' } } });
    }
    expect(resources(stacks.get('log-archive')!, 'aws_cloudwatch_log_group').map((g) => g.name)).toEqual(['/aws/vendedlogs/acme-data-protection-findings']);
    const built = buildLandingZone(testApp(), landingZoneContext(everything, 'aws', '/tmp/landing-zone-test-state'));
    for (const id of ['integrity', 'log-collection']) {
      expect(built.find((s) => s.node.id === id)!.dependencies.map((d) => d.node.id)).toContain('log-archive');
    }
  });

  test('the centralized log groups: an account-level policy in the Log Archive, made before the subscription policy hands them to Firehose', () => {
    const home = synthStack('log-collection');
    const policies = resources(home, 'aws_cloudwatch_log_account_policy');
    const masking = policies.find((p) => p.policy_type === 'DATA_PROTECTION_POLICY')!;
    expect(masking).toMatchObject({ policy_name: 'acme-masking', scope: 'ALL', provider: 'aws.log_archive_eu_west_1' });
    const document = JSON.parse(masking.policy_document) as PolicyDocument;
    expect(document.Statement.map((s) => s.DataIdentifier)).toEqual([[...CREDENTIAL_ARNS, ...PERSONAL_DATA_IDENTIFIERS.map(dataIdentifierArn)], [...CREDENTIAL_ARNS, ...PERSONAL_DATA_IDENTIFIERS.map(dataIdentifierArn)]]);
    const subscription = policies.find((p) => p.policy_type === 'SUBSCRIPTION_FILTER_POLICY')!;
    expect(subscription.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_account_policy\.cloudwatch-logs_account-data-protection_\w+$/)]));
  });

  test('each policy is protected: plan review flags its deletion', () => {
    const orgTrail = synthStack('org-trail');
    const manifest = orgTrail.output!.protected_resources.value as Record<string, string>;
    const policies = Object.keys(orgTrail.resource!.aws_cloudwatch_log_data_protection_policy);
    expect(policies.length).toBe(3);
    for (const id of policies) expect(manifest[`aws_cloudwatch_log_data_protection_policy.${id}`]).toMatch(/masks credentials and personal data/);
  });
});

describe('the policy document, in the format AWS documents', () => {
  test('one Audit and one Deidentify statement with the same identifiers, credentials first; MaskConfig empty', () => {
    const document = JSON.parse(dataProtectionPolicyDocument({ policyName: 'p', personalData: ['IpAddress'], findingsLogGroupName: '/findings' })) as PolicyDocument;
    expect(document.Version).toBe('2021-06-01');
    expect(document.Statement).toEqual([
      { Sid: 'audit', DataIdentifier: [...CREDENTIAL_ARNS, 'arn:aws:dataprotection::aws:data-identifier/IpAddress'], Operation: { Audit: { FindingsDestination: { CloudWatchLogs: { LogGroup: '/findings' } } } } },
      { Sid: 'mask', DataIdentifier: [...CREDENTIAL_ARNS, 'arn:aws:dataprotection::aws:data-identifier/IpAddress'], Operation: { Deidentify: { MaskConfig: {} } } },
    ]);
    expect(CREDENTIAL_ARNS).toEqual([
      'arn:aws:dataprotection::aws:data-identifier/AwsSecretKey',
      'arn:aws:dataprotection::aws:data-identifier/OpenSshPrivateKey',
      'arn:aws:dataprotection::aws:data-identifier/PgpPrivateKey',
      'arn:aws:dataprotection::aws:data-identifier/PkcsPrivateKey',
      'arn:aws:dataprotection::aws:data-identifier/PuttyPrivateKey',
    ]);
  });

  test('without a findings log group, findings go nowhere but the metric; over 30,720 characters fails', () => {
    const document = JSON.parse(dataProtectionPolicyDocument({ policyName: 'p', personalData: [] })) as PolicyDocument;
    expect(document.Statement[0].Operation.Audit).toEqual({ FindingsDestination: {} });
    expect(document.Statement[0].DataIdentifier).toEqual(CREDENTIAL_ARNS);
    expect(() => dataProtectionPolicyDocument({ policyName: 'x'.repeat(30_720), personalData: [] })).toThrow(/has \d+ characters; CloudWatch Logs accepts 30720/);
  });
});

describe('unmasking and the policies, in the guardrails', () => {
  const LOG_ARCHIVE = '222222222222';
  const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
  const scpsOf = (config: Config) => resources(synthStack('organization', config), 'aws_organizations_policy').map((p) => p.content as string);
  const scps = scpsOf(exampleConfig());
  const logGroup = `arn:aws:logs:eu-west-1:${LOG_ARCHIVE}:log-group:/aws/lambda/acme-payments-api`;
  // in a governed region, so that the region deny stays out of it
  const refused = (policies: string[], action: string, principalArn: string, resource = logGroup) => isDenied(policies, { action, resource, principalArn, context: { 'aws:RequestedRegion': 'eu-west-1' } });
  const refusedEverywhere = [
    role(LOG_ARCHIVE, 'aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
    role(LOG_ARCHIVE, 'OrganizationAccountAccessRole'),
    role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-planner'),
    role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-break-glass'),
  ];

  test('in the Log Archive, logs:Unmask is refused to the administrator, the organization access role, a plan role, the break-glass and the deployment role; the unmask role may', () => {
    for (const principal of [...refusedEverywhere, role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-deployer')]) {
      expect({ principal, refused: refused(scps, 'logs:Unmask', principal) }).toEqual({ principal, refused: true });
    }
    expect(refused(scps, 'logs:Unmask', role(LOG_ARCHIVE, 'acme-incident-responder'))).toBe(false);
    // the same role name in another account is not the configured role
    expect(refused(scps, 'logs:Unmask', role('444444444441', 'acme-incident-responder'))).toBe(false);
  });

  test("only the deployment role may put or delete a data protection policy there, the account's included; the unmask role may not", () => {
    for (const action of MASKING_PROTECTED_ACTIONS) {
      for (const principal of [...refusedEverywhere, role(LOG_ARCHIVE, 'acme-incident-responder')]) {
        expect({ action, principal, refused: refused(scps, action, principal, '*') }).toEqual({ action, principal, refused: true });
      }
      expect({ action, refused: refused(scps, action, role(LOG_ARCHIVE, 'landing-zone/audit-landing-zone-deployer'), '*') }).toEqual({ action, refused: false });
    }
  });

  test("the workload accounts' own log groups are theirs: unmask and data protection policies are left alone there", () => {
    const workload = role('444444444441', 'developer');
    expect(refused(scps, 'logs:Unmask', workload, 'arn:aws:logs:eu-west-1:444444444441:log-group:/ecs/app')).toBe(false);
    expect(refused(scps, 'logs:PutDataProtectionPolicy', workload, 'arn:aws:logs:eu-west-1:444444444441:log-group:/ecs/app')).toBe(false);
  });

  test('without unmask roles, nobody may unmask in the Log Archive', () => {
    const none = scpsOf(exampleConfig((raw) => (raw.privacy = { masking: { unmaskRoles: [] } })));
    expect(refused(none, 'logs:Unmask', role(LOG_ARCHIVE, 'acme-incident-responder'))).toBe(true);
  });

  test('fit the existing policy: still four SCPs (the compliance guardrail the fourth), each within 5,120 characters, with ten unmask roles', () => {
    const many = resources(synthStack('organization', exampleConfig((raw) => (raw.privacy = { masking: { unmaskRoles: Array.from({ length: 10 }, (_, i) => role(LOG_ARCHIVE, `aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_IncidentResponse${i}_*`)) } }))), 'aws_organizations_policy')
      .filter((p) => p.type === 'SERVICE_CONTROL_POLICY')
      .map((p) => p.content as string);
    expect(many).toHaveLength(4);
    for (const content of many) expect(scpSize(content)).toBeLessThanOrEqual(SCP_MAX_CHARACTERS);
  });
});

interface FixtureRecord {
  readonly why: string;
  readonly expected: readonly string[];
  readonly event: Record<string, unknown>;
}

const cisRecords = (JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'cis-filter-records.json'), 'utf8')) as { records: FixtureRecord[] }).records;
const ALL_MASKED = [...CREDENTIAL_DATA_IDENTIFIERS, ...PERSONAL_DATA_IDENTIFIERS];

describe('the CIS metric filters still match, with the records masked as AWS masks them at ingestion', () => {
  const orgTrail = synthStack('org-trail');
  const filters = resources(orgTrail, 'aws_cloudwatch_log_metric_filter');
  const masked = cisRecords.map((r) => ({ ...r, masked: maskRecord(r.event, ALL_MASKED) }));

  test('masking changes the records: every source IP address and the e-mail addresses are asterisks', () => {
    const ips = masked.filter((r) => typeof r.event.sourceIPAddress === 'string' && /^[\d.]+$|:/.test(String(r.event.sourceIPAddress)));
    expect(ips.length).toBeGreaterThanOrEqual(50);
    for (const r of ips) expect(r.masked.sourceIPAddress).toMatch(/^\*+$/);
    const emails = masked.filter((r) => JSON.stringify(r.event).includes('@bar.com'));
    expect(emails.length).toBeGreaterThanOrEqual(1);
    for (const r of emails) expect(JSON.stringify(r.masked)).not.toMatch(/@bar\.com/);
  });

  test('every CIS filter on the trail log group matches exactly the records it matched unmasked, and those are the expected ones', () => {
    expect(filters.filter((f) => f.name.startsWith('acme-cis-')).length).toBe(CIS_ALARMS.length);
    const differences = filters.flatMap((f) => {
      const matches = compileFilterPattern(f.pattern);
      return masked.filter((r) => matches(r.event) !== matches(r.masked)).map((r) => `${f.name}: ${r.why}`);
    });
    expect(differences).toEqual([]);
    for (const r of masked) {
      const tripped = CIS_ALARMS.filter((c) => matchesFilterPattern(filters.find((f) => f.name === `acme-cis-${c}`)!.pattern, r.masked));
      expect({ why: r.why, tripped: tripped.sort() }).toEqual({ why: r.why, tripped: [...r.expected].sort() });
    }
  });

  test("the notifier's subscription filter and the GuardDuty-silenced filter see the same records masked", () => {
    const subscription = resources(orgTrail, 'aws_cloudwatch_log_subscription_filter')[0].filter_pattern as string;
    // the samples hold no GuardDuty call: one as CloudTrail records it, by an Identity Center session named by an e-mail address
    const createFilter = {
      eventVersion: '1.09', eventTime: '2026-01-01T10:00:00Z', eventSource: 'guardduty.amazonaws.com', eventName: 'CreateFilter', awsRegion: 'eu-west-1',
      sourceIPAddress: '198.51.100.7', eventType: 'AwsApiCall', recipientAccountId: '333333333333',
      userIdentity: { type: 'AssumedRole', principalId: 'AROAEXAMPLE:alice@example.com', arn: 'arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com', accountId: '333333333333' },
    };
    const events = [...vendoredRecords().map((r) => r.event), ...cisRecords.map((r) => r.event), createFilter];
    expect(JSON.stringify(maskRecord(createFilter, ALL_MASKED))).not.toMatch(/alice@example\.com|198\.51\.100\.7/);
    for (const pattern of [subscription, GUARDDUTY_SILENCED.pattern]) {
      const matches = compileFilterPattern(pattern);
      const matched = events.filter((e) => matches(e));
      expect(matched.length).toBeGreaterThan(0);
      expect(events.filter((e) => matches(maskRecord(e, ALL_MASKED)))).toEqual(matched);
    }
  });

  test('a filter that compares a masked field would break: the masking is real, and the rule sees it', () => {
    const withIp = cisRecords.map((r) => r.event).find((e) => /^\d+\.\d+\.\d+\.\d+$/.test(String(e.sourceIPAddress)))!;
    const pattern = `{ $.sourceIPAddress = "${String(withIp.sourceIPAddress)}" }`;
    expect(matchesFilterPattern(pattern, withIp)).toBe(true);
    expect(matchesFilterPattern(pattern, maskRecord(withIp, ['IpAddress']))).toBe(false);
    expect(maskingConflicts(pattern, ['IpAddress']).map((c) => c.comparison.selector)).toEqual(['sourceIPAddress']);
  });

  test('masking keeps the JSON of a record valid and masks a secret key next to its keyword, not the keyword', () => {
    const event = { requestParameters: { note: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', from: 'alice@example.com at 2001:db8::1' } };
    const text = maskText(JSON.stringify(event), ALL_MASKED);
    expect(JSON.parse(text)).toEqual({ requestParameters: { note: `aws_secret_access_key = ${'*'.repeat(40)}`, from: `${'*'.repeat(17)} at ${'*'.repeat(11)}` } });
  });
});

describe('the config refuses masking that a filter could not stand', () => {
  test('the comparisons of a pattern, as CloudWatch Logs reads them', () => {
    expect(jsonFilterComparisons('{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && $.userIdentity.invokedBy NOT EXISTS && $.latency >= 3 }')).toEqual([
      { selector: 'eventName', operator: '=', value: 'ConsoleLogin' },
      { selector: 'additionalEventData.MFAUsed', operator: '!=', value: 'Yes' },
      { selector: 'latency', operator: '>=', value: '3' },
    ]);
  });

  test('what masking can change: wildcards, data-shaped literals and numbers on fields that carry the data; not exact literals without data, nor other fields', () => {
    const conflicts = (pattern: string, ids: Parameters<typeof maskingConflicts>[1]) => maskingConflicts(pattern, ids).map((c) => `${c.identifier} ${c.comparison.selector}`);
    expect(conflicts('{ $.sourceIPAddress = "203.0.113.*" }', ['EmailAddress', 'IpAddress'])).toEqual(['IpAddress sourceIPAddress']);
    expect(conflicts('{ $.userIdentity.arn = "*:user/alice@example.com" }', ['EmailAddress', 'IpAddress'])).toEqual(['EmailAddress userIdentity.arn']);
    expect(conflicts('{ $.errorMessage = "denied for bob@example.com" }', ['EmailAddress'])).toEqual(['EmailAddress errorMessage']);
    expect(conflicts('{ $.responseElements.count > 3 }', ['AwsSecretKey'])).toEqual(['AwsSecretKey responseElements.count']);
    expect(conflicts('{ $.errorMessage = "Failed authentication" || $.userIdentity.type = "Root" || $.requestParameters.x = * }', ['EmailAddress', 'IpAddress', ...CREDENTIAL_DATA_IDENTIFIERS])).toEqual([]);
    expect(conflicts('{ $.errorCode = "AccessDenied*" }', ['EmailAddress', 'IpAddress', ...CREDENTIAL_DATA_IDENTIFIERS])).toEqual([]);
  });

  test('every CIS control, the GuardDuty-silenced alarm and the notifier stand every identifier', () => {
    const config = exampleConfig((raw) => (raw.privacy = { masking: { identifiers: [...PERSONAL_DATA_IDENTIFIERS] } }));
    expect(config.alarms.controls).toEqual([...CIS_ALARMS]);
    expect(maskedFilterProblems(watchedFilters(config), [...PERSONAL_DATA_IDENTIFIERS])).toEqual([]);
  });

  test('a filter that compares a masked field is refused, naming the identifier, the field and the fix', () => {
    const filters = [
      { pattern: '{ $.sourceIPAddress = "203.0.113.*" }', what: 'the metric filter of office-ip (CIS x)', remedy: 'remove office-ip from alarms.controls', path: 'alarms.controls[3]' },
      { pattern: '{ $.requestParameters.size > 10 }', what: 'the metric filter of big (CIS y)', remedy: 'remove big from alarms.controls', path: 'alarms.controls[4]' },
    ];
    const problems = maskedFilterProblems(filters, ['EmailAddress', 'IpAddress']);
    expect(problems).toContainEqual({
      path: 'privacy.masking.identifiers[1]',
      message: 'IpAddress masks IPv4 and IPv6 addresses in sourceIPAddress with asterisks before the filters see the record, and the metric filter of office-ip (CIS x) compares $.sourceIPAddress = "203.0.113.*": it would miss or mistake records; remove IpAddress from privacy.masking.identifiers, or remove office-ip from alarms.controls',
    });
    // credentials cannot be unmasked: the filter must go
    expect(problems).toContainEqual(expect.objectContaining({ path: 'alarms.controls[4]', message: expect.stringMatching(/^the metric filter of big \(CIS y\) compares \$\.requestParameters\.size > "10", where CloudTrail may carry AWS secret access keys .* always masked \(AwsSecretKey\) .*; remove big from alarms.controls$/) }));
  });

  test('credentials are not listed, unmask roles are Log Archive roles, each once: every problem at once', () => {
    expect(() => exampleConfig((raw) => (raw.privacy = {
      masking: {
        identifiers: ['EmailAddress', 'AwsSecretKey', 'EmailAddress'],
        unmaskRoles: ['arn:aws:iam::111111111111:role/acme-incident-responder', 'arn:aws:iam::333333333333:role/acme-incident-responder', 'arn:aws:iam::222222222222:role/ir', 'arn:aws:iam::222222222222:role/ir', 'acme-incident-responder'],
      },
    }))).toThrow(expect.objectContaining({
      message: expect.stringMatching(new RegExp([
        'privacy\\.masking\\.identifiers\\[1\\]: "AwsSecretKey" is not one of EmailAddress, IpAddress; the credential types \\(AwsSecretKey, .*\\) are always masked and are not listed here',
        'privacy\\.masking\\.unmaskRoles\\[4\\]: expected an IAM role ARN',
      ].join('[\\s\\S]*'))),
    }));
    expect(() => exampleConfig((raw) => (raw.privacy = {
      masking: { identifiers: ['EmailAddress', 'EmailAddress'], unmaskRoles: ['arn:aws:iam::111111111111:role/acme-incident-responder', 'arn:aws:iam::333333333333:role/acme-incident-responder', 'arn:aws:iam::222222222222:role/ir', 'arn:aws:iam::222222222222:role/ir'] },
    }))).toThrow(expect.objectContaining({
      message: expect.stringMatching(new RegExp([
        'privacy\\.masking\\.identifiers\\[1\\]: EmailAddress is listed twice',
        "privacy\\.masking\\.unmaskRoles\\[0\\]: arn:aws:iam::111111111111:role/acme-incident-responder is in the management account, which no SCP binds: who may unmask the trail's log group there is decided by that account's own IAM policies",
        'privacy\\.masking\\.unmaskRoles\\[1\\]: arn:aws:iam::333333333333:role/acme-incident-responder is in account 333333333333, which holds no masked log group: .* name a role of the Log Archive \\(accounts\\.logArchive\\.id = 222222222222\\)',
        'privacy\\.masking\\.unmaskRoles\\[3\\]: arn:aws:iam::222222222222:role/ir is listed twice',
      ].join('[\\s\\S]*'))),
    }));
  });
});
