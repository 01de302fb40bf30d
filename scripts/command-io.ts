/**
 * What a command needs from its process, so that its logic runs in-process too (the tests call
 * it so): the streams it writes to and the environment it reads. A script's main passes the
 * process's own and sets the exit code the command returns.
 */
import { type ConfigChoice, configChoice, configLine } from '../config/choice';
import { loadConfig } from '../config/loader';
import type { Config } from '../config/schema';

export interface Output {
  write(text: string): unknown;
}

export interface CommandIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment, for a script's main. */
export function processIo(): CommandIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Says which config the command uses, as announceConfig does (on stderr; on stdout under the
 * cdktf CLI), to the command's own streams and from its own environment, then loads it (a
 * ConfigError names every problem).
 */
export function loadCommandConfig(command: string, io: CommandIo): { readonly config: Config; readonly choice: ConfigChoice } {
  const choice = configChoice(io.env);
  const underCdktf = io.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== undefined;
  (underCdktf ? io.stdout : io.stderr).write(`${configLine(command, choice)}\n`);
  return { config: loadConfig(choice.file), choice };
}
