/**
 * The changed attributes of one resource, before → after: shared by `diff` (two synthesized
 * configurations) and `plan-review` (the `before` and `after` of a planned update).
 *
 * Nested blocks become paths (`rule[1].transition[0].days`; a block that is the only one of
 * its list has no index: `rule.default_retention.days`). Strings holding JSON (IAM policies,
 * event patterns) are compared parsed, so the order of keys does not count, and their changes are
 * paths into the document. Lists whose elements all carry a unique `Sid`, `id` or `name` are
 * matched by it (`Statement[Sid=DenyDelete].Action`), so inserting one statement does not show
 * every later one as changed. Long values are cut to the part around the first difference.
 */

/** Stands for a value that is not a plain value: absent, unknown until apply, or sensitive. */
export class Placeholder {
  constructor(readonly label: string) {}
}

export const ABSENT = new Placeholder('(none)');
export const UNKNOWN = new Placeholder('(known after apply)');
export const SENSITIVE = new Placeholder('(sensitive)');

export interface AttributeChange {
  /** Where in the resource, e.g. `rule[id=expire].expiration[0].days` or `policy.Statement[Sid=X].Action`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Masks as `terraform show -json` writes them beside `before` and `after`: the same shape, with
 * `true` where a value is sensitive or unknown until apply.
 */
export interface PlanMasks {
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
  readonly afterUnknown?: unknown;
}

/** Keys that name the elements of a list (IAM statements, lifecycle rules, selectors). */
const ELEMENT_KEYS = ['Sid', 'id', 'name'] as const;

/** Values longer than this are cut to the part around their first difference. */
export const MAX_VALUE_LENGTH = 80;

/** Changes listed per resource before the rest is counted. */
export const MAX_CHANGES_SHOWN = 20;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Placeholder);
}

/** A list holding one object: how a plan writes a single nested block. */
function isBlockList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 1 && isRecord(value[0]);
}

