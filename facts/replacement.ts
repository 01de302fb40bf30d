/**
 * What the AWS provider (5.100.0) does when an attribute changes: for these resource types, a new
 * value of any listed attribute makes Terraform destroy the resource and create a new one (the
 * provider marks them ForceNew / RequiresReplace). Only the types whose loss loses evidence or a
 * guard are listed; `__tests__/terraform/replacement.test.ts` plans a change of each attribute
 * with the real provider and checks that Terraform plans exactly this replacement, and that the
 * other changes listed there stay updates in place.
 */
export const REPLACING_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_s3_bucket_object_lock_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_policy: ['bucket'],
  aws_s3_bucket_lifecycle_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_versioning: ['bucket', 'expected_bucket_owner'],
  aws_kms_key: ['customer_master_key_spec', 'key_usage', 'multi_region'],
  aws_cloudtrail: ['name'],
  aws_guardduty_organization_admin_account: ['admin_account_id'],
  aws_guardduty_organization_configuration: ['detector_id'],
  aws_securitylake_data_lake: ['meta_store_manager_role_arn'],
  aws_organizations_policy: ['type'],
  aws_organizations_policy_attachment: ['policy_id', 'target_id'],
  aws_lambda_function: ['function_name'],
  aws_scheduler_schedule: ['group_name', 'name'],
  aws_lambda_event_source_mapping: ['event_source_arn'],
  aws_cloudwatch_metric_alarm: ['alarm_name'],
  aws_cloudwatch_log_data_protection_policy: ['log_group_name'],
  aws_cloudwatch_log_account_policy: ['policy_name', 'policy_type'],
  aws_organizations_delegated_administrator: ['account_id', 'service_principal'],
  aws_s3_bucket_replication_configuration: ['bucket'],
  aws_config_configuration_recorder: ['name'],
  aws_config_delivery_channel: ['name'],
  aws_cloudformation_stack_set: ['name'],
  aws_cloudformation_stack_set_instance: ['region', 'stack_set_name'],
  aws_securityhub_organization_admin_account: ['admin_account_id'],
  aws_securityhub_configuration_policy_association: ['target_id'],
  aws_accessanalyzer_analyzer: ['analyzer_name', 'type'],
};

/**
 * The attribute a resource's `id` equals, where the id is a name given in the configuration
 * (an S3 bucket's id is its name), so that `${aws_s3_bucket.x.id}` can be read as that name.
 */
export const ID_ATTRIBUTE: Readonly<Record<string, string>> = {
  aws_s3_bucket: 'bucket',
};
