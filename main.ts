/** Loads the organization's config and builds the landing zone: nothing else. */
import * as path from 'node:path';
import { App } from 'cdktf';
import { ConfigError, EXAMPLE_CONFIG_PATH, loadConfig } from './config/loader';
import { landingZoneContext } from './stacks/infrastructure/landing-zone-stack';
import { DEPLOY_TARGETS, type DeployTarget } from './stacks/infrastructure/providers';
import { buildLandingZone } from './stacks/landing-zone';

function main(): void {
  const configPath = process.env.LZ_CONFIG ?? EXAMPLE_CONFIG_PATH;
  const target = (process.env.LZ_TARGET ?? 'aws') as DeployTarget;
  if (!DEPLOY_TARGETS.includes(target)) {
    throw new Error(`LZ_TARGET=${target} is not a deploy target; use one of ${DEPLOY_TARGETS.join(', ')}`);
  }
  const config = loadConfig(configPath);
  const app = new App();
  const localStateDirectory = path.resolve(config.state.backend === 'local' ? config.state.directory : 'terraform-state');
  buildLandingZone(app, landingZoneContext(config, target, localStateDirectory));
  app.synth();
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
