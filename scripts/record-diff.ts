/**
 * The change a pull request makes to the record of processing (scripts/processing-record.ts): the
 * stores of log data added and removed, and for each store kept what changed in what it holds,
 * where, for how long, under which key, who reads it, what is masked and who unmasks. `npm run diff
 * -- --record FILE` writes it from the two sides it synthesizes anyway; the pull-request workflow
 * puts it next to the plan review, so that a new reader of personal data or a changed retention is
 * seen in review.
 */
import type { StoreRecord } from './processing-record';

/** Hidden line that identifies the record's diff in a pull request comment. */
export const RECORD_DIFF_MARKER = '<!-- audit-landing-zone:processing-record -->';

/** A field of a store, before and after; lists say which members came and went. */
export type FieldChange =
  | { readonly field: string; readonly before: string; readonly after: string }
  | { readonly field: string; readonly added: readonly string[]; readonly removed: readonly string[] };

export interface StoreChange {
  /** How the record names the store: kind, name, account and region. */
  readonly store: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** For a changed store, what changed. */
  readonly fields: readonly FieldChange[];
}

const SCALARS = ['retention', 'encryption'] as const satisfies ReadonlyArray<keyof StoreRecord>;
const LISTS = ['holds', 'personalData', 'readers', 'masked', 'unmask'] as const satisfies ReadonlyArray<keyof StoreRecord>;

/** What a reader of the record calls each field. */
const TITLES: Record<(typeof SCALARS)[number] | (typeof LISTS)[number], string> = {
  holds: 'holds',
  personalData: 'personal data',
  retention: 'retention',
  encryption: 'encryption',
  readers: 'who can read it',
  masked: 'masked',
  unmask: 'who can unmask',
};

/** A store is the same store across both sides when its kind, name, account and region are. */
const keyOf = (r: StoreRecord) => `${r.kind} \`${r.name}\` (${r.account}, ${r.region})`;

/** The stores added, removed and changed from the base's record to the head's, in the head's order. */
export function recordDiff(base: readonly StoreRecord[], head: readonly StoreRecord[]): StoreChange[] {
  const before = new Map(base.map((r) => [keyOf(r), r]));
  const after = new Map(head.map((r) => [keyOf(r), r]));
  const changes: StoreChange[] = [];
  for (const [store, now] of after) {
    const was = before.get(store);
    if (!was) {
      changes.push({ store, change: 'added', fields: [] });
      continue;
    }
    const fields: FieldChange[] = [];
    for (const field of SCALARS) {
      if (was[field] !== now[field]) fields.push({ field: TITLES[field], before: was[field], after: now[field] });
    }
    for (const field of LISTS) {
      const [old, current]: Array<readonly string[]> = [was[field], now[field]];
      const added = current.filter((v) => !old.includes(v));
      const removed = old.filter((v) => !current.includes(v));
      if (added.length > 0 || removed.length > 0) fields.push({ field: TITLES[field], added, removed });
    }
    if (fields.length > 0) changes.push({ store, change: 'changed', fields });
  }
  for (const store of before.keys()) if (!after.has(store)) changes.push({ store, change: 'removed', fields: [] });
  return changes;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describe(change: FieldChange): string {
  if ('before' in change) return `${change.before} → ${change.after}`;
  return [...change.added.map((v) => `+ ${v}`), ...change.removed.map((v) => `− ${v}`)].join('<br>');
}

/** The record's diff as markdown, for the job summary and the pull request comment. */
export function markdownRecordDiff(changes: readonly StoreChange[], comparing: string): string {
  const count = (kind: StoreChange['change']) => changes.filter((c) => c.change === kind).length;
  const headline = changes.length === 0
    ? 'Record of processing: unchanged'
    : `Record of processing: ${[`${count('added')} store(s) added`, `${count('removed')} removed`, `${count('changed')} changed`].join(', ')}`;
  const lines = [RECORD_DIFF_MARKER, `## ${headline}`, '', `${comparing} Who reads personal data, for how long, where, and what is masked (docs/gdpr.md).`];
  if (changes.length > 0) {
    lines.push('', '| store | change | field | before → after, + added, − removed |', '| --- | --- | --- | --- |');
    for (const c of changes) {
      if (c.fields.length === 0) lines.push(`| ${cell(c.store)} | ${c.change} | | |`);
      for (const f of c.fields) lines.push(`| ${cell(c.store)} | ${c.change} | ${f.field} | ${cell(describe(f))} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
