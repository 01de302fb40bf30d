/** Shared by the tests: the example config, variations of it, and synthesized stacks as JSON. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { App } from 'cdktf';
import { parse } from 'yaml';
import { EXAMPLE_CONFIG_PATH, parseConfig } from '../config/loader';
import type { Config } from '../config/schema';
import type { LandingZoneContext, LandingZoneStack } from '../stacks/infrastructure/landing-zone-stack';
import type { DeployTarget } from '../stacks/infrastructure/providers';
import type { LogArchiveStack } from '../stacks/log-archive';
import { SYNTH_CACHE_VARIABLE } from './support/synth-cache';

/**
 * cdktf and the stacks, loaded when a test first builds something (about 0.6 s of a test file's
 * start): a file that reads only stacks another file of the run synthesized never loads them.
 */
const lazy = {
  cdktf: () => require('cdktf') as typeof import('cdktf'),
  names: () => require('../config/names') as typeof import('../config/names'),
  landingZone: () => require('../stacks/landing-zone') as typeof import('../stacks/landing-zone'),
  context: () => require('../stacks/infrastructure/landing-zone-stack') as typeof import('../stacks/infrastructure/landing-zone-stack'),
};

/** The checkout the tests run in. */
export const REPOSITORY_ROOT = path.join(__dirname, '..');

/**
 * The example's home region and us-east-1, where the global services' events arrive: a test whose
 * claim holds for every governed region alike synthesizes these two, not the example's 17.
 */
export const TWO_REGIONS: readonly string[] = ['eu-west-1', 'us-east-1'];

/**
 * A cdktf app for a test. `Testing.app()` alone makes a folder in the system's temporary folder for
 * every app and never removes it (about 170 a run); this one's output folder is in the run's folder,
 * one per worker, removed after the run.
 */
export function testApp(): App {
  const run = process.env[SYNTH_CACHE_VARIABLE];
  if (!run) return lazy.cdktf().Testing.app();
  const outdir = path.join(run, `app-${process.pid}-${threadId}`);
  fs.mkdirSync(outdir, { recursive: true });
  return lazy.cdktf().Testing.app({ outdir });
}

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

/** The example governing `TWO_REGIONS`, with `change` applied to the raw YAML object after that. */
export function exampleInTwoRegions(change: (raw: Record<string, any>) => void = () => {}): Config {
  return exampleConfig((raw) => {
    raw.governedRegions = [...TWO_REGIONS];
    change(raw);
  });
}

export interface SynthesizedJson {
  resource?: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
  output?: Record<string, any>;
}

/** How a test file gets the JSON of one stack, given its id. */
type StackSynthesizer = (id: string) => SynthesizedJson;

/** A stack's Terraform JSON as `Testing.synth` renders it, parsed. */
function synthesized(stack: LandingZoneStack): SynthesizedJson {
  return JSON.parse(lazy.cdktf().Testing.synth(stack)) as SynthesizedJson;
}

/**
 * The stacks of a built landing zone, each synthesized to its Terraform JSON when first read:
 * a test that looks at one stack pays for that stack only.
 */
export class SynthesizedStacks extends Map<string, SynthesizedJson> {
  private readonly ids: readonly string[];
  private readonly synthesize: StackSynthesizer;

  /** From the built stacks, or from their ids and a way to get each one's JSON. */
  constructor(stacks: readonly LandingZoneStack[] | { readonly ids: readonly string[]; readonly synthesize: StackSynthesizer }) {
    super();
    if ('ids' in stacks) {
      this.ids = stacks.ids;
      this.synthesize = stacks.synthesize;
    } else {
      this.ids = stacks.map((s) => s.node.id);
      this.synthesize = (id) => synthesized(stacks.find((s) => s.node.id === id)!);
    }
  }

  override get(id: string): SynthesizedJson | undefined {
    if (!super.has(id)) {
      if (!this.has(id)) return undefined;
      super.set(id, this.synthesize(id));
    }
    return super.get(id);
  }

  override has(id: string): boolean {
    return this.ids.includes(id);
  }

  override get size(): number {
    return this.ids.length;
  }

  override keys(): MapIterator<string> {
    return this.ids[Symbol.iterator]();
  }

  override values(): MapIterator<SynthesizedJson> {
    return this.ids.map((id) => this.get(id)!)[Symbol.iterator]();
  }

  override entries(): MapIterator<[string, SynthesizedJson]> {
    return this.ids.map((id): [string, SynthesizedJson] => [id, this.get(id)!])[Symbol.iterator]();
  }

  override [Symbol.iterator](): MapIterator<[string, SynthesizedJson]> {
    return this.entries();
  }
}

