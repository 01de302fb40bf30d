/**
 * The real Terraform CLI and AWS provider on every stack of the example: `terraform plan` with
 * empty state offline, which also validates every resource with the provider's validators, and
 * which the plan review then reads as CI does. Of the per-region stacks that are the same
 * Terraform in another region (`oneOfEachRegionalFamily`), one is planned: a regional stack that
 * differs from its family is planned too. One plan serves every test here. The deployed
 * form differs from the offline one only in its providers (assumed roles) and backends: that form
 * is validated for the stacks that hold every kind of provider (`npm run validate` validates it for
 * every stack). Fails, never skips, where terraform or the provider mirror is missing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planOffline } from '../../scripts/offline-plan';
import { planReview } from '../../scripts/plan-review';
import { oneOfEachRegionalFamily } from '../../scripts/stack-differences';
import { synthesize } from '../../scripts/synth';
import { initStack, planStack, type StackPlan, terraformEnvironment, validateStacks } from '../../scripts/terraform';
import { exampleConfig } from '../helpers';

jest.setTimeout(15 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-terraform-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test('the deployed form passes terraform validate: bootstrap\'s providers (ambient credentials, the organization access role) and the observability stack\'s (the deployment role in three accounts)', async () => {
  const stacks = synthesize(exampleConfig(), { outdir: path.join(workDir, 'validate'), target: 'aws' }).filter((s) => ['bootstrap', 'observability'].includes(s.id));
  const providers = stacks.flatMap((s) => JSON.parse(fs.readFileSync(path.join(s.dir, 'cdk.tf.json'), 'utf8')).provider.aws);
  expect(providers.filter((p) => p.assume_role).map((p) => p.assume_role[0].role_arn)).toEqual(
    expect.arrayContaining([expect.stringMatching(/:role\/OrganizationAccountAccessRole$/), expect.stringMatching(/:role\/landing-zone\/audit-landing-zone-deployer$/)]),
  );
  expect(providers.some((p) => !p.assume_role)).toBe(true);
  await validateStacks(stacks, path.join(workDir, 'validate-all'), terraformEnvironment(path.join(workDir, 'cli')));
});

describe('the offline plan of every stack', () => {
  let plans: StackPlan[];
  /** Every stack the example synthesizes, planned or not. */
  let synthesized: string[];
  /** Each plan as `terraform show -json` wrote it, for the plan review. */
  let planFiles: string[];
  beforeAll(async () => {
    const config = exampleConfig();
    plans = await planOffline(config, path.join(workDir, 'plan'), () => {}, (stacks, outdir) => {
      synthesized = stacks.map((s) => s.id);
      return oneOfEachRegionalFamily(stacks, outdir, config.governedRegions);
    });
    planFiles = plans.map(({ stack, plan }) => {
      const file = path.join(workDir, `${stack.id}.json`);
      fs.writeFileSync(file, JSON.stringify(plan));
      return file;
    });
  });

  function planned(stackId: string, type: string): Array<Record<string, any>> {
    const found = plans.find((p) => p.stack.id === stackId);
    if (!found) throw new Error(`no plan for ${stackId}`);
    return (found.plan.planned_values?.root_module.resources ?? []).filter((r) => r.type === type).map((r) => r.values);
  }

  test('a stack planned with others shows what its own plan shows (integrity: it reads another stack\'s state and has an output)', async () => {
    const { stack, plan } = plans.find((p) => p.stack.id === 'integrity')!;
    const env = terraformEnvironment(path.join(workDir, 'cli-alone'));
    await initStack(stack, env, { backend: true });
    const alone = (await planStack(stack, env)).plan;
    // terraform lists relevant attributes in no fixed order
    const comparable = ({ timestamp: _timestamp, relevant_attributes: attributes, ...rest }: any) => ({ ...rest, relevant_attributes: attributes.map((a: object) => JSON.stringify(a)).sort() });
    expect((alone as any).output_changes.protected_resources.actions).toEqual(['create']);
    expect((alone as any).prior_state.values.root_module.resources.map((r: any) => r.type)).toContain('terraform_remote_state');
    expect(comparable(plan)).toEqual(comparable(alone));
  });

  test('creates everything and destroys nothing', () => {
    for (const { stack, plan } of plans) {
      const actions = (plan.resource_changes ?? []).map((c) => c.change.actions.join(','));
      expect({ stack: stack.id, actions: [...new Set(actions)] }).toEqual({ stack: stack.id, actions: ['create'] });
    }
  });

  test('bootstrap: a versioned, KMS-encrypted state bucket that blocks public access', () => {
    expect(planned('bootstrap', 'aws_s3_bucket').map((b) => b.bucket)).toEqual(['acme-tfstate-111111111111-eu-west-1']);
    expect(planned('bootstrap', 'aws_s3_bucket_versioning')[0].versioning_configuration).toMatchObject([{ status: 'Enabled' }]);
    expect(planned('bootstrap', 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm).toBe('aws:kms');
    expect(planned('bootstrap', 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  test('bootstrap: the deployment and plan roles of every account, break-glass where the keys are, GitHub OIDC', () => {
    const roles = planned('bootstrap', 'aws_iam_role').map((r) => `${r.path}${r.name}`).sort();
    expect(roles).toEqual([
      '/landing-zone/acme-github-apply',
      '/landing-zone/acme-github-plan',
      ...Array(2).fill('/landing-zone/audit-landing-zone-break-glass'),
      ...Array(3).fill('/landing-zone/audit-landing-zone-deployer'),
      ...Array(3).fill('/landing-zone/audit-landing-zone-planner'),
    ]);
    expect(planned('bootstrap', 'aws_iam_openid_connect_provider')).toEqual([expect.objectContaining({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] })]);
    expect(planned('bootstrap', 'aws_kms_key')).toEqual([expect.objectContaining({ bypass_policy_lockout_safety_check: true })]);
  });

  test('every stack plans its protection manifest as an output', () => {
    for (const { stack, plan } of plans) {
      const manifest = (plan as any).output_changes?.protected_resources;
      expect({ stack: stack.id, before: manifest?.before ?? null, planned: typeof manifest?.after }).toEqual({ stack: stack.id, before: null, planned: 'object' });
    }
    const orgTrail = (plans.find((p) => p.stack.id === 'org-trail')!.plan as any).output_changes.protected_resources.after;
    expect(Object.keys(orgTrail).filter((a) => a.startsWith('aws_cloudwatch_metric_alarm.'))).toHaveLength(16);
  });

  test('log-archive: the Object Lock bucket with its retention, and a rotating key', () => {
    const archive = planned('log-archive', 'aws_s3_bucket').find((b) => b.bucket === 'acme-log-archive-222222222222-eu-west-1');
    expect(archive?.object_lock_enabled).toBe(true);
    expect(planned('log-archive', 'aws_s3_bucket_object_lock_configuration')[0].rule[0].default_retention[0]).toMatchObject({ mode: 'COMPLIANCE', days: 2557 });
    expect(planned('log-archive', 'aws_kms_key')[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('organization: four SCPs on the root and the RCP on the Log Archive and Audit accounts, each within the size limit, and the delegated administrators', () => {
    const policies = planned('organization', 'aws_organizations_policy');
    expect(policies.map((p) => [p.name, p.type]).sort()).toEqual([
      ['acme-data-perimeter', 'RESOURCE_CONTROL_POLICY'],
      ['acme-deny-ungoverned-regions', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-audit-logging', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-compliance', 'SERVICE_CONTROL_POLICY'],
      ['acme-protect-security-services', 'SERVICE_CONTROL_POLICY'],
    ]);
    for (const p of policies) expect(p.content.length).toBeLessThanOrEqual(5120);
    expect(planned('organization', 'aws_organizations_policy_attachment').map((a) => a.target_id).sort()).toEqual(['222222222222', '333333333333', 'r-ac1e', 'r-ac1e', 'r-ac1e', 'r-ac1e']);
    expect(planned('organization', 'aws_organizations_delegated_administrator').map((d) => [d.service_principal, d.account_id]).sort()).toEqual([
      ['access-analyzer.amazonaws.com', '333333333333'],
      ['config-multiaccountsetup.amazonaws.com', '333333333333'],
      ['config.amazonaws.com', '333333333333'],
      ['member.org.stacksets.cloudformation.amazonaws.com', '333333333333'],
      ['securitylake.amazonaws.com', '222222222222'],
    ]);
  });

  test('log-archive: the Config bucket replicates into the archive with the archive key', () => {
    expect(planned('log-archive', 'aws_s3_bucket').map((b) => b.bucket)).toContain('acme-config-222222222222-eu-west-1');
    const [replication] = planned('log-archive', 'aws_s3_bucket_replication_configuration');
    expect(replication.rule).toEqual([
      expect.objectContaining({ status: 'Enabled', delete_marker_replication: [{ status: 'Disabled' }], filter: [expect.objectContaining({ prefix: 'AWSLogs/' })] }),
    ]);
  });

  test('compliance: the Config StackSet with a stack set instance per region, Security Hub CENTRAL with FSBP and CIS 5.0.0, and the findings rule', () => {
    const regions = exampleConfig().governedRegions;
    const [stackSet] = planned('compliance', 'aws_cloudformation_stack_set');
    expect(stackSet).toMatchObject({ permission_model: 'SERVICE_MANAGED', call_as: 'DELEGATED_ADMIN', auto_deployment: [{ enabled: true, retain_stacks_on_account_removal: false }] });
    // what CloudFormation receives: Fn::Sub's own ${...}, and the key ARN from the Log Archive's state
    const template = JSON.parse(stackSet.template_body);
    expect(template.Resources.Recorder.Properties.Name).toEqual({ 'Fn::Sub': 'acme-config-recorder-${AWS::Region}' });
    expect(stackSet.parameters).toEqual({ DeliveryKeyArn: expect.stringMatching(/^arn:aws:kms:eu-west-1:222222222222:key\//) });
    expect(planned('compliance', 'aws_cloudformation_stack_set_instance').map((i) => i.region).sort()).toEqual([...regions].sort());
    expect(planned('compliance', 'aws_securityhub_organization_configuration')).toEqual([
      expect.objectContaining({ auto_enable: false, auto_enable_standards: 'NONE', organization_configuration: [{ configuration_type: 'CENTRAL' }] }),
    ]);
    expect(planned('compliance', 'aws_securityhub_configuration_policy')[0].configuration_policy[0].enabled_standard_arns.sort()).toEqual([
      'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
      'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/5.0.0',
    ]);
    expect(JSON.parse(planned('compliance', 'aws_cloudwatch_event_rule')[0].event_pattern).detail.findings.Severity.Label).toEqual(['HIGH', 'CRITICAL']);
    // the other regions' stacks are the first region's Terraform (the test of the regional copies)
    for (const region of ['eu-west-1', regions[0]]) {
      expect(planned(`guardduty-${region}`, 'aws_config_configuration_recorder')[0].recording_group[0].include_global_resource_types).toBe(region === 'eu-west-1');
      expect(planned(`guardduty-${region}`, 'aws_accessanalyzer_analyzer')).toEqual([expect.objectContaining({ type: 'ORGANIZATION' })]);
    }
  });

  test('org-trail: an organization-wide, multi-region, validated, encrypted trail', () => {
    const [trail] = planned('org-trail', 'aws_cloudtrail');
    expect(trail).toMatchObject({
      name: 'acme-organization-trail',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      s3_bucket_name: 'acme-log-archive-222222222222-eu-west-1',
    });
    expect(trail.kms_key_id).toMatch(/^arn:aws:kms:eu-west-1:222222222222:key\//);
    expect(trail.insight_selector.map((s: any) => s.insight_type).sort()).toEqual(['ApiCallRateInsight', 'ApiErrorRateInsight']);
  });

  test('org-trail: CIS alarms on the trail log group report to the alarm topic, the notifier function reading it to its own', () => {
    // the 15 CIS controls and the landing zone's GuardDuty silenced alarm
    expect(planned('org-trail', 'aws_cloudwatch_log_metric_filter').map((f) => f.log_group_name)).toEqual(Array(16).fill('/aws/cloudtrail/acme-organization-trail'));
    expect(planned('org-trail', 'aws_cloudwatch_metric_alarm')).toHaveLength(16);
    expect(planned('org-trail', 'aws_sns_topic').map((t) => t.name).sort()).toEqual(['acme-activity-notices', 'acme-security-alarms']);
    expect(planned('org-trail', 'aws_lambda_function')).toEqual([
      expect.objectContaining({ function_name: 'acme-activity-notifier', runtime: 'nodejs22.x', source_code_hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/) }),
    ]);
    expect(planned('org-trail', 'aws_cloudwatch_log_subscription_filter')).toEqual([
      expect.objectContaining({ log_group_name: '/aws/cloudtrail/acme-organization-trail', filter_pattern: expect.stringContaining('$.eventName=RunInstances') }),
    ]);
  });

  test('every stack is planned but the regional copies of one stack in another region: those are the GuardDuty stacks of the governed regions', () => {
    const regions = exampleConfig().governedRegions;
    const unplanned = synthesized.filter((id) => !plans.some((p) => p.stack.id === id));
    expect(synthesized).toHaveLength(27);
    expect(plans.filter((p) => p.stack.id.startsWith('guardduty-')).map((p) => p.stack.id).sort()).toEqual(['guardduty-eu-west-1', `guardduty-${regions[0]}`].sort());
    expect(unplanned.sort()).toEqual(regions.filter((r) => r !== 'eu-west-1' && r !== regions[0]).map((r) => `guardduty-${r}`).sort());
  });

  test('guardduty-REGION: in the home region and another, the Audit account is designated, auto-enables ALL, exports and routes findings', () => {
    for (const id of ['guardduty-eu-west-1', `guardduty-${exampleConfig().governedRegions[0]}`]) {
      expect(planned(id, 'aws_guardduty_organization_admin_account')).toEqual([expect.objectContaining({ admin_account_id: '333333333333' })]);
      expect(planned(id, 'aws_guardduty_organization_configuration')).toEqual([expect.objectContaining({ auto_enable_organization_members: 'ALL' })]);
      expect(planned(id, 'aws_guardduty_organization_configuration_feature').map((f) => f.auto_enable)).toEqual(Array(6).fill('ALL'));
      expect(planned(id, 'aws_guardduty_publishing_destination')).toEqual([
        expect.objectContaining({ destination_arn: 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1', kms_key_arn: expect.stringMatching(/^arn:aws:kms:eu-west-1:222222222222:key\//) }),
      ]);
      expect(JSON.parse(planned(id, 'aws_cloudwatch_event_rule')[0].event_pattern).detail.severity).toEqual([{ numeric: ['>=', 7] }]);
    }
  });

  test('integrity: in the Log Archive account, a daily schedule starts the planner; the queue feeds the verifier; alarms reach the encrypted topic', () => {
    expect(planned('integrity', 'aws_scheduler_schedule')).toEqual([expect.objectContaining({ name: 'acme-log-integrity-daily', schedule_expression: 'cron(30 2 * * ? *)', schedule_expression_timezone: 'UTC' })]);
    expect(planned('integrity', 'aws_lambda_function').map((f) => [f.function_name, f.runtime, f.handler]).sort()).toEqual([
      ['acme-log-integrity-plan', 'nodejs22.x', 'index.plan'],
      ['acme-log-integrity-verify', 'nodejs22.x', 'index.verify'],
    ]);
    expect(planned('integrity', 'aws_lambda_event_source_mapping')).toEqual([expect.objectContaining({ batch_size: 1, scaling_config: [{ maximum_concurrency: 10 }] })]);
    expect(planned('integrity', 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).sort()).toEqual(['acme-log-integrity-failures', 'acme-log-integrity-gaps', 'acme-log-integrity-unverified']);
    expect(planned('integrity', 'aws_sns_topic')).toEqual([expect.objectContaining({ name: 'acme-log-integrity-alarms' })]);
  });

  test('analytics and security-lake: the projected trail table as Athena receives it, and a data lake per governed region', () => {
    expect(planned('analytics', 'aws_glue_catalog_table')[0].parameters).toMatchObject({
      'storage.location.template': 's3://acme-log-archive-222222222222-eu-west-1/AWSLogs/o-acme12ab34/${account}/CloudTrail/${region}/${date}',
      'projection.date.range': '2024/01/01,NOW',
    });
    expect(planned('analytics', 'aws_athena_workgroup').map((w) => w.configuration[0].enforce_workgroup_configuration)).toEqual([true, true]);
    expect(planned('security-lake', 'aws_securitylake_data_lake').map((l) => l.configuration[0].region).sort()).toEqual([...exampleConfig().governedRegions].sort());
  });

  test('plan review: every stack only creates, and each gets its table of creates', () => {
    const { exitCode, markdown } = planReview(planFiles);
    expect(exitCode).toBe(0);
    expect(markdown).toMatch(/^<!-- audit-landing-zone:plan-review -->\n## ✅ Plan review: \d+ changes, no protected resource deleted or replaced/);
    for (const { stack } of plans) {
      expect(markdown).toMatch(new RegExp(`^\\| ${stack.id} \\| [1-9]\\d* \\| 0 \\| 0 \\| 0 \\|$`, 'm'));
    }
    expect(markdown).toContain(`| create | \`aws_s3_bucket_object_lock_configuration.archive_object-lock_`);
    expect(markdown).not.toContain('Protected resources deleted or replaced');
    // long lists are collapsed so the comment stays readable
    expect(markdown).toMatch(/<details><summary>\*\*create\*\* \(\d{2,}\)<\/summary>/);
  });

  test('plan review: the script itself, spawned as CI runs it, prints the same verdict and exits 0', () => {
    const run = spawnSync(path.join('node_modules', '.bin', 'tsx'), ['scripts/plan-review.ts', ...planFiles], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(planReview(planFiles).markdown);
  });
});
