/**
 * `npm run plan-review -- [--allow-destroy] PLAN.json...`: summarises `terraform show -json` plans
 * as markdown for a pull request comment, one table per stack with the changed attributes of every
 * update and replacement (scripts/attribute-diff.ts), and fails (exit 1) where a protected resource
 * would be deleted or replaced, unless `--allow-destroy` is given. What is protected each plan says
 * itself: the manifest its stack publishes (scripts/protected-resources.ts).
 * Exit 2: a plan file is missing or is not a plan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { type AttributeChange, attributeChanges, markdownChanges, UNKNOWN } from './attribute-diff';
import { liftedProtections, type PlanWithOutputs, protectionOf, protectionOfPlan } from './protected-resources';
import { errorMessage } from './error-message';

/** Hidden line that identifies the review comment on a pull request. */
export const COMMENT_MARKER = '<!-- audit-landing-zone:plan-review -->';

/** Lists longer than this are collapsed into a details element. */
const OPEN_ROWS = 10;

export type ChangeKind = 'create' | 'update' | 'replace' | 'delete' | 'forget';
const KINDS: readonly ChangeKind[] = ['create', 'update', 'replace', 'delete', 'forget'];
const KIND_TITLES: Record<ChangeKind, string> = {
  create: 'create',
  update: 'update in place',
  replace: 'replace',
  delete: 'delete',
  forget: 'forget (stays in AWS, leaves the state)',
};

interface ResourceChangeJson {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly before_sensitive?: unknown;
    readonly after_sensitive?: unknown;
    readonly after_unknown?: unknown;
    readonly replace_paths?: ReadonlyArray<ReadonlyArray<string | number>>;
  };
}

export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** Why the resource is protected, where it is. */
  readonly protection?: string;
  /** Attributes that force the replacement. */
  readonly replacedBecause?: string;
  /** What an update or a replacement changes, before → after. */
  readonly attributes?: readonly AttributeChange[];
}

export interface StackReview {
  readonly stack: string;
  readonly changes: readonly PlannedChange[];
  /** Resources that stay but lose their protection, with the reason they had. */
  readonly liftedProtections?: ReadonlyArray<{ readonly address: string; readonly protection: string }>;
}

export interface ReviewResult {
  readonly exitCode: 0 | 1 | 2;
  readonly markdown: string;
}

export class PlanFileError extends Error {}

function kindOf(actions: readonly string[]): ChangeKind | undefined {
  const key = actions.join(',');
  if (key === 'create') return 'create';
  if (key === 'update') return 'update';
  if (key === 'delete') return 'delete';
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  if (key === 'forget') return 'forget';
  return undefined; // no-op, read
}

/** The changes of one plan, protected resources marked. */
export function reviewPlan(stack: string, plan: { resource_changes?: readonly ResourceChangeJson[] } & PlanWithOutputs): StackReview {
  const protection = protectionOfPlan(plan);
  const changes: PlannedChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode === 'data') continue;
    const kind = kindOf(rc.change.actions);
    if (!kind) continue;
    const replacedBecause = kind === 'replace' && rc.change.replace_paths?.length
      ? rc.change.replace_paths.map((p) => p.join('.')).join(', ')
      : undefined;
    const changed = kind === 'update' || kind === 'replace'
      ? attributeChanges(rc.change.before, rc.change.after, { beforeSensitive: rc.change.before_sensitive, afterSensitive: rc.change.after_sensitive, afterUnknown: rc.change.after_unknown })
      : undefined;
    // a replacement recomputes every computed attribute (ids, ARNs): consequences, not changes
    const attributes = kind === 'replace' ? changed?.filter((c) => c.after !== UNKNOWN) : changed;
    changes.push({ address: rc.address, type: rc.type, kind, protection: protectionOf(protection, rc.address), replacedBecause, attributes });
  }
  const leaving = new Set(changes.filter((c) => c.kind === 'delete' || c.kind === 'forget').map((c) => c.address));
  const lifted = liftedProtections(protection)
    .filter((address) => !leaving.has(address))
    .map((address) => ({ address, protection: protection.deployed[address] }));
  return { stack, changes, liftedProtections: lifted };
}

