/**
 * `npm run diff -- --base REF [--markdown FILE] [--record FILE] [--allow-destroy]`: what a change
 * does, without AWS. Synthesizes the working tree and the commit REF (from `git archive`, with that
 * commit's own code and its own copy of the config file) and shows, per stack, the resources added,
 * removed, replaced and changed with their changed attributes, protected resources flagged as
 * `plan-review` flags them. `--record` writes the change to the record of processing of both sides
 * (scripts/record-diff.ts), read from the same two syntheses.
 *
 * Exit 0: nothing dangerous. Exit 1: a protected resource would be deleted or replaced, or a stack
 * disappears without being listed in the config's `retiredStacks` (unless `--allow-destroy`).
 * Exit 2: wrong usage, an unknown REF, a config that does not load, or a side that does not synthesize.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from '../config/loader';
import type { Config } from '../config/schema';
import { ID_ATTRIBUTE, REPLACING_ATTRIBUTES } from '../facts/replacement';
import { DEPLOY_TARGETS, type DeployTarget } from '../stacks/infrastructure/providers';
import { type AttributeChange, attributeChanges, describeChanges, markdownChanges } from './attribute-diff';
import { type CommandIo, processIo } from './command-io';
import { collapsible, escape } from './plan-review';
import { processingRecord } from './processing-record';
import { protectionOf, protectionOfSynthesizedStack } from './protected-resources';
import { markdownRecordDiff, recordDiff } from './record-diff';
import { readManifest } from './stack-graph';
import { synthesize } from './synth';
import { errorMessage } from './error-message';

/** Hidden line that identifies the diff in a pull request comment. */
export const DIFF_MARKER = '<!-- audit-landing-zone:diff -->';

/** Where docs/plan-review.md explains how to retire a stack on purpose. */
const RETIRING = 'docs/plan-review.md#retiring-a-region-or-a-stack';

const USAGE = 'usage: npm run diff -- --base REF [--markdown FILE] [--record FILE] [--allow-destroy]';

type Attributes = Record<string, unknown>;

/** The part of a stack's Terraform JSON (`cdk.tf.json`) the diff reads. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Attributes>>;
  /** Its outputs; `protected_resources` is its protection manifest. */
  readonly output?: Record<string, { readonly value?: unknown }>;
}

/** The stacks of one synthesized side, by id, in deployment order. */
export type SynthesizedSide = ReadonlyMap<string, StackJson>;

export type ResourceChangeKind = 'add' | 'remove' | 'replace' | 'change';

export interface ResourceDiff {
  readonly address: string;
  readonly type: string;
  readonly kind: ResourceChangeKind;
  /** Why the resource is protected (its state before the change), where it is. */
  readonly protection?: string;
  /** Changed attributes that make Terraform destroy the resource and create a new one. */
  readonly replacedBecause?: readonly string[];
  readonly attributes: readonly AttributeChange[];
}

export interface StackDiff {
  readonly stack: string;
  /** `vanished`: synthesized by the base only; its resources stay in AWS, managed by nobody. */
  readonly status: 'new' | 'vanished' | 'common';
  /** A vanished stack the config lists in `retiredStacks`. */
  readonly retired: boolean;
  /** For a vanished stack: the resources it leaves behind (kind `remove`); for a new one: `add`. */
  readonly resources: readonly ResourceDiff[];
}

export interface LandingZoneDiff {
  readonly stacks: readonly StackDiff[];
  /** Listed in `retiredStacks`, yet synthesized: the acknowledgement is stale. */
  readonly staleRetirements: readonly string[];
}

/** Reads every stack of a synthesized app (a `cdktf.out` folder). */
export function readSide(outdir: string): SynthesizedSide {
  return new Map(readManifest(outdir).map((s) => [s.id, JSON.parse(fs.readFileSync(path.join(s.dir, 'cdk.tf.json'), 'utf8')) as StackJson]));
}

/** `//` (cdktf's construct path, the Checkov skips) and `depends_on` (the order of operations) change nothing in AWS. */
const NOT_SENT_TO_AWS = ['//', 'depends_on'];

