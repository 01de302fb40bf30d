/** Reads an organization's config file, checks it whole, and returns it with defaults applied. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Config, configSchema } from './schema';
import { type Problem, semanticProblems } from './rules';

/** The bundled example organization, used when `LZ_CONFIG` is not set. */
export const EXAMPLE_CONFIG_PATH = path.join(__dirname, 'example.yaml');

/** Every problem found in a config file; nothing may be synthesized from it. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly Problem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the config; nothing was synthesized:\n` +
        problems.map((p) => `  - ${p.path || '(top level)'}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${String(s)}`))
    .join('');
}

function shapeProblems(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => {
    const at = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return { path: at, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}; check the spelling against config/schema.json` };
    }
    // zod's own wording for enums ("Invalid option: ...") is replaced; custom messages are kept
    if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid option')) {
      return { path: at, message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    }
    return { path: at, message: issue.message };
  });
}

/** Checks an already-parsed config object: shape first, then the rules between fields. */
export function parseConfig(raw: unknown, source = 'config'): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, shapeProblems(parsed.error.issues));
  const problems = semanticProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(source, problems);
  return parsed.data;
}

/** Reads and checks a YAML config file. */
export function loadConfig(file: string = EXAMPLE_CONFIG_PATH): Config {
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '(YAML)', message: e.message.split('\n')[0] })),
    );
  }
  return parseConfig(doc.toJS(), file);
}
