/**
 * The plan review a pull request gets: plans that would delete or replace evidence, keys, the
 * trail, GuardDuty or the SCPs are blocked with the reason their stack's protection manifest gives.
 * Real offline plans of the example are reviewed in __tests__/terraform/stacks.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROTECTION_OUTPUT } from '../modules/core/protection';
import { planReview } from '../scripts/plan-review';
import { protectionOf, protectionOfSynthesizedStack } from '../scripts/protected-resources';
import { exampleConfig, stackOf, synthLandingZone } from './helpers';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-review-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const ARCHIVE = 'acme-log-archive-222222222222-eu-west-1';

interface Change {
  address: string;
  type: string;
  actions: string[];
  before?: Record<string, unknown>;
  replacePaths?: string[][];
}

type Manifest = Record<string, string>;

/**
 * Writes a hand-made `terraform show -json` plan of the given changes, as terraform would, with the
 * stack's protection manifest as deployed (before) and as planned (after).
 */
function writePlan(name: string, changes: Change[], manifest: { deployed?: Manifest; planned?: Manifest } = {}): string {
  const file = path.join(workDir, `${name}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.11.4',
      output_changes: {
        [PROTECTION_OUTPUT]: { actions: ['no-op'], before: manifest.deployed ?? null, after: manifest.planned ?? {} },
      },
      resource_changes: changes.map((c) => ({
        address: c.address,
        mode: 'managed',
        type: c.type,
        name: c.address.split('.').pop(),
        change: {
          actions: c.actions,
          before: c.actions[0] === 'create' && c.actions.length === 1 ? null : (c.before ?? {}),
          after: c.actions.join() === 'delete' ? null : { ...(c.before ?? {}) },
          replace_paths: c.replacePaths,
        },
      })),
    }),
  );
  return file;
}

const archiveBucketDelete: Change = { address: 'aws_s3_bucket.archive_bucket_1', type: 'aws_s3_bucket', actions: ['delete'], before: { bucket: ARCHIVE } };
const objectLockReplace: Change = { address: 'aws_s3_bucket_object_lock_configuration.archive_object-lock_1', type: 'aws_s3_bucket_object_lock_configuration', actions: ['delete', 'create'], before: { bucket: ARCHIVE }, replacePaths: [['bucket']] };
const trailReplace: Change = { address: 'aws_cloudtrail.organization-trail_trail_1', type: 'aws_cloudtrail', actions: ['create', 'delete'], before: { name: 'acme-organization-trail' }, replacePaths: [['name']] };
const kmsKeyDelete: Change = { address: 'aws_kms_key.archive-key_1', type: 'aws_kms_key', actions: ['delete'], before: { description: 'archive' } };
const scpAttachmentDelete: Change = { address: 'aws_organizations_policy_attachment.guardrails_protect-logging-r-ac1e', type: 'aws_organizations_policy_attachment', actions: ['delete'], before: { target_id: 'r-ac1e' } };
const integrityVerifierDelete: Change = { address: 'aws_lambda_function.log-integrity_verifier_function_1', type: 'aws_lambda_function', actions: ['delete'], before: { function_name: 'acme-log-integrity-verify' } };
const integrityScheduleDelete: Change = { address: 'aws_scheduler_schedule.log-integrity_schedule_1', type: 'aws_scheduler_schedule', actions: ['delete'], before: { name: 'acme-log-integrity-daily' } };
const detectorDelete: Change = { address: 'aws_guardduty_detector.guardduty_detector_1', type: 'aws_guardduty_detector', actions: ['delete'], before: { enable: true } };
const stackSetInstanceDelete: Change = { address: 'aws_cloudformation_stack_set_instance.config-stack-set_instances-us-east-2_1', type: 'aws_cloudformation_stack_set_instance', actions: ['delete'], before: { region: 'us-east-2' } };
const recorderDelete: Change = { address: 'aws_config_configuration_recorder.management-config_recorder_1', type: 'aws_config_configuration_recorder', actions: ['delete'], before: { name: 'acme-config-recorder-eu-west-1' } };
const replicationDelete: Change = { address: 'aws_s3_bucket_replication_configuration.config-delivery_replication_1', type: 'aws_s3_bucket_replication_configuration', actions: ['delete'], before: { bucket: 'acme-config-222222222222-eu-west-1' } };
const configBucketReplace: Change = { address: 'aws_s3_bucket.config-delivery_bucket_1', type: 'aws_s3_bucket', actions: ['delete', 'create'], before: { bucket: 'acme-config-222222222222-eu-west-1' }, replacePaths: [['bucket']] };
const securityHubPolicyDelete: Change = { address: 'aws_securityhub_configuration_policy.security-hub_policy_1', type: 'aws_securityhub_configuration_policy', actions: ['delete'], before: { name: 'acme-baseline' } };
const analyzerDelete: Change = { address: 'aws_accessanalyzer_analyzer.access-analyzer_analyzer_1', type: 'aws_accessanalyzer_analyzer', actions: ['delete'], before: { analyzer_name: 'acme-organization' } };

/** What the stacks declared when they were deployed (reasons as the constructs give them). */
const deployed: Manifest = {
  [archiveBucketDelete.address]: "the Log Archive bucket holds the organization's evidence (Object Lock); a new bucket starts empty and unlocked",
  [objectLockReplace.address]: 'Object Lock keeps the evidence undeletable until its retention ends',
  [trailReplace.address]: 'the Organization trail records every API call of every account; without it nothing is recorded',
  [kmsKeyDelete.address]: 'a deleted or disabled archive key makes every Object-Locked log unreadable',
  [scpAttachmentDelete.address]: 'a detached SCP no longer protects the logging and security services',
  [detectorDelete.address]: 'deleting a detector stops GuardDuty in its region and discards its findings',
  [integrityVerifierDelete.address]: 'the log integrity check proves every day that no CloudTrail file was altered or removed; without it nothing checks',
  [integrityScheduleDelete.address]: 'the schedule starts the daily log integrity check; without it the check never runs',
  [stackSetInstanceDelete.address]: 'deleting a stack set instance deletes the Config recorder of every member account in its region',
  [recorderDelete.address]: 'deleting the recorder stops AWS Config recording in its account and region',
  [replicationDelete.address]: "it copies AWS Config's deliveries into the Object Lock archive; without it they expire there unarchived",
  [configBucketReplace.address]: 'the Config bucket holds what AWS Config delivered until it is replicated into the archive',
  [securityHubPolicyDelete.address]: 'the configuration policy keeps Security Hub and its standards on in every account and region',
  [analyzerDelete.address]: 'deleting an analyzer stops its analysis and discards its findings',
};

describe.each([
  ['the archive bucket is deleted', archiveBucketDelete, /Log Archive bucket holds the organization's evidence/],
  ['its Object Lock configuration is replaced', objectLockReplace, /Object Lock keeps the evidence undeletable/],
  ['the Organization trail is replaced', trailReplace, /records every API call/],
  ['the archive key is deleted', kmsKeyDelete, /archive key makes every Object-Locked log unreadable/],
  ['an SCP attachment is deleted', scpAttachmentDelete, /detached SCP no longer protects/],
  ['a GuardDuty detector is deleted', detectorDelete, /stops GuardDuty in its region/],
  ['the log integrity verifier is deleted', integrityVerifierDelete, /proves every day that no CloudTrail file was altered or removed/],
  ['the log integrity schedule is deleted', integrityScheduleDelete, /the check never runs/],
  ['a region\'s Config stack set instance is deleted', stackSetInstanceDelete, /Config recorder of every member account in its region/],
  ['the management account\'s recorder is deleted', recorderDelete, /stops AWS Config recording/],
  ['the Config bucket\'s replication is deleted', replicationDelete, /into the Object Lock archive; without it they expire there unarchived/],
  ['the Config bucket is replaced', configBucketReplace, /until it is replicated into the archive/],
  ['the Security Hub configuration policy is deleted', securityHubPolicyDelete, /keeps Security Hub and its standards on/],
  ['an Access Analyzer analyzer is deleted', analyzerDelete, /stops its analysis/],
])('blocked when %s', (_name, change, reason) => {
  test('exit 1, naming the resource and why it is protected', () => {
    const { exitCode, markdown } = planReview([writePlan('destructive', [change], { deployed, planned: deployed })]);
    expect(exitCode).toBe(1);
    expect(markdown).toMatch(/## ❌ Plan review: 1 protected resource would be deleted or replaced/);
    const row = markdown.split('\n').find((l) => l.startsWith('| destructive |') && l.includes(change.address));
    expect(row).toBeDefined();
    expect(row).toMatch(reason);
    expect(row).toContain(`\`${change.type}\``);
  });

  test('also when the change removes the resource and its protection from the code: the deployed manifest still holds', () => {
    const planned = Object.fromEntries(Object.entries(deployed).filter(([address]) => address !== change.address));
    const { exitCode, markdown } = planReview([writePlan('destructive', [change], { deployed, planned })]);
    expect(exitCode).toBe(1);
    expect(markdown).toMatch(reason);
  });

  test('--allow-destroy: exit 0, still listed, with a warning', () => {
    const { exitCode, markdown } = planReview(['--allow-destroy', writePlan('destructive', [change], { deployed, planned: deployed })]);
    expect(exitCode).toBe(0);
    expect(markdown).toContain('## ⚠️ Plan review: destroying 1 protected resource is allowed (`--allow-destroy`)');
    expect(markdown).toContain('**Warning:**');
    expect(markdown).toMatch(reason);
  });
});

