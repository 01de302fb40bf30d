/**
 * The real Terraform CLI and AWS provider on the all-features example
 * (config/examples/all-features.yaml): `terraform plan` with empty state offline of each stack
 * that differs from the bundled example's, one stack for each family of per-region stacks that are
 * the same Terraform in another region. The rest plan as the example's stacks do (stacks.test.ts).
 * Fails, never skips, where terraform or the provider mirror is missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALL_FEATURES_CONFIG_PATH, loadConfig } from '../../config/loader';
import { planOffline } from '../../scripts/offline-plan';
import { planReview } from '../../scripts/plan-review';
import { differsFrom, oneOfEachRegionalFamily } from '../../scripts/stack-differences';
import { synthesize } from '../../scripts/synth';
import type { StackPlan } from '../../scripts/terraform';
import { exampleConfig } from '../helpers';

jest.setTimeout(15 * 60 * 1000);

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-all-features-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

const config = loadConfig(ALL_FEATURES_CONFIG_PATH);
const exampleDir = path.join(workDir, 'example');
const allFeaturesDir = path.join(workDir, 'all-features');
synthesize(exampleConfig(), { outdir: exampleDir, target: 'offline' });
const differing = synthesize(config, { outdir: allFeaturesDir, target: 'offline' }).filter(differsFrom(exampleDir, allFeaturesDir));
const chosen = oneOfEachRegionalFamily(differing, allFeaturesDir, config.governedRegions);

test('the stacks the optional features change are planned; of the load balancer stacks, the home region\'s and one other', () => {
  expect(chosen.map((s) => s.id).sort()).toEqual(['analytics', 'log-archive', 'log-collection', 'log-collection-eu-west-1', 'log-collection-us-east-1', 'organization', 'security-lake']);
  // every other governed region's load balancer stack is us-east-1's in that region
  expect(differing.filter((s) => !chosen.includes(s)).map((s) => s.id).sort()).toEqual(
    config.governedRegions.filter((r) => r !== 'eu-west-1' && r !== 'us-east-1').map((r) => `log-collection-${r}`).sort(),
  );
});

describe('the offline plan of the all-features example, where it differs from the example', () => {
  let plans: StackPlan[];
  beforeAll(async () => {
    const ids = new Set(chosen.map((s) => s.id));
    plans = await planOffline(config, path.join(workDir, 'plan'), () => {}, (stacks) => stacks.filter((stack) => ids.has(stack.id)));
  });

  const planned = (stackId: string, type: string) =>
    (plans.find((p) => p.stack.id === stackId)?.plan.planned_values?.root_module.resources ?? []).filter((r) => r.type === type).map((r) => r.values);

  test('plans the chosen stacks, which only create and plan their protection manifest', () => {
    expect(plans.map((p) => p.stack.id).sort()).toEqual(chosen.map((s) => s.id).sort());
    for (const { stack, plan } of plans) {
      expect({ stack: stack.id, actions: [...new Set((plan.resource_changes ?? []).map((c) => c.change.actions.join(',')))] }).toEqual({ stack: stack.id, actions: ['create'] });
      const manifest = (plan as any).output_changes?.protected_resources;
      expect({ stack: stack.id, planned: typeof manifest?.after }).toEqual({ stack: stack.id, planned: 'object' });
    }
  });

  test('QuickSight, the SIEM feeds, load balancer logs, CloudTrail Lake and the CloudTrail delegated administrator are planned as the provider takes them', () => {
    expect(planned('log-collection', 'aws_cloudtrail_event_data_store')).toHaveLength(1);
    expect(planned('log-collection-eu-west-1', 'aws_s3_bucket').map((b) => b.bucket).sort()).toEqual(['acme-alb-logs-222222222222-eu-west-1', 'acme-nlb-logs-222222222222-eu-west-1']);
    expect(planned('analytics', 'aws_quicksight_dashboard')).toEqual([expect.objectContaining({ dashboard_id: 'acme-trail-activity' })]);
    expect(planned('analytics', 'aws_quicksight_data_set').map((d) => d.import_mode)).toEqual(Array(4).fill('DIRECT_QUERY'));
    expect(planned('security-lake', 'aws_securitylake_subscriber').map((s) => s.access_type).sort()).toEqual(['LAKEFORMATION', 'S3']);
    expect(planned('security-lake', 'aws_securitylake_subscriber_notification')).toHaveLength(1);
    expect(planned('log-archive', 'aws_s3_bucket_notification')).toEqual([expect.objectContaining({ bucket: 'acme-log-archive-222222222222-eu-west-1' })]);
    expect(planned('organization', 'aws_cloudtrail_organization_delegated_admin_account')).toEqual([expect.objectContaining({ account_id: '333333333333' })]);
  });

  test('plan review passes them, and their manifests protect the SIEM feeds and the account projection', () => {
    const files = plans.map(({ stack, plan }) => {
      const file = path.join(workDir, `${stack.id}.json`);
      fs.writeFileSync(file, JSON.stringify(plan));
      return file;
    });
    const { exitCode, markdown } = planReview(files);
    expect(exitCode).toBe(0);
    for (const { stack } of plans) expect(markdown).toMatch(new RegExp(`^\\| ${stack.id} \\| [1-9]\\d* \\| 0 \\| 0 \\| 0 \\|$`, 'm'));
    const manifests = Object.fromEntries(plans.map(({ stack, plan }) => [stack.id, (plan as any).output_changes.protected_resources.after]));
    expect(Object.keys(manifests['log-archive'])).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_notification\./)]));
    expect(Object.keys(manifests.analytics)).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_event_rule\.account-projection_daily/)]));
    expect(Object.keys(manifests['security-lake'])).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_securitylake_subscriber\.[^.]*data-subscriber/)]));
  });
});
