import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { announceConfig, configChoice } from '../config/choice';
import { ALL_FEATURES_CONFIG_PATH, ConfigError, loadConfig, MAX_LISTED_PROBLEMS, MAX_LISTED_YAML_ERRORS, parseConfig } from '../config/loader';
import { DEFAULT_ENABLED_REGIONS } from '../facts/regions';
import { renderJsonSchema, JSON_SCHEMA_PATH } from '../scripts/json-schema';
import { synthCommand } from '../scripts/synth';
import { exampleRaw } from './helpers';

/** The problems a changed example config is refused with, as "path: message" lines. */
function problemsOf(change: (raw: Record<string, any>) => void): string[] {
  const raw = exampleRaw();
  change(raw);
  try {
    parseConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('the bundled example', () => {
  test('is accepted and governs the 17 default-enabled regions with a 7-year COMPLIANCE lock', () => {
    const config = loadConfig();
    expect(config.governedRegions).toEqual([...DEFAULT_ENABLED_REGIONS]);
    expect(config.governedRegions).toHaveLength(17);
    expect(config.archive.objectLock).toEqual({ mode: 'COMPLIANCE', retentionDays: 2557 });
    expect(config.deployment).toMatchObject({ roleName: 'audit-landing-zone-deployer', rolePath: '/landing-zone/', organizationAccessRoleName: 'OrganizationAccountAccessRole' });
  });

  test('config/examples/all-features.yaml is accepted with every optional feature on', () => {
    const config = loadConfig(ALL_FEATURES_CONFIG_PATH);
    const defaults = loadConfig();
    expect(config.quicksight.enabled).toBe(true);
    expect(defaults.quicksight.enabled).toBe(false);
    expect(config.siem).toMatchObject({ accountId: '444444444443', securityLake: true, trail: { readerRoleArn: expect.stringMatching(/^arn:aws:iam::444444444443:role\//) } });
    expect(defaults.siem).toBeUndefined();
    expect(config.organization.cloudTrailDelegatedAdministrator).toBe('audit');
    expect(config.securityLake.rollupRegion).toBe('eu-west-1');
    expect(config.logCollection.loadBalancerLogs.enabled && config.logCollection.cloudTrailLake.enabled).toBe(true);
    expect(defaults.logCollection.loadBalancerLogs.enabled || defaults.logCollection.cloudTrailLake.enabled).toBe(false);
    expect(config.accounts).toEqual(defaults.accounts);
    // the example's organization and identities: only the optional features differ
    expect(config.deployment).toEqual(defaults.deployment);
  });

  test('config/schema.json is the one generated from the schema (run npm run json-schema)', () => {
    expect(fs.readFileSync(JSON_SCHEMA_PATH, 'utf8')).toBe(renderJsonSchema());
  });
});

describe('malformed configs are refused with the field and the fix', () => {
  const cases: Array<[string, (raw: Record<string, any>) => void, RegExp]> = [
    ['an unquoted account id', (r) => (r.accounts.audit.id = 333333333333), /^accounts\.audit\.id: .*quote it/],
    ['an 11-digit account id', (r) => (r.accounts.members[1].id = '44444444444'), /^accounts\.members\[1\]\.id: .*12 digits/],
    ['one account in two roles', (r) => (r.accounts.audit.id = r.accounts.logArchive.id), /^accounts\.audit\.id: account 222222222222 is already used by accounts\.logArchive\.id/],
    ['a malformed organization id', (r) => (r.organization.id = 'org-123'), /^organization\.id: .*"o-" followed by 10-32/],
    ['an unknown governed region', (r) => (r.governedRegions = ['eu-west-1', 'eu-westt-2']), /^governedRegions\[1\]: unknown region "eu-westt-2"/],
    ['a home region that is not governed', (r) => (r.governedRegions = ['us-east-1', 'us-west-2']), /^homeRegion: eu-west-1 is not among governedRegions; add it there or choose one of us-east-1, us-west-2/],
    ['expiration before the Object Lock retention', (r) => (r.archive.expirationDays = 2000), /^archive\.expirationDays: 2000 days is before the Object Lock retention \(archive\.objectLock\.retentionDays = 2557\); use 2557 or more/],
    ['an expiration that only adds delete markers', (r) => delete r.archive.noncurrentVersionExpirationDays, /^archive\.noncurrentVersionExpirationDays: is required with archive\.expirationDays: the archive is versioned/],
    ['transitions out of order', (r) => (r.archive.transitions = [{ days: 365, storageClass: 'DEEP_ARCHIVE' }, { days: 400, storageClass: 'GLACIER_IR' }]), /^archive\.transitions\[1\]\.storageClass: GLACIER_IR cannot follow DEEP_ARCHIVE/],
    ['Standard-IA before 30 days', (r) => (r.archive.transitions = [{ days: 7, storageClass: 'STANDARD_IA' }]), /^archive\.transitions\[0\]\.days: S3 moves objects to STANDARD_IA no earlier than 30 days/],
    ['a Glacier class left before its minimum', (r) => (r.archive.transitions = [{ days: 30, storageClass: 'GLACIER_IR' }, { days: 60, storageClass: 'DEEP_ARCHIVE' }]), /^archive\.transitions\[1\]\.days: must be at least 120/],
    ['a malformed e-mail address', (r) => (r.notifications.emails = ['security-alerts.acme.example']), /^notifications\.emails\[0\]: not an e-mail address/],
    ['an unknown Object Lock mode', (r) => (r.archive.objectLock.mode = 'COMPLIANT'), /^archive\.objectLock\.mode: must be one of "COMPLIANCE", "GOVERNANCE"/],
    ['a misspelt field', (r) => (r.archive.retentionDay = 10), /^archive: unknown field retentionDay; check the spelling against config\/schema\.json/],
    ['a prefix with capitals', (r) => (r.prefix = 'Acme'), /^prefix: use 2-20 lower-case letters/],
    ['a state bucket name S3 refuses', (r) => (r.state = { backend: 's3', bucket: 'Acme_State' }), /^state\.bucket: "Acme_State" may hold only lower-case letters/],
    ['a log retention CloudWatch does not offer', (r) => (r.trail.cloudWatchLogsRetentionDays = 100), /^trail\.cloudWatchLogsRetentionDays: CloudWatch Logs accepts only these retention periods: 1, 3, 5/],
    ['data events on the archive bucket itself', (r) => (r.trail.s3DataEvents = { mode: 'listed', buckets: ['acme-log-archive-222222222222-eu-west-1'] }), /^trail\.s3DataEvents\.buckets\[0\]: .*archive's own bucket/],
    ['a projection start that is not a date', (r) => (r.analytics = { projectionStartDate: '2024/02/30' }), /^analytics\.projectionStartDate: 2024\/02\/30 is not a calendar date/],
    ['a missing Log Archive account', (r) => delete r.accounts.logArchive, /^accounts\.logArchive: is required$/],
    ['a missing home region', (r) => delete r.homeRegion, /^homeRegion: is required: a region name such as "eu-west-1"$/],
    ['a field written without its value', (r) => (r.organization.rootId = null), /^organization\.rootId: is required but has no value/],
    ['a SIEM account outside the organization', (r) => (r.siem = { accountId: '555555555555', externalId: 'a'.repeat(20) }), /^siem\.accountId: 555555555555 is not an account of the organization/],
    ['a SIEM reader role of another account', (r) => (r.siem = { accountId: '444444444443', externalId: 'a'.repeat(20), trail: { readerRoleArn: 'arn:aws:iam::444444444441:role/reader' } }), /^siem\.trail\.readerRoleArn: the role is in account 444444444441, not the SIEM's account 444444444443/],
    ['a SIEM external id too short', (r) => (r.siem = { accountId: '444444444443', externalId: 'secret' }), /^siem\.externalId: an external id of at least 16 characters/],
    ['a SIEM subscriber without Security Lake', (r) => { r.securityLake = { enabled: false }; r.siem = { accountId: '444444444443', externalId: 'a'.repeat(20) }; }, /^siem\.securityLake: needs Security Lake/],
    ['QuickSight users that are not ARNs', (r) => (r.quicksight = { enabled: true, authors: ['security-analyst'] }), /^quicksight\.authors\[0\]: expected a QuickSight user or group ARN/],
    ['QuickSight users of another account', (r) => (r.quicksight = { enabled: true, readers: ['arn:aws:quicksight:eu-west-1:444444444441:user/default/analyst'] }), /^quicksight\.readers\[0\]: .* is in account 444444444441; QuickSight runs in the Audit account \(333333333333\)/],
    ['QuickSight on with nobody to see it', (r) => (r.quicksight = { enabled: true }), /^quicksight\.authors: quicksight\.enabled is true but no author or reader is named/],
    ['nobody to assume the deployment roles', (r) => { delete r.deployment.github; r.deployment.managementDeployerArns = []; }, /^deployment\.managementDeployerArns: is empty and deployment\.github is not set, so nobody could assume the deployment roles/],
    ['a deployer outside the management account', (r) => (r.deployment.managementDeployerArns = ['arn:aws:iam::333333333333:role/admin']), /^deployment\.managementDeployerArns\[0\]: arn:aws:iam::333333333333:role\/admin is in account 333333333333, not the management account \(accounts\.management\.id = 111111111111\)/],
    ['a break-glass user outside the management account', (r) => (r.deployment.breakGlass.trustedArns = ['arn:aws:iam::222222222222:user/alice']), /^deployment\.breakGlass\.trustedArns\[0\]: .* not the management account/],
    ['a plan role named like the deployment role', (r) => (r.deployment.planRoleName = 'audit-landing-zone-deployer'), /^deployment\.planRoleName: audit-landing-zone-deployer is already the name of deployment\.roleName/],
    ['an IAM path without its slashes', (r) => (r.deployment.rolePath = 'landing-zone'), /^deployment\.rolePath: an IAM path starts and ends with "\/"/],
    ['a repository without its owner', (r) => (r.deployment.github = { repository: 'audit-landing-zone' }), /^deployment\.github\.repository: write the repository as OWNER\/NAME/],
    ['an archive reader outside the organization', (r) => (r.archive.readers = ['arn:aws:iam::999999999999:role/auditor']), /^archive\.readers\[0\]: .* is in account 999999999999, which is none of the organization's accounts/],
    ['an archive reader that is a user', (r) => (r.archive.readers = ['arn:aws:iam::333333333333:user/alice']), /^archive\.readers\[0\]: .* is not a role/],
    ['a query role trusting another organization', (r) => (r.analytics.queryRoleTrustedArns = ['arn:aws:iam::999999999999:role/x']), /^analytics\.queryRoleTrustedArns\[0\]: .* none of the organization's accounts/],
    ['a suppression-rule role outside the organization', (r) => (r.guardduty.suppressionRuleRoleArns = ['arn:aws:iam::999999999999:role/soc']), /^guardduty\.suppressionRuleRoleArns\[0\]: .* none of the organization's accounts/],
    ['access logs kept shorter than the evidence', (r) => (r.archive.accessLogRetentionDays = 365), /^archive\.accessLogRetentionDays: 365 days is shorter than the evidence is kept \(archive\.expirationDays = 3653\); use 3653 or more/],
    ['access logs that expire while the evidence is kept forever', (r) => { delete r.archive.expirationDays; r.archive.accessLogRetentionDays = 4000; }, /^archive\.accessLogRetentionDays: 4000 days, but the evidence is kept forever/],
    ['a credential type listed as if masking it were optional', (r) => (r.privacy = { masking: { identifiers: ['PgpPrivateKey'] } }), /^privacy\.masking\.identifiers\[0\]: "PgpPrivateKey" is not one of EmailAddress, IpAddress; the credential types .* are always masked/],
    ['an unmask role of the management account, which no SCP binds', (r) => (r.privacy = { masking: { unmaskRoles: ['arn:aws:iam::111111111111:role/ir'] } }), /^privacy\.masking\.unmaskRoles\[0\]: .* is in the management account, which no SCP binds/],
    ['an unmask role of an account without masked log groups', (r) => (r.privacy = { masking: { unmaskRoles: ['arn:aws:iam::333333333333:role/ir'] } }), /^privacy\.masking\.unmaskRoles\[0\]: .* which holds no masked log group: .*name a role of the Log Archive/],
    ['Security Hub without AWS Config', (r) => (r.awsConfig = { enabled: false }), /^securityHub\.enabled: Security Hub CSPM evaluates its controls with AWS Config/],
    ['a Security Hub home region that is disabled by default', (r) => { r.homeRegion = 'eu-south-1'; r.governedRegions = ['eu-south-1', 'eu-west-1']; r.guardduty = { exportFindings: false }; }, /^securityHub\.enabled: Security Hub CSPM cannot aggregate into eu-south-1/],
    ['an organization Config rule without recorders', (r) => { r.awsConfig = { enabled: false }; r.securityHub = { enabled: false }; r.logCollection = { loadBalancerLogs: { enabled: true, configRule: true } }; }, /^logCollection\.loadBalancerLogs\.configRule: the organization Config rule evaluates only where a configuration recorder runs/],
    ['two recording frequency overrides', (r) => (r.awsConfig = { recordingFrequencyOverrides: [{ resourceTypes: ['AWS::EC2::Instance'], recordingFrequency: 'DAILY' }, { resourceTypes: ['AWS::EC2::Volume'], recordingFrequency: 'DAILY' }] }), /^awsConfig\.recordingFrequencyOverrides: AWS Config takes 1 recording frequency override per recorder/],
    ['an override that changes nothing', (r) => (r.awsConfig = { recordingFrequencyOverrides: [{ resourceTypes: ['AWS::EC2::Instance'], recordingFrequency: 'CONTINUOUS' }] }), /^awsConfig\.recordingFrequencyOverrides\[0\]\.recordingFrequency: is CONTINUOUS, like awsConfig\.recordingFrequency/],
    ['daily recording of a type Config records continuously only', (r) => (r.awsConfig = { recordingFrequencyOverrides: [{ resourceTypes: ['AWS::Config::ResourceCompliance'], recordingFrequency: 'DAILY' }] }), /^awsConfig\.recordingFrequencyOverrides\[0\]\.resourceTypes\[0\]: AWS Config records AWS::Config::ResourceCompliance continuously only/],
    ['a resource type Config does not name so', (r) => (r.awsConfig = { recordingFrequencyOverrides: [{ resourceTypes: ['ec2:instance'], recordingFrequency: 'DAILY' }] }), /^awsConfig\.recordingFrequencyOverrides\[0\]\.resourceTypes\[0\]: a resource type as Config names it/],
    ['global IAM types recorded outside the governed regions', (r) => (r.awsConfig = { globalResourceTypesRegion: 'ap-south-2' }), /^awsConfig\.globalResourceTypesRegion: ap-south-2 is not among governedRegions/],
    ['a home region where Config cannot record the global IAM types', (r) => { r.homeRegion = 'eu-central-2'; r.governedRegions = ['eu-central-2', 'eu-central-1']; r.guardduty = { exportFindings: false }; r.securityHub = { enabled: false }; }, /^awsConfig\.globalResourceTypesRegion: eu-central-2 \(homeRegion\) is a region where AWS Config cannot record the global IAM resource types; set awsConfig\.globalResourceTypesRegion to one of eu-central-1/],
    ['a disabled control without a reason', (r) => (r.securityHub = { disabledControls: [{ id: 'IAM.6', reason: 'no' }] }), /^securityHub\.disabledControls\[0\]\.reason: say why the control is switched off/],
    ['a control id Security Hub does not use', (r) => (r.securityHub = { disabledControls: [{ id: 'iam-6', reason: 'a reason long enough' }] }), /^securityHub\.disabledControls\[0\]\.id: a security control id, e\.g\. IAM\.6/],
    ['a control disabled twice', (r) => (r.securityHub = { disabledControls: [{ id: 'IAM.6', reason: 'a reason long enough' }, { id: 'IAM.6', reason: 'another reason here' }] }), /^securityHub\.disabledControls\[1\]\.id: IAM\.6 is listed twice/],
    ['a StackSet target that is another organization\'s root', (r) => (r.awsConfig = { targets: ['r-zzzz'] }), /^awsConfig\.targets\[0\]: r-zzzz is not this organization's root/],
    ['no Security Hub targets', (r) => (r.securityHub = { targets: [] }), /^securityHub\.targets: is empty, so no account would be configured/],
    ['an unknown CIS version', (r) => (r.securityHub = { cisVersion: '4.0.0' }), /^securityHub\.cisVersion: must be one of "5\.0\.0", "3\.0\.0", "1\.4\.0", "1\.2\.0"/],
    ['a notification threshold below LOW', (r) => (r.notifications.securityHubMinimumSeverity = 'INFORMATIONAL'), /^notifications\.securityHubMinimumSeverity: must be one of "LOW"/],
    ['an unused access age AWS does not take', (r) => (r.accessAnalyzer = { unusedAccess: { ageDays: 400 } }), /^accessAnalyzer\.unusedAccess\.ageDays: /],
    ['an own account trusted across the data perimeter', (r) => (r.dataPerimeter = { trustedAccountIds: ['444444444441'] }), /^dataPerimeter\.trustedAccountIds\[0\]: 444444444441 is an account of this organization/],
  ];

  test.each(cases)('%s', (_name, change, expected) => {
    const problems = problemsOf(change);
    expect(problems).toContainEqual(expect.stringMatching(expected));
  });

  test(`${cases.length} different malformed configs are covered`, () => {
    expect(new Set(cases.map(([name]) => name)).size).toBeGreaterThanOrEqual(10);
  });

  test('one shape problem does not hide the rules of the other sections: all three are reported', () => {
    const problems = problemsOf((r) => {
      r.guardduty = { findingPublishingFrequency: 'HOURLY' };
      r.archive.expirationDays = 2000;
      r.notifications.emails = [];
    });
    expect(problems).toEqual([
      expect.stringMatching(/^guardduty\.findingPublishingFrequency: must be one of/),
      expect.stringMatching(/^archive\.expirationDays: 2000 days is before the Object Lock retention/),
      expect.stringMatching(/^notifications\.emails: lists no address/),
    ]);
  });

  test('a long list is cut short with a count', () => {
    const raw = exampleRaw();
    raw.accounts.members = Array.from({ length: 30 }, (_, i) => ({ name: `m${i}`, id: `bad${i}` }));
    let message = '';
    try {
      parseConfig(raw, 'test');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^test: 30 problems in the config/);
    expect(message.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(MAX_LISTED_PROBLEMS);
    expect(message).toContain(`… and ${30 - MAX_LISTED_PROBLEMS} more (30 in all)`);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf((r) => {
      r.accounts.audit.id = '1234';
      r.organization.id = 'o-x';
      r.governedRegions = ['eu-west-1', 'mars-north-1'];
    });
    expect(problems).toEqual([
      expect.stringMatching(/^organization\.id:/),
      expect.stringMatching(/^governedRegions\[1\]:/),
      expect.stringMatching(/^accounts\.audit\.id:/),
    ]);
  });
});

describe('dangerous configs are refused until the config says it means them', () => {
  const refused: Array<[string, (raw: Record<string, any>) => void, RegExp]> = [
    ['an archive reader outside the organization', (r) => (r.archive.readers = ['arn:aws:iam::999999999999:role/siem-reader']),
      /^archive\.readers\[0\]: arn:aws:iam::999999999999:role\/siem-reader is in account 999999999999, which is none of the organization's accounts/],
    ['no notification address', (r) => (r.notifications.emails = []), /^notifications\.emails: lists no address, so every alarm and GuardDuty finding would go unnoticed/],
    ['no notifications section at all', (r) => delete r.notifications, /^notifications\.emails: lists no address/],
    ['a management deployer in another account', (r) => (r.deployment.managementDeployerArns = ['arn:aws:iam::999999999999:role/deployer']),
      /^deployment\.managementDeployerArns\[0\]: arn:aws:iam::999999999999:role\/deployer is in account 999999999999, not the management account \(accounts\.management\.id = 111111111111\)/],
    ['COMPLIANCE retention of decades, unconfirmed', (r) => ((r.archive.objectLock.retentionDays = 7305), (r.archive.expirationDays = 7305)),
      /^archive\.objectLock\.retentionDays: 7305 days \(about 20 years\) of COMPLIANCE retention can never be shortened.*acknowledgedRetentionDays: 7305/],
    ['COMPLIANCE retention confirmed for another number', (r) => Object.assign(r.archive, { objectLock: { mode: 'COMPLIANCE', retentionDays: 36500, acknowledgedRetentionDays: 7305 }, expirationDays: 36500 }),
      /^archive\.objectLock\.retentionDays: 36500 days \(about 100 years\).*\(archive\.objectLock\.acknowledgedRetentionDays confirms 7305, not 36500\)/],
    ['GOVERNANCE with days of retention in production', (r) => ((r.archive.objectLock = { mode: 'GOVERNANCE', retentionDays: 7 }), delete r.archive.expirationDays),
      /^archive\.objectLock: GOVERNANCE with 7 days of retention is a trial setting.*set profile: test/],
  ];

  test.each(refused)('%s', (_name, change, expected) => {
    expect(problemsOf(change)).toContainEqual(expect.stringMatching(expected));
  });

  const accepted: Array<[string, (raw: Record<string, any>) => void]> = [
    ['a reader in a member account', (r) => (r.archive.readers = ['arn:aws:iam::444444444441:role/payments-auditor'])],
    ['no address, with who is subscribed instead', (r) => (r.notifications = { emails: [], subscribedElsewhere: 'PagerDuty subscribes both topics' })],
    ['only the workflow deploys (no management deployers)', (r) => (r.deployment.managementDeployerArns = [])],
    ['only the management deployers deploy (no workflow)', (r) => delete r.deployment.github],
    ['COMPLIANCE for exactly 10 years', (r) => (r.archive.objectLock.retentionDays = 3653)],
    ['COMPLIANCE for decades, confirmed', (r) => Object.assign(r.archive, { objectLock: { mode: 'COMPLIANCE', retentionDays: 7305, acknowledgedRetentionDays: 7305 }, expirationDays: 7305 })],
    ['GOVERNANCE for days in a test organization', (r) => ((r.profile = 'test'), (r.archive.objectLock = { mode: 'GOVERNANCE', retentionDays: 7 }), delete r.archive.expirationDays)],
    ['GOVERNANCE for a year in production', (r) => ((r.archive.objectLock = { mode: 'GOVERNANCE', retentionDays: 365 }), delete r.archive.expirationDays)],
  ];

  test.each(accepted)('accepted: %s', (_name, change) => {
    const raw = exampleRaw();
    change(raw);
    expect(() => parseConfig(raw, 'test')).not.toThrow();
  });
});

describe('config files that cannot be read', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-files-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const refusal = (text: string | undefined, name = 'config.yaml') => {
    const file = path.join(dir, name);
    if (text !== undefined) fs.writeFileSync(file, text);
    try {
      loadConfig(file);
    } catch (error) {
      if (error instanceof ConfigError) return error.message.replace(file, 'FILE');
      throw error;
    }
    throw new Error('accepted');
  };

  test('an empty file says it is empty', () => {
    expect(refusal('')).toBe('FILE is empty; copy config/example.yaml and describe your organization in it');
    expect(refusal('# only a comment\n')).toMatch(/^FILE is empty/);
  });

  test('a missing file or a folder is one line', () => {
    expect(refusal(undefined, 'missing.yaml')).toBe('FILE: no such file; LZ_CONFIG must name your config file (copy config/example.yaml to start one)');
    fs.mkdirSync(path.join(dir, 'folder.yaml'));
    expect(refusal(undefined, 'folder.yaml')).toMatch(/^FILE: is a folder, not a file; /);
  });

  test('a list instead of a mapping says what a config is', () => {
    expect(refusal('- prefix: acme\n')).toMatch(/^FILE holds a list; a config is a mapping of fields/);
  });

  test('a stray YAML token reports its cause first, with the line, and counts the rest', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'config', 'example.yaml'), 'utf8').replace(/^archive:/m, '}archive:');
    const message = refusal(text);
    const lines = message.split('\n');
    expect(lines[0]).toBe('FILE: not valid YAML; nothing was synthesized. The first error is the one to fix:');
    const line = text.split('\n').findIndex((l) => l.startsWith('}archive:')) + 1;
    expect(lines[1]).toMatch(new RegExp(`^  - Unexpected flow-map-end token in YAML stream: "}" at line ${line}, column 1`));
    expect(lines).toContain('      }archive:');
    expect(lines.filter((l) => l.startsWith('  - '))).toHaveLength(MAX_LISTED_YAML_ERRORS);
    expect(lines[lines.length - 1]).toMatch(/^  … and \d+ more YAML errors after these, most likely caused by the first/);
    expect(lines.length).toBeLessThan(12);
  });
});

describe('the command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A config text in a fresh file, and a fresh folder to synthesize it into. */
  function prepare(configText: string | undefined) {
    const file = path.join(dir, 'config.yaml');
    const outdir = path.join(dir, 'out');
    fs.rmSync(file, { force: true });
    if (configText !== undefined) fs.writeFileSync(file, configText);
    fs.rmSync(outdir, { recursive: true, force: true });
    return { file, outdir, synthesized: () => fs.existsSync(path.join(outdir, 'manifest.json')) };
  }

  /** `npm run synth` (scripts/synth.ts) of a config text, in-process. */
  function synth(configText: string | undefined, env: NodeJS.ProcessEnv = {}) {
    const { file, outdir, synthesized } = prepare(configText);
    const output = { stdout: '', stderr: '' };
    const status = synthCommand(['--outdir', outdir], {
      env: { ...process.env, LZ_CONFIG: file, LZ_TARGET: 'offline', ...env },
      stdout: { write: (text: string) => (output.stdout += text) },
      stderr: { write: (text: string) => (output.stderr += text) },
    });
    return { status, ...output, file, synthesized: synthesized() };
  }

  test('exits non-zero, lists every problem once and synthesizes nothing for a bad config', () => {
    const raw = exampleRaw();
    raw.archive.expirationDays = 365;
    raw.accounts.members[0].id = 'abc';
    const run = synth(stringify(raw));
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(`synth: config ${run.file} (LZ_CONFIG)`);
    expect(run.stderr.split('3 problems in the config; nothing was synthesized')).toHaveLength(2);
    expect(run.stderr).not.toContain('[ERROR]');
    expect(run.stderr).toContain('accounts.members[0].id');
    expect(run.stdout).toBe('');
    expect(run.synthesized).toBe(false);
  });

  test('reports a YAML syntax error with its line', () => {
    const run = synth('prefix: acme\naccounts: [unclosed\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/not valid YAML[^]*line \d+, column \d+/);
    expect(run.synthesized).toBe(false);
  });

  test('a missing LZ_CONFIG file is one line after the config line, no stack trace', () => {
    const run = synth(undefined);
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([`synth: config ${run.file} (LZ_CONFIG)`, `${run.file}: no such file; LZ_CONFIG must name your config file (copy config/example.yaml to start one)`]);
  });

  test('an unknown LZ_TARGET is one line', () => {
    const run = synth(stringify(exampleRaw()), { LZ_TARGET: 'moon' });
    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')[1]).toBe('LZ_TARGET=moon is not a deploy target; use one of aws, plan, offline, emulator');
    expect(run.synthesized).toBe(false);
  });

  test('an unknown option is one line, and nothing is synthesized', () => {
    const { outdir, synthesized } = prepare(undefined);
    const output = { stdout: '', stderr: '' };
    const status = synthCommand(['--out', outdir], { env: {}, stdout: { write: (t: string) => (output.stdout += t) }, stderr: { write: (t: string) => (output.stderr += t) } });
    expect(status).toBe(1);
    expect(output).toEqual({ stdout: '', stderr: expect.stringMatching(/^Unknown option '--out'[^\n]*\n$/) });
    expect(synthesized()).toBe(false);
  });

  test('without LZ_CONFIG it says it uses the bundled example, on stderr', () => {
    const written = { stdout: '', stderr: '' };
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((text) => ((written.stdout += String(text)), true));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text) => ((written.stderr += String(text)), true));
    try {
      announceConfig('plan', configChoice({ LZ_CONFIG: '' }));
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(written).toEqual({ stdout: '', stderr: 'plan: config config/example.yaml, the bundled example of a fictional organization (LZ_CONFIG is not set; point it at your own config)\n' });
  });
});
