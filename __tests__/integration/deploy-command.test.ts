/**
 * `npm run deploy` and `npm run check-config -- --for-aws` as the README and the pull-request
 * workflow run them: against a double of the Terraform CLI that records what it is asked, each once
 * in a process of its own. The stages and the commands per stack: __tests__/deploy.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { parse, stringify } from 'yaml';
import { checkConfigCommand } from '../../scripts/check-config';
import { deployCommand } from '../../scripts/deploy';
import { exampleRaw, REPOSITORY_ROOT as root, synthLandingZone } from '../helpers';

/** A stream that keeps what is written to it. */
function collected(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-deploy-command-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm run deploy', () => {
  const outdir = path.join(work, 'cdktf.out');
  /** `npm run deploy -- ARGS` as the README runs it, in its own process. */
  const spawnDeploy = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/deploy.ts', ...args, '--outdir', outdir], {
      cwd: root,
      env: { ...process.env, LZ_TARGET: '', ...env },
      encoding: 'utf8',
    });
  /** The same command line, in-process, standard input no terminal. */
  const deploy = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const stdout = collected();
    const stderr = collected();
    const status = await deployCommand([...args, '--outdir', outdir], {
      env: { ...process.env, LZ_TARGET: '', ...env },
      stdin: Readable.from([]),
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    return { status, stdout: stdout.text(), stderr: stderr.text() };
  };

  /** The example with its fictional organization replaced, as a user's copy would be. */
  function ownConfig(): string {
    const own = parse(stringify(exampleRaw()).replace(/o-acme12ab34/g, 'o-own0000001').replace(/111111111111/g, '123456789012'));
    own.governedRegions = ['eu-west-1'];
    const file = path.join(work, `own-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, stringify(own));
    return file;
  }

  test('refuses the bundled example before touching anything', async () => {
    const run = await deploy(['all'], { LZ_CONFIG: '' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('refusing to deploy: LZ_CONFIG is not set, so this would use config/example.yaml, the bundled example, not an organization of yours');
    const copy = path.join(work, 'acme.yaml');
    fs.copyFileSync(path.join(root, 'config', 'example.yaml'), copy);
    const copied = await deploy(['organization'], { LZ_CONFIG: copy });
    expect(copied.status).toBe(1);
    expect(copied.stderr).toContain("still names the bundled example's fictional organization (o-acme12ab34, management account 111111111111)");
  });

  test('--dry-run prints the terraform commands of every stack in order and runs none', async () => {
    const run = await deploy(['all', '--dry-run'], { LZ_CONFIG: '' });
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toMatch(/^deploy: config config\/example\.yaml, the bundled example/);
    const applies = [...run.stdout.matchAll(/^terraform -chdir=\S+\/stacks\/(\S+) apply -input=false deploy\.tfplan$/gm)].map((m) => m[1]);
    expect(applies.slice(0, 4)).toEqual(['bootstrap', 'organization', 'log-archive', 'org-trail']);
    // every stack the example synthesizes, once
    expect(applies.sort()).toEqual([...synthLandingZone().keys()].sort());
    expect(run.stdout).toContain('nothing was run');
  }, 60_000);

  describe('against a terraform that records what it is asked', () => {
    const bin = path.join(work, 'bin');
    const log = path.join(work, 'terraform.log');
    const planFile = path.join(work, 'plan.json');
    fs.mkdirSync(bin, { recursive: true });
    // a double of the Terraform CLI: the real one is exercised by the validate and plan tests
    fs.writeFileSync(path.join(bin, 'terraform'), `#!/bin/sh
echo "$(basename "$PWD") $1" >> "${log}"
case "$1" in
  version) echo '{"terraform_version":"1.11.4"}' ;;
  plan) exit 2 ;;
  show) cat "${planFile}" ;;
