/**
 * All stacks of the landing zone, in deployment order. A stack that reads another's output depends
 * on it through `outputOf`; the edges below are the others, each with its reason.
 */
import type { App } from 'cdktf';
import { LOG_COLLECTION_STACK_ID, STACK_IDS, wantsLogCollection } from '../config/names';
import type { Config } from '../config/schema';
import type { LandingZoneContext, LandingZoneStack } from './infrastructure/landing-zone-stack';
import { AnalyticsStack } from './analytics';
import { BootstrapStack } from './bootstrap';
import { ComplianceStack } from './compliance';
import { GuardDutyStack } from './guardduty';
import { IntegrityStack } from './integrity';
import { LogArchiveStack } from './log-archive';
import { LogCollectionRegionStack, LogCollectionStack } from './log-collection';
import { ObservabilityStack } from './observability';
import { OrgTrailStack } from './org-trail';
import { OrganizationStack } from './organization';
import { SecurityLakeStack } from './security-lake';
import { skipTokenTraces } from './infrastructure/token-traces';

/** A stack the config switches off, and the field that does it. */
export interface TurnedOffStack {
  readonly id: string;
  readonly by: string;
}

/** The stacks this config leaves out; `buildLandingZone` builds every other one. */
export function stacksTurnedOff(config: Config): TurnedOffStack[] {
  return [
    ...(config.securityLake.enabled ? [] : [{ id: STACK_IDS.securityLake, by: 'securityLake.enabled: false' }]),
    ...(config.integrity.enabled ? [] : [{ id: STACK_IDS.integrity, by: 'integrity.enabled: false' }]),
    ...(wantsLogCollection(config) ? [] : [{ id: LOG_COLLECTION_STACK_ID, by: 'no log type of logCollection is enabled' }]),
    ...(config.awsConfig.enabled || config.securityHub.enabled || config.accessAnalyzer.enabled
      ? []
      : [{ id: STACK_IDS.compliance, by: 'awsConfig.enabled, securityHub.enabled and accessAnalyzer.enabled: false' }]),
  ];
}

/**
 * How each stack is made: the one place that knows each stack's constructor arguments, for
 * `buildLandingZone` and for a test that builds one stack alone. `logArchive` gives the Log
 * Archive stack whose outputs most stacks read. The observability stack, made from the other
 * stacks' objects, is not here.
 */
export function stackMakers(app: App, context: LandingZoneContext, logArchive: () => LogArchiveStack) {
  return {
    bootstrap: () => new BootstrapStack(app, context),
    organization: () => new OrganizationStack(app, context),
    logArchive: () => new LogArchiveStack(app, context),
    orgTrail: () => new OrgTrailStack(app, context, logArchive()),
    guardduty: (region: string) => new GuardDutyStack(app, context, region, logArchive()),
    analytics: () => new AnalyticsStack(app, context, logArchive()),
    securityLake: () => new SecurityLakeStack(app, context),
    logCollection: () => new LogCollectionStack(app, context, logArchive()),
    logCollectionRegion: (region: string) => new LogCollectionRegionStack(app, context, region),
    integrity: () => new IntegrityStack(app, context, logArchive()),
    compliance: () => new ComplianceStack(app, context, logArchive()),
  };
}

export function buildLandingZone(app: App, context: LandingZoneContext): LandingZoneStack[] {
  // every synth of the landing zone (main.ts, the commands, the tests) builds it here
  skipTokenTraces();
  const { config } = context;
  const off = new Set(stacksTurnedOff(config).map((s) => s.id));
  const make = stackMakers(app, context, () => logArchive);
  const bootstrap = make.bootstrap();
  const organization = make.organization();
  const logArchive = make.logArchive();
  const orgTrail = make.orgTrail();
  // One stack per governed region, so that no plan runs more than that region's providers.
  const guardduty = config.governedRegions.map(make.guardduty);
  const analytics = make.analytics();
  const securityLake = off.has(STACK_IDS.securityLake) ? [] : [make.securityLake()];
  const collection = off.has(LOG_COLLECTION_STACK_ID) ? [] : [make.logCollection()];
  // Load balancers log only into a bucket of their own region: one stack per region, that region's providers only.
  const collectionRegions = config.logCollection.loadBalancerLogs.enabled ? config.governedRegions.map(make.logCollectionRegion) : [];
  // The daily proof that what the trail delivered is intact, beside the archive it reads.
  const integrity = off.has(STACK_IDS.integrity) ? [] : [make.integrity()];
  const compliance = off.has(STACK_IDS.compliance) ? [] : [make.compliance()];
  // Last: the dashboard shows the metrics of the stacks before it.
  const observability = new ObservabilityStack(app, context, { orgTrail, logArchive, analytics, integrity: integrity[0] });
  const stacks = [bootstrap, organization, logArchive, orgTrail, ...guardduty, analytics, ...securityLake, ...integrity, ...collection, ...collectionRegions, ...compliance, observability];

  // The guardrails protect the trail and the detectors from the moment they exist.
  for (const stack of [orgTrail, ...guardduty]) stack.addDependency(organization);
  // Security Lake needs its delegated administrator, registered by the organization stack, and
  // the Log Archive account set up before the lake's buckets are made there.
  for (const stack of securityLake) {
    stack.addDependency(organization);
    stack.addDependency(logArchive);
  }
  // The Logs Insights queries name the trail's log group; the load balancer table lives in the
  // analytics database and adds a policy to its query role.
  for (const stack of collection) {
    stack.addDependency(orgTrail);
    stack.addDependency(analytics);
  }
  // The integrity check verifies what the trail delivers: before the trail, its first run would
  // find no digest and report a gap for every expected account and region.
  for (const stack of integrity) stack.addDependency(orgTrail);
  // The compliance services need their delegated administrators (Config, StackSets, Access
  // Analyzer), registered by the organization stack, and its guardrails from the start.
  for (const stack of compliance) stack.addDependency(organization);
  // Every other stack keeps its state in the bucket the bootstrap stack creates.
  if (config.state.backend === 's3') {
    for (const stack of stacks.slice(1)) stack.addDependency(bootstrap);
  }
  return stacks;
}
