/**
 * The real Terraform CLI and AWS provider on every stack of the example: `terraform validate`
 * of the stacks as deployed (assume-role providers, S3 state), and `terraform plan` of each with
 * empty state offline. Fails, never skips, where terraform or the provider mirror is missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planOffline, type StackPlan } from '../scripts/offline-plan';
import { synthesize } from '../scripts/synth';
import { inParallel, TERRAFORM_PARALLELISM, terraformEnvironment, validateStack } from '../scripts/terraform';
import { exampleConfig } from './helpers';

jest.setTimeout(15 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-terraform-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test('every stack of the example passes terraform validate with the AWS provider', async () => {
  const outdir = path.join(workDir, 'validate');
  const stacks = synthesize(exampleConfig(), { outdir, target: 'aws' });
  expect(stacks.length).toBeGreaterThanOrEqual(3);
  const env = terraformEnvironment(path.join(workDir, 'cli'));
  await inParallel(stacks, TERRAFORM_PARALLELISM, (stack) => validateStack(stack, env));
});

describe('the offline plan of every stack', () => {
  let plans: StackPlan[];
  beforeAll(async () => {
    plans = await planOffline(exampleConfig(), path.join(workDir, 'plan'));
  });

  function planned(stackId: string, type: string): Array<Record<string, any>> {
    const found = plans.find((p) => p.stack.id === stackId);
    if (!found) throw new Error(`no plan for ${stackId}`);
    return (found.plan.planned_values?.root_module.resources ?? []).filter((r) => r.type === type).map((r) => r.values);
  }

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

  test('log-archive: the Object Lock bucket with its retention, and a rotating key', () => {
    const archive = planned('log-archive', 'aws_s3_bucket').find((b) => b.bucket === 'acme-log-archive-222222222222-eu-west-1');
    expect(archive?.object_lock_enabled).toBe(true);
    expect(planned('log-archive', 'aws_s3_bucket_object_lock_configuration')[0].rule[0].default_retention[0]).toMatchObject({ mode: 'COMPLIANCE', days: 2557 });
    expect(planned('log-archive', 'aws_kms_key')[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
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
});
