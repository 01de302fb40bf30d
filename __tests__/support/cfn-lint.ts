/**
 * cfn-lint (pinned in requirements-ci.txt) on CloudFormation templates the landing zone generates;
 * CFN_LINT names another executable. Most of a run is cfn-lint starting (about 1.5 s of CPU), so a
 * test file lints all its templates in one run, and starts it early: the run goes on in its own
 * process while the file's other tests run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CfnLintRun {
  readonly status: number | null;
  /** Findings and errors, empty when the templates pass. */
  readonly output: string;
  /** Each template's findings (cfn-lint's parseable lines, without the file's path), by file name. */
  readonly findings: Readonly<Record<string, readonly string[]>>;
}

/**
 * Lints every template (by file name) for the regions in one cfn-lint process; rejects when
 * cfn-lint cannot run at all.
 */
export function cfnLint(templates: Readonly<Record<string, unknown>>, regions: readonly string[]): Promise<CfnLintRun> {
  const executable = process.env.CFN_LINT ?? 'cfn-lint';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  const files = Object.entries(templates).map(([name, template]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(template, null, 2));
    return [name, file] as const;
  });
  const run = new Promise<CfnLintRun>((resolve, reject) => {
    const child = spawn(executable, ['--format', 'parseable', '--regions', ...regions, '--', ...files.map(([, file]) => file)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`cfn-lint could not run (${executable}): ${error.message}; install it (requirements-ci.txt) or set CFN_LINT`)));
    child.on('close', (status) => {
      const lines = stdout.split('\n').filter((l) => l.length > 0);
      const findings = Object.fromEntries(files.map(([name, file]) => [name, lines.filter((l) => l.startsWith(`${file}:`)).map((l) => l.slice(file.length + 1))]));
      resolve({ status, output: (stdout + stderr).trim(), findings });
    });
  }).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
  // awaited by the test that reads it; not a failure of the file before then
  run.catch(() => undefined);
  return run;
}
