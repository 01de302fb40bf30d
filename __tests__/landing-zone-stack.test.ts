import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Lazy, Testing, Tokenization } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { LandingZoneStack, landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { synthesize } from '../scripts/synth';
import { ALL_FEATURES_CONFIG_PATH, loadConfig } from '../config/loader';
import { buildLandingZone } from '../stacks/landing-zone';
import { buildStackAlone, exampleConfig, exampleInTwoRegions, onlyResource, stackOf, type SynthesizedJson, synthLandingZone, synthStack, TEST_STATE_DIRECTORY, testApp } from './helpers';

const config = exampleConfig();
const stacks = synthLandingZone(config);
/** What the targets change is the same in every region: two are enough. */
const twoRegions = exampleInTwoRegions();
const offlineStacks = synthLandingZone(twoRegions, 'offline');

describe('providers', () => {
  test('every stack has one provider per account and region, each assuming the deployment role and refusing other accounts', () => {
    const logArchive = stackOf(stacks, 'log-archive').provider?.aws ?? [];
    expect(logArchive).toEqual([
      expect.objectContaining({
        alias: 'log_archive_eu_west_1',
        region: 'eu-west-1',
        allowed_account_ids: ['222222222222'],
        assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/landing-zone/audit-landing-zone-deployer', session_name: 'audit-landing-zone' }],
      }),
    ]);
    const management = stackOf(stacks, 'org-trail').provider?.aws.find((p) => p.alias === 'management_eu_west_1');
    expect(management.assume_role).toEqual([{ role_arn: 'arn:aws:iam::111111111111:role/landing-zone/audit-landing-zone-deployer', session_name: 'audit-landing-zone' }]);
    expect(management.allowed_account_ids).toEqual(['111111111111']);
  });

  test('every stack but bootstrap assumes the deployment role in every account, and nothing else', () => {
    for (const [id, json] of stacks) {
      if (id === 'bootstrap') continue;
      for (const provider of json.provider?.aws ?? []) {
        expect(provider.assume_role).toEqual([{ role_arn: `arn:aws:iam::${provider.allowed_account_ids[0]}:role/landing-zone/audit-landing-zone-deployer`, session_name: 'audit-landing-zone' }]);
      }
    }
  });

  test('bootstrap reaches the other accounts through the organization access role once, then through the deployment roles', () => {
    const roles = (json: SynthesizedJson) => Object.fromEntries((json.provider?.aws ?? []).map((p) => [p.alias, p.assume_role?.[0]?.role_arn]));
    expect(roles(stackOf(stacks, 'bootstrap'))).toEqual({
      management_eu_west_1: undefined,
      log_archive_eu_west_1: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
      audit_eu_west_1: 'arn:aws:iam::333333333333:role/OrganizationAccountAccessRole',
    });
    const later = synthStack('bootstrap', exampleConfig((raw) => (raw.deployment.bootstrapped = true)));
    expect(roles(later)).toEqual({
      management_eu_west_1: 'arn:aws:iam::111111111111:role/landing-zone/audit-landing-zone-deployer',
      log_archive_eu_west_1: 'arn:aws:iam::222222222222:role/landing-zone/audit-landing-zone-deployer',
      audit_eu_west_1: 'arn:aws:iam::333333333333:role/landing-zone/audit-landing-zone-deployer',
    });
  });

  test('with the plan target, every provider and the state assume the read-only plan roles', () => {
    const planned = synthLandingZone(twoRegions, 'plan');
    for (const [id, json] of planned) {
      for (const provider of json.provider?.aws ?? []) {
        expect({ id, role: provider.assume_role[0].role_arn }).toEqual({ id, role: `arn:aws:iam::${provider.allowed_account_ids[0]}:role/landing-zone/audit-landing-zone-planner` });
      }
      if (id !== 'bootstrap') expect(json.terraform?.backend?.s3.assume_role).toEqual({ role_arn: 'arn:aws:iam::111111111111:role/landing-zone/audit-landing-zone-planner' });
    }
  });

  test('put the configured tags, the stack and the tool on every resource', () => {
    for (const [id, json] of stacks) {
      for (const provider of json.provider?.aws ?? []) {
        expect(provider.default_tags).toEqual([{ tags: { owner: 'platform-security', 'cost-center': '4711', 'managed-by': 'audit-landing-zone', 'landing-zone-stack': id } }]);
      }
    }
  });

  test('offline, use fake credentials, assume no role and call no AWS API before plan', () => {
    for (const json of offlineStacks.values()) {
      for (const provider of json.provider?.aws ?? []) {
        expect(provider).toMatchObject({ access_key: 'offline', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true' });
        expect(provider.assume_role).toBeUndefined();
      }
    }
  });

  test('a resource that names no provider fails synth', () => {
    const stack = new LandingZoneStack(testApp(), 'careless', landingZoneContext(config, 'aws', '/tmp/state'));
    stack.provider('audit');
    new S3Bucket(stack, 'bucket-without-provider', { bucket: 'some-bucket' });
    expect(() => Testing.synth(stack)).toThrow(/careless\/bucket-without-provider names no provider/);
  });
});

describe('state', () => {
  test('with the s3 backend, each stack keeps its own locked state in the bootstrap bucket, encrypted with the state key', () => {
    // without kms_key_id, encrypt: true writes SSE-S3: the key the bootstrap stack makes would go unused
    const stateKeyAlias = onlyResource(stackOf(stacks, 'bootstrap'), 'aws_kms_alias').name;
    expect(stateKeyAlias).toBe('alias/acme-terraform-state');
    for (const [id, json] of stacks) {
      if (id === 'bootstrap') continue;
      expect(json.terraform?.backend).toEqual({
        s3: {
          bucket: 'acme-tfstate-111111111111-eu-west-1',
          key: `${id}/terraform.tfstate`,
          region: 'eu-west-1',
          encrypt: true,
          kms_key_id: `arn:aws:kms:eu-west-1:111111111111:${stateKeyAlias}`,
          use_lockfile: true,
          assume_role: { role_arn: 'arn:aws:iam::111111111111:role/landing-zone/audit-landing-zone-deployer' },
        },
      });
    }
  });

  test('the bootstrap stack, which creates the bucket, keeps its state locally', () => {
    expect(stackOf(stacks, 'bootstrap').terraform?.backend).toEqual({ local: { path: '/tmp/landing-zone-test-state/bootstrap.tfstate' } });
  });

  test('with the local backend, every stack keeps a local state file', () => {
    const local = synthStack('log-archive', exampleConfig((raw) => (raw.state = { backend: 'local' })));
    expect(local.terraform?.backend).toEqual({ local: { path: '/tmp/landing-zone-test-state/log-archive.tfstate' } });
  });

  test('the trail reads the archive key from the log-archive state, with a placeholder only offline', () => {
    const read = stackOf(stacks, 'org-trail').data?.terraform_remote_state?.['state-of-log-archive'];
    expect(read).toMatchObject({ backend: 's3', config: { key: 'log-archive/terraform.tfstate' } });
    expect(read.defaults).toBeUndefined();
    const offline = stackOf(offlineStacks, 'org-trail').data?.terraform_remote_state?.['state-of-log-archive'];
    expect(offline.defaults).toEqual({ archive_key_arn: expect.stringMatching(/^arn:aws:kms:eu-west-1:222222222222:key\//) });
  });
});

describe('a stack built on its own (synthStack in the tests)', () => {
  test.each([
    ['the example', config],
    ['the all-features example', loadConfig(ALL_FEATURES_CONFIG_PATH)],
  ])('%s: each stack synthesizes as in the whole landing zone', (_label, variant) => {
    const context = landingZoneContext(variant, 'aws', TEST_STATE_DIRECTORY);
    const whole = buildLandingZone(testApp(), context);
    // of each family of per-region stacks (the same code), the home region's and one other
    const sampled = [variant.homeRegion, variant.governedRegions.find((r) => r !== variant.homeRegion)];
    const skipped = (id: string) => variant.governedRegions.some((r) => id.endsWith(`-${r}`) && !sampled.includes(r));
    const notAlone: string[] = [];
    for (const stack of whole.filter((s) => !skipped(s.node.id))) {
      const alone = buildStackAlone(testApp(), context, stack.node.id);
      if (!alone) notAlone.push(stack.node.id);
      else expect({ id: stack.node.id, json: JSON.parse(Testing.synth(alone)) }).toEqual({ id: stack.node.id, json: JSON.parse(Testing.synth(stack)) });
    }
    expect(notAlone).toEqual(['observability']);
  });
});

describe('a stack that reads another stack\'s state depends on it', () => {
  test.each([
    // each region's stacks read the same states: two regions stand for all of them
    ['the example', twoRegions],
    ['GuardDuty without export, Security Lake off', exampleInTwoRegions((raw) => {
      raw.guardduty = { ...raw.guardduty, exportFindings: false };
      raw.securityLake = { ...raw.securityLake, enabled: false };
    })],
  ])('%s: every terraform_remote_state has its dependency in the manifest', (_label, config) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-deps-'));
    try {
      const stacks = synthesize(config, { outdir, target: 'aws' });
      const reads = stacks.flatMap((stack) => {
        const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as SynthesizedJson;
        return Object.keys(json.data?.terraform_remote_state ?? {}).map((id) => ({ stack, reads: id.replace(/^state-of-/, '') }));
      });
      expect(reads.length).toBeGreaterThan(0);
      for (const { stack, reads: producer } of reads) {
        expect({ stack: stack.id, dependsOn: stack.dependencies.includes(producer) }).toEqual({ stack: stack.id, dependsOn: true });
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('token traces (skipTokenTraces, installed for every test file as for the commands)', () => {
  test('a token keeps no creation stack, while an error keeps its trace, mapped to the TypeScript source', () => {
    const token = Lazy.stringValue({ produce: () => 'x' });
    expect((Tokenization.reverseString(token).firstToken as unknown as { creationStack: string[] }).creationStack).toEqual([]);
    const error = new Error('boom');
    expect(error.stack).toMatch(/^Error: boom\n {4}at .*landing-zone-stack\.test\.ts:\d+:\d+/);
  });
});
