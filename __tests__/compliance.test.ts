/**
 * The compliance layer as synthesized: AWS Config delivery into the Log Archive and its replication
 * into the locked archive, the management account's recorders, the StackSet and its template
 * (linted with cfn-lint), the aggregator, Security Hub's central configuration and findings
 * routing, Access Analyzer, and that none of it grows with the number of accounts.
 */
import { Testing } from 'cdktf';
import { documentedStandardArns } from '../facts/security-hub';
import { configRecorderTemplate } from '../modules/compliance/config-stack-set';
import { ComplianceStack } from '../stacks/compliance';
import { landingZoneContext } from '../stacks/infrastructure/landing-zone-stack';
import { LogArchiveStack } from '../stacks/log-archive';
import { GuardDutyStack } from '../stacks/guardduty';
import { cfnLint } from './support/cfn-lint';
import { denyStatementsOf, isDenied } from './support/scp';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, statement, type SynthesizedJson, synthLandingZone, testApp } from './helpers';

const AUDIT = '333333333333';
const HOME = 'eu-west-1';
const config = exampleConfig();
const stacks = synthLandingZone(config);
const compliance = stackOf(stacks, 'compliance');
const logArchive = stackOf(stacks, 'log-archive');

/** The StackSet's template with a recording override (the example records everything continuously). */
const withOverride = configRecorderTemplate({
  recording: { recordingFrequency: 'CONTINUOUS', overrides: [{ resourceTypes: ['AWS::EC2::NetworkInterface'], recordingFrequency: 'DAILY', description: 'cost' }], globalResourceTypesRegion: HOME },
  delivery: { bucketName: 'acme-config-222222222222-eu-west-1', snapshotDeliveryFrequency: 'Six_Hours' },
  recorderName: (r) => `acme-config-recorder-${r}`,
  roleName: (r) => `acme-config-recorder-${r}`,
  deliveryChannelName: (r) => `acme-config-delivery-${r}`,
});
// cfn-lint takes seconds: started now, it runs while the rest of the file does
const linting = cfnLint({ 'synthesized.json': templateOf(compliance), 'override.json': withOverride }, config.governedRegions);

type Change = (raw: Record<string, any>) => void;

/** Only the stacks a variation needs, not the whole landing zone: the Log Archive, and the one asked for. */
function synthVariant(change: Change, which: 'log-archive' | 'compliance' | `guardduty-${string}`): SynthesizedJson {
  const context = landingZoneContext(exampleConfig(change), 'aws', '/tmp/landing-zone-test-state');
  const app = testApp();
  const logArchive = new LogArchiveStack(app, context);
  const stack =
    which === 'log-archive' ? logArchive : which === 'compliance' ? new ComplianceStack(app, context, logArchive) : new GuardDutyStack(app, context, which.slice('guardduty-'.length), logArchive);
  return JSON.parse(Testing.synth(stack)) as SynthesizedJson;
}

/** The Terraform address (`type.name`) of a resource, as `depends_on` names it. */
function addressOf(json: SynthesizedJson, type: string, resource: Record<string, any>): string {
  const entry = Object.entries(json.resource?.[type] ?? {}).find(([, r]) => r === resource);
  if (!entry) throw new Error(`resource not found among ${type}`);
  return `${type}.${entry[0]}`;
}