function resourcesOf(stack: StackJson): Map<string, { type: string; values: Attributes }> {
  const found = new Map<string, { type: string; values: Attributes }>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) {
    for (const [name, values] of Object.entries(byName)) {
      found.set(`${type}.${name}`, { type, values: Object.fromEntries(Object.entries(values).filter(([key]) => !NOT_SENT_TO_AWS.includes(key))) });
    }
  }
  return found;
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)\}$/;

/**
 * The values with each top-level reference to a name set in the same stack
 * (`${aws_s3_bucket.archive.id}`) replaced by that name, so that a bucket policy names its bucket.
 */
function resolved(stack: StackJson, values: Attributes): Attributes {
  const result: Attributes = {};
  for (const [key, value] of Object.entries(values)) {
    const match = typeof value === 'string' ? REFERENCE.exec(value) : null;
    const target = match ? stack.resource?.[match[1]]?.[match[2]] : undefined;
    const attribute = match && (match[3] === 'id' ? ID_ATTRIBUTE[match[1]] ?? 'id' : match[3]);
    const literal = target && attribute ? target[attribute] : undefined;
    result[key] = typeof literal === 'string' && !literal.includes('${') ? literal : value;
  }
  return result;
}

/**
 * Why a resource is protected, or undefined: the diff's one question about protection, answered by
 * the protection manifest the stack was synthesized with (scripts/protected-resources.ts).
 */
function protectionIn(stack: StackJson, address: string): string | undefined {
  return protectionOf(protectionOfSynthesizedStack(stack), address);
}

function stackResources(stack: StackJson, kind: 'add' | 'remove'): ResourceDiff[] {
  return [...resourcesOf(stack)].map(([address, { type }]) => ({
    address,
    type,
    kind,
    protection: kind === 'remove' ? protectionIn(stack, address) : undefined,
    attributes: [],
  }));
}

