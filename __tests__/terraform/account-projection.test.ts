/**
 * The trail table as synthesized, with the real Terraform and AWS provider: once the account
 * projection function has added an account to `projection.account.values`, a later plan of a
 * changed config (another governed region) updates the table's other parameters and leaves that
 * one key as the function wrote it. The same table without `ignore_changes` would take the account
 * back out: the control case shows the assertion can fail.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ACCOUNT_PROJECTION_PARAMETER } from '../../facts/athena';
import { terraform, terraformEnvironment } from '../../scripts/terraform';
import { exampleConfig, onlyResource, stackOf, synthLandingZone } from '../helpers';

jest.setTimeout(5 * 60 * 1000);

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"].audit_eu_west_1';
const ADDED_BY_THE_FUNCTION = '555555555555';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'account-projection-plan-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** The synthesized table of a config, with the database reference made literal for a module of its own. */
function synthesizedTable(governedRegions?: string[]): Record<string, any> {
  const config = exampleConfig((raw) => {
    if (governedRegions) raw.governedRegions = governedRegions;
  });
  const table = { ...onlyResource(stackOf(synthLandingZone(config, 'offline'), 'analytics'), 'aws_glue_catalog_table') };
  table.database_name = 'acme_audit_logs';
  delete table['//'];
  return table;
}

function writeModule(dir: string, tables: Record<string, Record<string, any>>): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: [{ alias: 'audit_eu_west_1', region: 'eu-west-1', access_key: 'offline', secret_key: 'offline', skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: true }] },
    resource: { aws_glue_catalog_table: tables },
  }));
}

async function plan(dir: string, env: NodeJS.ProcessEnv): Promise<any> {
  await terraform(['init', '-input=false'], dir, env);
  await terraform(['plan', '-input=false', '-refresh=false', '-lock=false', '-out=plan.tfplan'], dir, env);
  return JSON.parse((await terraform(['show', '-json', 'plan.tfplan'], dir, env)).stdout);
}

let after: Record<string, Record<string, string>>;
let before: Record<string, string>;
beforeAll(async () => {
  const env = terraformEnvironment(path.join(work, 'terraform'));
  const first = synthesizedTable(['eu-west-1', 'us-east-1']);
  const withoutIgnore = { ...first };
  delete withoutIgnore.lifecycle;

  // What the first apply creates, as the provider plans it.
  const created = path.join(work, 'created');
  writeModule(created, { trail: first, control: withoutIgnore });
  const createdPlan = await plan(created, env);
  const values = (address: string) => createdPlan.planned_values.root_module.resources.find((r: any) => r.address === address).values;

  // The state after the function added an account.
  const later = path.join(work, 'later');
  const changed = synthesizedTable(['eu-west-1', 'us-east-1', 'eu-central-1']);
  const changedWithoutIgnore = { ...changed };
  delete changedWithoutIgnore.lifecycle;
  writeModule(later, { trail: changed, control: changedWithoutIgnore });
  const instance = (address: string) => {
    const attributes = { ...values(address), id: `333333333333:acme_audit_logs:cloudtrail`, arn: 'arn:aws:glue:eu-west-1:333333333333:table/acme_audit_logs/cloudtrail' };
    attributes.parameters = { ...attributes.parameters, [ACCOUNT_PROJECTION_PARAMETER]: `${attributes.parameters[ACCOUNT_PROJECTION_PARAMETER]},${ADDED_BY_THE_FUNCTION}` };
    return { schema_version: 0, attributes, sensitive_attributes: [] };
  };
  before = instance('aws_glue_catalog_table.trail').attributes.parameters;
  fs.writeFileSync(path.join(later, 'terraform.tfstate'), JSON.stringify({
    version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'account-projection', outputs: {},
    resources: ['trail', 'control'].map((name) => ({ mode: 'managed', type: 'aws_glue_catalog_table', name, provider: PROVIDER, instances: [instance(`aws_glue_catalog_table.${name}`)] })),
  }));
  const laterPlan = await plan(later, env);
  after = Object.fromEntries(laterPlan.resource_changes.map((c: any) => [c.name, c.change.after.parameters]));
});

test('a changed config updates the other parameters and keeps the account the function added', () => {
  expect(after.trail['projection.region.values']).toBe('eu-west-1,us-east-1,eu-central-1');
  expect(after.trail[ACCOUNT_PROJECTION_PARAMETER]).toBe(before[ACCOUNT_PROJECTION_PARAMETER]);
  expect(after.trail[ACCOUNT_PROJECTION_PARAMETER].split(',')).toContain(ADDED_BY_THE_FUNCTION);
  expect(after.trail['storage.location.template']).toBe(before['storage.location.template']);
});

test('control: without ignore_changes the same plan would take the account back out', () => {
  expect(after.control[ACCOUNT_PROJECTION_PARAMETER].split(',')).not.toContain(ADDED_BY_THE_FUNCTION);
});