/** A string attribute as Terraform evaluates it: `$${` in Terraform JSON is a literal `${`. */
function evaluated(value: string): string {
  return value.replace(/\$\$\{/g, '${');
}

function templateOf(json: SynthesizedJson): Record<string, any> {
  return JSON.parse(evaluated(onlyResource(json, 'aws_cloudformation_stack_set').template_body));
}

describe('the Config bucket in the Log Archive', () => {
  const bucket = resources(logArchive, 'aws_s3_bucket').find((b) => b.bucket === 'acme-config-222222222222-eu-west-1')!;
  const policyResource = resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('config-delivery'))!;
  const policy = policyOf(policyResource);

  test('is unlocked (Config cannot deliver into Object Lock), versioned, KMS-encrypted, logged, and kept from Terraform destroys', () => {
    expect(bucket.object_lock_enabled).toBeUndefined();
    expect(bucket.lifecycle).toEqual({ prevent_destroy: true });
    const versioning = resources(logArchive, 'aws_s3_bucket_versioning').find((v) => String(v.bucket).includes('config-delivery'));
    expect(versioning?.versioning_configuration).toEqual({ status: 'Enabled' });
    const encryption = resources(logArchive, 'aws_s3_bucket_server_side_encryption_configuration').find((e) => String(e.bucket).includes('config-delivery'));
    expect(encryption?.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/aws_kms_key\.config-key.*\.arn/) });
    const logging = resources(logArchive, 'aws_s3_bucket_logging').find((l) => String(l.bucket).includes('config-delivery'));
    expect(logging).toMatchObject({ target_bucket: 'acme-access-logs-222222222222-eu-west-1', target_prefix: 's3-access-logs/acme-config-222222222222-eu-west-1/' });
  });

  test('lets only the recorder roles of the organization write, each under its own account, as Config lays files out', () => {
    const deliver = statement(policy, 'RecordersDeliverTheirAccount');
    expect(deliver.Principal).toEqual({ AWS: '*' });
    expect(deliver.Action).toEqual(['s3:PutObject', 's3:PutObjectAcl']);
    // `$${...}` reaches IAM as the policy variable ${aws:PrincipalAccount}
    expect(evaluated(deliver.Resource)).toMatch(/\/AWSLogs\/\$\{aws:PrincipalAccount\}\/Config\/\*$/);
    expect(deliver.Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-acme12ab34', 's3:x-amz-acl': 'bucket-owner-full-control' },
      ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/acme-config-recorder-*' },
    });
    expect(statement(policy, 'RecordersCheckTheBucket').Action).toEqual(['s3:GetBucketAcl', 's3:ListBucket']);
    expect(policy.Statement.some((s) => JSON.stringify(s.Principal ?? '').includes('config.amazonaws.com'))).toBe(false);
  });

  test('has the archive\'s guards: TLS only, nothing deleted, nothing loosened but by the deployment role', () => {
    expect(statement(policy, 'DenyInsecureTransport').Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    expect(statement(policy, 'DenyDestroyingEvidence').Action).toEqual(['s3:DeleteBucket', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:BypassGovernanceRetention']);
    const guard = statement(policy, 'DenyLooseningTheGuard');
    expect(guard.Action).toEqual(expect.arrayContaining(['s3:PutBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutReplicationConfiguration', 's3:PutBucketVersioning']));
    expect(guard.Condition).toEqual({ ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::222222222222:role/landing-zone/audit-landing-zone-deployer' } });
  });

  test('refuses deleting deliveries to everyone, and loosening the bucket to all but the deployment role (the evaluator)', () => {
    const bucketArn = 'arn:aws:s3:::acme-config-222222222222-eu-west-1';
    // the policy names the bucket by its Terraform reference; put in the ARN it resolves to
    const denies = denyStatementsOf(String(policyResource.policy).replace(/\$\{aws_s3_bucket\.config-delivery_bucket_\w+\.arn\}/g, bucketArn));
    const delivery = `${bucketArn}/AWSLogs/444444444441/Config/us-east-1/2026/1/1/ConfigHistory/x.json.gz`;
    const role = (name: string) => `arn:aws:iam::222222222222:role/${name}`;
    const deployer = role('landing-zone/audit-landing-zone-deployer');
    const refused = [
      role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef'),
      role('OrganizationAccountAccessRole'),
      role('landing-zone/audit-landing-zone-planner'),
      role('audit-landing-zone-deployer'),
    ];
    for (const principalArn of [...refused, deployer]) {
      for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion']) expect({ principalArn, action, denied: isDenied([denies], { action, resource: delivery, principalArn }) }).toEqual({ principalArn, action, denied: true });
      expect(isDenied([denies], { action: 's3:DeleteBucket', resource: bucketArn, principalArn })).toBe(true);
    }
    for (const action of ['s3:PutBucketPolicy', 's3:PutLifecycleConfiguration', 's3:PutReplicationConfiguration', 's3:PutBucketVersioning']) {
      for (const principalArn of refused) expect({ principalArn, action, denied: isDenied([denies], { action, resource: bucketArn, principalArn }) }).toEqual({ principalArn, action, denied: true });
      expect(isDenied([denies], { action, resource: bucketArn, principalArn: deployer })).toBe(false);
    }
  });

  test('expires what Config delivered after awsConfig.deliveryBucketRetentionDays: the archive holds the replicas', () => {
    const lifecycle = resources(logArchive, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('config-delivery'));
    expect(lifecycle?.rule[0]).toMatchObject({ expiration: [{ days: 90 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] });
    const shorter = synthVariant((raw) => (raw.awsConfig = { deliveryBucketRetentionDays: 14 }), 'log-archive');
    expect(resources(shorter, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('config-delivery'))?.rule[0].expiration).toEqual([{ days: 14 }]);
  });

  test('its key lets only the organization\'s recorder roles encrypt, and only through S3 in the home region', () => {
    const key = resources(logArchive, 'aws_kms_key').find((k) => String(k.description).includes('AWS Config'))!;
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    const encrypt = statement(policyOf(key), 'RecordersEncryptDeliveries');
    expect(encrypt.Action).toEqual(['kms:GenerateDataKey', 'kms:Decrypt']);
    expect(encrypt.Condition).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': 'o-acme12ab34', 'kms:ViaService': 's3.eu-west-1.amazonaws.com' },
      ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/acme-config-recorder-*' },
    });
    expect(logArchive.output?.config_key_arn).toBeDefined();
  });

  test('the access-log bucket accepts its server access logs', () => {
    const accessLogs = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('access-logs'))!);
    expect(statement(accessLogs, 'S3DeliversAccessLogsOfTheConfigBucket').Condition.ArnLike['aws:SourceArn']).toEqual('arn:aws:s3:::acme-config-222222222222-eu-west-1');
  });
});