/** Reads one `terraform show -json` file; the stack is named by the resources' `landing-zone-stack` tag, else by the file. */
export function readPlanFile(file: string): StackReview {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PlanFileError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let plan: { format_version?: unknown; resource_changes?: ResourceChangeJson[]; errored?: boolean } & PlanWithOutputs;
  try {
    plan = JSON.parse(text);
  } catch {
    throw new PlanFileError(`${file} is not JSON: write it with \`terraform show -json plan.tfplan > ${path.basename(file)}\``);
  }
  if (typeof plan !== 'object' || plan === null || typeof plan.format_version !== 'string') {
    throw new PlanFileError(`${file} is not a Terraform plan in JSON (no format_version): write it with \`terraform show -json plan.tfplan\``);
  }
  if (plan.errored) {
    throw new PlanFileError(`${file} is the plan of a failed \`terraform plan\` (errored: true): fix the plan errors first`);
  }
  return reviewPlan(stackNameOf(plan.resource_changes ?? []) ?? path.basename(file).replace(/\.json$/, ''), plan);
}

function stackNameOf(changes: readonly ResourceChangeJson[]): string | undefined {
  for (const rc of changes) {
    const tags = (rc.change.after ?? rc.change.before)?.tags_all as Record<string, unknown> | undefined;
    if (tags && typeof tags['landing-zone-stack'] === 'string') return tags['landing-zone-stack'];
  }
  return undefined;
}

const destructive = (c: PlannedChange) => c.protection !== undefined && (c.kind === 'delete' || c.kind === 'replace');
const protectedUpdate = (c: PlannedChange) => c.protection !== undefined && c.kind === 'update';

