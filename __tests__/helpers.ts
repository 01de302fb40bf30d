/** Shared by the tests: the example config, variations of it, and synthesized stacks as JSON. */
import * as fs from 'node:fs';
import { type App, Testing } from 'cdktf';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../config/loader';
import type { Config } from '../config/schema';
import { LOG_COLLECTION_STACK_ID, STACK_IDS } from '../config/names';
import { AnalyticsStack } from '../stacks/analytics';
import { BootstrapStack } from '../stacks/bootstrap';
import { ComplianceStack } from '../stacks/compliance';
import { GuardDutyStack } from '../stacks/guardduty';
import { type LandingZoneContext, landingZoneContext, type LandingZoneStack } from '../stacks/infrastructure/landing-zone-stack';
import type { DeployTarget } from '../stacks/infrastructure/providers';
import { IntegrityStack } from '../stacks/integrity';
import { buildLandingZone, stacksTurnedOff } from '../stacks/landing-zone';
import { LogArchiveStack } from '../stacks/log-archive';
import { LogCollectionRegionStack, LogCollectionStack } from '../stacks/log-collection';
import { OrganizationStack } from '../stacks/organization';
import { OrgTrailStack } from '../stacks/org-trail';
import { SecurityLakeStack } from '../stacks/security-lake';

/** The bundled example config as written (a fresh copy to change). */
export function exampleRaw(): Record<string, any> {
  return parse(fs.readFileSync(EXAMPLE_CONFIG_PATH, 'utf8'));
}

/** The example config, with `change` applied to the raw YAML object first. */
export function exampleConfig(change: (raw: Record<string, any>) => void = () => {}): Config {
  const raw = exampleRaw();
  change(raw);
  return parseConfig(raw, 'test config');
}

export interface SynthesizedJson {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
  output?: Record<string, any>;
}

/**
 * The stacks of a built landing zone, each synthesized to its Terraform JSON when first read:
 * a test that looks at one stack pays for that stack only.
 */
export class SynthesizedStacks extends Map<string, SynthesizedJson> {
  constructor(private readonly stacks: readonly LandingZoneStack[]) {
    super();
  }

  override get(id: string): SynthesizedJson | undefined {
    if (!super.has(id)) {
      const stack = this.stacks.find((s) => s.node.id === id);
      if (!stack) return undefined;
      super.set(id, JSON.parse(Testing.synth(stack)) as SynthesizedJson);
    }
    return super.get(id);
  }

  override has(id: string): boolean {
    return this.stacks.some((s) => s.node.id === id);
  }

  override get size(): number {
    return this.stacks.length;
  }

  override keys(): MapIterator<string> {
    return this.stacks.map((s) => s.node.id)[Symbol.iterator]();
  }

  override values(): MapIterator<SynthesizedJson> {
    return this.stacks.map((s) => this.get(s.node.id)!)[Symbol.iterator]();
  }

  override entries(): MapIterator<[string, SynthesizedJson]> {
    return this.stacks.map((s): [string, SynthesizedJson] => [s.node.id, this.get(s.node.id)!])[Symbol.iterator]();
  }

  override [Symbol.iterator](): MapIterator<[string, SynthesizedJson]> {
    return this.entries();
  }
}

/** Where the test stacks keep local state (the bootstrap stack's, and every stack's with `state.backend: local`). */
export const TEST_STATE_DIRECTORY = '/tmp/landing-zone-test-state';

const built = new Map<string, SynthesizedStacks>();

/** Builds the whole landing zone for a config (once per config and target in a test file). */
export function synthLandingZone(config: Config = exampleConfig(), target: DeployTarget = 'aws'): SynthesizedStacks {
  const key = `${target}:${JSON.stringify(config)}`;
  let stacks = built.get(key);
  if (!stacks) {
    stacks = new SynthesizedStacks(buildLandingZone(Testing.app(), landingZoneContext(config, target, TEST_STATE_DIRECTORY)));
    built.set(key, stacks);
  }
  return stacks;
}

/**
 * A stack of the landing zone built on its own in `app`, with only the stacks its constructor takes
 * (the Log Archive, whose outputs most stacks read), as `buildLandingZone` builds it; undefined for a
 * stack made from the other stacks' objects (the observability stack) and for an unknown id.
 */
