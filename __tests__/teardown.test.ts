/**
 * A trial organization can be removed; a production one cannot: one decision, from the config's
 * profile, reaches every resource that carries prevent_destroy or empties a bucket on destroy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../config/loader';
import { exampleConfig, type SynthesizedJson, synthLandingZone } from './helpers';

interface Found {
  readonly stack: string;
  readonly type: string;
  readonly resource: Record<string, any>;
}

function everyResource(stacks: Map<string, SynthesizedJson>): Found[] {
  return [...stacks].flatMap(([stack, json]) =>
    Object.entries(json.resource ?? {}).flatMap(([type, byId]) => Object.values(byId).map((resource) => ({ stack, type, resource }))),
  );
}

const protectedOf = (all: Found[]) => all.filter((f) => f.resource.lifecycle?.prevent_destroy === true);
const describeOf = (f: Found) => `${f.stack} ${f.type} ${f.resource.bucket ?? f.resource.description ?? f.resource.name ?? ''}`.trim();

/** The trial config of docs/teardown.md, applied over the example. */
const teardownDoc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'teardown.md'), 'utf8');
const trialOverrides = parse(/```yaml\n([\s\S]*?)```/.exec(teardownDoc)![1]) as Record<string, any>;
const trialConfig = () => exampleConfig((raw) => {
  for (const [key, value] of Object.entries(trialOverrides)) raw[key] = typeof value === 'object' && !Array.isArray(value) ? { ...raw[key], ...value } : value;
});

describe('a production organization', () => {
  const all = everyResource(synthLandingZone());

  test('protects every resource that holds evidence from Terraform destroys', () => {
    const protectedTypes = new Set(protectedOf(all).map((f) => `${f.stack} ${f.type}`));
    for (const expected of [
      'bootstrap aws_kms_key', 'bootstrap aws_s3_bucket',
      'log-archive aws_kms_key', 'log-archive aws_s3_bucket', 'log-archive aws_s3_bucket_object_lock_configuration',
      'org-trail aws_kms_key', 'org-trail aws_cloudtrail',
      'guardduty-eu-west-1 aws_guardduty_detector', 'guardduty-us-east-1 aws_guardduty_detector',
    ]) expect(protectedTypes).toContain(expected);
    expect(protectedOf(all).map(describeOf)).toContain('log-archive aws_s3_bucket acme-log-archive-222222222222-eu-west-1');
    expect(protectedOf(all).map(describeOf)).toContain('bootstrap aws_s3_bucket acme-tfstate-111111111111-eu-west-1');
  });

  test('never empties a bucket or a workgroup on destroy', () => {
    expect(all.filter((f) => f.resource.force_destroy).map(describeOf)).toEqual([]);
  });

  test('refuses a config that asks to lift prevent_destroy', () => {
    expect(() => exampleConfig((raw) => (raw.preventDestroy = false))).toThrow(ConfigError);
    expect(() => exampleConfig((raw) => (raw.preventDestroy = false))).toThrow(/preventDestroy: false is allowed only with profile: test/);
    try {
      exampleConfig((raw) => (raw.preventDestroy = false));
    } catch (error) {
      const [problem] = (error as ConfigError).problems;
      expect(teardownDoc).toContain(`${problem.path}: ${problem.message}`);
    }
  });
});

describe('a test organization', () => {
  const config = trialConfig();
  const all = everyResource(synthLandingZone(config));

  test('is what docs/teardown.md configures: profile test, GOVERNANCE for a day', () => {
    expect(config.profile).toBe('test');
    expect(config.archive.objectLock).toEqual({ mode: 'GOVERNANCE', retentionDays: 1 });
    expect(config.preventDestroy).toBeUndefined();
  });

  test('has no prevent_destroy anywhere', () => {
    expect(protectedOf(all).map(describeOf)).toEqual([]);
    expect(all.filter((f) => f.resource.lifecycle && 'prevent_destroy' in f.resource.lifecycle).length).toBeGreaterThan(0);
  });

  test('empties every bucket and workgroup when destroyed', () => {
    const emptiable = all.filter((f) => f.type === 'aws_s3_bucket' || f.type === 'aws_athena_workgroup');
    expect(emptiable.length).toBeGreaterThanOrEqual(6);
    for (const f of emptiable) expect({ resource: describeOf(f), force_destroy: f.resource.force_destroy }).toEqual({ resource: describeOf(f), force_destroy: true });
  });

  test('with preventDestroy: true it is protected like production', () => {
    const guarded = everyResource(synthLandingZone(exampleConfig((raw) => {
      raw.profile = 'test';
      raw.preventDestroy = true;
    })));
    expect(protectedOf(guarded).length).toBe(protectedOf(everyResource(synthLandingZone())).length);
    expect(guarded.filter((f) => f.resource.force_destroy)).toEqual([]);
  });
});