/** The parsed document where a string holds a JSON object or list, else undefined. */
function parsedJson(value: unknown): Json | undefined {
  if (typeof value !== 'string' || !/^\s*[[{]/.test(value)) return undefined;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return undefined;
  }
}

/** A canonical text of a value: JSON strings parsed, keys sorted, absent and null alike. */
function canonical(value: unknown): string {
  const parsed = parsedJson(value);
  if (parsed !== undefined) return canonical(parsed);
  if (value instanceof Placeholder) return value.label;
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** True where two values mean the same (JSON strings compared parsed, key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function keyPath(path: string, key: string): string {
  const segment = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (path === '') return segment;
  return segment.startsWith('"') ? `${path}[${segment}]` : `${path}.${segment}`;
}

/** The key that names every element of both lists uniquely, if there is one. */
function elementKey(before: readonly unknown[], after: readonly unknown[]): string | undefined {
  return ELEMENT_KEYS.find((key) =>
    [before, after].every((list) => {
      const names = list.map((e) => (isRecord(e) ? e[key] : undefined));
      return names.every((n) => typeof n === 'string') && new Set(names).size === names.length;
    }),
  );
}

function child(mask: unknown, key: string | number): unknown {
  if (mask === true) return true;
  if (Array.isArray(mask) && typeof key === 'number') return mask[key];
  if (isRecord(mask) && typeof key === 'string') return mask[key];
  return undefined;
}

interface Side {
  readonly value: unknown;
  readonly sensitive?: unknown;
  readonly unknown?: unknown;
}

function at(side: Side, key: string | number): Side {
  const container = side.value as Record<string | number, unknown> | undefined;
  return {
    value: container === undefined || container === null ? undefined : container[key],
    sensitive: child(side.sensitive, key),
    unknown: child(side.unknown, key),
  };
}

function present(value: unknown): unknown {
  return value === undefined || value === null ? ABSENT : value;
}

function walk(path: string, before: Side, after: Side, changes: AttributeChange[]): void {
  if (after.unknown === true) {
    changes.push({ path, before: before.sensitive === true ? SENSITIVE : present(before.value), after: UNKNOWN });
    return;
  }
  if (sameValue(before.value, after.value)) return;
  if (before.sensitive === true || after.sensitive === true) {
    changes.push({ path, before: before.sensitive === true ? SENSITIVE : present(before.value), after: after.sensitive === true ? SENSITIVE : present(after.value) });
    return;
  }
  const [b, a] = [parsedJson(before.value), parsedJson(after.value)];
  if (b !== undefined && a !== undefined) {
    // a JSON document: its own paths, no masks inside it
    walk(path, { value: b }, { value: a }, changes);
    return;
  }
  // one block is a list of one in a plan and may be an object in cdktf's JSON: the same block
  if (isRecord(before.value) && isBlockList(after.value)) return walk(path, before, at(after, 0), changes);
  if (isBlockList(before.value) && isRecord(after.value)) return walk(path, at(before, 0), after, changes);
  if (isRecord(before.value) && isRecord(after.value)) {
    const keys = [...new Set([...Object.keys(before.value), ...Object.keys(after.value)])].sort();
    for (const key of keys) walk(keyPath(path, key), at(before, key), at(after, key), changes);
    return;
  }
  if (Array.isArray(before.value) && Array.isArray(after.value) && [...before.value, ...after.value].every(isRecord)) {
    walkList(path, before, after, changes);
    return;
  }
  changes.push({ path, before: present(before.value), after: present(after.value) });
}

/** Lists of blocks or objects: matched by their naming key where they have one, else by position. */
function walkList(path: string, before: Side, after: Side, changes: AttributeChange[]): void {
  const [b, a] = [before.value as Record<string, unknown>[], after.value as Record<string, unknown>[]];
  const key = elementKey(b, a);
  if (key === undefined) {
    if (b.length === 1 && a.length === 1) return walk(path, at(before, 0), at(after, 0), changes);
    for (let i = 0; i < Math.max(b.length, a.length); i++) walk(`${path}[${i}]`, at(before, i), at(after, i), changes);
    return;
  }
  const names = [...new Set([...b.map((e) => e[key] as string), ...a.map((e) => e[key] as string)])];
  for (const name of names) {
    const [i, j] = [b.findIndex((e) => e[key] === name), a.findIndex((e) => e[key] === name)];
    walk(`${path}[${key}=${name}]`, i < 0 ? { value: undefined } : at(before, i), j < 0 ? { value: undefined } : at(after, j), changes);
  }
  // statement order means nothing to IAM; the order of other named elements is part of the resource
  const order = (list: Record<string, unknown>[]) => list.map((e) => e[key] as string).filter((n) => b.some((e) => e[key] === n) && a.some((e) => e[key] === n));
  if (key !== 'Sid' && order(b).join('\n') !== order(a).join('\n')) {
    changes.push({ path: `${path} (order)`, before: order(b), after: order(a) });
  }
}

/** The attributes that differ between two states of a resource. */
export function attributeChanges(before: unknown, after: unknown, masks: PlanMasks = {}): AttributeChange[] {
  const changes: AttributeChange[] = [];
  walk('', { value: before, sensitive: masks.beforeSensitive }, { value: after, sensitive: masks.afterSensitive, unknown: masks.afterUnknown }, changes);
  return changes;
}

function text(value: unknown): string {
  if (value instanceof Placeholder) return value.label;
  const parsed = parsedJson(value);
  return JSON.stringify(parsed ?? value) ?? String(value);
}

function cut(value: string, from: number): string {
  if (value.length <= MAX_VALUE_LENGTH) return value;
  const start = Math.max(0, Math.min(from - 24, value.length - MAX_VALUE_LENGTH));
  const end = start + MAX_VALUE_LENGTH;
  return `${start > 0 ? '…' : ''}${value.slice(start, end)}${end < value.length ? '…' : ''} (${value.length} chars)`;
}

/** Both values as short texts, cut around the first character where they differ. */
export function shownValues(change: AttributeChange): { before: string; after: string } {
  const [before, after] = [text(change.before), text(change.after)];
  let first = 0;
  while (first < before.length && before[first] === after[first]) first++;
  return { before: cut(before, first), after: cut(after, first) };
}

const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Members listed before a count of the rest. */
const MAX_MEMBERS_SHOWN = 10;

/**
 * A change shown as before → after, or, for long lists of plain values (regions, actions, ARNs),
 * as the members removed and added.
 */
function shownChange(change: AttributeChange, quote: (value: string) => string): string {
  const { before, after } = change;
  const long = text(before).length > MAX_VALUE_LENGTH || text(after).length > MAX_VALUE_LENGTH;
  if (long && Array.isArray(before) && Array.isArray(after) && [...before, ...after].every(isScalar)) {
    const members = (sign: string, list: unknown[]) => [
      ...list.slice(0, MAX_MEMBERS_SHOWN).map((v) => `${sign} ${quote(cut(text(v), 0))}`),
      ...(list.length > MAX_MEMBERS_SHOWN ? [`${sign} ${list.length - MAX_MEMBERS_SHOWN} more`] : []),
    ];
    const removed = before.filter((v) => !after.includes(v));
    const added = after.filter((v) => !before.includes(v));
    if (removed.length + added.length > 0) return [...members('−', removed), ...members('+', added)].join(', ');
    const { before: b, after: a } = shownValues(change);
    return `same ${before.length} members, order changed: ${quote(b)} → ${quote(a)}`;
  }
  const { before: b, after: a } = shownValues(change);
  return `${quote(b)} → ${quote(a)}`;
}

/** One line per change, `path: before → after`, with the rest counted past MAX_CHANGES_SHOWN. */
export function describeChanges(changes: readonly AttributeChange[]): string[] {
  const lines = changes.slice(0, MAX_CHANGES_SHOWN).map((c) => `${c.path}: ${shownChange(c, (v) => v)}`);
  if (changes.length > MAX_CHANGES_SHOWN) lines.push(`… and ${changes.length - MAX_CHANGES_SHOWN} more changed attributes`);
  return lines;
}

function code(value: string): string {
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

/** The changes as a markdown list, one item per attribute. */
export function markdownChanges(changes: readonly AttributeChange[]): string[] {
  const lines = changes.slice(0, MAX_CHANGES_SHOWN).map((c) => `- ${code(c.path)}: ${shownChange(c, code)}`);
  if (changes.length > MAX_CHANGES_SHOWN) lines.push(`- … and ${changes.length - MAX_CHANGES_SHOWN} more changed attributes`);
  return lines;
}