/**
 * The stacks of one config and target that the test files of this run have synthesized, shared
 * through the run's folder: `<folder>/<sha256 of target and config>/<stack>.json`, and `stacks.json`
 * with the landing zone's stack ids once a file has built it. The folder is made for the run by
 * jest's globalSetup and removed after it, so every entry comes from this run's sources; outside
 * jest (or with the variable unset) nothing is shared. Written by rename, so a reader never sees
 * half a file; two files writing the same stack write the same bytes.
 */
class SharedSynth {
  static of(key: string): SharedSynth | undefined {
    const root = process.env[SYNTH_CACHE_VARIABLE];
    if (!root || !fs.existsSync(root)) return undefined;
    return new SharedSynth(path.join(root, createHash('sha256').update(key).digest('hex').slice(0, 32)));
  }

  private constructor(private readonly directory: string) {}

  /** The landing zone's stack ids, if a file of the run has built it. */
  ids(): string[] | undefined {
    return this.readFile<string[]>('stacks.json');
  }

  writeIds(ids: readonly string[]): void {
    this.writeFile('stacks.json', ids);
  }

  read(id: string): SynthesizedJson | undefined {
    return this.readFile<SynthesizedJson>(`${id}.json`);
  }

  write(id: string, json: SynthesizedJson): SynthesizedJson {
    this.writeFile(`${id}.json`, json);
    return json;
  }

  private readFile<T>(name: string): T | undefined {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.directory, name), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private writeFile(name: string, value: unknown): void {
    fs.mkdirSync(this.directory, { recursive: true });
    const file = path.join(this.directory, name);
    const partial = `${file}.${process.pid}.partial`;
    fs.writeFileSync(partial, JSON.stringify(value));
    fs.renameSync(partial, file);
  }
}

/** Where the test stacks keep local state (the bootstrap stack's, and every stack's with `state.backend: local`). */
export const TEST_STATE_DIRECTORY = '/tmp/landing-zone-test-state';

const built = new Map<string, SynthesizedStacks>();

/**
 * The whole landing zone for a config (built once per config and target in a test file, and not at
 * all where another file of the run has synthesized the stacks a test reads).
 */
export function synthLandingZone(config: Config = exampleConfig(), target: DeployTarget = 'aws'): SynthesizedStacks {
  const key = `${target}:${JSON.stringify(config)}`;
  let stacks = built.get(key);
  if (!stacks) {
    const shared = SharedSynth.of(key);
    let landingZone: LandingZoneStack[] | undefined;
    const build = () =>
      (landingZone ??= lazy.landingZone().buildLandingZone(testApp(), lazy.context().landingZoneContext(config, target, TEST_STATE_DIRECTORY)));
    let ids = shared?.ids();
    if (!ids) {
      ids = build().map((s) => s.node.id);
      shared?.writeIds(ids);
    }
    stacks = new SynthesizedStacks({
      ids,
      synthesize: (id) => {
        const json = shared?.read(id);
        if (json) return json;
        const fresh = synthesized(build().find((s) => s.node.id === id)!);
        return shared ? shared.write(id, fresh) : fresh;
      },
    });
    built.set(key, stacks);
  }
  return stacks;
}

/**
 * A stack of the landing zone built on its own in `app`, with only the stacks its constructor takes
 * (the Log Archive, whose outputs most stacks read), by the landing zone's own `stackMakers`;
 * undefined for a stack made from the other stacks' objects (the observability stack) and for an
 * unknown id.
 */
export function buildStackAlone(app: App, context: LandingZoneContext, id: string): LandingZoneStack | undefined {
  const { config } = context;
  const { guarddutyStackId, LOG_COLLECTION_STACK_ID, logCollectionRegionStackId, STACK_IDS } = lazy.names();
  let archive: LogArchiveStack | undefined;
  const make = lazy.landingZone().stackMakers(app, context, () => (archive ??= make.logArchive()));
  const guarddutyRegion = config.governedRegions.find((r) => id === guarddutyStackId(r));
  if (guarddutyRegion) return make.guardduty(guarddutyRegion);
  const collectionRegion = config.logCollection.loadBalancerLogs.enabled ? config.governedRegions.find((r) => id === logCollectionRegionStackId(r)) : undefined;
  if (collectionRegion) return make.logCollectionRegion(collectionRegion);
  if (id === LOG_COLLECTION_STACK_ID) return make.logCollection();
  const name = (Object.keys(STACK_IDS) as Array<keyof typeof STACK_IDS>).find((key) => STACK_IDS[key] === id);
  return name === undefined || name === 'observability' ? undefined : make[name]();
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
    const shared = SharedSynth.of(key);
    json = shared?.read(id);
    if (!json) {
      const off = lazy.landingZone().stacksTurnedOff(config).find((s) => s.id === id);
      if (off) throw new Error(`no stack ${id}: ${off.by}`);
      const stack = buildStackAlone(testApp(), lazy.context().landingZoneContext(config, target, TEST_STATE_DIRECTORY), id);
      json = stack ? synthesized(stack) : stackOf(synthLandingZone(config, target), id);
      shared?.write(id, json);
    }
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
