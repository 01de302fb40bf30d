/**
 * Protection is declared where resources are made and published by every stack: every resource
 * Terraform may not destroy, and every resource whose deletion switches off a control, is in its
 * stack's manifest with a reason; nothing else is.
 */
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { PROTECTION_OUTPUT, protect, protectedResourcesOf } from '../modules/core/protection';
import { protectionOfSynthesizedStack } from '../scripts/protected-resources';
import { ALL_FEATURES_CONFIG_PATH, loadConfig } from '../config/loader';
import { exampleConfig, exampleInTwoRegions, synthLandingZone, type SynthesizedJson, testApp } from './helpers';

/** Resource types of which every instance switches a control off when it is deleted. */
const CONTROL_TYPES = [
  'aws_cloudtrail',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_event_rule',
  'aws_sns_topic',
  'aws_guardduty_detector',
  'aws_guardduty_detector_feature',
  'aws_guardduty_organization_admin_account',
  'aws_guardduty_organization_configuration',
  'aws_guardduty_organization_configuration_feature',
  'aws_guardduty_publishing_destination',
  'aws_securitylake_data_lake',
  'aws_securitylake_aws_log_source',
  'aws_organizations_policy',
  'aws_organizations_policy_attachment',
  'aws_organizations_delegated_administrator',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_replication_configuration',
  'aws_config_configuration_recorder',
  'aws_config_configuration_recorder_status',
  'aws_config_delivery_channel',
  'aws_config_configuration_aggregator',
  'aws_cloudformation_stack_set',
  'aws_cloudformation_stack_set_instance',
  'aws_securityhub_account',
  'aws_securityhub_organization_admin_account',
  'aws_securityhub_organization_configuration',
  'aws_securityhub_configuration_policy',
  'aws_securityhub_configuration_policy_association',
  'aws_securityhub_finding_aggregator',
  'aws_accessanalyzer_analyzer',
];

/** Buckets of evidence and state: the bucket and everything that guards it is protected. */
const GUARDED_BUCKETS = ['acme-log-archive-222222222222-eu-west-1', 'acme-access-logs-222222222222-eu-west-1', 'acme-config-222222222222-eu-west-1', 'acme-tfstate-111111111111-eu-west-1'];
const BUCKET_GUARDS = ['aws_s3_bucket_policy', 'aws_s3_bucket_versioning', 'aws_s3_bucket_lifecycle_configuration'];

function addresses(json: SynthesizedJson): Array<{ address: string; type: string; block: Record<string, any> }> {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, block]) => ({ address: `${type}.${name}`, type, block })));
}

describe.each([
  ['the example', exampleConfig()],
  ['the all-features example', loadConfig(ALL_FEATURES_CONFIG_PATH)],
  ['a rollup region for Security Lake and a custom state bucket', exampleInTwoRegions((raw) => {
    raw.securityLake = { rollupRegion: 'eu-west-1' };
    raw.state = { backend: 's3', bucket: 'acme-platform-terraform' };
  })],
])('%s', (_label, config) => {
  const stacks = synthLandingZone(config);
  const guardedBuckets = config.state.backend === 's3' && config.state.bucket ? [...GUARDED_BUCKETS.slice(0, 3), config.state.bucket] : GUARDED_BUCKETS;

  test('every stack publishes its manifest, naming only resources it has, each with a reason', () => {
    for (const [id, json] of stacks) {
      expect(json.output?.[PROTECTION_OUTPUT]).toBeDefined();
      const { planned } = protectionOfSynthesizedStack(json as any);
      const own = new Set(addresses(json).map((a) => a.address));
      for (const [address, reason] of Object.entries(planned)) {
        expect({ id, address, known: own.has(address) }).toEqual({ id, address, known: true });
        expect(reason.length).toBeGreaterThan(20);
      }
    }
  });

  test('every resource Terraform may not destroy is protected', () => {
    let count = 0;
    for (const [id, json] of stacks) {
      const { planned } = protectionOfSynthesizedStack(json as any);
      for (const { address } of addresses(json).filter((a) => a.block.lifecycle?.prevent_destroy)) {
        count++;
        expect({ id, address, protectedBecause: planned[address] }).toEqual({ id, address, protectedBecause: expect.any(String) });
      }
    }
    expect(count).toBeGreaterThanOrEqual(8);
  });

  test('every resource that switches off a control when deleted is protected', () => {
    const seen = new Set<string>();
    for (const [id, json] of stacks) {
      const { planned } = protectionOfSynthesizedStack(json as any);
      for (const { address, type } of addresses(json).filter((a) => CONTROL_TYPES.includes(a.type))) {
        seen.add(type);
        expect({ id, address, protectedBecause: planned[address] }).toEqual({ id, address, protectedBecause: expect.any(String) });
      }
    }
    expect([...seen].sort()).toEqual([...CONTROL_TYPES].sort());
  });

  test('the archive, access-log, Config and state buckets are protected with their policies, versioning and lifecycles', () => {
    for (const [id, json] of stacks) {
      const { planned } = protectionOfSynthesizedStack(json as any);
      const all = addresses(json);
      for (const bucket of all.filter((a) => a.type === 'aws_s3_bucket' && guardedBuckets.includes(a.block.bucket))) {
        expect({ id, address: bucket.address, protectedBecause: planned[bucket.address] }).toEqual({ id, address: bucket.address, protectedBecause: expect.any(String) });
        const ref = `\${${bucket.address}.id}`;
        const guards = all.filter((a) => BUCKET_GUARDS.includes(a.type) && a.block.bucket === ref);
        expect(guards.map((g) => g.type).sort()).toEqual([...BUCKET_GUARDS].sort());
        for (const g of guards) expect({ id, address: g.address, protectedBecause: planned[g.address] }).toEqual({ id, address: g.address, protectedBecause: expect.any(String) });
      }
    }
    const found = [...stacks.values()].flatMap((json) => addresses(json)).filter((a) => a.type === 'aws_s3_bucket' && guardedBuckets.includes(a.block.bucket));
    expect(found).toHaveLength(4);
  });

  test('query results, which expire within days anyway, are not protected', () => {
    const analytics = stacks.get('analytics')!;
    const results = addresses(analytics).find((a) => a.type === 'aws_s3_bucket')!;
    expect(protectionOfSynthesizedStack(analytics as any).planned[results.address]).toBeUndefined();
  });
});

describe('protect()', () => {
  test('needs a reason, and lists a resource under its Terraform address', () => {
    const stack = new TerraformStack(testApp(), 'bare');
    const provider = new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const bucket = new S3Bucket(stack, 'evidence', { provider, bucket: 'evidence' });
    new S3Bucket(stack, 'scratch', { provider, bucket: 'scratch' });
    expect(() => protect(bucket, ' ')).toThrow(/bare\/evidence: protect\(\) needs the reason/);
    protect(bucket, 'it holds evidence');
    expect(protectedResourcesOf(stack)).toEqual({ [`aws_s3_bucket.${bucket.friendlyUniqueId}`]: 'it holds evidence' });
  });
});