function commonStack(base: StackJson, head: StackJson): ResourceDiff[] {
  const [before, after] = [resourcesOf(base), resourcesOf(head)];
  const diffs: ResourceDiff[] = [];
  for (const [address, { type, values }] of before) {
    const now = after.get(address);
    if (!now) {
      diffs.push({ address, type, kind: 'remove', protection: protectionIn(base, address), attributes: [] });
      continue;
    }
    const [b, a] = [resolved(base, values), resolved(head, now.values)];
    const attributes = attributeChanges(b, a);
    if (attributes.length === 0) continue;
    const changedTopLevel = new Set(attributes.map((c) => c.path.split(/[.[]/)[0]));
    const replacedBecause = (REPLACING_ATTRIBUTES[type] ?? []).filter((attribute) => changedTopLevel.has(attribute));
    diffs.push({
      address,
      type,
      kind: replacedBecause.length > 0 ? 'replace' : 'change',
      protection: protectionIn(base, address),
      replacedBecause: replacedBecause.length > 0 ? replacedBecause : undefined,
      attributes,
    });
  }
  for (const [address, { type }] of after) {
    if (!before.has(address)) diffs.push({ address, type, kind: 'add', attributes: [] });
  }
  return diffs;
}

/** Compares two synthesized sides stack by stack; `retiredStacks` from the head's config. */
export function diffSides(base: SynthesizedSide, head: SynthesizedSide, retiredStacks: readonly string[] = []): LandingZoneDiff {
  const stacks: StackDiff[] = [];
  for (const [id, stack] of head) {
    const before = base.get(id);
    stacks.push(before
      ? { stack: id, status: 'common', retired: false, resources: commonStack(before, stack) }
      : { stack: id, status: 'new', retired: false, resources: stackResources(stack, 'add') });
  }
  for (const [id, stack] of base) {
    if (!head.has(id)) stacks.push({ stack: id, status: 'vanished', retired: retiredStacks.includes(id), resources: stackResources(stack, 'remove') });
  }
  return { stacks, staleRetirements: retiredStacks.filter((id) => head.has(id)) };
}

const destructive = (r: ResourceDiff) => r.protection !== undefined && (r.kind === 'remove' || r.kind === 'replace');

/** Protected resources deleted or replaced in stacks that both sides have, with their stack. */
function blockedResources(diff: LandingZoneDiff): Array<ResourceDiff & { stack: string }> {
  return diff.stacks.filter((s) => s.status === 'common').flatMap((s) => s.resources.filter(destructive).map((r) => ({ ...r, stack: s.stack })));
}

function protectedUpdates(diff: LandingZoneDiff): Array<ResourceDiff & { stack: string }> {
  return diff.stacks.filter((s) => s.status === 'common').flatMap((s) => s.resources.filter((r) => r.protection && r.kind === 'change').map((r) => ({ ...r, stack: s.stack })));
}

const unacknowledged = (diff: LandingZoneDiff) => diff.stacks.filter((s) => s.status === 'vanished' && !s.retired);

/** 1 where a protected resource is deleted or replaced or a stack vanishes unacknowledged, unless allowed. */
export function exitCodeOf(diff: LandingZoneDiff, allowDestroy: boolean): 0 | 1 {
  return !allowDestroy && (blockedResources(diff).length > 0 || unacknowledged(diff).length > 0) ? 1 : 0;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function headline(diff: LandingZoneDiff, allowDestroy: boolean): string {
  const blocked = blockedResources(diff).length;
  const vanished = unacknowledged(diff).length;
  const dangers = [
    vanished > 0 ? `${plural(vanished, 'stack')} disappear${vanished === 1 ? 's' : ''} (not in retiredStacks)` : '',
    blocked > 0 ? `${plural(blocked, 'protected resource')} would be deleted or replaced` : '',
  ].filter(Boolean).join(' and ');
  const total = diff.stacks.reduce((n, s) => n + (s.status === 'vanished' ? 1 : s.resources.length), 0);
  if (dangers && !allowDestroy) return `❌ Diff: ${dangers}`;
  if (dangers) return `⚠️ Diff: ${dangers}; allowed (--allow-destroy)`;
  if (total === 0) return '✅ Diff: no changes';
  return `✅ Diff: ${plural(total, 'change')}, no protected resource deleted or replaced, no stack disappears unacknowledged`;
}

const SYMBOL: Record<ResourceChangeKind, string> = { add: '+', remove: '-', replace: '-/+', change: '~' };
const KIND_TITLE: Record<ResourceChangeKind, string> = { add: 'added', remove: 'removed (destroyed)', replace: 'replaced', change: 'changed' };

function counts(resources: readonly ResourceDiff[]): string {
  return (['add', 'remove', 'replace', 'change'] as const)
    .map((k) => [k, resources.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${KIND_TITLE[k].split(' ')[0]}`)
    .join(', ');
}

function note(r: ResourceDiff): string {
  return [r.replacedBecause ? `forced by ${r.replacedBecause.join(', ')}` : '', r.protection ? `🛡️ protected: ${r.protection}` : ''].filter(Boolean).join('; ');
}

/** The report for a terminal. */
export function renderText(diff: LandingZoneDiff, options: { allowDestroy: boolean; comparing: string }): string {
  const lines = [options.comparing, '', headline(diff, options.allowDestroy)];
  for (const s of diff.stacks.filter((d) => d.status === 'vanished')) {
    const kept = s.resources.filter((r) => r.protection);
    lines.push('', s.retired
      ? `STACK RETIRED: ${s.stack} (listed in retiredStacks)`
      : `STACK DISAPPEARS: ${s.stack}, and it is not listed in retiredStacks`);
    lines.push(`  Its ${plural(s.resources.length, 'resource')} stay in AWS, managed by no stack${kept.length > 0 ? `; ${kept.length} of them protected:` : '.'}`);
    for (const r of kept) lines.push(`    ${r.address}: ${r.protection}`);
    lines.push(`  Destroy or hand them over first, then list the stack in retiredStacks: ${RETIRING}`);
  }
  for (const id of diff.staleRetirements) lines.push('', `retiredStacks lists ${id}, but the config still synthesizes it: remove it from retiredStacks`);
  const unchanged: string[] = [];
  for (const s of diff.stacks.filter((d) => d.status !== 'vanished')) {
    if (s.resources.length === 0) {
      unchanged.push(s.stack);
      continue;
    }
    if (s.status === 'new') {
      lines.push('', `${s.stack}: new stack, ${plural(s.resources.length, 'resource')}`);
      continue;
    }
    lines.push('', `${s.stack}: ${counts(s.resources)}`);
    for (const r of s.resources) {
      const flag = note(r);
      lines.push(`  ${SYMBOL[r.kind]} ${r.address}${flag ? `  (${flag})` : ''}`);
      for (const line of describeChanges(r.attributes)) lines.push(`      ${line}`);
    }
  }
  if (unchanged.length > 0) lines.push('', `unchanged: ${unchanged.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function protectedTable(rows: ReadonlyArray<ResourceDiff & { stack: string }>): string {
  return [
    '| stack | action | address | why protected |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.stack} | ${KIND_TITLE[r.kind]}${r.replacedBecause ? ` (forced by ${r.replacedBecause.join(', ')})` : ''} | \`${r.address}\` | ${escape(r.protection ?? '')} |`),
  ].join('\n');
}

function resourceList(resources: readonly ResourceDiff[]): string {
  const rows = resources.map((r) => `| ${KIND_TITLE[r.kind]} | \`${r.address}\` | ${escape(note(r))} |`);
  const table = ['| action | address | note |', '| --- | --- | --- |', ...rows].join('\n');
  const changed = resources.filter((r) => r.attributes.length > 0);
  if (changed.length === 0) return table;
  return `${table}\n\nChanged attributes:\n\n${changed.map((r) => [`\`${r.address}\``, ...markdownChanges(r.attributes)].join('\n')).join('\n\n')}`;
}

/** The report as markdown, for the pull request comment. */
export function renderMarkdown(diff: LandingZoneDiff, options: { allowDestroy: boolean; comparing: string }): string {
  const lines = [DIFF_MARKER, `## ${headline(diff, options.allowDestroy)}`, '', options.comparing];
  const vanished = diff.stacks.filter((s) => s.status === 'vanished');
  if (vanished.length > 0) {
    lines.push('', '### Stacks that disappear', '', `A stack that is no longer synthesized is never planned again: its resources, detectors and guards included, stay in AWS with nothing managing them. Destroy or hand them over first, then list the stack in \`retiredStacks\` ([how](${RETIRING})).`, '');
    lines.push('| stack | acknowledged | resources left in AWS | protected among them |', '| --- | --- | ---: | --- |');
    for (const s of vanished) {
      const kept = s.resources.filter((r) => r.protection);
      lines.push(`| **${s.stack}** | ${s.retired ? 'yes (retiredStacks)' : '❌ no'} | ${s.resources.length} | ${kept.map((r) => `\`${r.address}\``).join('<br>') || 'none'} |`);
    }
  }
  for (const id of diff.staleRetirements) lines.push('', `⚠️ \`retiredStacks\` lists ${id}, but the config still synthesizes it: remove it from \`retiredStacks\`.`);
  const blocked = blockedResources(diff);
  if (blocked.length > 0) lines.push('', '### Protected resources deleted or replaced', '', protectedTable(blocked));
  const watched = protectedUpdates(diff);
  if (watched.length > 0) lines.push('', '### Changes to protected resources', '', 'Changed in place (allowed); look at each one closely.', '', protectedTable(watched));

  const present = diff.stacks.filter((s) => s.status !== 'vanished');
  lines.push('', '### Summary', '', '| stack | added | removed | replaced | changed |', '| --- | ---: | ---: | ---: | ---: |');
  for (const s of present.filter((d) => d.resources.length > 0)) {
    const n = (k: ResourceChangeKind) => s.resources.filter((r) => r.kind === k).length;
    lines.push(`| ${s.stack}${s.status === 'new' ? ' (new)' : ''} | ${n('add')} | ${n('remove')} | ${n('replace')} | ${n('change')} |`);
  }
  for (const s of vanished) lines.push(`| ~~${s.stack}~~ (disappears) | | | | |`);
  const unchanged = present.filter((d) => d.resources.length === 0).map((d) => d.stack);
  if (unchanged.length > 0) lines.push('', `Unchanged: ${unchanged.join(', ')}.`);
  for (const s of present.filter((d) => d.resources.length > 0)) {
    lines.push('', `### ${s.stack}`, '', collapsible(`**${s.status === 'new' ? 'new stack' : counts(s.resources)}** (${s.resources.length})`, resourceList(s.resources), s.resources.length));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export class DiffError extends Error {}

function git(args: readonly string[], cwd: string): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error) throw new DiffError(`git is not available: ${run.error.message}`);
  if (run.status !== 0) throw new DiffError(`git ${args.join(' ')}: ${run.stderr.trim().split('\n')[0]}`);
  return run.stdout.trim();
}

/** Writes the tree of REF into `into` and returns the folder that corresponds to `root` there. */
function checkOut(ref: string, root: string, into: string): { commit: string; dir: string } {
  const commit = (() => {
    try {
      return git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
    } catch {
      throw new DiffError(`--base ${ref} is not a commit of this repository (fetch it first, e.g. git fetch origin ${ref})`);
    }
  })();
  const prefix = git(['rev-parse', '--show-prefix'], root);
  const archive = path.join(into, 'base.tar');
  git(['archive', '--format=tar', `--output=${archive}`, commit], root);
  const tree = path.join(into, 'base');
  fs.mkdirSync(tree);
  const untar = spawnSync('tar', ['-xf', archive, '-C', tree], { encoding: 'utf8' });
  if (untar.status !== 0) throw new DiffError(`cannot unpack ${ref}: ${untar.stderr.trim()}`);
  return { commit, dir: path.join(tree, prefix) };
}

/**
 * Starts the base's own app command (its cdktf.json) in its tree, as `cdktf synth` would; it runs
 * in its own process while the working tree is synthesized here. `signal` stops it.
 */
function synthesizeBase(dir: string, root: string, config: string, outdir: string, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<SynthesizedSide> {
  const cdktfJson = path.join(dir, 'cdktf.json');
  if (!fs.existsSync(cdktfJson)) return Promise.reject(new DiffError('the base has no cdktf.json: it is not a landing zone to compare with'));
  const app = (JSON.parse(fs.readFileSync(cdktfJson, 'utf8')) as { app: string }).app;
  // The base runs with the working tree's packages; its package-lock.json may pin others.
  const modules = path.join(dir, 'node_modules');
  if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(modules);
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(root, 'node_modules'), modules, 'dir');
  return new Promise((resolve, reject) => {
    const child = spawn(app, { cwd: dir, shell: true, env: { ...env, LZ_CONFIG: config, CDKTF_OUTDIR: outdir }, timeout: 5 * 60 * 1000, signal });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signalName) => {
      if (code === 0) return resolve(readSide(outdir));
      reject(new DiffError(`the base did not synthesize (\`${app}\` exited ${code ?? signalName}):\n${output.trim().split('\n').slice(-15).join('\n')}`));
    });
  });
}

function packagesDiffer(root: string, dir: string): boolean {
  const lock = (d: string) => (fs.existsSync(path.join(d, 'package-lock.json')) ? fs.readFileSync(path.join(d, 'package-lock.json'), 'utf8') : '');
  return lock(root) !== lock(dir);
}

/** The config file's absolute path, its folder's symbolic links resolved (so that it compares with the root). */
function configPath(root: string, file: string): string {
  const absolute = path.resolve(root, file);
  try {
    return path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
  } catch {
    return absolute;
  }
}

export interface DiffRun {
  readonly exitCode: 0 | 1 | 2;
  /** The report (stdout). */
  readonly text: string;
  readonly markdown?: string;
  /** The change to the record of processing, as markdown (with `--record`). */
  readonly record?: string;
}

/** The command line: arguments in, report and exit code out; progress goes to `log`. */
export async function diffCommand(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; log: (line: string) => void }): Promise<DiffRun> {
  const fail = (message: string): DiffRun => ({ exitCode: 2, text: `diff: ${message}\n` });
  let values: { base?: string; markdown?: string; record?: string; 'allow-destroy'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { base: { type: 'string' }, markdown: { type: 'string' }, record: { type: 'string' }, 'allow-destroy': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(`${errorMessage(error)}\n${USAGE}`);
  }
  if (values.help) return { exitCode: 0, text: `${USAGE}\n` };
  if (!values.base) return fail(`--base REF is required (the commit to compare with, e.g. origin/main)\n${USAGE}`);
  const allowDestroy = values['allow-destroy'] === true;
  const target = (options.env.LZ_TARGET ?? 'aws') as DeployTarget;
  if (!DEPLOY_TARGETS.includes(target)) return fail(`LZ_TARGET=${target} is not a deploy target; use one of ${DEPLOY_TARGETS.join(', ')}`);

  const root = fs.realpathSync(options.cwd);
  const configFile = configPath(root, options.env.LZ_CONFIG ?? EXAMPLE_CONFIG_PATH);
  const relative = path.relative(root, configFile);
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative);
  const shown = inside ? relative : configFile;
  options.log(`diff: config ${shown}${options.env.LZ_CONFIG ? '' : ' (the bundled example: set LZ_CONFIG to compare your own)'}`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'landing-zone-diff-'));
  const stopBase = new AbortController();
  try {
    let config: Config;
    try {
      config = loadConfig(configFile);
    } catch (error) {
      // a missing or unreadable file is a ConfigError too, with one line saying so
      if (error instanceof ConfigError) return fail(error.message);
      throw error;
    }
    const { commit, dir } = checkOut(values.base, root, work);
    const baseName = `${values.base}${values.base.startsWith(commit.slice(0, 7)) ? '' : ` (${commit.slice(0, 7)})`}`;

    const baseConfig = inside ? path.join(dir, relative) : configFile;
    const hasBase = fs.existsSync(baseConfig);
    if (hasBase && packagesDiffer(root, dir)) options.log(`diff: ${baseName} pins other packages (package-lock.json); it is synthesized with the working tree's node_modules`);
    const started = Date.now();
    const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const baseSynth = hasBase ? synthesizeBase(dir, root, baseConfig, path.join(work, 'base.out'), options.env, stopBase.signal) : undefined;
    baseSynth?.catch(() => undefined); // awaited below, unless the working tree fails first
    const headOut = path.join(work, 'head.out');
    const localState = path.resolve(root, config.state.backend === 'local' ? config.state.directory : 'terraform-state');
    synthesize(config, { outdir: headOut, target, localStateDirectory: localState });
    const head = readSide(headOut);
    options.log(`diff: synthesized the working tree: ${plural(head.size, 'stack')} (${seconds()})`);

    let base: SynthesizedSide = new Map();
    let comparing: string;
    if (!baseSynth) {
      comparing = `${baseName} has no ${shown}: nothing to compare with, so every stack is new.`;
      options.log(`diff: ${comparing}`);
    } else {
      base = await baseSynth;
      options.log(`diff: synthesized ${baseName}: ${plural(base.size, 'stack')} (${seconds()})`);
      comparing = `Compared the working tree with ${baseName}, each synthesized from ${inside ? `its own ${shown}` : shown}.`;
    }
    const diff = diffSides(base, head, config.retiredStacks);
    const exitCode = exitCodeOf(diff, allowDestroy);
    const markdown = values.markdown ? renderMarkdown(diff, { allowDestroy, comparing }) : undefined;
    if (values.markdown && markdown) {
      fs.writeFileSync(values.markdown, markdown);
      options.log(`diff: wrote ${values.markdown}`);
    }
    let record: string | undefined;
    if (values.record) {
      record = markdownRecordDiff(recordDiff(processingRecord(base), processingRecord(head)), comparing);
      fs.writeFileSync(values.record, record);
      options.log(`diff: wrote ${values.record}`);
    }
    return { exitCode, text: renderText(diff, { allowDestroy, comparing }), markdown, record };
  } catch (error) {
    if (error instanceof DiffError) return fail(error.message);
    throw error;
  } finally {
    stopBase.abort();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `npm run diff`: progress on stderr, the report on stdout (a usage error on stderr); returns the
 * exit code.
 */
export async function diffMain(args: readonly string[], io: CommandIo & { readonly cwd: string }): Promise<0 | 1 | 2> {
  const run = await diffCommand(args, { cwd: io.cwd, env: io.env, log: (line) => io.stderr.write(`${line}\n`) });
  (run.exitCode === 2 ? io.stderr : io.stdout).write(run.text);
  return run.exitCode;
}

if (require.main === module) void diffMain(process.argv.slice(2), { ...processIo(), cwd: process.cwd() }).then((code) => (process.exitCode = code));
