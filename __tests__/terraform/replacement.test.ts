/**
 * The facts of facts/replacement.ts, checked against the real AWS provider: a state holds one
 * resource per case, the configuration changes one attribute of each, and `terraform plan
 * -refresh=false` (no AWS is called) says which changes replace the resource. The same real plan
 * then goes through plan-review, which must list the changed attributes of every update.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPLACING_ATTRIBUTES } from '../../facts/replacement';
import { PROTECTION_OUTPUT } from '../../modules/core/protection';
import { planReview } from '../../scripts/plan-review';
import { terraform, terraformEnvironment } from '../../scripts/terraform';

jest.setTimeout(5 * 60 * 1000);

interface Case {
  readonly type: string;
  readonly name: string;
  /** The provider's schema version of the type (`terraform providers schema -json`). */
  readonly schemaVersion?: number;
  /** The resource as the state holds it. */
  readonly state: Record<string, unknown>;
  /** The resource as the configuration now says. */
  readonly config: Record<string, unknown>;
  /** The one attribute whose change replaces the resource; none: an update in place. */
  readonly replaces?: string;
}

const BUCKET = 'acme-example-bucket';
const bucket = (extra: Record<string, unknown> = {}) => ({ id: BUCKET, bucket: BUCKET, force_destroy: false, object_lock_enabled: false, ...extra });
const objectLock = { id: BUCKET, bucket: BUCKET, expected_bucket_owner: '', object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ mode: 'COMPLIANCE', days: 1, years: null }] }] };
const retention = (days: number) => ({ default_retention: { mode: 'COMPLIANCE', days } });
const POLICY = '{"Version":"2012-10-17","Statement":[]}';
const lifecycle = { id: BUCKET, bucket: BUCKET, expected_bucket_owner: '', transition_default_minimum_object_size: 'all_storage_classes_128K', rule: [{ id: 'expire', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 10 }] }] };
const lifecycleRule = (days: number) => ({ id: 'expire', status: 'Enabled', filter: { prefix: '' }, expiration: { days } });
const versioning = { id: BUCKET, bucket: BUCKET, expected_bucket_owner: '', mfa: null, versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }] };
const key = (extra: Record<string, unknown> = {}) => ({
  id: 'k', key_id: 'k', arn: 'arn:aws:kms:eu-west-1:111111111111:key/k', customer_master_key_spec: 'SYMMETRIC_DEFAULT', key_usage: 'ENCRYPT_DECRYPT',
  multi_region: false, description: 'archive', deletion_window_in_days: 30, enable_key_rotation: true, is_enabled: true, policy: '{}',
  bypass_policy_lockout_safety_check: false, custom_key_store_id: '', xks_key_id: '', rotation_period_in_days: 365, tags: {}, tags_all: {}, ...extra,
});
const trail = {
  id: 'acme-trail', name: 'acme-trail', arn: 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-trail', s3_bucket_name: BUCKET, is_organization_trail: true,
  is_multi_region_trail: true, include_global_service_events: true, enable_logging: true, enable_log_file_validation: true, home_region: 'eu-west-1',
  kms_key_id: '', s3_key_prefix: '', cloud_watch_logs_group_arn: '', cloud_watch_logs_role_arn: '', sns_topic_name: '', sns_topic_arn: '', tags: {}, tags_all: {},
  event_selector: [], advanced_event_selector: [], insight_selector: [],
};
const trailConfig = (extra: Record<string, unknown>) => ({ name: 'acme-trail', s3_bucket_name: BUCKET, is_organization_trail: true, is_multi_region_trail: true, enable_log_file_validation: true, ...extra });
const organizationConfiguration = { id: 'd1', detector_id: 'd1', auto_enable: true, auto_enable_organization_members: 'ALL', datasources: [] };
const lake = {
  id: 'arn:aws:securitylake:eu-west-1:222222222222:data-lake/default', arn: 'arn:aws:securitylake:eu-west-1:222222222222:data-lake/default',
  meta_store_manager_role_arn: 'arn:aws:iam::222222222222:role/a', s3_bucket_arn: 'arn:aws:s3:::lake', tags: null, tags_all: {}, timeouts: null,
  configuration: [{ region: 'eu-west-1', encryption_configuration: [{ kms_key_id: 'S3_MANAGED_KEY' }], lifecycle_configuration: [], replication_configuration: [] }],
};
const scp = { id: 'p-1', arn: 'arn:aws:organizations::111111111111:policy/o-1/service_control_policy/p-1', content: POLICY, description: '', name: 'guard', skip_destroy: false, type: 'SERVICE_CONTROL_POLICY', tags: {}, tags_all: {} };
const attachment = { id: 'r-ac1e:p-1', policy_id: 'p-1', target_id: 'r-ac1e', skip_destroy: false };
const ROLE = 'arn:aws:iam::222222222222:role/acme-log-integrity-verify';
const verifier = { id: 'acme-log-integrity-verify', function_name: 'acme-log-integrity-verify', role: ROLE, handler: 'index.verify', runtime: 'nodejs22.x', filename: 'code.zip', memory_size: 1024, timeout: 900, package_type: 'Zip', publish: false, architectures: ['arm64'], tags: {}, tags_all: {} };
const verifierConfig = (extra: Record<string, unknown>) => ({ function_name: 'acme-log-integrity-verify', role: ROLE, handler: 'index.verify', runtime: 'nodejs22.x', filename: 'code.zip', memory_size: 1024, timeout: 900, architectures: ['arm64'], ...extra });
const TARGET = { arn: 'arn:aws:lambda:eu-west-1:222222222222:function:acme-log-integrity-plan', role_arn: 'arn:aws:iam::222222222222:role/acme-log-integrity-schedule', input: '{}' };
const schedule = {
  id: 'default/acme-log-integrity-daily', arn: 'arn:aws:scheduler:eu-west-1:222222222222:schedule/default/acme-log-integrity-daily', name: 'acme-log-integrity-daily', group_name: 'default',
  schedule_expression: 'cron(30 2 * * ? *)', schedule_expression_timezone: 'UTC', state: 'ENABLED', description: '', kms_key_arn: '', name_prefix: '', start_date: '', end_date: '',
  flexible_time_window: [{ mode: 'OFF', maximum_window_in_minutes: 0 }],
  target: [{ ...TARGET, dead_letter_config: [], ecs_parameters: [], eventbridge_parameters: [], kinesis_parameters: [], retry_policy: [], sagemaker_pipeline_parameters: [], sqs_parameters: [] }],
};
const scheduleConfig = (extra: Record<string, unknown>) => ({ name: 'acme-log-integrity-daily', schedule_expression: 'cron(30 2 * * ? *)', schedule_expression_timezone: 'UTC', flexible_time_window: { mode: 'OFF' }, target: TARGET, ...extra });
const QUEUE = 'arn:aws:sqs:eu-west-1:222222222222:acme-log-integrity-work';
const mapping = { id: '11111111-2222-4333-8444-555555555555', uuid: '11111111-2222-4333-8444-555555555555', event_source_arn: QUEUE, function_name: 'arn:aws:lambda:eu-west-1:222222222222:function:acme-log-integrity-verify', function_arn: 'arn:aws:lambda:eu-west-1:222222222222:function:acme-log-integrity-verify', batch_size: 1, enabled: true, function_response_types: ['ReportBatchItemFailures'], scaling_config: [{ maximum_concurrency: 10 }] };
const mappingConfig = (extra: Record<string, unknown>) => ({ event_source_arn: QUEUE, function_name: mapping.function_name, batch_size: 1, function_response_types: ['ReportBatchItemFailures'], scaling_config: { maximum_concurrency: 10 }, ...extra });
const alarm = { id: 'acme-log-integrity-failures', arn: 'arn:aws:cloudwatch:eu-west-1:222222222222:alarm:acme-log-integrity-failures', alarm_name: 'acme-log-integrity-failures', namespace: 'LogIntegrity', metric_name: 'Failures', statistic: 'Sum', period: 300, evaluation_periods: 1, threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching', actions_enabled: true, alarm_actions: ['arn:aws:sns:eu-west-1:222222222222:acme-log-integrity-alarms'], tags: {}, tags_all: {} };
const alarmConfig = (extra: Record<string, unknown>) => ({ alarm_name: 'acme-log-integrity-failures', namespace: 'LogIntegrity', metric_name: 'Failures', statistic: 'Sum', period: 300, evaluation_periods: 1, threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', treat_missing_data: 'notBreaching', alarm_actions: alarm.alarm_actions, ...extra });
const delegation = { id: '333333333333/config.amazonaws.com', account_id: '333333333333', service_principal: 'config.amazonaws.com' };
const replication = {
  id: 'acme-config', bucket: 'acme-config', role: 'arn:aws:iam::222222222222:role/r', token: null,
  rule: [{ id: 'a', status: 'Enabled', priority: 1, prefix: '', filter: [{ prefix: 'AWSLogs/', and: [], tag: [] }], delete_marker_replication: [{ status: 'Disabled' }], destination: [{ bucket: `arn:aws:s3:::${BUCKET}`, storage_class: 'STANDARD', account: '', access_control_translation: [], encryption_configuration: [], metrics: [], replication_time: [] }], existing_object_replication: [], source_selection_criteria: [] }],
};
const replicationConfig = (bucket: string) => ({
  bucket, role: 'arn:aws:iam::222222222222:role/r',
  rule: { id: 'a', status: 'Enabled', priority: 1, filter: { prefix: 'AWSLogs/' }, delete_marker_replication: { status: 'Disabled' }, destination: { bucket: `arn:aws:s3:::${BUCKET}`, storage_class: 'STANDARD' } },
});
const recorder = { id: 'rec', name: 'rec', role_arn: 'arn:aws:iam::111111111111:role/rec', recording_group: [{ all_supported: true, include_global_resource_types: true, resource_types: [], exclusion_by_resource_types: [], recording_strategy: [] }], recording_mode: [] };
const channel = { id: 'del', name: 'del', s3_bucket_name: 'acme-config', s3_key_prefix: '', s3_kms_key_arn: '', sns_topic_arn: '', snapshot_delivery_properties: [] };
const stackSet = {
  id: 'acme-config-recorder', name: 'acme-config-recorder', arn: 'arn:aws:cloudformation:eu-west-1:333333333333:stackset/acme-config-recorder:1', stack_set_id: 'acme-config-recorder:1',
  permission_model: 'SERVICE_MANAGED', call_as: 'DELEGATED_ADMIN', template_body: '{"Resources":{}}', template_url: '', parameters: {}, capabilities: [], description: '',
  administration_role_arn: '', execution_role_name: '', auto_deployment: [{ enabled: true, retain_stacks_on_account_removal: false }], managed_execution: [], operation_preferences: [], tags: {}, tags_all: {}, timeouts: null,
};
const stackSetConfig = (name: string) => ({ name, permission_model: 'SERVICE_MANAGED', call_as: 'DELEGATED_ADMIN', template_body: '{"Resources":{}}', auto_deployment: { enabled: true, retain_stacks_on_account_removal: false } });
const instance = {
  id: 'acme-config-recorder,r-ac1e,eu-west-1', stack_set_name: 'acme-config-recorder', region: 'eu-west-1', call_as: 'DELEGATED_ADMIN', account_id: '', organizational_unit_id: '', stack_id: '',
  parameter_overrides: {}, retain_stack: false, deployment_targets: [{ organizational_unit_ids: ['r-ac1e'], accounts: [], accounts_url: '', account_filter_type: '' }], operation_preferences: [], stack_instance_summaries: [], timeouts: null,
};
const instanceConfig = (extra: Record<string, unknown>) => ({ stack_set_name: 'acme-config-recorder', region: 'eu-west-1', call_as: 'DELEGATED_ADMIN', deployment_targets: { organizational_unit_ids: ['r-ac1e'] }, ...extra });
const association = { id: 'r-ac1e', policy_id: '00000000-1111-2222-3333-444444444444', target_id: 'r-ac1e', timeouts: null };
const analyzer = { id: 'acme-organization', analyzer_name: 'acme-organization', arn: 'arn:aws:access-analyzer:eu-west-1:333333333333:analyzer/acme-organization', type: 'ORGANIZATION', configuration: [], tags: {}, tags_all: {} };

const MASKING = '{"Name":"acme-masking","Version":"2021-06-01","Statement":[]}';
const dataProtection = { id: '/aws/cloudtrail/acme-organization-trail', log_group_name: '/aws/cloudtrail/acme-organization-trail', policy_document: MASKING };
const accountMasking = { id: 'acme-masking', policy_name: 'acme-masking', policy_type: 'DATA_PROTECTION_POLICY', policy_document: MASKING, scope: 'ALL', selection_criteria: '' };
const accountMaskingConfig = (extra: Record<string, unknown>) => ({ policy_name: 'acme-masking', policy_type: 'DATA_PROTECTION_POLICY', policy_document: MASKING, scope: 'ALL', ...extra });

const CASES: readonly Case[] = [
  { type: 'aws_s3_bucket', name: 'bucket', state: bucket(), config: { bucket: 'acme-other-bucket' }, replaces: 'bucket' },
  { type: 'aws_s3_bucket', name: 'prefix', state: bucket({ bucket_prefix: 'acme-' }), config: { bucket_prefix: 'other-' }, replaces: 'bucket_prefix' },
  { type: 'aws_s3_bucket', name: 'lock', state: bucket(), config: { bucket: BUCKET, object_lock_enabled: true }, replaces: 'object_lock_enabled' },
  { type: 'aws_s3_bucket', name: 'force_destroy', state: bucket(), config: { bucket: BUCKET, force_destroy: true } },
  { type: 'aws_s3_bucket_object_lock_configuration', name: 'bucket', state: objectLock, config: { bucket: 'acme-other-bucket', rule: retention(1) }, replaces: 'bucket' },
  { type: 'aws_s3_bucket_object_lock_configuration', name: 'owner', state: objectLock, config: { bucket: BUCKET, expected_bucket_owner: '222222222222', rule: retention(1) }, replaces: 'expected_bucket_owner' },
  { type: 'aws_s3_bucket_object_lock_configuration', name: 'retention', state: objectLock, config: { bucket: BUCKET, rule: retention(2) } },
  { type: 'aws_s3_bucket_policy', name: 'bucket', state: { id: BUCKET, bucket: BUCKET, policy: POLICY }, config: { bucket: 'acme-other-bucket', policy: POLICY }, replaces: 'bucket' },
  { type: 'aws_s3_bucket_policy', name: 'policy', state: { id: BUCKET, bucket: BUCKET, policy: POLICY }, config: { bucket: BUCKET, policy: '{"Version":"2008-10-17","Statement":[]}' } },
  { type: 'aws_s3_bucket_lifecycle_configuration', name: 'bucket', schemaVersion: 1, state: lifecycle, config: { bucket: 'acme-other-bucket', rule: lifecycleRule(10) }, replaces: 'bucket' },
  { type: 'aws_s3_bucket_lifecycle_configuration', name: 'owner', schemaVersion: 1, state: lifecycle, config: { bucket: BUCKET, expected_bucket_owner: '222222222222', rule: lifecycleRule(10) }, replaces: 'expected_bucket_owner' },
  { type: 'aws_s3_bucket_lifecycle_configuration', name: 'expiration', schemaVersion: 1, state: lifecycle, config: { bucket: BUCKET, rule: lifecycleRule(20) } },
  { type: 'aws_s3_bucket_versioning', name: 'bucket', state: versioning, config: { bucket: 'acme-other-bucket', versioning_configuration: { status: 'Enabled' } }, replaces: 'bucket' },
  { type: 'aws_s3_bucket_versioning', name: 'owner', state: versioning, config: { bucket: BUCKET, expected_bucket_owner: '222222222222', versioning_configuration: { status: 'Enabled' } }, replaces: 'expected_bucket_owner' },
  { type: 'aws_s3_bucket_versioning', name: 'suspended', state: versioning, config: { bucket: BUCKET, versioning_configuration: { status: 'Suspended' } } },
  { type: 'aws_kms_key', name: 'spec', state: key(), config: { description: 'archive', customer_master_key_spec: 'RSA_2048', enable_key_rotation: false }, replaces: 'customer_master_key_spec' },
  { type: 'aws_kms_key', name: 'usage', state: key({ customer_master_key_spec: 'RSA_2048', enable_key_rotation: false }), config: { description: 'archive', customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' }, replaces: 'key_usage' },
  { type: 'aws_kms_key', name: 'multi_region', state: key(), config: { description: 'archive', enable_key_rotation: true, multi_region: true }, replaces: 'multi_region' },
  { type: 'aws_kms_key', name: 'window', state: key(), config: { description: 'archive', enable_key_rotation: true, deletion_window_in_days: 7 } },
  { type: 'aws_cloudtrail', name: 'name', schemaVersion: 1, state: trail, config: trailConfig({ name: 'acme-other-trail' }), replaces: 'name' },
  { type: 'aws_cloudtrail', name: 'bucket', schemaVersion: 1, state: trail, config: trailConfig({ s3_bucket_name: 'acme-other-bucket' }) },
  { type: 'aws_cloudtrail', name: 'organization', schemaVersion: 1, state: trail, config: trailConfig({ is_organization_trail: false }) },
  { type: 'aws_guardduty_detector', name: 'disabled', state: { id: 'd1', account_id: '333333333333', arn: 'arn:aws:guardduty:eu-west-1:333333333333:detector/d1', enable: true, finding_publishing_frequency: 'FIFTEEN_MINUTES', tags: {}, tags_all: {}, datasources: [] }, config: { enable: false } },
  { type: 'aws_guardduty_organization_admin_account', name: 'admin', state: { id: '333333333333', admin_account_id: '333333333333' }, config: { admin_account_id: '222222222222' }, replaces: 'admin_account_id' },
  { type: 'aws_guardduty_organization_configuration', name: 'detector', state: organizationConfiguration, config: { detector_id: 'd2', auto_enable_organization_members: 'ALL' }, replaces: 'detector_id' },
  { type: 'aws_guardduty_organization_configuration', name: 'members', state: organizationConfiguration, config: { detector_id: 'd1', auto_enable_organization_members: 'NEW' } },
  { type: 'aws_securitylake_data_lake', name: 'role', state: lake, config: { meta_store_manager_role_arn: 'arn:aws:iam::222222222222:role/b', configuration: { region: 'eu-west-1' } }, replaces: 'meta_store_manager_role_arn' },
  { type: 'aws_securitylake_data_lake', name: 'region', state: lake, config: { meta_store_manager_role_arn: 'arn:aws:iam::222222222222:role/a', configuration: { region: 'eu-west-2' } } },
  { type: 'aws_organizations_policy', name: 'type', state: scp, config: { name: 'guard', content: POLICY, type: 'RESOURCE_CONTROL_POLICY' }, replaces: 'type' },
  { type: 'aws_organizations_policy', name: 'renamed', state: scp, config: { name: 'guard-2', content: POLICY } },
  { type: 'aws_organizations_policy_attachment', name: 'policy', state: attachment, config: { policy_id: 'p-2', target_id: 'r-ac1e' }, replaces: 'policy_id' },
  { type: 'aws_organizations_policy_attachment', name: 'target', state: attachment, config: { policy_id: 'p-1', target_id: 'r-b2c3' }, replaces: 'target_id' },
  { type: 'aws_organizations_policy_attachment', name: 'kept', state: attachment, config: { policy_id: 'p-1', target_id: 'r-ac1e', skip_destroy: true } },
  { type: 'aws_lambda_function', name: 'renamed', state: verifier, config: verifierConfig({ function_name: 'acme-log-integrity-check' }), replaces: 'function_name' },
  { type: 'aws_lambda_function', name: 'memory', state: verifier, config: verifierConfig({ memory_size: 2048 }) },
  { type: 'aws_scheduler_schedule', name: 'renamed', state: schedule, config: scheduleConfig({ name: 'acme-log-integrity-nightly' }), replaces: 'name' },
  { type: 'aws_scheduler_schedule', name: 'group', state: schedule, config: scheduleConfig({ group_name: 'integrity' }), replaces: 'group_name' },
  { type: 'aws_scheduler_schedule', name: 'later', state: schedule, config: scheduleConfig({ schedule_expression: 'cron(0 4 * * ? *)' }) },
  { type: 'aws_lambda_event_source_mapping', name: 'queue', state: mapping, config: mappingConfig({ event_source_arn: `${QUEUE}-2` }), replaces: 'event_source_arn' },
  { type: 'aws_lambda_event_source_mapping', name: 'concurrency', state: mapping, config: mappingConfig({ scaling_config: { maximum_concurrency: 50 } }) },
  { type: 'aws_cloudwatch_metric_alarm', name: 'renamed', schemaVersion: 1, state: alarm, config: alarmConfig({ alarm_name: 'acme-log-integrity-tampering' }), replaces: 'alarm_name' },
  { type: 'aws_cloudwatch_metric_alarm', name: 'threshold', schemaVersion: 1, state: alarm, config: alarmConfig({ threshold: 2 }) },
  { type: 'aws_cloudwatch_log_data_protection_policy', name: 'group', state: dataProtection, config: { log_group_name: '/aws/lambda/acme-activity-notifier', policy_document: MASKING }, replaces: 'log_group_name' },
  { type: 'aws_cloudwatch_log_data_protection_policy', name: 'document', state: dataProtection, config: { log_group_name: dataProtection.log_group_name, policy_document: MASKING.replace('"Statement":[]', '"Description":"x","Statement":[]') } },
  { type: 'aws_cloudwatch_log_account_policy', name: 'renamed', state: accountMasking, config: accountMaskingConfig({ policy_name: 'acme-masking-2' }), replaces: 'policy_name' },
  { type: 'aws_cloudwatch_log_account_policy', name: 'type', state: accountMasking, config: accountMaskingConfig({ policy_type: 'SUBSCRIPTION_FILTER_POLICY' }), replaces: 'policy_type' },
  { type: 'aws_cloudwatch_log_account_policy', name: 'document', state: accountMasking, config: accountMaskingConfig({ policy_document: MASKING.replace('"Statement":[]', '"Description":"x","Statement":[]') }) },
  { type: 'aws_organizations_delegated_administrator', name: 'account', state: delegation, config: { account_id: '222222222222', service_principal: 'config.amazonaws.com' }, replaces: 'account_id' },
  { type: 'aws_organizations_delegated_administrator', name: 'principal', state: delegation, config: { account_id: '333333333333', service_principal: 'access-analyzer.amazonaws.com' }, replaces: 'service_principal' },
  { type: 'aws_s3_bucket_replication_configuration', name: 'bucket', state: replication, config: replicationConfig('acme-other-config'), replaces: 'bucket' },
  { type: 'aws_s3_bucket_replication_configuration', name: 'role', state: replication, config: { ...replicationConfig('acme-config'), role: 'arn:aws:iam::222222222222:role/other' } },
  { type: 'aws_config_configuration_recorder', name: 'name', state: recorder, config: { name: 'rec-2', role_arn: recorder.role_arn, recording_group: { all_supported: true, include_global_resource_types: true } }, replaces: 'name' },
  { type: 'aws_config_configuration_recorder', name: 'global', state: recorder, config: { name: 'rec', role_arn: recorder.role_arn, recording_group: { all_supported: true, include_global_resource_types: false } } },
  { type: 'aws_config_delivery_channel', name: 'name', state: channel, config: { name: 'del-2', s3_bucket_name: 'acme-config' }, replaces: 'name' },
  { type: 'aws_config_delivery_channel', name: 'bucket', state: channel, config: { name: 'del', s3_bucket_name: 'acme-other-config' } },
  { type: 'aws_cloudformation_stack_set', name: 'name', state: stackSet, config: stackSetConfig('acme-other-recorder'), replaces: 'name' },
  { type: 'aws_cloudformation_stack_set', name: 'template', state: stackSet, config: { ...stackSetConfig('acme-config-recorder'), template_body: '{"Resources":{"A":{}}}' } },
  { type: 'aws_cloudformation_stack_set_instance', name: 'region', state: instance, config: instanceConfig({ region: 'us-east-1' }), replaces: 'region' },
  { type: 'aws_cloudformation_stack_set_instance', name: 'set', state: instance, config: instanceConfig({ stack_set_name: 'acme-other-recorder' }), replaces: 'stack_set_name' },
  { type: 'aws_cloudformation_stack_set_instance', name: 'retain', state: instance, config: instanceConfig({ retain_stack: true }) },
  { type: 'aws_securityhub_organization_admin_account', name: 'admin', state: { id: '333333333333', admin_account_id: '333333333333' }, config: { admin_account_id: '222222222222' }, replaces: 'admin_account_id' },
  { type: 'aws_securityhub_configuration_policy_association', name: 'target', state: association, config: { policy_id: association.policy_id, target_id: 'ou-ac1e-workload1' }, replaces: 'target_id' },
  { type: 'aws_securityhub_configuration_policy_association', name: 'policy', state: association, config: { policy_id: '00000000-1111-2222-3333-555555555555', target_id: 'r-ac1e' } },
  { type: 'aws_accessanalyzer_analyzer', name: 'name', state: analyzer, config: { analyzer_name: 'acme-other', type: 'ORGANIZATION' }, replaces: 'analyzer_name' },
  { type: 'aws_accessanalyzer_analyzer', name: 'type', state: analyzer, config: { analyzer_name: 'acme-organization', type: 'ACCOUNT' }, replaces: 'type' },
];

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'replacement-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Planned {
  readonly address: string;
  readonly change: { readonly actions: string[]; readonly replace_paths?: string[][] };
}

let planned: Map<string, Planned>;
let planFile: string;
beforeAll(async () => {
  const dir = path.join(work, 'stack');
  fs.mkdirSync(dir);
  const resource: Record<string, Record<string, unknown>> = {};
  for (const c of CASES) resource[c.type] = { ...resource[c.type], [c.name]: c.config };
  fs.writeFileSync(path.join(dir, 'code.zip'), 'the functions\' code: a file, never read by a plan without refresh');
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: { region: 'eu-west-1', access_key: 'offline', secret_key: 'offline', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true } },
    resource,
    // the stack's protection manifest, as every landing zone stack publishes it
    output: { [PROTECTION_OUTPUT]: { value: { 'aws_cloudtrail.name': 'the Organization trail records every API call of every account' } } },
  }));
  fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({
    version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'replacement-facts', outputs: {},
    resources: CASES.map((c) => ({ mode: 'managed', type: c.type, name: c.name, provider: PROVIDER, instances: [{ schema_version: c.schemaVersion ?? 0, attributes: c.state, sensitive_attributes: [] }] })),
  }));
  const env = terraformEnvironment(path.join(work, 'terraform'));
  await terraform(['init', '-input=false'], dir, env);
  await terraform(['plan', '-input=false', '-refresh=false', '-lock=false', '-out=plan.tfplan'], dir, env);
  const shown = await terraform(['show', '-json', 'plan.tfplan'], dir, env);
  planFile = path.join(work, 'replacement.json');
  fs.writeFileSync(planFile, shown.stdout);
  planned = new Map((JSON.parse(shown.stdout).resource_changes as Planned[]).map((rc) => [rc.address, rc]));
});

