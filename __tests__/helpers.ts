/** Shared by the tests: the example config, variations of it, and synthesized stacks as JSON. */
import * as fs from 'node:fs';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../config/loader';
import type { Config } from '../config/schema';
import { landingZoneContext, type LandingZoneStack } from '../stacks/infrastructure/landing-zone-stack';
import type { DeployTarget } from '../stacks/infrastructure/providers';
import { buildLandingZone } from '../stacks/landing-zone';

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

const built = new Map<string, SynthesizedStacks>();

/** Builds the whole landing zone for a config (once per config and target in a test file). */
export function synthLandingZone(config: Config = exampleConfig(), target: DeployTarget = 'aws'): SynthesizedStacks {
  const key = `${target}:${JSON.stringify(config)}`;
  let stacks = built.get(key);
  if (!stacks) {
    stacks = new SynthesizedStacks(buildLandingZone(Testing.app(), landingZoneContext(config, target, '/tmp/landing-zone-test-state')));
    built.set(key, stacks);
  }
  return stacks;
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