test('a replacement names the attributes that force it', () => {
  const { markdown } = planReview([writePlan('org-trail', [trailReplace], { deployed })]);
  expect(markdown).toContain('| replace | `aws_cloudtrail.organization-trail_trail_1` | `aws_cloudtrail` | forced by name; 🛡️ protected |');
});

test('resources no manifest protects may be deleted, a first deploy protects by the planned manifest', () => {
  const resultsBucket = 'acme-athena-results-333333333333-eu-west-1';
  const file = writePlan('analytics', [
    { address: 'aws_s3_bucket.results_bucket_1', type: 'aws_s3_bucket', actions: ['delete'], before: { bucket: resultsBucket } },
    { address: 'aws_s3_bucket_policy.results_policy_1', type: 'aws_s3_bucket_policy', actions: ['delete'], before: { bucket: resultsBucket } },
  ]);
  const { exitCode, markdown } = planReview([file]);
  expect(exitCode).toBe(0);
  expect(markdown).toMatch(/^\| analytics \| 0 \| 0 \| 0 \| 2 \|$/m);
  expect(planReview([writePlan('log-archive', [archiveBucketDelete], { planned: deployed })]).exitCode).toBe(1);
});

test('a custom state bucket is protected by its declaration, whatever its name', () => {
  const bootstrap = stackOf(synthLandingZone(exampleConfig((raw) => (raw.state = { backend: 's3', bucket: 'acme-platform-terraform' }))), 'bootstrap');
  const protection = protectionOfSynthesizedStack(bootstrap as any);
  const [address] = Object.entries(bootstrap.resource?.aws_s3_bucket ?? {}).filter(([, b]) => b.bucket === 'acme-platform-terraform').map(([name]) => `aws_s3_bucket.${name}`);
  expect(protectionOf(protection, address)).toMatch(/Terraform state bucket holds the state of every stack/);
  const file = writePlan('bootstrap', [{ address, type: 'aws_s3_bucket', actions: ['delete', 'create'], before: { bucket: 'acme-platform-terraform' } }], { deployed: protection.planned, planned: protection.planned });
  const { exitCode, markdown } = planReview([file]);
  expect(exitCode).toBe(1);
  expect(markdown).toMatch(/Terraform state bucket holds the state of every stack/);
});

