/**
 * How stacks are shared out between terraform runs, so that no run holds too many provider
 * processes, and how a run's plan is read back as each stack's own.
 */
import { batchesOf, type PlanJson, planOfModule } from '../scripts/terraform';

const weights: Record<string, number> = { organization: 1, 'guardduty-a': 2, 'guardduty-b': 2, 'log-collection': 2, analytics: 1, big: 7 };
const weigh = (id: string) => weights[id];

test('no batch weighs more than the limit, every stack is in exactly one, and the order within a batch is kept', () => {
  const ids = Object.keys(weights);
  const batches = batchesOf(ids, weigh, 6);
  expect(batches).toEqual([['organization', 'guardduty-a', 'guardduty-b', 'analytics'], ['log-collection'], ['big']]);
  expect(batches.flat().sort()).toEqual([...ids].sort());
});

test('a stack heavier than the limit runs alone, and a limit of one runs every stack alone', () => {
  expect(batchesOf(['big', 'organization'], weigh, 6)).toEqual([['big'], ['organization']]);
  expect(batchesOf(['organization', 'analytics'], weigh, 1)).toEqual([['organization'], ['analytics']]);
});

describe("a stack's own plan, out of a plan of several stacks as child modules", () => {
  const provider = 'registry.terraform.io/hashicorp/aws';
  const resource = (module: string, address: string) => ({ address: `${module}.${address}`, module_address: module, type: address.split('.')[0], values: { name: address } });
  const rootPlan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: {
      outputs: { 'a--protected_resources': { sensitive: false, value: { x: 'why' } }, 'b--protected_resources': { sensitive: false, value: {} } },
      root_module: {
        child_modules: [
          { address: 'module.a', resources: [resource('module.a', 'aws_s3_bucket.one')], child_modules: [{ address: 'module.a.module.inner', resources: [resource('module.a.module.inner', 'aws_sqs_queue.two')] }] },
          { address: 'module.b', resources: [resource('module.b', 'aws_s3_bucket.one')] },
        ],
      },
    },
    resource_changes: [
      { ...resource('module.a', 'aws_s3_bucket.one'), change: { actions: ['create'] } },
      { ...resource('module.b', 'aws_s3_bucket.one'), change: { actions: ['no-op'] } },
      // a stack whose id begins with another's is not that stack's
      { ...resource('module.ab', 'aws_s3_bucket.one'), change: { actions: ['delete'] } },
    ],
    output_changes: { 'a--protected_resources': { actions: ['create'], after: { x: 'why' } }, 'b--protected_resources': { actions: ['no-op'] } },
    configuration: {
      provider_config: {
        'module.a:aws.audit': { name: 'aws', full_name: provider, alias: 'audit', module_address: 'module.a' },
        'module.b:aws.audit': { name: 'aws', full_name: provider, alias: 'audit', module_address: 'module.b' },
      },
      root_module: { module_calls: { a: { source: '../a', module: { resources: [{ address: 'aws_s3_bucket.one', provider_config_key: 'module.a:aws.audit' }] } } } },
    },
    relevant_attributes: [{ resource: 'module.a.aws_s3_bucket.one', attribute: ['arn'] }, { resource: 'module.b.aws_s3_bucket.one', attribute: ['arn'] }],
  } as unknown as PlanJson;
  const outputs = new Map([
    ['a--protected_resources', { stackId: 'a', output: 'protected_resources' }],
    ['b--protected_resources', { stackId: 'b', output: 'protected_resources' }],
  ]);

  test('holds its resources, changes, outputs and configuration under their own addresses, and nothing of another stack', () => {
    const own = planOfModule(rootPlan, 'a', outputs) as any;
    expect(own.planned_values).toEqual({
      outputs: { protected_resources: { sensitive: false, value: { x: 'why' } } },
      root_module: {
        resources: [{ address: 'aws_s3_bucket.one', type: 'aws_s3_bucket', values: { name: 'aws_s3_bucket.one' } }],
        child_modules: [{ address: 'module.inner', resources: [{ address: 'module.inner.aws_sqs_queue.two', module_address: 'module.inner', type: 'aws_sqs_queue', values: { name: 'aws_sqs_queue.two' } }] }],
      },
    });
    expect(own.resource_changes).toEqual([{ address: 'aws_s3_bucket.one', type: 'aws_s3_bucket', values: { name: 'aws_s3_bucket.one' }, change: { actions: ['create'] } }]);
    expect(own.output_changes).toEqual({ protected_resources: { actions: ['create'], after: { x: 'why' } } });
    expect(own.configuration).toEqual({
      provider_config: { 'aws.audit': { name: 'aws', full_name: provider, alias: 'audit' } },
      root_module: { resources: [{ address: 'aws_s3_bucket.one', provider_config_key: 'aws.audit' }] },
    });
    expect(own.relevant_attributes).toEqual([{ resource: 'aws_s3_bucket.one', attribute: ['arn'] }]);
    expect(own.format_version).toBe('1.2');
  });

  test('a stack planned with no changes has only no-ops', () => {
    const own = planOfModule(rootPlan, 'b', outputs);
    expect(own.resource_changes!.map((c) => c.change.actions)).toEqual([['no-op']]);
    expect(own.output_changes).toEqual({ protected_resources: { actions: ['no-op'] } });
  });
});
