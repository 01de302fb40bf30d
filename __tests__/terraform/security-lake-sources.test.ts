/**
 * Security Lake log sources planned with the real provider against a state that covers one account
 * more than the config (as after Security Lake enabled an account by itself): with the landing
 * zone's ignore_changes nothing changes; without it the provider replaces every source, which
 * would stop collection for the whole organization.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
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
      let initialized = false;
      // The state as after Security Lake enabled a third account by itself: the provider reads back every account.
      const planWithState = async (stack: TerraformStack): Promise<string[][]> => {
        const synthesized = JSON.parse(Testing.synth(stack)) as SynthesizedJson;
        fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(synthesized));
        const state = {
          version: 4,
          terraform_version: '1.11.4',
          serial: 1,
          lineage: 'lake-plan',
          outputs: {},
          resources: Object.entries(synthesized.resource!.aws_securitylake_aws_log_source).map(([id, r]) => ({
            mode: 'managed',
            type: 'aws_securitylake_aws_log_source',
            name: id,
            provider: 'provider["registry.terraform.io/hashicorp/aws"].lake',
            instances: [{ schema_version: 0, attributes: { id: r.source[0].source_name, source: [{ ...r.source[0], accounts: [...r.source[0].accounts, '444444444441'] }] } }],
          })),
        };
        fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));
        if (!initialized) await terraform(['init', '-input=false', '-backend=false'], dir, env);
        initialized = true;
        await terraform(['plan', '-input=false', '-lock=false', '-refresh=false', '-out=plan.tfplan'], dir, env);
        const plan = JSON.parse((await terraform(['show', '-json', 'plan.tfplan'], dir, env)).stdout) as PlanJson;
        return (plan.resource_changes ?? []).filter((c) => c.type === 'aws_securitylake_aws_log_source').map((c) => [...c.change.actions]);
      };
      expect(await planWithState(bareLake().stack)).toEqual([['no-op'], ['no-op'], ['no-op']]);
      // Without ignore_changes the same state is planned as delete and create: collection stops org-wide.
      const unguarded = bareLake().stack;
      for (const child of unguarded.node.findAll()) {
        if (child instanceof SecuritylakeAwsLogSource) child.lifecycle = undefined;
      }
      expect(await planWithState(unguarded)).toEqual([['delete', 'create'], ['delete', 'create'], ['delete', 'create']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
