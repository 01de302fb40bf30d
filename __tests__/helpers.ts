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

/** Builds the whole landing zone and synthesizes every stack to its Terraform JSON. */
export function synthLandingZone(
  config: Config = exampleConfig(),
  target: DeployTarget = 'aws',
): Map<string, SynthesizedJson> {
  const stacks: LandingZoneStack[] = buildLandingZone(Testing.app(), landingZoneContext(config, target, '/tmp/landing-zone-test-state'));
  return new Map(stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s)) as SynthesizedJson]));
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