esac
exit 0
`, { mode: 0o755 });
    const env = (config: string) => ({ LZ_CONFIG: config, PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    // the deployed stack's protection manifest, as its state holds it (modules/core/protection.ts)
    const deployedProtection = { 'aws_organizations_policy.guardrail': 'the SCPs keep member accounts from switching off logging and security services' };
    const plan = (changes: Array<{ address: string; type: string; actions: string[] }>) =>
      fs.writeFileSync(planFile, JSON.stringify({
        format_version: '1.2',
        resource_changes: changes.map((c) => ({ ...c, change: { actions: c.actions, before: {}, after: null } })),
        output_changes: { protected_resources: { actions: ['no-op'], before: deployedProtection, after: deployedProtection } },
      }));
    beforeEach(() => fs.rmSync(log, { force: true }));

    test('spawned as the README runs it: plans, reviews and applies each stack of the stage in order', () => {
      plan([{ address: 'aws_iam_role.x', type: 'aws_iam_role', actions: ['create'] }]);
      const config = ownConfig();
      const run = spawnDeploy(['bootstrap', 'organization', '--auto-approve'], env(config));
      expect(run.stderr).not.toContain('Error');
      expect(run.stderr).toBe(`deploy: config ${config} (LZ_CONFIG)\n`);
      expect(run.status).toBe(0);
      expect(fs.readFileSync(log, 'utf8').split('\n').filter((l) => l && !l.endsWith(' version'))).toEqual([
        'bootstrap init', 'bootstrap plan', 'bootstrap show', 'bootstrap apply',
        'organization init', 'organization plan', 'organization show', 'organization apply',
      ]);
      expect(run.stdout).toMatch(/Plan review: 1 change, no protected resource deleted or replaced/);
      expect(run.stdout).toMatch(/deployed 2 stacks in \d+ s: bootstrap applied, organization applied/);
    }, 60_000);

    test('applies nothing when plan-review finds a protected resource deleted', async () => {
      plan([{ address: 'aws_organizations_policy.guardrail', type: 'aws_organizations_policy', actions: ['delete'] }]);
      const run = await deploy(['organization', '--auto-approve'], env(ownConfig()));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('plan-review refuses the plan of organization');
      expect(fs.readFileSync(log, 'utf8')).not.toContain('apply');
    }, 60_000);

    test('asks before applying, and without a terminal to ask on applies nothing', async () => {
      plan([{ address: 'aws_iam_role.x', type: 'aws_iam_role', actions: ['create'] }]);
      const run = await deploy(['organization'], env(ownConfig()));
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('standard input is not a terminal, so nobody can confirm the apply');
      expect(fs.readFileSync(log, 'utf8')).not.toContain('apply');
    }, 60_000);
  });
});

describe('the pull-request workflow', () => {
  const workflow = parse(fs.readFileSync(path.join(root, '.github', 'workflows', 'plan.yml'), 'utf8'));

  test.each(['plan', 'apply'])('%s job checks the config, refusing the bundled example, before any AWS credentials', (job) => {
    const steps: Array<{ run?: string; uses?: string }> = workflow.jobs[job].steps;
    const check = steps.findIndex((s) => s.run === 'npm run check-config -- --for-aws');
    const credentials = steps.findIndex((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(check).toBeGreaterThanOrEqual(0);
    expect(check).toBeLessThan(credentials);
    expect(workflow.env.LZ_CONFIG).toBe('${{ vars.LZ_CONFIG }}');
  });

  test('npm run check-config -- --for-aws refuses an unset LZ_CONFIG, and passes a config of your own (spawned as the workflow runs it)', () => {
    const stdout = collected();
    const stderr = collected();
    const unset = checkConfigCommand(['--for-aws'], { env: { ...process.env, LZ_CONFIG: '' }, stdout: stdout.stream, stderr: stderr.stream });
    expect(unset).toBe(1);
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toContain('refusing to plan or deploy against AWS: LZ_CONFIG is not set');
    const run = (config: string) =>
      spawnSync(process.execPath, ['--require', 'tsx/cjs', 'scripts/check-config.ts', '--for-aws'], { cwd: root, env: { ...process.env, LZ_CONFIG: config }, encoding: 'utf8' });
    const own = path.join(work, 'own-check.yaml');
    fs.writeFileSync(own, stringify(exampleRaw()).replace(/o-acme12ab34/g, 'o-own0000001').replace(/111111111111/g, '123456789012'));
    const passed = run(own);
    expect(passed.stderr).toBe(`check-config: config ${own} (LZ_CONFIG)\n`);
    expect(passed.stdout).toMatch(/: valid \(production; 8 accounts, 17 governed regions; sha256 [0-9a-f]{12}\)\n$/);
    expect(passed.status).toBe(0);
  });
});
