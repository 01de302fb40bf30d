/** Loads the organization's config and builds the landing zone: nothing else. */
import { App } from 'cdktf';
import { announceConfig } from './config/choice';
import { ConfigError, loadConfig } from './config/loader';
import { landingZoneContext, localStateDirectoryOf } from './stacks/infrastructure/landing-zone-stack';
import { deployTarget } from './stacks/infrastructure/providers';
import { buildLandingZone } from './stacks/landing-zone';

function main(): void {
  const choice = announceConfig('synth');
  const target = deployTarget();
  const config = loadConfig(choice.file);
  const app = new App();
  buildLandingZone(app, landingZoneContext(config, target, localStateDirectoryOf(config)));
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