/** A table cell's text, its pipes escaped. */
export function escape(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Protected resources across stacks, with why each is protected. */
function protectedTable(changes: ReadonlyArray<PlannedChange & { readonly stack: string }>): string {
  const rows = changes.map((c) => `| ${c.stack} | ${c.kind} | \`${c.address}\` | \`${c.type}\` | ${escape(c.protection ?? '')} |`);
  return ['| stack | action | address | type | why protected |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The changes of one stack. */
function changeTable(changes: readonly PlannedChange[]): string {
  const rows = changes.map((c) => {
    const note = [c.replacedBecause ? `forced by ${c.replacedBecause}` : '', c.protection ? '🛡️ protected' : ''].filter(Boolean).join('; ');
    return `| ${c.kind} | \`${c.address}\` | \`${c.type}\` | ${escape(note)} |`;
  });
  return ['| action | address | type | note |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Per updated or replaced resource, its changed attributes. */
function attributeLists(changes: readonly PlannedChange[]): string {
  const withAttributes = changes.filter((c) => c.attributes && c.attributes.length > 0);
  if (withAttributes.length === 0) return '';
  return `\n\nChanged attributes:\n\n${withAttributes.map((c) => [`\`${c.address}\``, ...markdownChanges(c.attributes ?? [])].join('\n')).join('\n\n')}`;
}

/** A titled block, collapsed into a details element when it has more than OPEN_ROWS rows. */
export function collapsible(summary: string, body: string, rows: number): string {
  return rows > OPEN_ROWS ? `<details><summary>${summary}</summary>\n\n${body}\n\n</details>` : `${summary}\n\n${body}`;
}

/** The pull request comment for a set of stack reviews, and the verdict as an exit code. */
export function renderReview(reviews: readonly StackReview[], options: { allowDestroy: boolean }): ReviewResult {
  const tagged = reviews.flatMap((r) => r.changes.map((c) => ({ ...c, stack: r.stack })));
  const blocked = tagged.filter(destructive);
  const watched = tagged.filter(protectedUpdate);
  const total = tagged.length;
  const lines: string[] = [COMMENT_MARKER];

  if (blocked.length > 0 && !options.allowDestroy) {
    lines.push(`## ❌ Plan review: ${blocked.length} protected resource${blocked.length === 1 ? '' : 's'} would be deleted or replaced`);
    lines.push('', 'Nothing may be applied as planned. If this is intended, a maintainer adds the `allow-destroy` label (the review then runs with `--allow-destroy`).');
  } else if (blocked.length > 0) {
    lines.push(`## ⚠️ Plan review: destroying ${blocked.length} protected resource${blocked.length === 1 ? '' : 's'} is allowed (\`--allow-destroy\`)`);
    lines.push('', '**Warning:** evidence, keys or guards below will be deleted or replaced. Check each one before approving the deployment.');
  } else if (total === 0) {
    lines.push('## ✅ Plan review: no changes');
  } else {
    lines.push(`## ✅ Plan review: ${total} change${total === 1 ? '' : 's'}, no protected resource deleted or replaced`);
  }

  if (blocked.length > 0) {
    lines.push('', '### Protected resources deleted or replaced', '', protectedTable(blocked));
  }
  if (watched.length > 0) {
    lines.push('', '### Changes to protected resources', '', 'Updated in place (allowed); look at each one closely.', '', protectedTable(watched));
  }
  const lifted = reviews.flatMap((r) => (r.liftedProtections ?? []).map((l) => ({ ...l, stack: r.stack })));
  if (lifted.length > 0) {
    const rows = lifted.map((l) => `| ${l.stack} | \`${l.address}\` | ${escape(l.protection)} |`);
    lines.push('', '### Protection lifted', '', 'These resources stay, but the change removes their protection (allowed); a later change could then delete them unreviewed.', '', ['| stack | address | was protected because |', '| --- | --- | --- |', ...rows].join('\n'));
  }

  lines.push('', '### Summary', '', `| stack | ${KINDS.slice(0, 4).join(' | ')} |`, `| --- | ${KINDS.slice(0, 4).map(() => '---:').join(' | ')} |`);
  for (const review of reviews) {
    const count = (kind: ChangeKind) => review.changes.filter((c) => c.kind === kind).length;
    lines.push(`| ${review.stack} | ${KINDS.slice(0, 4).map(count).join(' | ')} |`);
  }

  for (const review of reviews) {
    lines.push('', `### ${review.stack}`);
    if (review.changes.length === 0) lines.push('', 'No changes.');
    for (const kind of KINDS) {
      const ofKind = review.changes.filter((c) => c.kind === kind);
      if (ofKind.length > 0) lines.push('', collapsible(`**${KIND_TITLES[kind]}** (${ofKind.length})`, changeTable(ofKind) + attributeLists(ofKind), ofKind.length));
    }
  }
  return { exitCode: blocked.length > 0 && !options.allowDestroy ? 1 : 0, markdown: `${lines.join('\n').trimEnd()}\n` };
}

/** The command line: arguments in, exit code and markdown out (printed by `main`). */
export function planReview(args: readonly string[]): ReviewResult {
  const fail = (message: string): ReviewResult => ({
    exitCode: 2,
    markdown: `${COMMENT_MARKER}\n## ❌ Plan review failed\n\n${message}\n`,
  });
  const usage = 'usage: plan-review [--allow-destroy] PLAN.json...';
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { 'allow-destroy': { type: 'boolean', default: false } } });
  } catch (error) {
    return fail(`${errorMessage(error)}; ${usage}`);
  }
  const allowDestroy = parsed.values['allow-destroy'];
  const files = parsed.positionals;
  if (files.length === 0) return fail(`no plan files given; ${usage}`);
  const reviews: StackReview[] = [];
  const errors: string[] = [];
  for (const file of files) {
    try {
      reviews.push(readPlanFile(file));
    } catch (error) {
      if (!(error instanceof PlanFileError)) throw error;
      errors.push(`- ${error.message}`);
    }
  }
  if (errors.length > 0) return fail(`No verdict: ${errors.length} of ${files.length} plan file${files.length === 1 ? '' : 's'} could not be read.\n\n${errors.join('\n')}`);
  return renderReview(reviews, { allowDestroy });
}

if (require.main === module) {
  const result = planReview(process.argv.slice(2));
  process.stdout.write(result.markdown);
  process.exitCode = result.exitCode;
}