describe('replication of the Config bucket into the Object Lock archive', () => {
  const replication = onlyResource(logArchive, 'aws_s3_bucket_replication_configuration');
  const role = resources(logArchive, 'aws_iam_role').find((r) => r.name === 'acme-config-replication')!;
  const permissions = policyOf(resources(logArchive, 'aws_iam_role_policy').find((p) => String(p.role).includes('replication-role'))!);

  test('replicates every delivered file, SSE-KMS included, into the archive with the archive key, and never a deletion', () => {
    expect(replication.bucket).toMatch(/aws_s3_bucket\.config-delivery_bucket.*\.id/);
    expect(replication.role).toMatch(/aws_iam_role\.config-delivery_replication-role.*\.arn/);
    expect(replication.rule).toEqual([
      expect.objectContaining({
        id: 'config-into-archive',
        status: 'Enabled',
        filter: { prefix: 'AWSLogs/' },
        delete_marker_replication: { status: 'Disabled' },
        source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
        destination: {
          bucket: expect.stringMatching(/aws_s3_bucket\.archive_bucket.*\.arn/),
          storage_class: 'STANDARD',
          encryption_configuration: { replica_kms_key_id: expect.stringMatching(/aws_kms_key\.archive-key.*\.arn/) },
        },
      }),
    ]);
  });

  test('waits for versioning on both buckets and for its role\'s permissions', () => {
    const versionings = resources(logArchive, 'aws_s3_bucket_versioning');
    const archiveVersioning = versionings.find((v) => String(v.bucket).includes('archive_bucket'))!;
    const configVersioning = versionings.find((v) => String(v.bucket).includes('config-delivery'))!;
    expect(replication.depends_on).toEqual(expect.arrayContaining([
      addressOf(logArchive, 'aws_s3_bucket_versioning', archiveVersioning),
      addressOf(logArchive, 'aws_s3_bucket_versioning', configVersioning),
      expect.stringMatching(/^aws_iam_role_policy\.config-delivery_replication-role-policy/),
    ]));
  });

  test('the role is S3\'s, for this bucket only, with the Object Lock and KMS permissions replication into a locked bucket needs', () => {
    const trust = policyOf(role, 'assume_role_policy').Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:s3:::acme-config-222222222222-eu-west-1' } } });
    expect(statement(permissions, 'ReadSourceVersions').Action).toEqual(expect.arrayContaining(['s3:GetObjectVersionForReplication', 's3:GetObjectRetention', 's3:GetObjectLegalHold']));
    expect(statement(permissions, 'ReplicateIntoTheArchive')).toMatchObject({ Action: ['s3:ReplicateObject', 's3:ReplicateTags'], Resource: expect.stringMatching(/archive_bucket.*\.arn}\/AWSLogs\/\*$/) });
    expect(statement(permissions, 'ReadSourceVersions').Resource).toBe('arn:aws:s3:::acme-config-222222222222-eu-west-1/AWSLogs/*');
    // no ReplicateDelete: deletions never reach the archive
    expect(JSON.stringify(permissions)).not.toContain('s3:ReplicateDelete');
    const decrypt = statement(permissions, 'DecryptSourceObjects');
    expect(decrypt).toMatchObject({ Action: 'kms:Decrypt', Resource: expect.stringMatching(/aws_kms_key\.config-key/) });
    const encrypt = statement(permissions, 'EncryptReplicas');
    expect(encrypt).toMatchObject({ Action: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'], Resource: expect.stringMatching(/aws_kms_key\.archive-key/) });
    // with S3 Bucket Keys the encryption context is the bucket's ARN
    expect(encrypt.Condition.StringLike['kms:EncryptionContext:aws:s3:arn'][0]).toMatch(/archive_bucket.*\.arn}$/);
    expect(encrypt.Condition.StringEquals).toEqual({ 'kms:ViaService': 's3.eu-west-1.amazonaws.com' });
  });

  test('replication, a guard, can only be changed by the deployment role on the archive too', () => {
    const archivePolicy = policyOf(resources(logArchive, 'aws_s3_bucket_policy').find((p) => String(p.bucket).includes('archive_bucket'))!);
    expect(statement(archivePolicy, 'DenyLooseningTheGuard').Action).toContain('s3:PutReplicationConfiguration');
  });
});

