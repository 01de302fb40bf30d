/**
 * `npm run diff`: what a config or code change does, per stack and attribute, without AWS. Two
 * configurations are synthesized in-process and compared; the command itself, in a throwaway git
 * repository: integration/diff-command.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../config/loader';
import { attributeChanges, describeChanges } from '../scripts/attribute-diff';
import { DIFF_MARKER, diffSides, exitCodeOf, readSide, renderMarkdown, renderText, type LandingZoneDiff, type SynthesizedSide } from '../scripts/diff';
import { synthesize } from '../scripts/synth';
import { exampleInTwoRegions } from './helpers';
import { linesOf } from './support/diff-report';

jest.setTimeout(2 * 60 * 1000);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function side(name: string, change: (raw: Record<string, any>) => void = () => {}): SynthesizedSide {
  const outdir = path.join(work, name);
  synthesize(exampleInTwoRegions(change), { outdir, target: 'aws' });
  return readSide(outdir);
}

const render = (diff: LandingZoneDiff, allowDestroy = false) => renderText(diff, { allowDestroy, comparing: 'test' });

let base: SynthesizedSide;
beforeAll(() => {
  base = side('base');
});

describe('a changed archive retention', () => {
  let diff: LandingZoneDiff;
  beforeAll(() => {
    diff = diffSides(base, side('retention', (raw) => (raw.archive.objectLock.retentionDays = 3000)));
  });

  test('shows before → after on the Object Lock configuration of the log-archive stack, and nothing else', () => {
    const changed = diff.stacks.filter((s) => s.resources.length > 0);
    expect(changed.map((s) => s.stack)).toEqual(['log-archive']);
    const [resource] = changed[0].resources;
    expect(changed[0].resources).toHaveLength(1);
    expect(resource.address).toMatch(/^aws_s3_bucket_object_lock_configuration\.archive_object-lock_/);
    expect(resource.kind).toBe('change');
    expect(resource.attributes).toEqual([{ path: 'rule.default_retention.days', before: 2557, after: 3000 }]);
    expect(linesOf(render(diff), 'aws_s3_bucket_object_lock_configuration.')).toEqual([
      expect.stringMatching(/^ {2}~ aws_s3_bucket_object_lock_configuration\.archive_object-lock_\w+ {2}\(🛡️ protected: Object Lock keeps the evidence undeletable/),
      '      rule.default_retention.days: 2557 → 3000',
    ]);
  });

  test('exits 0: an update in place, listed among the changes to protected resources', () => {
    expect(exitCodeOf(diff, false)).toBe(0);
    const markdown = renderMarkdown(diff, { allowDestroy: false, comparing: 'test' });
    expect(markdown.startsWith(`${DIFF_MARKER}\n## ✅ Diff: 1 change,`)).toBe(true);
    expect(markdown).toMatch(/### Changes to protected resources\n\nChanged in place \(allowed\); look at each one closely\.\n\n\| stack \| action \| address \| why protected \|\n\| --- \| --- \| --- \| --- \|\n\| log-archive \| changed \| `aws_s3_bucket_object_lock_configuration\.archive_object-lock_\w+` \| Object Lock keeps/);
    expect(markdown).toContain('- `rule.default_retention.days`: `2557` → `3000`');
  });
});

test('a harmless change (the trail log group keeps 400 days) exits 0 and shows the new retention', () => {
  const diff = diffSides(base, side('harmless', (raw) => (raw.trail.cloudWatchLogsRetentionDays = 400)));
  expect(exitCodeOf(diff, false)).toBe(0);
  const trail = diff.stacks.find((s) => s.stack === 'org-trail')!;
  const logGroup = trail.resources.find((r) => r.type === 'aws_cloudwatch_log_group' && r.attributes.some((a) => a.path === 'retention_in_days'));
  // the log group is protected (its deletion blinds the alarms); changing it in place is allowed
  expect(logGroup).toMatchObject({ kind: 'change', protection: expect.stringMatching(/log group/), attributes: [{ path: 'retention_in_days', before: 365, after: 400 }] });
  expect(render(diff)).toMatch(/^✅ Diff: \d+ changes?, no protected resource deleted or replaced/m);
});

describe('a governed region removed', () => {
  // without Security Lake and the compliance layer, whose data lake and stack set instance in the
  // region are deleted with it (below), and whose recorder and analyzer would be left there too
  const withoutRegionalPieces = (raw: Record<string, any>) => {
    raw.securityLake = { enabled: false };
    raw.awsConfig = { enabled: false };
    raw.securityHub = { enabled: false };
    raw.accessAnalyzer = { enabled: false };
  };
  let before: SynthesizedSide;
  let removed: SynthesizedSide;
  beforeAll(() => {
    before = side('no-lake', withoutRegionalPieces);
    removed = side('one-region', (raw) => {
      raw.governedRegions = ['eu-west-1'];
      withoutRegionalPieces(raw);
    });
  });

  test('reports the vanished stack loudly with the protected resources it leaves in AWS, and exits 1', () => {
    const diff = diffSides(before, removed);
    const vanished = diff.stacks.find((s) => s.stack === 'guardduty-us-east-1');
    expect(vanished).toMatchObject({ status: 'vanished', retired: false });
    expect(exitCodeOf(diff, false)).toBe(1);
    const text = render(diff);
    expect(text).toMatch(/^❌ Diff: 1 stack disappears \(not in retiredStacks\)/m);
    expect(text).toContain('STACK DISAPPEARS: guardduty-us-east-1, and it is not listed in retiredStacks');
    expect(text).toMatch(/Its \d+ resources stay in AWS, managed by no stack; \d+ of them protected:\n(?: {4}.*\n)* {4}aws_guardduty_detector\.guardduty_administrator-detector_\w+: deleting a detector stops GuardDuty/);
    const markdown = renderMarkdown(diff, { allowDestroy: false, comparing: 'test' });
    expect(markdown).toMatch(/\| \*\*guardduty-us-east-1\*\* \| ❌ no \| \d+ \| [^|]*`aws_guardduty_detector\./);
    // the stacks that stay show what the region's removal changes there: the archive stops trusting its detectors
    expect(linesOf(text, 'aws_s3_bucket_policy.archive_policy_')).toContain('      policy.Statement[Sid=GuardDutyExportsFindings].Condition.ArnLike["aws:SourceArn"]: − "arn:aws:guardduty:us-east-1:333333333333:detector/*"');
  });

  test('listed in retiredStacks: still reported, as retired, and exits 0', () => {
    const diff = diffSides(before, removed, ['guardduty-us-east-1']);
    expect(exitCodeOf(diff, false)).toBe(0);
    expect(render(diff)).toContain('STACK RETIRED: guardduty-us-east-1 (listed in retiredStacks)');
    expect(renderMarkdown(diff, { allowDestroy: false, comparing: 'test' })).toMatch(/\| \*\*guardduty-us-east-1\*\* \| yes \(retiredStacks\) \|/);
  });

  test('--allow-destroy: exits 0 under a warning', () => {
    const diff = diffSides(before, removed);
    expect(exitCodeOf(diff, true)).toBe(0);
    expect(render(diff, true)).toMatch(/^⚠️ Diff: 1 stack disappears \(not in retiredStacks\); allowed \(--allow-destroy\)/m);
  });

  test('with Security Lake and AWS Config on, the region\'s data lake and stack set instance are deleted too: blocked even when the stack is retired', () => {
    const diff = diffSides(base, side('one-region-lake', (raw) => (raw.governedRegions = ['eu-west-1'])), ['guardduty-us-east-1']);
    expect(exitCodeOf(diff, false)).toBe(1);
    expect(render(diff)).toMatch(/^❌ Diff: 2 protected resources would be deleted or replaced$/m);
    expect(render(diff)).toMatch(/^ {2}- aws_securitylake_data_lake\.security-lake_data-lake-us-east-1_\w+ {2}\(🛡️ protected: deleting a data lake/m);
    expect(render(diff)).toMatch(/^ {2}- aws_cloudformation_stack_set_instance\.config-stack-set_instances-us-east-1_\w+ {2}\(🛡️ protected: deleting a stack set instance deletes the Config recorder of every member account in its region\)/m);
  });

  test('a retirement the config still synthesizes is reported as stale', () => {
    expect(diffSides(base, base, ['guardduty-us-east-1']).staleRetirements).toEqual(['guardduty-us-east-1']);
  });
});

test('Security Lake switched off: the security-lake stack disappears, exit 1', () => {
  const diff = diffSides(base, side('no-lake', (raw) => (raw.securityLake = { enabled: false })));
  expect(diff.stacks.filter((s) => s.status === 'vanished').map((s) => s.stack)).toEqual(['security-lake']);
  expect(exitCodeOf(diff, false)).toBe(1);
});

test('a new prefix replaces the archive bucket (its name forces a new bucket): exit 1, naming the attribute', () => {
  const diff = diffSides(base, side('prefix', (raw) => (raw.prefix = 'acme2')));
  expect(exitCodeOf(diff, false)).toBe(1);
  const archive = diff.stacks.find((s) => s.stack === 'log-archive')!.resources.find((r) => /^aws_s3_bucket\.archive_bucket_/.test(r.address))!;
  expect(archive).toMatchObject({ kind: 'replace', replacedBecause: ['bucket'] });
  expect(archive.protection).toMatch(/Log Archive bucket holds the organization's evidence/);
  // the policy names its bucket by reference; the reference is read as the name it stands for
  const policy = diff.stacks.find((s) => s.stack === 'log-archive')!.resources.find((r) => /^aws_s3_bucket_policy\.archive_policy_/.test(r.address))!;
  expect(policy).toMatchObject({ kind: 'replace', replacedBecause: ['bucket'] });
  expect(policy.attributes).toContainEqual({ path: 'bucket', before: 'acme-log-archive-222222222222-eu-west-1', after: 'acme2-log-archive-222222222222-eu-west-1' });
  expect(renderMarkdown(diff, { allowDestroy: false, comparing: 'test' })).toMatch(/### Protected resources deleted or replaced\n\n\| stack \| action \| address \| why protected \|\n\| --- \| --- \| --- \| --- \|\n(\| .*\n)*\| log-archive \| replaced \(forced by bucket\) \| `aws_s3_bucket\.archive_bucket_\w+` \|/);
});

describe('changed attributes', () => {
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const deny = { Sid: 'DenyDelete', Effect: 'Deny', Principal: '*', Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'], Resource: 'arn:aws:s3:::b/*' };

  test('a policy whose keys are reordered is unchanged', () => {
    const reordered = JSON.stringify({ Statement: [{ Resource: deny.Resource, Action: deny.Action, Principal: '*', Effect: 'Deny', Sid: 'DenyDelete' }], Version: '2012-10-17' });
    expect(attributeChanges({ policy: policy([deny]) }, { policy: reordered })).toEqual([]);
  });

  test('statements are matched by Sid: one inserted in front is one change, the rest stay unchanged', () => {
    const allow = { Sid: 'AllowRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    const changes = attributeChanges({ policy: policy([deny]) }, { policy: policy([allow, { ...deny, Action: ['s3:DeleteObject'] }]) });
    expect(describeChanges(changes)).toEqual([
      'policy.Statement[Sid=DenyDelete].Action: ["s3:DeleteObject","s3:DeleteObjectVersion"] → ["s3:DeleteObject"]',
      'policy.Statement[Sid=AllowRead]: (none) → {"Sid":"AllowRead","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::33333333333… (143 chars)',
    ]);
  });

  test('long values are cut around their first difference, with their length', () => {
    const long = (tail: string) => `${'a'.repeat(200)}${tail}${'z'.repeat(100)}`;
    const [line] = describeChanges(attributeChanges({ code: long('OLD') }, { code: long('NEW') }));
    expect(line).toBe(`code: …${'a'.repeat(24)}OLD${'z'.repeat(53)}… (305 chars) → …${'a'.repeat(24)}NEW${'z'.repeat(53)}… (305 chars)`);
  });

  test('long lists of plain values show the members removed and added', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-central-1', 'eu-west-1'];
    const changes = attributeChanges({ regions }, { regions: [...regions.filter((r) => r !== 'sa-east-1'), 'eu-north-1'] });
    expect(describeChanges(changes)).toEqual(['regions: − "sa-east-1", + "eu-north-1"']);
  });

  test('sensitive and unknown values are never printed', () => {
    const changes = attributeChanges(
      { secret: 'old-secret', arn: 'arn:old', same: 'x' },
      { secret: 'new-secret', same: 'x' },
      { beforeSensitive: { secret: true }, afterSensitive: { secret: true }, afterUnknown: { arn: true } },
    );
    expect(describeChanges(changes)).toEqual(['arn: "arn:old" → (known after apply)', 'secret: (sensitive) → (sensitive)']);
  });
});

describe('retiredStacks in the config', () => {
  function problems(retiredStacks: string[], change: (raw: Record<string, any>) => void = () => {}): string[] {
    try {
      exampleInTwoRegions((raw) => {
        raw.retiredStacks = retiredStacks;
        change(raw);
      });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
      throw error;
    }
  }

  test('accepts the stack of a region no longer governed, and security-lake once it is off', () => {
    expect(problems(['guardduty-eu-north-1', 'security-lake'], (raw) => (raw.securityLake = { enabled: false }))).toEqual([]);
  });

  test('refuses stacks the config still synthesizes, naming what keeps them', () => {
    expect(problems(['guardduty-us-east-1', 'security-lake', 'log-archive', 'guardduty-eu-north-1', 'guardduty-eu-north-1'])).toEqual([
      'retiredStacks[0]: guardduty-us-east-1 is still synthesized: us-east-1 is still in governedRegions; remove the region there first, or remove this entry',
      'retiredStacks[1]: security-lake is still synthesized: securityLake.enabled is true; set it to false first, or remove this entry',
      'retiredStacks[2]: log-archive is still synthesized: every landing zone has this stack; it cannot be retired',
      'retiredStacks[4]: guardduty-eu-north-1 is listed twice; list each stack once',
    ]);
  });
});
