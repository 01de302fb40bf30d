/**
 * cfn-lint (pinned in requirements-ci.txt) on CloudFormation templates the landing zone generates;
 * CFN_LINT names another executable.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CfnLintRun {
  readonly status: number | null;
  /** Findings and errors, empty when the templates pass. */
  readonly output: string;
}

/** Lints each template (by file name) for the regions; throws when cfn-lint cannot run at all. */
export function cfnLint(templates: Readonly<Record<string, unknown>>, regions: readonly string[]): CfnLintRun {
  const executable = process.env.CFN_LINT ?? 'cfn-lint';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-'));
  try {
    const files = Object.entries(templates).map(([name, template]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify(template, null, 2));
      return file;
    });
    const run = spawnSync(executable, ['--format', 'parseable', '--regions', ...regions, '--', ...files], { encoding: 'utf8' });
    if (run.error) throw new Error(`cfn-lint could not run (${executable}): ${run.error.message}; install it (requirements-ci.txt) or set CFN_LINT`);
    return { status: run.status, output: (run.stdout + run.stderr).trim() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