test('every attribute of facts/replacement.ts has a case', () => {
  for (const [type, attributes] of Object.entries(REPLACING_ATTRIBUTES)) {
    for (const attribute of attributes) expect(CASES.filter((c) => c.type === type && c.replaces === attribute)).toHaveLength(1);
  }
});

test.each(CASES.map((c) => [`${c.type}.${c.name}`, c] as const))('%s: replaced exactly where the facts say', (address, c) => {
  const change = planned.get(address)?.change;
  expect(change).toBeDefined();
  if (c.replaces) {
    expect(REPLACING_ATTRIBUTES[c.type]).toContain(c.replaces);
    expect(change!.actions).toEqual(['delete', 'create']);
    expect(change!.replace_paths).toEqual([[c.replaces]]);
  } else {
    expect(change!.actions).toEqual(['update']);
  }
});

describe('plan-review of this real plan', () => {
  let markdown: string;
  beforeAll(() => {
    markdown = planReview([planFile]).markdown;
  });

  test('lists the changed attributes of every update in place, before → after', () => {
    const updates = CASES.filter((c) => !c.replaces).map((c) => `${c.type}.${c.name}`);
    const listed = [...markdown.matchAll(/^`([a-z0-9_]+\.[a-z_]+)`\n- /gm)].map((m) => m[1]);
    expect(listed).toEqual(expect.arrayContaining(updates));
    expect(markdown).toContain('`aws_s3_bucket_object_lock_configuration.retention`\n- `rule.default_retention.days`: `1` → `2`');
    expect(markdown).toContain('`aws_s3_bucket_lifecycle_configuration.expiration`\n- `rule[id=expire].expiration.days`: `10` → `20`');
    expect(markdown).toContain('`aws_guardduty_detector.disabled`\n- `enable`: `true` → `false`');
    expect(markdown).toContain('`aws_s3_bucket_policy.policy`\n- `policy.Version`: `"2012-10-17"` → `"2008-10-17"`');
  });

  test('and of every replacement, with the attribute that forces it', () => {
    expect(markdown).toContain('| replace | `aws_cloudtrail.name` | `aws_cloudtrail` | forced by name; 🛡️ protected |');
    const block = markdown.split('\n\n').find((b) => b.startsWith('`aws_cloudtrail.name`\n'));
    expect(block).toContain('\n- `name`: `"acme-trail"` → `"acme-other-trail"`');
    // the new trail's ARN and id are consequences of the replacement, not changes to review
    expect(block).not.toContain('known after apply');
  });
});
