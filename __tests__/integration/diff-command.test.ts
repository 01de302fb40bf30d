/**
 * `npm run diff` as a user and the pull-request workflow run it, in a throwaway git repository
 * holding a copy of this landing zone: the base commit is synthesized by its own code in a process
 * of its own. What the diff finds between two syntheses: __tests__/diff.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { diffCommand, diffMain } from '../../scripts/diff';
import { exampleRaw, REPOSITORY_ROOT as root, TWO_REGIONS } from '../helpers';
import { linesOf } from '../support/diff-report';

jest.setTimeout(2 * 60 * 1000);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-command-test-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the command, in a throwaway git repository', () => {
  const repo = path.join(work, 'repo');
  const git = (...args: string[]) => {
    const run = spawnSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  };
  const writeConfig = (file: string, change: (raw: Record<string, any>) => void) => {
    const raw = exampleRaw();
    raw.governedRegions = [...TWO_REGIONS];
    change(raw);
    fs.writeFileSync(path.join(repo, file), stringify(raw));
  };
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const log: string[] = [];
    const result = await diffCommand(args, { cwd: repo, env: { ...process.env, LZ_CONFIG: 'config/example.yaml', ...env }, log: (line) => log.push(line) });
    return { ...result, log };
  };

  beforeAll(() => {
    // a copy of what synthesizes the landing zone, committed with two governed regions
    for (const entry of ['main.ts', 'cdktf.json', 'package.json', 'tsconfig.json', 'config', 'facts', 'modules', 'stacks', 'lambda', 'scripts']) {
      fs.cpSync(path.join(root, entry), path.join(repo, entry), { recursive: true });
    }
    fs.symlinkSync(fs.realpathSync(path.join(root, 'node_modules')), path.join(repo, 'node_modules'), 'dir');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\n');
    writeConfig('config/example.yaml', () => {});
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
  });

  test('a config file the base does not have: said so, every stack new, exit 0', async () => {
    writeConfig('config/acme.yaml', () => {});
    const result = await run(['--base', 'HEAD'], { LZ_CONFIG: 'config/acme.yaml' });
    expect(result.exitCode).toBe(0);
    expect(result.text).toContain(`HEAD (`);
    expect(result.text).toMatch(/has no config\/acme\.yaml: nothing to compare with, so every stack is new\./);
    expect(result.text).toMatch(/^log-archive: new stack, \d+ resources$/m);
  });

  test('usage errors and an unknown base exit 2 with one line', async () => {
    expect(await run(['--base', 'no-such-branch'])).toMatchObject({ exitCode: 2, text: 'diff: --base no-such-branch is not a commit of this repository (fetch it first, e.g. git fetch origin no-such-branch)\n' });
    expect(await run([])).toMatchObject({ exitCode: 2, text: expect.stringMatching(/^diff: --base REF is required/) });
    expect(await run(['--base', 'HEAD'], { LZ_CONFIG: 'config/missing.yaml' })).toMatchObject({ exitCode: 2, text: expect.stringMatching(/^diff: \S+\/config\/missing\.yaml: no such file; LZ_CONFIG must name your config file \(copy config\/example\.yaml to start one\)\n$/) });
  });

  test('the command line: the report on stdout, progress and usage errors on stderr, the exit code returned', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { cwd: repo, env: { ...process.env, LZ_CONFIG: 'config/example.yaml' }, stdout: { write: (t: string) => (out.stdout += t) }, stderr: { write: (t: string) => (out.stderr += t) } } };
    };
    const bogus = io();
    expect(await diffMain(['--bogus'], bogus.io)).toBe(2);
    expect(bogus.out.stdout).toBe('');
    expect(bogus.out.stderr).toMatch(/^diff: Unknown option '--bogus'[^\n]*\nusage: npm run diff -- --base REF/);
    const help = io();
    expect(await diffMain(['--help'], help.io)).toBe(0);
    expect(help.out).toEqual({ stdout: expect.stringMatching(/^usage: npm run diff -- --base REF/), stderr: '' });
  });

  test('the workflow step (scripts/workflow.sh diff, as CI runs it): a removed region and a longer expiration in the working tree fail on the vanished stack, the diff and the change to the record of processing in the job summary', () => {
    writeConfig('config/example.yaml', (raw) => {
      raw.governedRegions = ['eu-west-1'];
      raw.archive.expirationDays = 4000;
    });
    const jobSummary = path.join(work, 'summary.md');
    const step = spawnSync('bash', ['scripts/workflow.sh', 'diff', 'HEAD'], { cwd: repo, encoding: 'utf8', env: { ...process.env, LZ_CONFIG: 'config/example.yaml', GITHUB_STEP_SUMMARY: jobSummary } });
    expect(step.status).toBe(1);
    // progress on stderr, the report on stdout
    const log = step.stderr.trimEnd().split('\n');
    expect(log[0]).toBe('diff: config config/example.yaml');
    expect(log).toContainEqual(expect.stringMatching(/^diff: synthesized HEAD \([0-9a-f]{7}\): \d+ stacks \(\d+\.\d s\)$/));
    expect(step.stdout).toMatch(/^Compared the working tree with HEAD \([0-9a-f]{7}\), each synthesized from its own config\/example\.yaml\.$/m);
    expect(step.stdout).not.toContain('diff: synthesized');
    expect(step.stdout).toContain('STACK DISAPPEARS: guardduty-us-east-1, and it is not listed in retiredStacks');
    expect(linesOf(step.stdout, 'aws_s3_bucket_lifecycle_configuration.archive_lifecycle_')).toContain('      rule[id=delete-after-retention].expiration.days: 3653 → 4000');
    expect(step.stdout).toContain('::error::a stack disappears or a protected resource would be deleted or replaced');
    // the diff, then the change to the record of processing
    const markdown = fs.readFileSync(path.join(repo, 'diff.md'), 'utf8');
    const record = fs.readFileSync(path.join(repo, 'record.md'), 'utf8');
    expect(fs.readFileSync(jobSummary, 'utf8')).toBe(markdown + record);
    expect(markdown).toMatch(/^<!-- audit-landing-zone:diff -->\n## ❌ Diff: 1 stack disappears/);
    expect(markdown).toContain('### Stacks that disappear');
    // the record of processing of both sides: the region's stores are gone from it
    expect(record).toMatch(/^<!-- audit-landing-zone:processing-record -->\n## Record of processing: 0 store\(s\) added, \d+ removed/);
    expect(record).toContain('| Security Lake data lake `aws-security-data-lake-us-east-1-…` (222222222222, us-east-1) | removed | | |');
  });
});
