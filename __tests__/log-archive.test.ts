import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, synthLandingZone } from './helpers';

const stacks = synthLandingZone();
const logArchive = stackOf(stacks, 'log-archive');

function bucketNamed(name: string) {
  const bucket = resources(logArchive, 'aws_s3_bucket').find((b) => b.bucket === name);
  if (!bucket) throw new Error(`no bucket ${name}`);
  return bucket;
}

describe('the archive bucket', () => {
  const archive = bucketNamed('acme-log-archive-222222222222-eu-west-1');

  test('has Object Lock in COMPLIANCE mode for the configured retention, and cannot be destroyed by Terraform', () => {
    expect(archive.object_lock_enabled).toBe(true);
    expect(archive.lifecycle).toEqual({ prevent_destroy: true });
    const lock = onlyResource(logArchive, 'aws_s3_bucket_object_lock_configuration');
    expect(lock.rule.default_retention).toEqual({ mode: 'COMPLIANCE', days: 2557 });
    expect(lock.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('is encrypted with the archive key and a bucket key', () => {
    const encryption = resources(logArchive, 'aws_s3_bucket_server_side_encryption_configuration').find((e) =>
      String(e.bucket).includes('archive_bucket'),
    );
    expect(encryption?.rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.archive-key.*\.arn/) },
      bucket_key_enabled: true,
    });
  });

  test('ages objects into Glacier classes and expires them only after the retention', () => {
    const lifecycle = resources(logArchive, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('archive_bucket'));
    const rule = lifecycle?.rule.find((r: any) => r.id === 'age-into-glacier-classes');
    expect(rule.transition).toEqual([
      { days: 90, storage_class: 'GLACIER_IR' },
      { days: 365, storage_class: 'DEEP_ARCHIVE' },
    ]);
    expect(rule.expiration).toEqual([{ days: 3653 }]);
    expect(rule.expiration[0].days).toBeGreaterThanOrEqual(2557);
    expect(lifecycle?.rule.find((r: any) => r.id === 'clean-up-incomplete-uploads').abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test('keeps logs forever when no expiration is configured', () => {
    const json = stackOf(synthLandingZone(exampleConfig((raw) => delete raw.archive.expirationDays)), 'log-archive');
    const lifecycle = resources(json, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('archive_bucket'));
    expect(lifecycle?.rule.some((r: any) => r.expiration)).toBe(false);
  });

  test('lets only the Organization trail write, under the management and organization prefixes', () => {
    const policy = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);
    const write = statement(policy, 'CloudTrailWritesOrganizationLogs');
    expect(write.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(write.Resource).toEqual([
      expect.stringMatching(/\/AWSLogs\/111111111111\/\*$/),
      expect.stringMatching(/\/AWSLogs\/o-acme12ab34\/\*$/),
    ]);
    expect(write.Condition.StringEquals['aws:SourceArn']).toBe('arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail');
  });
});