describe('the management account\'s recorders, in every regional stack', () => {
  test.each(config.governedRegions)('%s: records every supported type, the global IAM types only in the home region, and delivers into the Log Archive', (region) => {
    const json = stackOf(stacks, `guardduty-${region}`);
    const alias = `aws.management_${region.replace(/-/g, '_')}`;
    const recorder = onlyResource(json, 'aws_config_configuration_recorder');
    expect(recorder).toMatchObject({
      provider: alias,
      name: `acme-config-recorder-${region}`,
      recording_group: { all_supported: true, include_global_resource_types: region === HOME },
      recording_mode: { recording_frequency: 'CONTINUOUS' },
    });
    const channel = onlyResource(json, 'aws_config_delivery_channel');
    expect(channel).toMatchObject({
      provider: alias,
      s3_bucket_name: 'acme-config-222222222222-eu-west-1',
      s3_kms_key_arn: expect.stringContaining('data.terraform_remote_state.state-of-log-archive.outputs.config_key_arn'),
      snapshot_delivery_properties: { delivery_frequency: 'TwentyFour_Hours' },
    });
    expect(channel.depends_on).toContain(addressOf(json, 'aws_config_configuration_recorder', recorder));
    const status = onlyResource(json, 'aws_config_configuration_recorder_status');
    expect(status).toMatchObject({ is_enabled: true, depends_on: [addressOf(json, 'aws_config_delivery_channel', channel)] });
    const role = resources(json, 'aws_iam_role').find((r) => r.name === `acme-config-recorder-${region}`)!;
    expect(policyOf(role, 'assume_role_policy').Statement[0].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '111111111111' } });
    expect(resources(json, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole');
  });

  test('a recording frequency override and another global region reach the recorders', () => {
    const change: Change = (raw) => {
      raw.awsConfig = {
        recordingFrequency: 'DAILY',
        recordingFrequencyOverrides: [{ resourceTypes: ['AWS::IAM::Role', 'AWS::S3::Bucket'], recordingFrequency: 'CONTINUOUS', description: 'evidence-bearing types' }],
        globalResourceTypesRegion: 'us-east-1',
      };
    };
    const recorder = (region: string) => onlyResource(synthVariant(change, `guardduty-${region}`), 'aws_config_configuration_recorder');
    expect(recorder('us-east-1').recording_group.include_global_resource_types).toBe(true);
    expect(recorder(HOME).recording_group.include_global_resource_types).toBe(false);
    expect(recorder(HOME).recording_mode).toEqual({
      recording_frequency: 'DAILY',
      recording_mode_override: { resource_types: ['AWS::IAM::Role', 'AWS::S3::Bucket'], recording_frequency: 'CONTINUOUS', description: 'evidence-bearing types' },
    });
    const template = templateOf(synthVariant(change, 'compliance'));
    expect(template.Conditions.RecordsGlobalResourceTypes).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    expect(template.Resources.Recorder.Properties.RecordingMode).toEqual({
      RecordingFrequency: 'DAILY',
      RecordingModeOverrides: [{ ResourceTypes: ['AWS::IAM::Role', 'AWS::S3::Bucket'], RecordingFrequency: 'CONTINUOUS', Description: 'evidence-bearing types' }],
    });
  });
});

