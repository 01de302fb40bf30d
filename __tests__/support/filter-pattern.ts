/**
 * Evaluates CloudWatch Logs JSON filter patterns (`{ ($.a = "x") && ($.b != 1) || $.c NOT EXISTS }`)
 * against a parsed JSON log event, as the CloudWatch Logs user guide documents them
 * ("Filter and pattern syntax", JSON log events):
 * - a selector starts at `$` and goes down by `.name` and `[index]`;
 * - `=` and `!=` compare with a string, quoted or not, where a leading or trailing `*` matches any
 *   text; with a number they compare numerically; `<`, `>`, `<=`, `>=` compare numbers;
 * - a comparison needs the selector to reach a string, number or boolean: an absent field, null,
 *   an object or an array matches neither `=` nor `!=`;
 * - `EXISTS` / `NOT EXISTS` test whether the field is there (null included), `IS NULL` /
 *   `NOT IS NULL` whether it is there and null / there and not null, `IS TRUE` / `IS FALSE` booleans;
 * - `&&` binds tighter than `||`; parentheses group.
 * A pattern outside this syntax throws, so a malformed synthesized pattern fails its test.
 */

type Value = unknown;

type Condition =
  | { kind: 'compare'; path: PathStep[]; op: '=' | '!='; operand: string; quoted: boolean }
  | { kind: 'numeric'; path: PathStep[]; op: '<' | '>' | '<=' | '>='; operand: number }
  | { kind: 'exists' | 'not-exists' | 'is-null' | 'not-null' | 'is-true' | 'is-false'; path: PathStep[] };

type Expression =
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'condition'; condition: Condition };

type PathStep = string | number;

class Parser {
  private position = 0;

  constructor(private readonly source: string) {}

  parse(): Expression {
    this.skipSpace();
    this.expect('{');
    const expression = this.or();
    this.expect('}');
    this.skipSpace();
    if (this.position !== this.source.length) this.fail('text after the closing brace');
    return expression;
  }

  private or(): Expression {
    let left = this.and();
    while (this.accept('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expression {
    let left = this.primary();
    while (this.accept('&&')) left = { kind: 'and', left, right: this.primary() };
    return left;
  }

  private primary(): Expression {
    if (this.accept('(')) {
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    return { kind: 'condition', condition: this.condition() };
  }

  private condition(): Condition {
    const path = this.selector();
    for (const [words, kind] of [
      ['NOT EXISTS', 'not-exists'],
      ['EXISTS', 'exists'],
      ['NOT IS NULL', 'not-null'],
      ['IS NULL', 'is-null'],
      ['IS TRUE', 'is-true'],
      ['IS FALSE', 'is-false'],
    ] as const) {
      if (this.acceptWords(words)) return { kind, path };
    }
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (!this.accept(op)) continue;
      const { text, quoted } = this.operand();
      if (op === '=' || op === '!=') return { kind: 'compare', path, op, operand: text, quoted };
      const number = Number(text);
      if (quoted || text === '' || Number.isNaN(number)) this.fail(`${op} needs a number`);
      return { kind: 'numeric', path, op, operand: number };
    }
    return this.fail('expected an operator');
  }

  private selector(): PathStep[] {
    this.skipSpace();
    this.expect('$');
    const path: PathStep[] = [];
    for (;;) {
      if (this.source[this.position] === '.') {
        this.position++;
        const name = /^[A-Za-z0-9_-]+/.exec(this.source.slice(this.position))?.[0];
        if (!name) this.fail('expected a property name');
        this.position += name!.length;
        path.push(name!);
      } else if (this.source[this.position] === '[') {
        const index = /^\[(\d+)\]/.exec(this.source.slice(this.position));
        if (!index) this.fail('expected [index]');
        this.position += index![0].length;
        path.push(Number(index![1]));
      } else {
        break;
      }
    }
    if (path.length === 0) this.fail('a selector names a property, as in $.eventName');
    return path;
  }

  private operand(): { text: string; quoted: boolean } {
    this.skipSpace();
    if (this.source[this.position] === '"') {
      const end = this.source.indexOf('"', this.position + 1);
      if (end < 0) this.fail('unterminated string');
      const text = this.source.slice(this.position + 1, end);
      this.position = end + 1;
      return { text, quoted: true };
    }
    const text = /^[^\s()&|{}"]+/.exec(this.source.slice(this.position))?.[0];
    if (!text) this.fail('expected a value');
    if (text!.startsWith('%')) this.fail('regular expressions are not supported here');
    this.position += text!.length;
    return { text: text!, quoted: false };
  }

  private skipSpace(): void {
    while (/\s/.test(this.source[this.position] ?? '')) this.position++;
  }

  private accept(token: string): boolean {
    this.skipSpace();
    if (!this.source.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  private acceptWords(words: string): boolean {
    this.skipSpace();
    const match = new RegExp(`^${words.replace(/ /g, '\\s+')}(?![A-Za-z])`).exec(this.source.slice(this.position));
    if (!match) return false;
    this.position += match[0].length;
    return true;
  }

  private expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected "${token}"`);
  }

  private fail(message: string): never {
    throw new Error(`filter pattern: ${message} at character ${this.position} of ${this.source}`);
  }
}

const MISSING = Symbol('missing');

function resolve(event: Value, path: readonly PathStep[]): Value | typeof MISSING {
  let current: Value = event;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return MISSING;
      current = current[step];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !(step in current)) return MISSING;
      current = (current as Record<string, Value>)[step];
    }
  }
  return current;
}

/** A leading and a trailing `*` match any text; any other character matches itself. */
function matchesText(value: string, operand: string): boolean {
  if (operand === '*') return true;
  const starts = operand.startsWith('*');
  const ends = operand.length > 1 && operand.endsWith('*');
  const core = operand.slice(starts ? 1 : 0, ends ? -1 : undefined);
  if (starts && ends) return value.includes(core);
  if (starts) return value.endsWith(core);
  if (ends) return value.startsWith(core);
  return value === core;
}

function holds(condition: Condition, event: Value): boolean {
  const value = resolve(event, condition.path);
  switch (condition.kind) {
    case 'exists':
      return value !== MISSING;
    case 'not-exists':
      return value === MISSING;
    case 'is-null':
      return value === null;
    case 'not-null':
      return value !== MISSING && value !== null;
    case 'is-true':
      return value === true;
    case 'is-false':
      return value === false;
    case 'numeric': {
      if (typeof value !== 'number') return false;
      const n = condition.operand;
      return condition.op === '<' ? value < n : condition.op === '>' ? value > n : condition.op === '<=' ? value <= n : value >= n;
    }
    case 'compare': {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
      const numeric = Number(condition.operand);
      const equal =
        typeof value === 'number' && !condition.quoted && condition.operand !== '' && !Number.isNaN(numeric)
          ? value === numeric
          : matchesText(String(value), condition.operand);
      return condition.op === '=' ? equal : !equal;
    }
  }
}

function evaluate(expression: Expression, event: Value): boolean {
  switch (expression.kind) {
    case 'and':
      return evaluate(expression.left, event) && evaluate(expression.right, event);
    case 'or':
      return evaluate(expression.left, event) || evaluate(expression.right, event);
    case 'condition':
      return holds(expression.condition, event);
  }
}

/** Parses a JSON filter pattern once; the result tells whether a log event (parsed JSON) matches. */
export function compileFilterPattern(pattern: string): (event: Value) => boolean {
  const expression = new Parser(pattern).parse();
  return (event) => evaluate(expression, event);
}

export function matchesFilterPattern(pattern: string, event: Value): boolean {
  return compileFilterPattern(pattern)(event);
}
