/** All stacks of the landing zone, in deployment order. */
import type { App } from 'cdktf';
import type { LandingZoneContext, LandingZoneStack } from '../modules/landing-zone-stack';
import { BootstrapStack } from './bootstrap';
import { LogArchiveStack } from './log-archive';
import { OrgTrailStack } from './org-trail';

export function buildLandingZone(app: App, context: LandingZoneContext): LandingZoneStack[] {
  const bootstrap = new BootstrapStack(app, context);
  const logArchive = new LogArchiveStack(app, context);
  const orgTrail = new OrgTrailStack(app, context, logArchive);
  const stacks = [bootstrap, logArchive, orgTrail];
  if (context.config.state.backend === 's3') {
    for (const stack of stacks.slice(1)) stack.addDependency(bootstrap);
  }
  return stacks;
}
