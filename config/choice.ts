/**
 * Which config file a command works on, said at its start, and the bundled example kept away from
 * AWS: without `LZ_CONFIG` every command would otherwise quietly use a fictional organization.
 */
import * as path from 'node:path';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from './loader';
import type { Config } from './schema';

export interface ConfigChoice {
  /** The file as the user named it (or the example's path). */
  readonly file: string;
  /** `LZ_CONFIG` was not set, so the bundled example is used. */
  readonly byDefault: boolean;
}

export function configChoice(env: NodeJS.ProcessEnv = process.env): ConfigChoice {
  const named = env.LZ_CONFIG?.trim();
  return named ? { file: named, byDefault: false } : { file: EXAMPLE_CONFIG_PATH, byDefault: true };
}

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), path.resolve(file));
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function isExampleFile(file: string): boolean {
  return path.resolve(file) === EXAMPLE_CONFIG_PATH;
}

/** The line a command starts with: which config, and how it was chosen. */
export function configLine(command: string, choice: ConfigChoice): string {
  if (choice.byDefault) {
    return `${command}: config ${displayPath(choice.file)}, the bundled example of a fictional organization (LZ_CONFIG is not set; point it at your own config)`;
  }
  return `${command}: config ${displayPath(choice.file)} (LZ_CONFIG)${isExampleFile(choice.file) ? ', the bundled example of a fictional organization' : ''}`;
}

/**
 * Says which config the command uses, on stderr so that JSON on stdout stays clean. Under the
 * cdktf CLI (which sets CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS for the app it runs) stdout is
 * used instead: that CLI logs every line of the app's stderr as "[ERROR]".
 */
export function announceConfig(command: string, choice: ConfigChoice = configChoice()): ConfigChoice {
  const underCdktf = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  (underCdktf ? process.stdout : process.stderr).write(`${configLine(command, choice)}\n`);
  return choice;
}

/** Says which config the command uses, then loads it (a ConfigError names every problem). */
export function loadChosenConfig(command: string): { readonly config: Config; readonly choice: ConfigChoice } {
  const choice = announceConfig(command);
  return { config: loadConfig(choice.file), choice };
}

/**
 * The bundled example, or a copy of it still naming its fictional organization, must not reach
 * AWS: its account ids are not yours (the providers would refuse them at best).
 */
export function refuseExampleAgainstAws(choice: ConfigChoice, config: Config, action: string): void {
  const example = loadConfig(EXAMPLE_CONFIG_PATH);
  const copy = config.organization.id === example.organization.id || config.accounts.management.id === example.accounts.management.id;
  if (!isExampleFile(choice.file) && !copy) return;
  const what = choice.byDefault
    ? `LZ_CONFIG is not set, so this would use ${displayPath(choice.file)}, the bundled example`
    : isExampleFile(choice.file)
      ? `${displayPath(choice.file)} is the bundled example`
    : `${displayPath(choice.file)} still names the bundled example's fictional organization (${example.organization.id}, management account ${example.accounts.management.id})`;
  throw new ConfigError(choice.file, [{ path: '', message: 'the bundled example' }],
    `refusing to ${action}: ${what}, not an organization of yours. Copy config/example.yaml, describe your organization in it and set LZ_CONFIG to that file (README: Describe your organization)`);
}
