/**
 * Security Lake log sources planned with the real provider against a state that covers one account
 * more than the config (as after Security Lake enabled an account by itself): with the landing
 * zone's ignore_changes nothing changes; without it the provider replaces every source, which
 * would stop collection for the whole organization. Both sets of sources are in one plan.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { SecuritylakeAwsLogSource } from '@cdktf/provider-aws/lib/securitylake-aws-log-source';
import { type PlanJson, terraform, terraformEnvironment } from '../../scripts/terraform';
import type { SynthesizedJson } from '../helpers';
import { bareLake } from '../support/security-lake';

jest.setTimeout(5 * 60 * 1000);

describe('Security Lake log sources', () => {
  test('are not replaced when the organization has more accounts than the config lists', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-lake-plan-'));
    try {
      const env = terraformEnvironment(path.join(dir, '.cli'));
      const guarded = bareLake().json;
      const unguardedStack = bareLake().stack;
      for (const child of unguardedStack.node.findAll()) {
        if (child instanceof SecuritylakeAwsLogSource) child.lifecycle = undefined;
      }
      const unguarded = (JSON.parse(Testing.synth(unguardedStack)) as SynthesizedJson).resource!.aws_securitylake_aws_log_source;
      const sources: Record<string, any> = { ...guarded.resource!.aws_securitylake_aws_log_source };
      for (const [id, source] of Object.entries(unguarded)) sources[`unguarded-${id}`] = source;
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ ...guarded, resource: { ...guarded.resource, aws_securitylake_aws_log_source: sources } }));
      // The state as after Security Lake enabled a third account by itself: the provider reads back every account.
      fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify({
        version: 4,
        terraform_version: '1.11.4',
        serial: 1,
        lineage: 'lake-plan',
        outputs: {},
        resources: Object.entries(sources).map(([id, r]) => ({
          mode: 'managed',
          type: 'aws_securitylake_aws_log_source',
          name: id,
          provider: 'provider["registry.terraform.io/hashicorp/aws"].lake',
          instances: [{ schema_version: 0, attributes: { id: r.source[0].source_name, source: [{ ...r.source[0], accounts: [...r.source[0].accounts, '444444444441'] }] } }],
        })),
      }));
      await terraform(['init', '-input=false', '-backend=false'], dir, env);
      await terraform(['plan', '-input=false', '-lock=false', '-refresh=false', '-out=plan.tfplan'], dir, env);
      const plan = JSON.parse((await terraform(['show', '-json', 'plan.tfplan'], dir, env)).stdout) as PlanJson;
      const actions = (unguardedSources: boolean) =>
        (plan.resource_changes ?? [])
          .filter((c) => c.type === 'aws_securitylake_aws_log_source' && c.address.includes('.unguarded-') === unguardedSources)
          .map((c) => [...c.change.actions]);
      expect(actions(false)).toEqual([['no-op'], ['no-op'], ['no-op']]);
      // Without ignore_changes the same state is planned as delete and create: collection stops org-wide.
      expect(actions(true)).toEqual([['delete', 'create'], ['delete', 'create'], ['delete', 'create']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
