/**
 * The resources a change must not delete or replace without an explicit decision: the ones whose
 * loss loses evidence or switches off a control. They are declared where they are made
 * (`protect()`, modules/core/protection.ts) and published by each stack as the output
 * `protected_resources`, so the manifest is in the synthesized stack and, once deployed, in its
 * state. A plan carries both: the deployed manifest (`output_changes…before`) and the planned one
 * (`…after`); a resource is protected when either says so, so removing a resource together with its
 * `protect()` call is still caught. `protectionOf` is the one question every tool asks.
 */
import { PROTECTION_OUTPUT, type ProtectionManifest } from '../modules/core/protection-output';

export type { ProtectionManifest };

/** A plan's output changes, as far as the manifest goes (`terraform show -json`). */
export interface PlanWithOutputs {
  readonly output_changes?: Readonly<Record<string, { readonly before?: unknown; readonly after?: unknown }>>;
}

/** A synthesized stack (`cdk.tf.json`), as far as the manifest goes. */
export interface SynthesizedStackJson {
  readonly output?: Readonly<Record<string, { readonly value?: unknown }>>;
}

function asManifest(value: unknown): ProtectionManifest {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The protection a plan knows of: what is deployed (before) and what is planned (after). */
export interface PlanProtection {
  readonly deployed: ProtectionManifest;
  readonly planned: ProtectionManifest;
}

export function protectionOfPlan(plan: PlanWithOutputs): PlanProtection {
  const change = plan.output_changes?.[PROTECTION_OUTPUT];
  return { deployed: asManifest(change?.before), planned: asManifest(change?.after) };
}

/**
 * The protection a synthesized stack declares (nothing is deployed as far as it knows), for tools
 * that read cdktf.out rather than a plan.
 */
export function protectionOfSynthesizedStack(stack: SynthesizedStackJson): PlanProtection {
  return { deployed: {}, planned: asManifest(stack.output?.[PROTECTION_OUTPUT]?.value) };
}

/**
 * Why the resource at `address` (`TYPE.NAME`) is protected, or undefined where it is not. The
 * deployed reason wins: it is what is at stake.
 */
export function protectionOf(protection: PlanProtection, address: string): string | undefined {
  return protection.deployed[address] ?? protection.planned[address];
}

/** Resources whose protection the plan lifts while keeping them: a reviewer should see that. */
export function liftedProtections(protection: PlanProtection): string[] {
  return Object.keys(protection.deployed).filter((address) => protection.planned[address] === undefined);
}
