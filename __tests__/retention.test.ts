/**
 * Evidence kept exactly as long as promised: expiry on a versioned, locked bucket really deletes,
 * transitions move only what gains from moving, digests and the recent window stay readable, and
 * the cost model in docs/archive.md is the one the code computes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { ConfigError } from '../config/loader';
import { ArchiveBucket, type ArchiveBucketProps } from '../modules/evidence/archive-bucket';
import { accountProvider } from '../stacks/infrastructure/providers';
import { archiveLifecycleOf, costTable, monthlyCost, TYPICAL_WORKLOAD } from '../scripts/cost-model';
import { AnalyticsStack } from '../stacks/analytics';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { LogArchiveStack } from '../stacks/log-archive';
import { exampleConfig, onlyResource, policyOf, resources, statement, type SynthesizedJson, testApp } from './helpers';

function bareArchive(props: Partial<Omit<ArchiveBucketProps, 'provider'>> = {}): SynthesizedJson {
  const stack = new TerraformStack(testApp(), 'archive');
  const provider = accountProvider(stack, { alias: 'log_archive', accountId: '222222222222', region: 'eu-west-1', tags: {}, target: 'offline' });
  new ArchiveBucket(stack, 'archive', {
    provider,
    bucketName: 'acme-log-archive-222222222222-eu-west-1',
    holds: ['cloudtrail', 'cloudtrail-digest'],
    kmsKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/00000000-0000-4000-8000-000000000000',
    objectLock: { mode: 'COMPLIANCE', retentionDays: 2557 },
    transitions: [{ days: 90, storageClass: 'GLACIER_IR' }, { days: 365, storageClass: 'DEEP_ARCHIVE' }],
    expirationDays: 3653,
    noncurrentVersionExpirationDays: 1,
    accessLogBucketName: 'acme-access-logs-222222222222-eu-west-1',
    trail: { arn: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail', prefixes: ['AWSLogs/111111111111', 'AWSLogs/o-acme12ab34'] },
    readerArns: ['arn:aws:iam::333333333333:role/acme-audit-log-query'],
    administratorRoleArn: 'arn:aws:iam::222222222222:role/landing-zone/audit-landing-zone-deployer',
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

/** The Log Archive and analytics stacks of the example, synthesized without the rest of the landing zone. */
function archiveAndAnalytics(): { logArchive: SynthesizedJson; analytics: SynthesizedJson } {
  const app = testApp();
  const context = landingZoneContext(exampleConfig(), 'aws', '/tmp/landing-zone-test-state');
  const logArchive = new LogArchiveStack(app, context);
  const analytics = new AnalyticsStack(app, context, logArchive);
  return { logArchive: JSON.parse(Testing.synth(logArchive)), analytics: JSON.parse(Testing.synth(analytics)) };
}
const example = archiveAndAnalytics();

function rules(json: SynthesizedJson): Record<string, any> {
  return Object.fromEntries(onlyResource(json, 'aws_s3_bucket_lifecycle_configuration').rule.map((r: any) => [r.id, r]));
}

describe('expiry on the versioned, locked archive deletes the data', () => {
  const byId = rules(bareArchive());

  test('expiration hides a file behind a delete marker; noncurrent expiration deletes it the day after', () => {
    expect(byId['delete-after-retention']).toMatchObject({
      status: 'Enabled',
      filter: [{ prefix: '' }],
      expiration: [{ days: 3653 }],
      noncurrent_version_expiration: [{ noncurrent_days: 1 }],
    });
  });

  test('the delete markers left behind are removed, in a rule of their own (S3 refuses them beside days)', () => {
    expect(byId['remove-expired-delete-markers']).toEqual({ id: 'remove-expired-delete-markers', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ expired_object_delete_marker: true }] });
  });

  test('a bucket asked to expire without deleting noncurrent versions is refused by the construct', () => {
    expect(() => bareArchive({ noncurrentVersionExpirationDays: undefined })).toThrow(/expirationDays without noncurrentVersionExpirationDays .* keeps every version for ever/);
  });

  test('and by the config, naming the field and the fix', () => {
    expect(() => exampleConfig((raw) => delete raw.archive.noncurrentVersionExpirationDays)).toThrow(ConfigError);
    expect(() => exampleConfig((raw) => delete raw.archive.noncurrentVersionExpirationDays)).toThrow(
      /archive\.noncurrentVersionExpirationDays: is required with archive\.expirationDays: .*kept for ever; set it \(1 deletes the data one day after it expires, 3654 days after it was written\)/,
    );
  });

  test('without expiry nothing is deleted and no rule pretends otherwise', () => {
    const kept = rules(bareArchive({ expirationDays: undefined, noncurrentVersionExpirationDays: undefined }));
    expect(Object.keys(kept).sort()).toEqual(['clean-up-incomplete-uploads', 'move-large-objects-to-cheaper-classes']);
  });

  test('the access-log bucket removes its expired delete markers too', () => {
    const accessLogs = resources(example.logArchive, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('access-logs'))!;
    expect(accessLogs.rule.map((r: any) => r.id)).toContain('remove-expired-delete-markers');
  });
});

