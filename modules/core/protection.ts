/**
 * Protection declared where a resource is made: `protect(resource, reason)` marks a resource whose
 * deletion or replacement loses evidence or switches off a control. Every stack publishes its
 * protected resources, with their reasons, as the output `protected_resources` (written at synth):
 * the output lives in the stack's state, so a pull request that removes a resource from the code is
 * still reviewed against the protection the deployed resource had. `scripts/protected-resources.ts`
 * reads it from plans and synthesized stacks.
 */
import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { ProtectionManifest } from './protection-output';

export { PROTECTION_OUTPUT, type ProtectionManifest } from './protection-output';

const reasons = new WeakMap<TerraformResource, string>();

/** Marks a resource protected; the reason is what a reviewer reads when a plan would delete it. */
export function protect(resource: TerraformResource, reason: string): void {
  if (reason.trim().length === 0) throw new Error(`${resource.node.path}: protect() needs the reason the resource is protected`);
  reasons.set(resource, reason);
}

/** Why a resource is protected, or undefined. */
export function protectionReason(resource: TerraformResource): string | undefined {
  return reasons.get(resource);
}

/** The protected resources under a construct (a stack), by Terraform address. */
export function protectedResourcesOf(scope: IConstruct): ProtectionManifest {
  const found: Record<string, string> = {};
  for (const node of scope.node.findAll()) {
    if (!(node instanceof TerraformResource)) continue;
    const reason = reasons.get(node);
    if (reason) found[`${node.terraformResourceType}.${node.friendlyUniqueId}`] = reason;
  }
  return found;
}
