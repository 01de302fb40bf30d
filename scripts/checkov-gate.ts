/**
 * `npm run checkov`: runs Checkov on every synthesized stack (terraform_json) and on every offline
 * plan (terraform_plan), and fails on any finding not accepted at its resource. Accepted findings
 * are those modules/core/checkov.ts writes into each resource's `"//"` comment; Checkov reads no
 * comments in Terraform JSON, so this script applies them.
 * The stacks and the plans must come from the config in use (LZ_CONFIG, or the example): findings
 * of one config's plans matched against another's accepted findings are bogus.
 * Usage: tsx scripts/checkov-gate.ts [--checkov BIN] [--stacks cdktf.out] [--plans .offline-plan/plans]
 * (BIN defaults to .venv/bin/checkov where it exists, else checkov on PATH)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type ConfigChoice, displayPath, loadChosenConfig } from '../config/choice';
import { configDigest, shortDigest } from '../config/digest';
import { ConfigError } from '../config/loader';
import type { Config } from '../config/schema';
import { acceptedIn, type CheckovComment, type CheckovSkip } from '../modules/core/checkov';
import { readManifest } from './stack-graph';
import { readPlansDigest, synthesizedConfigDigest } from './recorded-config';

/** How to get Checkov, as the README's development section says. */
export const INSTALL_CHECKOV = 'python3 -m venv .venv && .venv/bin/pip install -r requirements-ci.txt';

/** Raised when Checkov cannot run at all; the message says how to install it. */
export class CheckovMissing extends Error {}

interface Finding {
  readonly framework: string;
  readonly checkId: string;
  readonly checkName: string;
  readonly stack: string;
  /** Logical name of the resource (the part of the address after the type). */
  readonly name: string;
}

/** Every accepted finding, by stack and resource logical name. */
export function acceptedFindings(stacksDir: string): Map<string, Map<string, CheckovSkip[]>> {
  const byStack = new Map<string, Map<string, CheckovSkip[]>>();
  for (const stack of readManifest(stacksDir)) {
    const json = JSON.parse(fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8')) as {
      resource?: Record<string, Record<string, { '//'?: { checkov?: CheckovComment } }>>;
    };
    const byName = new Map<string, CheckovSkip[]>();
    for (const resources of Object.values(json.resource ?? {})) {
      for (const [name, resource] of Object.entries(resources)) {
        const skips = acceptedIn(resource);
        if (skips.length > 0) byName.set(name, skips);
      }
    }
    byStack.set(stack.id, byName);
  }
  return byStack;
}

function runCheckov(checkov: string, framework: string, directory: string): Finding[] {
  const run = spawnSync(checkov, ['-d', directory, '--framework', framework, '-o', 'json', '--quiet', '--compact', '--skip-download'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new CheckovMissing(`checkov is not installed (${checkov} not found); install it into .venv with: ${INSTALL_CHECKOV}`);
  }
  if (run.error) throw new Error(`checkov could not run (${checkov}): ${run.error.message}`);
  if (!run.stdout.trim().startsWith('{') && !run.stdout.trim().startsWith('[')) {
    throw new Error(`checkov gave no report for ${directory}:\n${run.stdout}\n${run.stderr}`);
  }
  const parsed = JSON.parse(run.stdout) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{
    check_type?: string;
    summary?: { parsing_errors?: number };
    results?: { failed_checks?: Array<{ check_id: string; check_name: string; resource: string; file_path: string }> };
  }>;
  const findings: Finding[] = [];
  for (const report of reports) {
    if (report.summary?.parsing_errors) throw new Error(`checkov could not parse ${report.summary.parsing_errors} file(s) in ${directory}`);
    for (const failed of report.results?.failed_checks ?? []) {
      const stack = framework === 'terraform_plan' ? path.basename(failed.file_path, '.json') : failed.file_path.split('/').filter(Boolean)[0];
      findings.push({ framework, checkId: failed.check_id, checkName: failed.check_name, stack, name: failed.resource.split('.').pop() ?? failed.resource });
    }
  }
  return findings;
}

/**
 * Refuses stacks and plans that come from different configs, or from another config than the one
 * in use; returns the digest they share.
 */
export function assertSameConfig(stacksDir: string, plansDir: string, config: Config, choice: ConfigChoice): string {
  const stacks = synthesizedConfigDigest(stacksDir);
  const plans = readPlansDigest(plansDir);
  const expected = configDigest(config);
  if (stacks !== plans.digest) {
    throw new ConfigError(stacksDir, [], `the stacks in ${displayPath(stacksDir)} (config sha256 ${shortDigest(stacks)}) and the plans in ${displayPath(plansDir)} (${plans.configFile}, sha256 ${shortDigest(plans.digest)}) come from different configs; run npm run synth and npm run plan with the same LZ_CONFIG`);
  }
  if (stacks !== expected) {
    throw new ConfigError(stacksDir, [], `the stacks and plans come from another config (sha256 ${shortDigest(stacks)}, planned from ${plans.configFile}) than ${choice.file} (sha256 ${shortDigest(expected)}); run npm run synth and npm run plan with this LZ_CONFIG`);
  }
  return stacks;
}

function defaultCheckov(): string {
  const local = path.join('.venv', 'bin', 'checkov');
  return fs.existsSync(local) ? local : 'checkov';
}

function main(): void {
  const { values } = parseArgs({
    options: {
      checkov: { type: 'string', default: defaultCheckov() },
      stacks: { type: 'string', default: 'cdktf.out' },
      plans: { type: 'string', default: path.join('.offline-plan', 'plans') },
    },
  });
  const checkov = values.checkov;
  const stacksDir = path.resolve(values.stacks);
  const plansDir = path.resolve(values.plans);
  const { config, choice } = loadChosenConfig('checkov');
  const digest = assertSameConfig(stacksDir, plansDir, config, choice);
  console.log(`checkov: stacks and plans of config sha256 ${shortDigest(digest)}`);
  const accepted = acceptedFindings(stacksDir);
  const findings = [...runCheckov(checkov, 'terraform_json', path.join(stacksDir, 'stacks')), ...runCheckov(checkov, 'terraform_plan', plansDir)];
  const used = new Set<string>();
  const open: Finding[] = [];
  for (const finding of findings) {
    const skip = accepted.get(finding.stack)?.get(finding.name)?.find((s) => s.id === finding.checkId);
    if (skip) used.add(`${finding.stack}/${finding.name}/${finding.checkId}`);
    else open.push(finding);
  }
  const unused = [...accepted].flatMap(([stack, byName]) =>
    [...byName].flatMap(([name, skips]) => skips.filter((s) => !used.has(`${stack}/${name}/${s.id}`)).map((s) => `${stack}/${name}: ${s.id}`)),
  );
  console.log(`checkov: ${findings.length} findings in stacks and plans, ${findings.length - open.length} accepted at their resource, ${open.length} open`);
  for (const u of unused) console.log(`  note: accepted but not reported (remove the skip?): ${u}`);
  for (const f of open) console.log(`  OPEN ${f.checkId} ${f.stack}/${f.name} (${f.framework}): ${f.checkName}`);
  if (open.length > 0) process.exit(1);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof CheckovMissing)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