test('protection a change lifts from a resource it keeps is listed for reviewers', () => {
  const planned = Object.fromEntries(Object.entries(deployed).filter(([address]) => address !== trailReplace.address));
  const { exitCode, markdown } = planReview([writePlan('org-trail', [{ ...trailReplace, actions: ['update'], replacePaths: undefined }], { deployed, planned })]);
  expect(exitCode).toBe(0);
  const lifted = markdown.split('### Protection lifted')[1].split('### Summary')[0];
  expect(lifted).toContain(`| org-trail | \`${trailReplace.address}\` | the Organization trail records every API call`);
  expect(lifted).not.toContain(kmsKeyDelete.address);
});

test('an update of a protected resource is allowed but listed for reviewers', () => {
  const file = writePlan('log-archive', [
    { address: 'aws_s3_bucket_lifecycle_configuration.archive_lifecycle_1', type: 'aws_s3_bucket_lifecycle_configuration', actions: ['update'], before: { bucket: ARCHIVE } },
    { address: 'aws_kms_key.archive-key_1', type: 'aws_kms_key', actions: ['update'], before: {} },
    { address: 'aws_sns_topic.alarms_topic_1', type: 'aws_sns_topic', actions: ['update'], before: {} },
  ], { deployed: { ...deployed, 'aws_s3_bucket_lifecycle_configuration.archive_lifecycle_1': 'the archive lifecycle never expires evidence before its retention; a replacement may not' } });
  const { exitCode, markdown } = planReview([file]);
  expect(exitCode).toBe(0);
  const watched = markdown.split('### Changes to protected resources')[1].split('### Summary')[0];
  expect(watched).toContain('`aws_s3_bucket_lifecycle_configuration.archive_lifecycle_1`');
  expect(watched).toContain('`aws_kms_key.archive-key_1`');
  expect(watched).not.toContain('aws_sns_topic');
});