describe('the Config StackSet for every member account', () => {
  const stackSet = onlyResource(compliance, 'aws_cloudformation_stack_set');
  const instances = resources(compliance, 'aws_cloudformation_stack_set_instance');
  const template = templateOf(compliance);

  test('is service-managed, administered from the Audit account as delegated administrator, and deploys to new accounts by itself', () => {
    expect(stackSet).toMatchObject({
      provider: 'aws.audit_eu_west_1',
      name: 'acme-config-recorder',
      permission_model: 'SERVICE_MANAGED',
      call_as: 'DELEGATED_ADMIN',
      auto_deployment: { enabled: true, retain_stacks_on_account_removal: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managed_execution: { active: true },
      parameters: { DeliveryKeyArn: expect.stringContaining('outputs.config_key_arn') },
      lifecycle: { ignore_changes: ['administration_role_arn'] },
    });
    expect(stackSet.administration_role_arn).toBeUndefined();
    expect(stackSet.execution_role_name).toBeUndefined();
  });

  test('has one instance resource per governed region, each targeting the organization root', () => {
    expect(instances.map((i) => i.region).sort()).toEqual([...config.governedRegions].sort());
    for (const instance of instances) {
      expect(instance).toMatchObject({
        call_as: 'DELEGATED_ADMIN',
        deployment_targets: { organizational_unit_ids: ['r-ac1e'] },
        retain_stack: false,
        timeouts: { create: '4h', update: '4h', delete: '4h' },
      });
      expect(instance.stack_set_name).toMatch(/aws_cloudformation_stack_set\.config-stack-set.*\.name/);
    }
  });

  test('targets the configured OUs instead of the root', () => {
    const json = synthVariant((raw) => (raw.awsConfig = { targets: ['ou-ac1e-workload1', 'ou-ac1e-security1'] }), 'compliance');
    for (const instance of resources(json, 'aws_cloudformation_stack_set_instance')) {
      expect(instance.deployment_targets.organizational_unit_ids).toEqual(['ou-ac1e-workload1', 'ou-ac1e-security1']);
    }
  });

  test('the template is what Terraform passes on untouched: Fn::Sub\'s ${...} escaped as $${...}', () => {
    expect(stackSet.template_body).toContain('$${AWS::Region}');
    expect(evaluated(stackSet.template_body)).not.toContain('$${');
    expect(stackSet.template_body).not.toMatch(/(^|[^$])\$\{AWS::/);
  });

  test('deploys the same recorder as the management account\'s: role, permissions, recording, delivery', () => {
    const { RecorderRole, Recorder, DeliveryChannel } = template.Resources;
    expect(RecorderRole.Properties.RoleName).toEqual({ 'Fn::Sub': 'acme-config-recorder-${AWS::Region}' });
    expect(RecorderRole.Properties.ManagedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWS_ConfigRole']);
    const management = stackOf(stacks, `guardduty-${HOME}`);
    const managementPolicy = policyOf(resources(management, 'aws_iam_role_policy').find((p) => p.name === 'deliver-into-log-archive')!);
    const memberPolicy = RecorderRole.Properties.Policies[0].PolicyDocument;
    expect(memberPolicy.Statement.map((s: any) => [s.Sid, s.Action])).toEqual(managementPolicy.Statement.map((s) => [s.Sid, s.Action]));
    expect(memberPolicy.Statement[0].Resource).toEqual({ 'Fn::Sub': 'arn:aws:s3:::acme-config-222222222222-eu-west-1/AWSLogs/${AWS::AccountId}/Config/*' });
    expect(memberPolicy.Statement[2].Resource).toEqual({ 'Fn::Sub': '${DeliveryKeyArn}' });
    expect(Recorder.Properties).toMatchObject({
      Name: { 'Fn::Sub': 'acme-config-recorder-${AWS::Region}' },
      RoleARN: { 'Fn::GetAtt': ['RecorderRole', 'Arn'] },
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { 'Fn::If': ['RecordsGlobalResourceTypes', true, false] } },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
    });
    expect(template.Conditions.RecordsGlobalResourceTypes).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, HOME] });
    expect(DeliveryChannel).toMatchObject({
      DependsOn: 'Recorder',
      Properties: {
        S3BucketName: 'acme-config-222222222222-eu-west-1',
        S3KmsKeyArn: { Ref: 'DeliveryKeyArn' },
        ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
      },
    });
  });
});