describe('transitions move only files large enough to gain, and keep what must stay readable', () => {
  const json = bareArchive();
  const lifecycle = onlyResource(json, 'aws_s3_bucket_lifecycle_configuration');

  test('the minimum size is decided explicitly: 128 KB, and no rule filters below it', () => {
    expect(lifecycle.transition_default_minimum_object_size).toBe('all_storage_classes_128K');
    for (const rule of lifecycle.rule) {
      for (const filter of rule.filter ?? []) expect(filter.object_size_greater_than ?? 131072).toBeGreaterThanOrEqual(131071);
    }
  });

  test('under the model of docs/archive.md the 128 KB threshold is cheaper than moving nothing and than moving small files', () => {
    const example = archiveLifecycleOf(exampleConfig().archive);
    for (const accounts of [50, 1000]) {
      const [none, chosen, small] = (['none', '128K', 'varies_by_storage_class'] as const).map((s) => monthlyCost(accounts, TYPICAL_WORKLOAD, example, s).total);
      expect(chosen).toBeLessThan(none);
      expect(chosen).toBeLessThan(small);
    }
  });

  test('a move to Glacier or Deep Archive inside the window Athena reads is refused', () => {
    expect(() => exampleConfig((raw) => (raw.archive.transitions = [{ days: 90, storageClass: 'GLACIER_IR' }, { days: 180, storageClass: 'DEEP_ARCHIVE' }]))).toThrow(
      /archive\.transitions\[1\]\.days: DEEP_ARCHIVE at day 180 is inside the 365 days Athena must read without a restore \(archive\.athenaReadableDays\)/,
    );
    expect(exampleConfig((raw) => (raw.archive.athenaReadableDays = 180)).archive.athenaReadableDays).toBe(180);
    // Glacier Instant Retrieval is read by Athena like Standard
    expect(exampleConfig((raw) => (raw.archive.transitions = [{ days: 30, storageClass: 'GLACIER_IR' }])).archive.transitions).toHaveLength(1);
  });

  test('Athena reads restored files, and the query role and readers may restore them', () => {
    const table = onlyResource(example.analytics, 'aws_glue_catalog_table');
    expect(table.parameters.read_restored_glacier_objects).toBe('true');
    const role = resources(example.analytics, 'aws_iam_role_policy').find((p) => String(p.role).includes('query-role'))!;
    expect(statement(policyOf(role), 'RestoreArchivedTrailFiles').Action).toBe('s3:RestoreObject');
    const bucketPolicy = resources(example.logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!;
    expect(statement(policyOf(bucketPolicy), 'ReadersReadTheArchive').Action).toContain('s3:RestoreObject');
  });
});

describe('docs/archive.md', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'archive.md'), 'utf8');
  const refusal = (change: (raw: Record<string, any>) => void) => {
    try {
      exampleConfig(change);
    } catch (error) {
      return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    }
    throw new Error('accepted');
  };

  test('shows the refusals exactly as the config check words them', () => {
    for (const line of [
      ...refusal((raw) => delete raw.archive.noncurrentVersionExpirationDays),
      ...refusal((raw) => (raw.archive.transitions = [{ days: 90, storageClass: 'GLACIER_IR' }, { days: 180, storageClass: 'DEEP_ARCHIVE' }])),
    ]) {
      expect(doc).toContain(line);
    }
  });
});

describe('the cost model in docs/archive.md', () => {
  test('is the table the code computes for the example lifecycle, 50 and 1,000 accounts', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'archive.md'), 'utf8');
    expect(doc).toContain(costTable([50, 1000], TYPICAL_WORKLOAD, archiveLifecycleOf(exampleConfig().archive)));
  });

  test('bills Glacier IR at 128 KB at least and Deep Archive 40 KB more per object', () => {
    const one = { transitions: [{ days: 0, storageClass: 'GLACIER_IR' }], deletedAfterDays: 1 };
    const tiny = { ...TYPICAL_WORKLOAD, logFilesPerAccountDay: 1, largeFileShare: 0, smallFileKb: 1, digestFilesPerAccountDay: 0 };
    const billedGb = (kb: number) => kb / (1024 * 1024);
    // a 1 KB file moved anyway (varies_by_storage_class does not move into Glacier IR): stays in Standard
    expect(monthlyCost(1, tiny, one, 'varies_by_storage_class').storage).toBeCloseTo(billedGb(1) * 0.023, 12);
    const deep = { transitions: [{ days: 0, storageClass: 'DEEP_ARCHIVE' }], deletedAfterDays: 1 };
    expect(monthlyCost(1, tiny, deep, 'varies_by_storage_class').storage).toBeCloseTo(billedGb(1 + 32) * 0.00099 + billedGb(8) * 0.023, 12);
    const large = { ...tiny, largeFileShare: 1, largeFileKb: 200 };
    expect(monthlyCost(1, large, one, '128K').storage).toBeCloseTo(billedGb(200) * 0.004, 12);
  });
});