test('a plan without changes says so', () => {
  const file = writePlan('analytics', [{ address: 'aws_glue_catalog_database.db', type: 'aws_glue_catalog_database', actions: ['no-op'], before: {} }]);
  const { exitCode, markdown } = planReview([file]);
  expect(exitCode).toBe(0);
  expect(markdown).toContain('## ✅ Plan review: no changes');
  expect(markdown).toMatch(/### analytics\n\nNo changes\./);
});

describe('unreadable input: exit 2 and what to do', () => {
  test('a missing file', () => {
    const { exitCode, markdown } = planReview([path.join(workDir, 'nope.json')]);
    expect(exitCode).toBe(2);
    expect(markdown).toContain(`cannot read ${path.join(workDir, 'nope.json')}: ENOENT`);
  });

  test('terraform plan output that is not JSON, and an errored plan', () => {
    const text = path.join(workDir, 'text.json');
    fs.writeFileSync(text, 'Terraform will perform the following actions:');
    const errored = path.join(workDir, 'errored.json');
    fs.writeFileSync(errored, JSON.stringify({ format_version: '1.2', errored: true }));
    const { exitCode, markdown } = planReview([text, errored, writePlan('fine', [kmsKeyDelete], { deployed })]);
    expect(exitCode).toBe(2);
    expect(markdown).toContain('2 of 3 plan files could not be read');
    expect(markdown).toContain('text.json is not JSON');
    expect(markdown).toContain('errored.json is the plan of a failed `terraform plan`');
  });

  test('no files at all', () => {
    expect(planReview(['--allow-destroy']).exitCode).toBe(2);
  });

  test('an unknown option, with the usage', () => {
    const { exitCode, markdown } = planReview(['--allow-delete', writePlan('fine', [kmsKeyDelete], { deployed })]);
    expect(exitCode).toBe(2);
    expect(markdown).toMatch(/Unknown option '--allow-delete'.*; usage: plan-review \[--allow-destroy\] PLAN\.json\.\.\./);
  });
});
