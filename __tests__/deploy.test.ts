/**
 * `npm run deploy`'s stages, read from the synthesized stack graph, and the Terraform commands it
 * runs for each stack. The command itself, against a double of the Terraform CLI:
 * integration/deploy-command.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { displayPath } from '../config/choice';
import { deploymentStages, parseDeployArgs, selectStacks, stackCommands, UsageError } from '../scripts/deploy';
import type { SynthesizedStack } from '../scripts/stack-graph';
import { synthesize } from '../scripts/synth';
import { stacksTurnedOff } from '../stacks/landing-zone';
import { exampleInTwoRegions } from './helpers';

const root = path.join(__dirname, '..');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-deploy-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A config of two regions (Security Lake on or off), synthesized for AWS as deploy does. */
function graph(securityLake: boolean) {
  const config = exampleInTwoRegions((raw) => (raw.securityLake = { enabled: securityLake }));
  const stacks = synthesize(config, { outdir: path.join(work, `out-${securityLake}`), target: 'aws' });
  return { stacks, turnedOff: stacksTurnedOff(config) };
}
const withLake = graph(true);
const withoutLake = graph(false);
const ids = (stacks: readonly SynthesizedStack[]) => stacks.map((s) => s.id);
const select = (g: typeof withLake, line: string) => selectStacks(g.stacks, parseDeployArgs(line.split(/\s+/).filter(Boolean)).stages, g.turnedOff);

describe('deploy stages, from the synthesized stack graph', () => {
  test('come in the documented order, the regional stacks as one stage', () => {
    expect(deploymentStages(withLake.stacks).map((s) => s.name)).toEqual(['bootstrap', 'organization', 'log-archive', 'org-trail', 'guardduty', 'analytics', 'security-lake', 'integrity', 'log-collection', 'compliance', 'observability']);
    expect(ids(deploymentStages(withLake.stacks).find((s) => s.name === 'guardduty')!.stacks)).toEqual(['guardduty-eu-west-1', 'guardduty-us-east-1']);
  });

  test('put every stack after the stacks it depends on', () => {
    const seen = new Set<string>();
    for (const stack of select(withLake, 'all').stacks) {
      for (const dependency of stack.dependencies) expect({ stack: stack.id, before: seen.has(dependency) }).toEqual({ stack: stack.id, before: true });
      seen.add(stack.id);
    }
    expect(seen.size).toBe(withLake.stacks.length);
  });

  test('select by stage or stack id, in deployment order, naming what must already be deployed', () => {
    const selection = select(withLake, 'org-trail guardduty-us-east-1 organization');
    expect(ids(selection.stacks)).toEqual(['organization', 'org-trail', 'guardduty-us-east-1']);
    expect(selection.before).toEqual(['bootstrap', 'log-archive']);
  });

  test('skip a stack the config turns off, with the field that does it', () => {
    const selection = select(withoutLake, 'analytics security-lake');
    expect(ids(selection.stacks)).toEqual(['analytics']);
    expect(selection.skipped).toEqual([{ id: 'security-lake', by: 'securityLake.enabled: false' }]);
  });

  test('refuse an unknown name, listing the stages', () => {
    expect(() => select(withLake, 'guardduty-*')).toThrow(UsageError);
    expect(() => select(withLake, 'orgtrail')).toThrow('no stage or stack "orgtrail" in this config; its stages, in order: all, bootstrap, organization, log-archive, org-trail, guardduty, analytics, security-lake, integrity');
  });

  test('refuse unknown options and an empty command line', () => {
    expect(() => parseDeployArgs(['all', '--force'])).toThrow(/Unknown option '--force'.*usage: npm run deploy/);
    expect(() => parseDeployArgs([])).toThrow(/name the stages to deploy/);
  });

  test('each stack is planned to a file, reviewed, and exactly that plan applied', () => {
    const stack = withLake.stacks.find((s) => s.id === 'log-archive')!;
    const dir = displayPath(stack.dir);
    const commands = stackCommands(stack, false).map((c) => c.split(dir).join('DIR'));
    expect(commands).toEqual([
      'terraform -chdir=DIR init -input=false',
      'terraform -chdir=DIR plan -input=false -detailed-exitcode -out=deploy.tfplan',
      'terraform -chdir=DIR show -json deploy.tfplan > DIR/deploy.plan.json',
      'npm run plan-review -- DIR/deploy.plan.json',
      'terraform -chdir=DIR apply -input=false deploy.tfplan',
    ]);
    expect(stackCommands(stack, true)[3]).toBe(`npm run plan-review -- --allow-destroy ${dir}/deploy.plan.json`);
  });
});

/** Every `npm run deploy -- ...` line of the README and docs, in the order written, per file. */
function documentedDeployLines(): Map<string, string[]> {
  const files = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).map((f) => path.join('docs', f))];
  const found = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
    const lines = blocks.flatMap((b) => b.split('\n')).map((l) => l.trim()).filter((l) => l.startsWith('npm run deploy --'));
    if (lines.length > 0) found.set(file, lines.map((l) => l.replace(/^npm run deploy --/, '').replace(/#.*$/, '').trim()));
  }
  return found;
}

describe('the deploy commands the docs give', () => {
  const documented = documentedDeployLines();

  test('are found in the README and the first-deploy guide', () => {
    expect([...documented.keys()].sort()).toEqual(['README.md', 'docs/first-deploy.md', 'docs/plan-review.md']);
  });

  test.each([['Security Lake on', withLake], ['Security Lake off', withoutLake]])('parse, and in the order written deploy every stack once, in dependency order (%s)', (_name, g) => {
    for (const [file, lines] of documented) {
      const deployed = lines.flatMap((line) => ids(select(g, line).stacks));
      expect({ file, deployed }).toEqual({ file, deployed: ids(g.stacks) });
    }
  });

  test('skip security-lake with a note when it is turned off', () => {
    for (const lines of documented.values()) {
      expect(lines.flatMap((line) => select(withoutLake, line).skipped.map((s) => s.id))).toEqual(['security-lake']);
    }
  });
});