describe('the organization aggregator', () => {
  test('is in the Audit account, over every governed region, with a role only Config assumes for that account', () => {
    const aggregator = onlyResource(compliance, 'aws_config_configuration_aggregator');
    expect(aggregator).toMatchObject({ provider: 'aws.audit_eu_west_1', name: 'acme-organization' });
    expect(aggregator.organization_aggregation_source.regions).toEqual(config.governedRegions);
    expect(aggregator.organization_aggregation_source.all_regions).toBe(false);
    const role = resources(compliance, 'aws_iam_role').find((r) => r.name === 'acme-config-aggregator')!;
    expect(policyOf(role, 'assume_role_policy').Statement[0]).toMatchObject({ Principal: { Service: 'config.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': AUDIT } } });
    expect(resources(compliance, 'aws_iam_role_policy_attachment').map((a) => a.policy_arn)).toContain('arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations');
  });
});

describe('Security Hub CSPM, centrally configured', () => {
  const hub = onlyResource(compliance, 'aws_securityhub_account');
  const designation = onlyResource(compliance, 'aws_securityhub_organization_admin_account');
  const aggregator = onlyResource(compliance, 'aws_securityhub_finding_aggregator');
  const organization = onlyResource(compliance, 'aws_securityhub_organization_configuration');
  const policy = onlyResource(compliance, 'aws_securityhub_configuration_policy');

  test('the management account designates the Audit account, whose Security Hub is on first and enables no default standards', () => {
    expect(designation).toMatchObject({ provider: 'aws.management_eu_west_1', admin_account_id: AUDIT, depends_on: [addressOf(compliance, 'aws_securityhub_account', hub)] });
    expect(hub).toMatchObject({ provider: 'aws.audit_eu_west_1', enable_default_standards: false, control_finding_generator: 'SECURITY_CONTROL' });
  });

  test('aggregates every other governed region into the home region, after the designation', () => {
    expect(aggregator.linking_mode).toBe('SPECIFIED_REGIONS');
    expect([...aggregator.specified_regions].sort()).toEqual(config.governedRegions.filter((r) => r !== HOME).sort());
    expect(aggregator.depends_on).toEqual([addressOf(compliance, 'aws_securityhub_organization_admin_account', designation)]);
    const single = synthVariant((raw) => (raw.governedRegions = [HOME]), 'compliance');
    expect(onlyResource(single, 'aws_securityhub_finding_aggregator')).toMatchObject({ linking_mode: 'NO_REGIONS' });
  });

  test('is CENTRAL, with the auto-enable settings CENTRAL requires, once the aggregator exists', () => {
    expect(organization).toMatchObject({
      auto_enable: false,
      auto_enable_standards: 'NONE',
      organization_configuration: { configuration_type: 'CENTRAL' },
      depends_on: [addressOf(compliance, 'aws_securityhub_finding_aggregator', aggregator)],
    });
  });

  test('one policy enables Security Hub with FSBP and the newest CIS benchmark, ARNs as AWS documents them', () => {
    expect(policy.configuration_policy).toMatchObject({
      service_enabled: true,
      enabled_standard_arns: [
        'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
        'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/5.0.0',
      ],
      security_controls_configuration: { disabled_control_identifiers: [] },
    });
    for (const arn of policy.configuration_policy.enabled_standard_arns) expect(documentedStandardArns(HOME)).toContain(arn);
    expect(policy.depends_on).toEqual([addressOf(compliance, 'aws_securityhub_organization_configuration', organization)]);
  });

  test('the CIS version and disabled controls come from the config; the reasons reach the outputs', () => {
    const json = synthVariant((raw) => {
      raw.securityHub = {
        cisVersion: '1.2.0',
        disabledControls: [
          { id: 'IAM.6', reason: 'root users of member accounts are removed centrally (root access management)' },
          { id: 'EC2.10', reason: 'workloads reach AWS services through NAT, by design of the network team' },
        ],
      };
    }, 'compliance');
    const configured = onlyResource(json, 'aws_securityhub_configuration_policy').configuration_policy;
    expect(configured.enabled_standard_arns).toContain('arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0');
    expect(configured.security_controls_configuration.disabled_control_identifiers).toEqual(['IAM.6', 'EC2.10']);
    expect(json.output?.disabled_security_controls.value).toEqual({
      'IAM.6': 'root users of member accounts are removed centrally (root access management)',
      'EC2.10': 'workloads reach AWS services through NAT, by design of the network team',
    });
  });

  test('the policy is associated with the root, or the configured OUs', () => {
    expect(resources(compliance, 'aws_securityhub_configuration_policy_association').map((a) => [a.target_id, a.policy_id])).toEqual([['r-ac1e', expect.stringMatching(/aws_securityhub_configuration_policy\..*\.id/)]]);
    const json = synthVariant((raw) => (raw.securityHub = { targets: ['ou-ac1e-workload1', 'ou-ac1e-security1'] }), 'compliance');
    expect(resources(json, 'aws_securityhub_configuration_policy_association').map((a) => a.target_id).sort()).toEqual(['ou-ac1e-security1', 'ou-ac1e-workload1']);
  });
});

