/**
 * The output in which every stack publishes its protected resources (protection.ts), apart from
 * cdktf: the tools that read plans and synthesized stacks (scripts/moto.ts, protected-resources.ts)
 * name it without loading the construct library.
 */

/** Name of the output every stack publishes its protected resources in. */
export const PROTECTION_OUTPUT = 'protected_resources';

/** Terraform address (`TYPE.NAME`) of each protected resource, with why it is protected. */
export type ProtectionManifest = Readonly<Record<string, string>>;
