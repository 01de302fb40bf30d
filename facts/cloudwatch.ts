/** CloudWatch Logs facts: the retention periods it offers, its filter pattern limits and syntax. */

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
  3288, 3653,
] as const;

/** CloudWatch Logs accepts subscription filter patterns of at most this many characters. */
export const MAX_SUBSCRIPTION_PATTERN_LENGTH = 1024;

/** One comparison in a JSON filter pattern: `$.selector operator value`. */
export interface FilterComparison {
  /** The selector without `$.`, e.g. `userIdentity.type`. */
  readonly selector: string;
  readonly operator: '=' | '!=' | '<' | '>' | '<=' | '>=';
  /** The value compared with, unquoted; `*` stands for any text. */
  readonly value: string;
}

/**
 * The comparisons of a JSON filter pattern (CloudWatch Logs user guide, "Filter pattern syntax for
 * metric filters, subscription filters, filter log events, and Live Tail", JSON log events). The
 * tests of presence and of null and booleans (`EXISTS`, `IS NULL`, `IS TRUE`) compare no value and
 * are left out.
 */
export function jsonFilterComparisons(pattern: string): FilterComparison[] {
  const comparison = /\$\.([A-Za-z0-9_$@.[\]-]+)\s*(!=|<=|>=|=|<|>)\s*("(?:[^"\\]|\\.)*"|[^\s)&|}]+)/g;
  return [...pattern.matchAll(comparison)].map(([, selector, operator, raw]) => ({
    selector,
    operator: operator as FilterComparison['operator'],
    value: raw.startsWith('"') ? (JSON.parse(raw) as string) : raw,
  }));
}
