/**
 * `npm run check-config [-- --for-aws]`: checks the config in use (LZ_CONFIG, or the example)
 * without synthesizing, reporting every problem at once. With `--for-aws` (the pull-request
 * workflow, before it plans against the real accounts) the bundled example is refused.
 */
import { parseArgs } from 'node:util';
import { loadChosenConfig, refuseExampleAgainstAws } from '../config/choice';
import { configDigest, shortDigest } from '../config/digest';
import { ConfigError } from '../config/loader';

function main(): void {
  const { values } = parseArgs({ options: { 'for-aws': { type: 'boolean', default: false } } });
  const { config, choice } = loadChosenConfig('check-config');
  if (values['for-aws']) refuseExampleAgainstAws(choice, config, 'plan or deploy against AWS');
  const accounts = 3 + config.accounts.members.length;
  console.log(`${choice.file}: valid (${config.profile}; ${accounts} accounts, ${config.governedRegions.length} governed regions; sha256 ${shortDigest(configDigest(config))})`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
  console.error((error as Error).message);
  process.exit(1);
}
