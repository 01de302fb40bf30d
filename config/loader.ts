/** Reads an organization's config file, checks it whole, and returns it with defaults applied. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Config, configSchema } from './schema';
import { type Problem, semanticProblems } from './rules';

/** The bundled example organization, used when `LZ_CONFIG` is not set. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, 'example.yaml');

/** Problems listed in one report; the rest are counted, so one slip cannot bury the screen. */
export const MAX_LISTED_PROBLEMS = 20;

/**
 * YAML errors listed in one report. The parser recovers from a stray token by guessing, and every
 * guess after the first error tends to be wrong (one `}` gave 71 errors, a stray quote hundreds):
 * the first is the cause, the next few may be independent, the rest are noise.
 */
export const MAX_LISTED_YAML_ERRORS = 3;

function problemLines(problems: readonly Problem[], limit: number): string[] {
  const lines = problems.slice(0, limit).map((p) => `  - ${p.path || '(top level)'}: ${p.message}`);
  if (problems.length > limit) lines.push(`  … and ${problems.length - limit} more (${problems.length} in all); fix these and run again`);
  return lines;
}
/** The same organization with every optional feature switched on; synthesized, validated and planned by the tests. */
export const ALL_FEATURES_CONFIG_PATH = path.join(__dirname, 'examples', 'all-features.yaml');

/** Every problem found in a config file; nothing may be synthesized from it. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
    message = `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the config; nothing was synthesized:\n${problemLines(problems, MAX_LISTED_PROBLEMS).join('\n')}`,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

/** zod's generic wording, which says nothing a reader of the config can act on. */
const GENERIC_MESSAGE = /^Invalid (input|option)/;

function unknownFields(at: string, keys: readonly string[]): Problem {
  return { path: at, message: `unknown field${keys.length > 1 ? 's' : ''} ${keys.join(', ')}; check the spelling against config/schema.json` };
}

function shapeProblem(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[]): Problem {
  const at = formatPath([...prefix, ...issue.path]);
  if (issue.code === 'unrecognized_keys') return unknownFields(at, issue.keys);
  // parsed with reportInput: an absent field arrives as undefined, a key without a value as null
  if ('input' in issue && (issue.input === undefined || issue.input === null)) {
    const hint = GENERIC_MESSAGE.test(issue.message) ? '' : `: ${issue.message}`;
    return { path: at, message: `${issue.input === undefined ? 'is required' : 'is required but has no value'}${hint}` };
  }
  // zod's own wording for enums ("Invalid option: ...") is replaced; custom messages are kept
  if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid option')) {
    return { path: at, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
  }
  return { path: at, message: issue.message };
}

type Section = keyof typeof configSchema.shape;
const SECTIONS = Object.keys(configSchema.shape) as Section[];

/**
 * Parses each top-level field on its own, so that one malformed section does not hide the rules
 * of the others: returns the sections that parsed (with their defaults) and the problems of the rest.
 */
function parseSections(raw: Record<string, unknown>): { sections: Partial<Config>; problems: Problem[] } {
  const problems: Problem[] = [];
  const unknown = Object.keys(raw).filter((k) => !(SECTIONS as string[]).includes(k));
  if (unknown.length > 0) problems.push(unknownFields('', unknown));
  const sections: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const parsed = configSchema.shape[section].safeParse(raw[section], { reportInput: true });
    if (parsed.success) sections[section] = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => shapeProblem(issue, [section])));
  }
  return { sections: sections as Partial<Config>, problems };
}

function isMapping(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/**
 * Checks an already-parsed config object: the shape of every section, and every rule between
 * fields whose sections are well-formed, all reported at once.
 */
export function parseConfig(raw: unknown, source = 'config'): Config {
  if (raw === null || raw === undefined) {
    throw new ConfigError(source, [{ path: '', message: 'the file is empty' }], `${source} is empty; copy config/example.yaml and describe your organization in it`);
  }
  if (!isMapping(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'not a mapping of fields' }], `${source} holds ${Array.isArray(raw) ? 'a list' : `a single ${typeof raw}`}; a config is a mapping of fields (prefix:, organization:, accounts:, ...) as in config/example.yaml`);
  }
  const { sections, problems } = parseSections(raw);
  problems.push(...semanticProblems(sections));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return configSchema.parse(raw);
}

function yamlError(file: string, errors: ReadonlyArray<{ message: string }>): ConfigError {
  const [first, ...rest] = errors;
  // prettyErrors: the first line says what and where, the next lines show the text around it
  const [headline, ...excerpt] = first.message.trimEnd().split('\n');
  const lines = [
    `${file}: not valid YAML; nothing was synthesized. The first error is the one to fix:`,
    `  - ${headline}`,
    ...excerpt.filter((l) => l.trim() !== '').map((l) => `      ${l}`),
    ...rest.slice(0, MAX_LISTED_YAML_ERRORS - 1).map((e) => `  - ${e.message.split('\n')[0]}`),
  ];
  if (errors.length > MAX_LISTED_YAML_ERRORS) {
    lines.push(`  … and ${errors.length - MAX_LISTED_YAML_ERRORS} more YAML errors after these, most likely caused by the first; fix it and run again`);
  }
  return new ConfigError(file, errors.map((e) => ({ path: '(YAML)', message: e.message.split('\n')[0] })), lines.join('\n'));
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'EACCES' ? 'not readable (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new ConfigError(file, [{ path: '', message: why }], `${file}: ${why}; LZ_CONFIG must name your config file (copy config/example.yaml to start one)`);
  }
}

/** Reads and checks a YAML config file. */
export function loadConfig(file: string = EXAMPLE_CONFIG_PATH): Config {
  const text = readConfigFile(file);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw yamlError(file, doc.errors);
  return parseConfig(doc.toJS(), file);
}