export function buildStackAlone(app: App, context: LandingZoneContext, id: string): LandingZoneStack | undefined {
  const { config } = context;
  const region = (prefix: string) => config.governedRegions.find((r) => id === `${prefix}-${r}`);
  const guarddutyRegion = region('guardduty');
  if (guarddutyRegion) return new GuardDutyStack(app, context, guarddutyRegion, new LogArchiveStack(app, context));
  const collectionRegion = config.logCollection.loadBalancerLogs.enabled ? region(LOG_COLLECTION_STACK_ID) : undefined;
  if (collectionRegion) return new LogCollectionRegionStack(app, context, collectionRegion);
  const alone: Record<string, () => LandingZoneStack> = {
    [STACK_IDS.bootstrap]: () => new BootstrapStack(app, context),
    [STACK_IDS.organization]: () => new OrganizationStack(app, context),
    [STACK_IDS.logArchive]: () => new LogArchiveStack(app, context),
    [STACK_IDS.securityLake]: () => new SecurityLakeStack(app, context),
    [STACK_IDS.orgTrail]: () => new OrgTrailStack(app, context, new LogArchiveStack(app, context)),
    [STACK_IDS.analytics]: () => new AnalyticsStack(app, context, new LogArchiveStack(app, context)),
    [STACK_IDS.integrity]: () => new IntegrityStack(app, context, new LogArchiveStack(app, context)),
    [STACK_IDS.compliance]: () => new ComplianceStack(app, context, new LogArchiveStack(app, context)),
    [LOG_COLLECTION_STACK_ID]: () => new LogCollectionStack(app, context, new LogArchiveStack(app, context)),
  };
  return alone[id]?.();
}

const alone = new Map<string, SynthesizedJson>();

/**
 * One stack of the landing zone for a config, synthesized without building the others: a stack on
 * its own costs about a tenth of the whole landing zone. For a test of what one stack holds under a
 * config variant; a test of how the stacks fit together (which stack holds what, dependencies,
 * walks over every stack) reads `synthLandingZone`. A stack that is built from the others' objects
 * (the observability stack) comes from the whole landing zone, and so does any stack of a config
 * whose landing zone this test file has built already. Fails for a stack the config leaves out.
 * landing-zone-stack.test.ts checks that each stack built alone is the stack of the landing zone.
 */
export function synthStack(id: string, config: Config = exampleConfig(), target: DeployTarget = 'aws'): SynthesizedJson {
  const key = `${target}:${JSON.stringify(config)}`;
  const whole = built.get(key);
  if (whole) return stackOf(whole, id);
  let json = alone.get(`${id}@${key}`);
  if (!json) {
    const off = stacksTurnedOff(config).find((s) => s.id === id);
    if (off) throw new Error(`no stack ${id}: ${off.by}`);
    const stack = buildStackAlone(Testing.app(), landingZoneContext(config, target, TEST_STATE_DIRECTORY), id);
    json = stack ? (JSON.parse(Testing.synth(stack)) as SynthesizedJson) : stackOf(synthLandingZone(config, target), id);
    alone.set(`${id}@${key}`, json);
  }
  return json;
}

/** The resources of one type in a synthesized stack. */
export function resources(json: SynthesizedJson, type: string): Record<string, any>[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The one resource of a type; fails when there are none or several. */
export function onlyResource(json: SynthesizedJson, type: string): Record<string, any> {
  const found = resources(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}

/** A policy document resource attribute, parsed. */
export function policyOf(resource: Record<string, any>, attribute = 'policy'): { Statement: any[] } {
  return JSON.parse(resource[attribute]);
}

/** The statement with the given Sid; fails when it is missing. */
export function statement(policy: { Statement: any[] }, sid: string): any {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${policy.Statement.map((s) => s.Sid).join(', ')}`);
  return found;
}

export function stackOf(stacks: Map<string, SynthesizedJson>, id: string): SynthesizedJson {
  const stack = stacks.get(id);
  if (!stack) throw new Error(`no stack ${id}; stacks are ${[...stacks.keys()].join(', ')}`);
  return stack;
}

/** An organization as the emulator would create it for the example's accounts (fixed ids). */
export function emulatedOrganization(): { id: string; rootId: string; managementAccountId: string; accounts: Record<string, string> } {
  const { accounts } = exampleRaw();
  return {
    id: 'o-emulated01',
    rootId: 'r-emu1',
    managementAccountId: '123456789012',
    accounts: Object.fromEntries(
      [accounts.logArchive, accounts.audit, ...accounts.members].map((a: { name: string }, i: number) => [a.name, `90000000000${i}`]),
    ),
  };
}
