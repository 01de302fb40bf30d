/**
 * The pure parts of the moto rehearsal (the rehearsal itself is `npm run rehearse`): what is left
 * out for the emulator and why, the config it rehearses, and what counts as "no changes".
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { EMULATOR_LIMITS, excludedStacks, freePort, removeExcludedResources } from '../scripts/moto';
import { outputFolder, rehearsalConfig, untoleratedChanges } from '../scripts/rehearse';
import { inDependencyOrder } from '../scripts/stack-graph';
import { synthesize } from '../scripts/synth';
import { emulatedOrganization, exampleConfig, exampleRaw } from './helpers';

jest.setTimeout(5 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-test-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const organization = emulatedOrganization();

describe('the rehearsed config', () => {
  const config = rehearsalConfig(exampleRaw(), organization, '/tmp/rehearsal-state');

  test('uses the emulated organization everywhere the example named its own', () => {
    expect(config.organization).toMatchObject({ id: 'o-emulated01', rootId: 'r-emu1' });
    expect(config.accounts.management.id).toBe('123456789012');
    expect(config.accounts.logArchive.id).toBe(organization.accounts['acme-log-archive']);
    expect(config.guardrails.targets).toEqual(['r-emu1']);
    expect(config.archive.readers).toEqual([`arn:aws:iam::${organization.accounts['acme-audit']}:role/acme-incident-responder`]);
    expect(JSON.stringify(config)).not.toMatch(/111111111111|222222222222|333333333333|o-acme12ab34|r-ac1e/);
  });

  test('is narrowed to two governed regions, the home region first, with local state', () => {
    expect(config.governedRegions).toEqual(['eu-west-1', 'us-east-1']);
    expect(config.state).toEqual({ backend: 'local', directory: '/tmp/rehearsal-state' });
  });

  test('turns off what moto cannot hold', () => {
    expect(config.securityLake.enabled).toBe(false);
  });
});

test('a stack matched by a limit is left out, and so is every stack that depends on it', () => {
  const stacks = synthesize(exampleConfig(), { outdir: path.join(workDir, 'full'), target: 'emulator' });
  const withDependent = [...stacks, { id: 'lake-reports', dir: '', dependencies: ['security-lake'] }];
  const excluded = excludedStacks(withDependent);
  expect([...excluded.keys()].sort()).toEqual(['compliance', 'lake-reports', 'security-lake']);
  expect(excluded.get('lake-reports')).toBe('depends on security-lake, which is left out');
  expect(excluded.get('security-lake')).toMatch(/no Security Lake API/);
});

describe('resources left out of the synthesized stacks', () => {
  const config = rehearsalConfig(exampleRaw(), organization, path.join(workDir, 'state'));
  const outdir = path.join(workDir, 'emulator');
  const stacks = synthesize(config, { outdir, target: 'emulator', localStateDirectory: path.join(workDir, 'state') });
  const excludedTypes = EMULATOR_LIMITS.flatMap((l) => (l.kind === 'resource-type' ? [l.type] : []));
  const rewritten = new Map(
    stacks.map((stack) => {
      const file = path.join(stack.dir, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8'));
      const removed = removeExcludedResources(json);
      fs.writeFileSync(file, JSON.stringify(json));
      return [stack.id, { json, removed }];
    }),
  );

  test('none of an excluded type remains, nothing refers to one, and each removal says why', () => {
    for (const { json, removed } of rewritten.values()) {
      for (const type of excludedTypes) {
        expect(json.resource?.[type]).toBeUndefined();
        expect(JSON.stringify(json)).not.toContain(`${type}.`);
      }
      for (const r of removed) expect(r.reason.length).toBeGreaterThan(10);
    }
  });

  test('the Organization trail and the archive access logging are rehearsed', () => {
    expect(Object.keys(rewritten.get('org-trail')!.json.resource.aws_cloudtrail ?? {})).toHaveLength(1);
    expect(Object.keys(rewritten.get('log-archive')!.json.resource.aws_s3_bucket_logging ?? {})).toEqual(expect.arrayContaining([expect.stringMatching(/^archive_access-logging_/)]));
  });

  test('the GuardDuty detectors and the delegated administrator stay; the organization configuration goes', () => {
    const guardduty = rewritten.get('guardduty-us-east-1')!;
    const removedTypes = new Set(guardduty.removed.map((r) => r.address.split('.')[0]));
    expect(removedTypes).toContain('aws_guardduty_organization_configuration');
    expect(removedTypes).not.toContain('aws_guardduty_detector');
    expect(removedTypes).not.toContain('aws_guardduty_organization_admin_account');
    expect(Object.keys(guardduty.json.resource.aws_guardduty_detector ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(guardduty.json.resource.aws_guardduty_organization_admin_account ?? {})).toHaveLength(1);
  });
});

describe('a second plan right after apply', () => {
  const plan = (changes: Array<{ type: string; actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> }>) => ({
    format_version: '1.2',
    resource_changes: changes.map((c, i) => ({ address: `${c.type}.r${i}`, type: c.type, change: c })),
  });

  test('may only show the drift moto is known for', () => {
    expect(untoleratedChanges(plan([
      { type: 'aws_kms_key', actions: ['update'], before: { rotation_period_in_days: 0, description: 'k' }, after: { rotation_period_in_days: 365, description: 'k' } },
      { type: 'aws_s3_bucket', actions: ['no-op'], before: {}, after: {} },
    ]))).toEqual([]);
  });

  test('tolerates JSON the emulator writes differently only while it says the same', () => {
    const redrive = (text: string) => ({ type: 'aws_sqs_queue', actions: ['update'], before: { redrive_policy: text }, after: { redrive_policy: '{"deadLetterTargetArn":"arn:q","maxReceiveCount":3}' } });
    expect(untoleratedChanges(plan([redrive('{"deadLetterTargetArn": "arn:q", "maxReceiveCount": 3}')]))).toEqual([]);
    expect(untoleratedChanges(plan([redrive('{"deadLetterTargetArn": "arn:q", "maxReceiveCount": 5}')]))).toEqual(['aws_sqs_queue.r0: update of redrive_policy']);
  });

  test('fails on any other update and on anything created, replaced or deleted', () => {
    expect(untoleratedChanges(plan([
      { type: 'aws_kms_key', actions: ['update'], before: { rotation_period_in_days: 0, description: 'a' }, after: { rotation_period_in_days: 365, description: 'b' } },
      { type: 'aws_s3_bucket_policy', actions: ['delete', 'create'], before: {}, after: {} },
      { type: 'aws_guardduty_detector', actions: ['create'], before: {}, after: {} },
    ]))).toEqual(['aws_kms_key.r0: update of description', 'aws_s3_bucket_policy.r1: delete,create', 'aws_guardduty_detector.r2: create']);
  });
});

test('stacks start only after their dependencies, at most two at a time', async () => {
  const events: string[] = [];
  let running = 0;
  let most = 0;
  const stacks = [
    { id: 'a', dependencies: [] },
    { id: 'b', dependencies: [] },
    { id: 'c', dependencies: ['a'] },
    { id: 'd', dependencies: ['a', 'b'] },
    { id: 'e', dependencies: ['c'] },
  ];
  await inDependencyOrder(stacks, 2, async (s) => {
    running++;
    most = Math.max(most, running);
    events.push(`start ${s.id}`);
    await new Promise((r) => setTimeout(r, s.id === 'b' ? 30 : 5));
    events.push(`end ${s.id}`);
    running--;
  });
  expect(most).toBe(2);
  for (const s of stacks) {
    for (const d of s.dependencies) expect(events.indexOf(`end ${d}`)).toBeLessThan(events.indexOf(`start ${s.id}`));
  }
  expect(events.filter((e) => e.startsWith('end'))).toHaveLength(5);
});

test('a failing stack stops the rest and the failure is reported', async () => {
  const started: string[] = [];
  await expect(
    inDependencyOrder([{ id: 'a', dependencies: [] }, { id: 'b', dependencies: ['a'] }], 2, async (s) => {
      started.push(s.id);
      throw new Error(`${s.id} failed`);
    }),
  ).rejects.toThrow('a failed');
  expect(started).toEqual(['a']);
});

test('the picked port is free to listen on', async () => {
  const port = await freePort();
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  server.close();
});

test('the output folder is the one argument, or a new temporary folder; anything else is refused with the usage', () => {
  const given = fs.mkdtempSync(path.join(os.tmpdir(), 'rehearse-output-'));
  try {
    expect(outputFolder([path.join(given, 'out')], 'rehearse', 'unused-')).toBe(path.join(given, 'out'));
    expect(fs.statSync(path.join(given, 'out')).isDirectory()).toBe(true);
    const made = outputFolder([], 'scan', 'landing-zone-scan-');
    expect(path.basename(made)).toMatch(/^landing-zone-scan-/);
    fs.rmSync(made, { recursive: true });
    expect(() => outputFolder(['--keep'], 'rehearse', 'unused-')).toThrow(/Unknown option '--keep'.*; usage: npm run rehearse \[-- OUTPUT_FOLDER\]/);
    expect(() => outputFolder(['a', 'b'], 'scan', 'unused-')).toThrow(/one output folder at most; usage: npm run scan/);
  } finally {
    fs.rmSync(given, { recursive: true, force: true });
  }
});
