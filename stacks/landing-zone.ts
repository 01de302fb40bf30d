/** All stacks of the landing zone, in deployment order. */
import type { App } from 'cdktf';
import type { LandingZoneContext, LandingZoneStack } from './infrastructure/landing-zone-stack';
import { AnalyticsStack } from './analytics';
import { BootstrapStack } from './bootstrap';
import { GuardDutyStack } from './guardduty';
import { LogArchiveStack } from './log-archive';
import { OrgTrailStack } from './org-trail';
import { OrganizationStack } from './organization';
import { SecurityLakeStack } from './security-lake';

export function buildLandingZone(app: App, context: LandingZoneContext): LandingZoneStack[] {
  const bootstrap = new BootstrapStack(app, context);
  const organization = new OrganizationStack(app, context);
  const logArchive = new LogArchiveStack(app, context);
  const orgTrail = new OrgTrailStack(app, context, logArchive);
  orgTrail.addDependency(organization);
  // One stack per governed region, so that no plan runs more than that region's providers.
  const guardduty = context.config.governedRegions.map((region) => new GuardDutyStack(app, context, region, logArchive));
  for (const stack of guardduty) stack.addDependency(organization);
  const analytics = new AnalyticsStack(app, context, logArchive);
  // Security Lake needs its delegated administrator, registered by the organization stack.
  const securityLake = context.config.securityLake.enabled ? [new SecurityLakeStack(app, context)] : [];
  for (const stack of securityLake) stack.addDependency(logArchive);
  for (const stack of securityLake) stack.addDependency(organization);
  const stacks = [bootstrap, organization, logArchive, orgTrail, ...guardduty, analytics, ...securityLake];
  if (context.config.state.backend === 's3') {
    for (const stack of stacks.slice(1)) stack.addDependency(bootstrap);
  }
  return stacks;
}