describe('Security Hub findings reach people', () => {
  const rule = onlyResource(compliance, 'aws_cloudwatch_event_rule');
  const pattern = JSON.parse(rule.event_pattern);

  test('one rule in the aggregation region matches new, active findings at or above the severity, but GuardDuty\'s', () => {
    expect(rule).toMatchObject({ provider: 'aws.audit_eu_west_1', name: 'acme-compliance-findings' });
    expect(pattern).toEqual({
      source: ['aws.securityhub'],
      'detail-type': ['Security Hub Findings - Imported'],
      detail: {
        findings: {
          ProductName: [{ 'anything-but': 'GuardDuty' }],
          Severity: { Label: ['HIGH', 'CRITICAL'] },
          Workflow: { Status: ['NEW'] },
          RecordState: ['ACTIVE'],
        },
      },
    });
    expect(resources(compliance, 'aws_cloudwatch_event_rule')).toHaveLength(1);
  });

  test('the threshold comes from notifications.securityHubMinimumSeverity', () => {
    const json = synthVariant((raw) => (raw.notifications.securityHubMinimumSeverity = 'MEDIUM'), 'compliance');
    expect(JSON.parse(onlyResource(json, 'aws_cloudwatch_event_rule').event_pattern).detail.findings.Severity.Label).toEqual(['MEDIUM', 'HIGH', 'CRITICAL']);
  });

  test('to an encrypted topic next to GuardDuty\'s, which only this rule may publish to, with the same subscribers', () => {
    const target = onlyResource(compliance, 'aws_cloudwatch_event_target');
    expect(target.arn).toMatch(/aws_sns_topic\.findings-topic_.*\.arn/);
    const topic = onlyResource(compliance, 'aws_sns_topic');
    expect(topic).toMatchObject({ name: 'acme-compliance-findings', kms_master_key_id: expect.stringMatching(/aws_kms_key\.findings-topic_key_/) });
    const publish = statement(policyOf(onlyResource(compliance, 'aws_sns_topic_policy')), 'OnlyThePublisherOfThisAccountPublishes');
    expect(publish.Condition.ArnLike['aws:SourceArn']).toBe('arn:aws:events:eu-west-1:333333333333:rule/acme-compliance-findings');
    expect(resources(compliance, 'aws_sns_topic_subscription').map((s) => s.endpoint)).toEqual(['security-alerts@acme.example']);
  });
});

