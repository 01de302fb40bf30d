/** The provider factory: one `AwsProvider` per (account, region), each named by alias. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { ConfigError } from '../../config/loader';

/**
 * Where the providers point.
 * - `aws`: real AWS; every provider assumes the deployment role of its account and refuses other accounts.
 * - `plan`: real AWS through the read-only plan roles, for pull-request plans: nothing can be applied.
 * - `offline`: fake credentials and no calls before plan, for `terraform plan` with empty state.
 * - `emulator`: like offline, plus path-style S3 and few retries for an AWS emulator whose address
 *   comes from `AWS_ENDPOINT_URL` in Terraform's environment (provider 5.100 honours it; see
 *   docs/rehearsal.md), and the account id asked of the emulator's STS.
 */
export type DeployTarget = 'aws' | 'plan' | 'offline' | 'emulator';

export const DEPLOY_TARGETS: readonly DeployTarget[] = ['aws', 'plan', 'offline', 'emulator'];

/** Whether a target reaches real AWS (with assumed roles) rather than fake credentials. */
export function isRealAws(target: DeployTarget): boolean {
  return target === 'aws' || target === 'plan';
}

/** The target `LZ_TARGET` names (`aws` when unset). */
export function deployTarget(value: string | undefined = process.env.LZ_TARGET): DeployTarget {
  const target = (value?.trim() || 'aws') as DeployTarget;
  if (!DEPLOY_TARGETS.includes(target)) {
    throw new ConfigError('LZ_TARGET', [{ path: 'LZ_TARGET', message: 'unknown target' }], `LZ_TARGET=${value} is not a deploy target; use one of ${DEPLOY_TARGETS.join(', ')}`);
  }
  return target;
}

export interface AccountProviderProps {
  /** Provider alias, unique in the stack, e.g. `log_archive_eu_west_1`. */
  readonly alias: string;
  readonly accountId: string;
  readonly region: string;
  /** Role to assume; without it the ambient credentials are used. */
  readonly roleArn?: string;
  /** Tags every resource of this provider carries. */
  readonly tags: Readonly<Record<string, string>>;
  readonly target: DeployTarget;
}

export function accountProvider(scope: Construct, props: AccountProviderProps): AwsProvider {
  const common = {
    alias: props.alias,
    region: props.region,
    defaultTags: [{ tags: { ...props.tags } }],
  };
  if (isRealAws(props.target)) {
    return new AwsProvider(scope, `provider_${props.alias}`, {
      ...common,
      allowedAccountIds: [props.accountId],
      assumeRole: props.roleArn
        ? [{ roleArn: props.roleArn, sessionName: 'audit-landing-zone' }]
        : undefined,
    });
  }
  return new AwsProvider(scope, `provider_${props.alias}`, {
    ...common,
    accessKey: 'offline',
    secretKey: 'offline',
    skipCredentialsValidation: true,
    // The emulator answers STS; the provider needs the account id to build ARNs (Athena's, for one).
    skipRequestingAccountId: props.target === 'offline',
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
    // A few retries: the emulator's server now and then drops a kept-alive connection mid-response,
    // and a call it does not know still fails within seconds rather than minutes of backoff.
    ...(props.target === 'emulator' ? { s3UsePathStyle: true, maxRetries: 3 } : {}),
  });
}
