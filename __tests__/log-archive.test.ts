import { exampleConfig, onlyResource, policyOf, resources, statement, synthStack } from './helpers';
import { denyStatementsOf, isDenied } from './support/scp';

const logArchive = synthStack('log-archive');

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

  test('moves objects of 128 KB or more into Glacier classes, and deletes the data after the expiry', () => {
    const lifecycle = resources(logArchive, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('archive_bucket'))!;
    const rule = (id: string) => lifecycle.rule.find((r: any) => r.id === id);
    expect(lifecycle.transition_default_minimum_object_size).toBe('all_storage_classes_128K');
    expect(rule('move-large-objects-to-cheaper-classes').transition).toEqual([
      { days: 90, storage_class: 'GLACIER_IR' },
      { days: 365, storage_class: 'DEEP_ARCHIVE' },
    ]);
    expect(rule('delete-after-retention')).toMatchObject({ expiration: [{ days: 3653 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] });
    expect(rule('delete-after-retention').expiration[0].days).toBeGreaterThanOrEqual(2557);
    expect(rule('remove-expired-delete-markers').expiration).toEqual([{ expired_object_delete_marker: true }]);
    expect(rule('clean-up-incomplete-uploads').abort_incomplete_multipart_upload).toEqual([{ days_after_initiation: 7 }]);
  });

  test('keeps logs forever when no expiration is configured', () => {
    const json = synthStack('log-archive', exampleConfig((raw) => {
      delete raw.archive.expirationDays;
      delete raw.archive.noncurrentVersionExpirationDays;
    }));
    const lifecycle = resources(json, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('archive_bucket'));
    expect(lifecycle?.rule.some((r: any) => r.expiration || r.noncurrent_version_expiration)).toBe(false);
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

describe('the archive bucket policy', () => {
  const policy = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);

  test('denies every request that does not come over TLS', () => {
    expect(statement(policy, 'DenyInsecureTransport')).toMatchObject({ Effect: 'Deny', Principal: '*', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('denies deleting objects, versions and the bucket, and bypassing governance retention, to everyone', () => {
    const deny = statement(policy, 'DenyDestroyingEvidence');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: '*' });
    expect(deny.Action).toEqual(expect.arrayContaining(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:DeleteBucket', 's3:BypassGovernanceRetention']));
    expect(deny.Condition).toBeUndefined();
  });

  test('denies changing the lock, policy, lifecycle or versioning to all but the deployment role', () => {
    const deny = statement(policy, 'DenyLooseningTheGuard');
    expect(deny.Action).toEqual(expect.arrayContaining(['s3:PutBucketObjectLockConfiguration', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutBucketVersioning']));
    expect(deny.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/landing-zone/audit-landing-zone-deployer' } });
  });

  test('lets the Audit query role and the configured readers read, matched by principal ARN so they may be created later', () => {
    const read = statement(policy, 'ReadersReadTheArchive');
    expect(read.Principal).toEqual({ AWS: ['arn:aws:iam::333333333333:root'] });
    expect(read.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::333333333333:role/acme-audit-log-query', 'arn:aws:iam::333333333333:role/acme-incident-responder'] } });
    expect(read.Action).not.toContain('s3:PutObject');
  });
});

describe('the archive key', () => {
  const key = resources(logArchive, 'aws_kms_key').find((k) => k.description.startsWith('Encrypts the Organization trail'))!;
  const policy = policyOf(key);

  test('rotates, waits 30 days before deletion, and cannot be destroyed by Terraform', () => {
    expect(key).toMatchObject({ enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
  });

  test('lets CloudTrail encrypt only for this organization trail', () => {
    const trailArn = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail';
    expect(statement(policy, 'OrganizationTrailEncryptsLogs')).toMatchObject({
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: { StringEquals: { 'aws:SourceArn': trailArn, 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn } },
    });
  });

  test('lets readers decrypt only through S3 in the home region', () => {
    const decrypt = statement(policy, 'ReadersDecryptThroughS3');
    expect(decrypt.Action).toBe('kms:Decrypt');
    expect(decrypt.Condition.StringEquals).toEqual({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com' });
    expect(decrypt.Condition.ArnLike['aws:PrincipalArn']).toContain('arn:aws:iam::333333333333:role/acme-audit-log-query');
  });
});

describe('the access-log bucket', () => {
  const accessLogs = bucketNamed('acme-access-logs-222222222222-eu-west-1');

  test('receives the archive server access logs and is not locked', () => {
    expect(accessLogs.object_lock_enabled).toBeUndefined();
    const logging = resources(logArchive, 'aws_s3_bucket_logging').find((l) => String(l.bucket).includes('archive_bucket'));
    expect(logging).toMatchObject({ target_bucket: 'acme-access-logs-222222222222-eu-west-1', target_prefix: 's3-access-logs/acme-log-archive-222222222222-eu-west-1/' });
    const policy = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('access-logs'))!);
    for (const [sid, bucket] of [['S3DeliversAccessLogsOfTheArchive', 'acme-log-archive-222222222222-eu-west-1'], ['S3DeliversAccessLogsOfTheConfigBucket', 'acme-config-222222222222-eu-west-1']]) {
      // each logged bucket may write under its own prefix only
      expect(statement(policy, sid)).toMatchObject({
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: expect.stringMatching(new RegExp(`/s3-access-logs/${bucket}/\\*$`)),
        Condition: { StringEquals: { 'aws:SourceAccount': '222222222222' }, ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${bucket}` } },
      });
    }
    const withoutConfig = synthStack('log-archive', exampleConfig((raw) => {
      raw.awsConfig = { enabled: false };
      raw.securityHub = { enabled: false };
    }));
    const only = policyOf(resources(withoutConfig, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('access-logs'))!);
    expect(statement(only, 'S3DeliversAccessLogsOfTheArchive').Condition.ArnLike['aws:SourceArn']).toEqual('arn:aws:s3:::acme-log-archive-222222222222-eu-west-1');
    expect(only.Statement.filter((st: { Sid: string }) => st.Sid.startsWith('S3DeliversAccessLogsOf'))).toHaveLength(1);
  });

  test('archive and Config bucket logging are switched on only after the grant that lets S3 deliver exists', () => {
    const loggings = resources(logArchive, 'aws_s3_bucket_logging');
    expect(loggings).toHaveLength(2);
    const accessLogPolicy = Object.entries(logArchive.resource!.aws_s3_bucket_policy).find(([, p]) => String(p.bucket).includes('access-logs'))![0];
    for (const logging of loggings) expect(logging.depends_on).toContain(`aws_s3_bucket_policy.${accessLogPolicy}`);
  });

  const lifecycleOf = (json: typeof logArchive) => resources(json, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('access-logs'))!;

  test('keeps logs as long as the evidence by default (archive.expirationDays), or the configured days if longer', () => {
    expect(lifecycleOf(logArchive).rule[0].expiration).toEqual([{ days: 3653 }]);
    const longer = synthStack('log-archive', exampleConfig((raw) => (raw.archive.accessLogRetentionDays = 4000)));
    expect(lifecycleOf(longer).rule[0].expiration).toEqual([{ days: 4000 }]);
  });

  test('keeps logs forever when the evidence is kept forever', () => {
    const forever = synthStack('log-archive', exampleConfig((raw) => delete raw.archive.expirationDays));
    expect(lifecycleOf(forever).rule[0].expiration).toBeUndefined();
  });

  test('denies deleting a log, a version or the bucket to everyone, and shortening the logs to all but the deployment role', () => {
    const bucket = 'arn:aws:s3:::acme-access-logs-222222222222-eu-west-1';
    // the policy names the bucket by its Terraform reference; put in the ARN it resolves to
    const policy = resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('access-logs'))!.policy as string;
    const denies = denyStatementsOf(policy.replace(/\$\{aws_s3_bucket\.access-logs_bucket_\w+\.arn\}/g, bucket));
    const log = `${bucket}/s3-access-logs/acme-log-archive-222222222222-eu-west-1/2026-01-01-00-00-00-0123456789ABCDEF`;
    const role = (name: string) => `arn:aws:iam::222222222222:role/${name}`;
    const administrator = role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef');
    const deployer = role('landing-zone/audit-landing-zone-deployer');
    for (const principalArn of [administrator, deployer, role('OrganizationAccountAccessRole')]) {
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) expect(isDenied([denies], { action, resource: log, principalArn })).toBe(true);
      expect(isDenied([denies], { action: 's3:DeleteBucket', resource: bucket, principalArn })).toBe(true);
    }
    for (const action of ['s3:PutLifecycleConfiguration', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy', 's3:PutBucketVersioning']) {
      expect(isDenied([denies], { action, resource: bucket, principalArn: administrator })).toBe(true);
      expect(isDenied([denies], { action, resource: bucket, principalArn: deployer })).toBe(false);
    }
    expect(isDenied([denies], { action: 's3:GetObject', resource: log, principalArn: administrator })).toBe(false);
  });

  test('cannot be destroyed by Terraform', () => {
    expect(accessLogs.lifecycle).toEqual({ prevent_destroy: true });
  });
});
