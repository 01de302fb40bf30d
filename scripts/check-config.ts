/**
 * `npm run check-config [-- --for-aws]`: checks the config in use (LZ_CONFIG, or the example)
 * without synthesizing, reporting every problem at once. With `--for-aws` (the pull-request
 * workflow, before it plans against the real accounts) the bundled example is refused.
 */
import { parseArgs } from 'node:util';
import { refuseExampleAgainstAws } from '../config/choice';
import { configDigest, shortDigest } from '../config/digest';
import { ConfigError } from '../config/loader';
import { type CommandIo, loadCommandConfig, processIo } from './command-io';
import { errorMessage } from './error-message';

/** The command line: exit 0 with the config's summary on stdout, or 1 with every problem on stderr. */
export function checkConfigCommand(args: readonly string[], io: CommandIo): number {
  try {
    const { values } = parseArgs({ args: [...args], options: { 'for-aws': { type: 'boolean', default: false } } });
    const { config, choice } = loadCommandConfig('check-config', io);
    if (values['for-aws']) refuseExampleAgainstAws(choice, config, 'plan or deploy against AWS');
    const accounts = 3 + config.accounts.members.length;
    io.stdout.write(`${choice.file}: valid (${config.profile}; ${accounts} accounts, ${config.governedRegions.length} governed regions; sha256 ${shortDigest(configDigest(config))})\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
    io.stderr.write(`${errorMessage(error)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = checkConfigCommand(process.argv.slice(2), processIo());