describe('IAM Access Analyzer', () => {
  test.each(config.governedRegions)('%s: an organization analyzer of external access in the Audit account', (region) => {
    expect(onlyResource(stackOf(stacks, `guardduty-${region}`), 'aws_accessanalyzer_analyzer')).toMatchObject({
      provider: `aws.audit_${region.replace(/-/g, '_')}`,
      analyzer_name: 'acme-organization',
      type: 'ORGANIZATION',
    });
  });

  test('one organization analyzer of unused access, with the configured age', () => {
    expect(onlyResource(compliance, 'aws_accessanalyzer_analyzer')).toMatchObject({
      provider: 'aws.audit_eu_west_1',
      analyzer_name: 'acme-organization-unused-access',
      type: 'ORGANIZATION_UNUSED_ACCESS',
      configuration: { unused_access: { unused_access_age: 90 } },
    });
    const off = synthVariant((raw) => (raw.accessAnalyzer = { unusedAccess: { enabled: false } }), 'compliance');
    expect(resources(off, 'aws_accessanalyzer_analyzer')).toEqual([]);
  });
});

describe('the compliance stack in the landing zone', () => {
  test('reads the Config key from the Log Archive\'s state and comes after the organization stack', () => {
    const ids = [...stacks.keys()];
    expect(ids).toContain('compliance');
    expect(compliance.data?.terraform_remote_state?.['state-of-log-archive']).toBeDefined();
    expect(new Set(Object.values(compliance.provider?.aws ?? []).map((p: any) => p.alias))).toEqual(new Set(['audit_eu_west_1', 'management_eu_west_1']));
  });

  test('is left out when Config, Security Hub and Access Analyzer are all off, and so are their pieces elsewhere', () => {
    const off = synthLandingZone(exampleConfig((raw) => {
      raw.awsConfig = { enabled: false };
      raw.securityHub = { enabled: false };
      raw.accessAnalyzer = { enabled: false };
    }));
    expect(off.has('compliance')).toBe(false);
    expect(resources(stackOf(off, `guardduty-${HOME}`), 'aws_config_configuration_recorder')).toEqual([]);
    expect(resources(stackOf(off, `guardduty-${HOME}`), 'aws_accessanalyzer_analyzer')).toEqual([]);
    expect(resources(stackOf(off, 'log-archive'), 'aws_s3_bucket_replication_configuration')).toEqual([]);
  });

  test('may be retired only once Config, Security Hub and Access Analyzer are all off', () => {
    const allOff = (raw: Record<string, any>) => {
      raw.awsConfig = { enabled: false };
      raw.securityHub = { enabled: false };
      raw.accessAnalyzer = { enabled: false };
    };
    expect(() => exampleConfig((raw) => { allOff(raw); raw.retiredStacks = ['compliance']; })).not.toThrow();
    expect(() => exampleConfig((raw) => { allOff(raw); raw.accessAnalyzer = { enabled: true }; raw.retiredStacks = ['compliance']; })).toThrow(
      'retiredStacks[0]: compliance is still synthesized: awsConfig, securityHub or accessAnalyzer is still enabled',
    );
  });

  test('nothing grows with the number of member accounts', () => {
    const count = (all: Map<string, SynthesizedJson>) =>
      [...all.values()].reduce((sum, json) => sum + Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0), 0);
    const thousand = synthLandingZone(exampleConfig((raw) => {
      raw.accounts.members = Array.from({ length: 1000 }, (_, i) => ({ name: `member-${i}`, id: String(500000000000 + i) }));
    }));
    expect(count(thousand)).toBe(count(stacks));
    expect(JSON.stringify(stackOf(thousand, 'compliance'))).not.toContain('500000000999');
  });
});

// last in the file, so that cfn-lint (started as the file loads) runs while every other test does
describe('the Config StackSet\'s template', () => {
  test('passes cfn-lint, with and without a recording override, for every governed region', async () => {
    expect(JSON.stringify(withOverride)).toContain('"RecordingModeOverrides":[{"ResourceTypes":["AWS::EC2::NetworkInterface"],"RecordingFrequency":"DAILY"');
    expect(await linting).toMatchObject({ status: 0, output: '' });
  });
});
