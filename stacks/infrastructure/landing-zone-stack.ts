/** What every stack of the landing zone shares: its backend, its providers, and the check that each resource names one. */
import * as path from 'node:path';
import {
  Aspects,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  type IAspect,
  Lazy,
  LocalBackend,
  S3Backend,
  type S3BackendConfig,
  TerraformDataSource,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
} from 'cdktf';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct, IConstruct } from 'constructs';
import { CONFIG_DIGEST_COMMENT, configDigest } from '../../config/digest';
import type { Config } from '../../config/schema';
import { type Names, namesFor } from '../../config/names';
import { accountProvider, type DeployTarget } from './providers';
import { PROTECTION_OUTPUT, protectedResourcesOf } from '../../modules/core/protection';
import type { LogMasking } from '../../modules/core/data-protection';

/** The accounts the landing zone deploys into. */
export type AccountRole = 'management' | 'logArchive' | 'audit';

/** Everything a stack is built from; made once in main.ts. */
export interface LandingZoneContext {
  readonly config: Config;
  readonly names: Names;
  readonly target: DeployTarget;
  /** Absolute folder of local state files (the bootstrap stack's always, every stack's with `state.backend: local`). */
  readonly localStateDirectory: string;
  /** Fingerprint of the user's config (config/digest.ts), written into every stack's JSON comment. */
  readonly configDigest: string;
  /**
   * Whether what holds evidence carries `prevent_destroy` and buckets refuse to be emptied on
   * destroy. Decided here, once, from the config; stacks pass it to their constructs as a prop.
   */
  readonly preventDestroy: boolean;
}

/**
 * The context of a config: its names and its protection are derived here, once. `configDigest`
 * defaults to the config's own; a tool that synthesizes a variant (the offline plan's local state)
 * passes the digest of the config it was given, so its output still names that config.
 */
export function landingZoneContext(config: Config, target: DeployTarget, localStateDirectory: string, digest: string = configDigest(config)): LandingZoneContext {
  // A test organization is removable unless its config says otherwise; a production one never is
  // (config/rules.ts refuses preventDestroy: false there).
  const preventDestroy = config.preventDestroy ?? config.profile === 'production';
  return { config, names: namesFor(config), target, localStateDirectory, configDigest: digest, preventDestroy };
}

/**
 * Where local state files go when nothing else is said: `state.directory` with the local backend,
 * else `terraform-state` (the bootstrap stack's state), both relative to the working directory.
 */
export function localStateDirectoryOf(config: Config): string {
  return path.resolve(config.state.backend === 'local' ? config.state.directory : 'terraform-state');
}

/** Fails synth where a resource or data source relies on a default provider. */
class EveryResourceNamesItsProvider implements IAspect {
  visit(node: IConstruct): void {
    if ((node instanceof TerraformResource || node instanceof TerraformDataSource) && !node.provider) {
      throw new Error(`${node.node.path} names no provider: pass the account's provider explicitly (every resource must say which account and region it is in)`);
    }
  }
}

/**
 * A value one stack hands to a later one through its state (a KMS key ARN, say). Offline, where
 * the producer's state cannot exist, the placeholder stands in: same shape, never deployed.
 */
export interface StackOutput {
  /** The stack that publishes it: every reader depends on it. */
  readonly stack: LandingZoneStack;
  readonly name: string;
  readonly offlinePlaceholder: string;
}

export interface LandingZoneStackOptions {
  /** Keep state in a local file whatever the config says (the bootstrap stack, which creates the state bucket). */
  readonly forceLocalState?: boolean;
  /**
   * The stack that creates the deployment roles: before they exist (deployment.bootstrapped false)
   * its providers use the ambient credentials in the management account and the organization access
   * role in the others.
   */
  readonly createsDeploymentRoles?: boolean;
}

export class LandingZoneStack extends TerraformStack {
  private readonly providers = new Map<string, AwsProvider>();
  private readonly useLocalState: boolean;
  private readonly createsDeploymentRoles: boolean;

  constructor(
    scope: Construct,
    id: string,
    protected readonly context: LandingZoneContext,
    options: LandingZoneStackOptions = {},
  ) {
    super(scope, id);
    this.useLocalState = options.forceLocalState === true || context.config.state.backend === 'local';
    this.createsDeploymentRoles = options.createsDeploymentRoles === true;
    if (this.useLocalState) {
      new LocalBackend(this, { path: this.localStatePath(id) });
    } else {
      new S3Backend(this, this.s3StateConfig(id)).addOverride('use_lockfile', true);
    }
    Aspects.of(this).add(new EveryResourceNamesItsProvider());
    this.addOverride(CONFIG_DIGEST_COMMENT.join('.'), context.configDigest);
    // What plan review must not let a pull request delete without a decision, kept in the state so
    // that a resource removed from the code is still known as protected (scripts/protected-resources.ts).
    new TerraformOutput(this, PROTECTION_OUTPUT, {
      description: 'Resources of this stack that a plan may not delete or replace without an explicit decision, with the reason',
      value: Lazy.anyValue({ produce: () => protectedResourcesOf(this) }),
    });
  }

  /** The role a provider assumes in an account, for this stack and target. */
  private roleFor(account: AccountRole): string | undefined {
    const { config, names, target } = this.context;
    const accountId = config.accounts[account].id;
    if (target === 'plan') return names.planRoleArn(accountId);
    if (this.createsDeploymentRoles && !config.deployment.bootstrapped) {
      return account === 'management' ? undefined : names.organizationAccessRoleArn(accountId);
    }
    return names.deploymentRoleArn(accountId);
  }

  /** The provider for an account in a region (the home region by default), made on first use. */
  provider(account: AccountRole, region: string = this.context.config.homeRegion): AwsProvider {
    const alias = `${account.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_${region.replace(/-/g, '_')}`;
    let provider = this.providers.get(alias);
    if (!provider) {
      const { config } = this.context;
      const accountId = config.accounts[account].id;
      provider = accountProvider(this, {
        alias,
        accountId,
        region,
        roleArn: this.roleFor(account),
        tags: { ...config.deployment.tags, 'managed-by': 'audit-landing-zone', 'landing-zone-stack': this.node.id },
        target: this.context.target,
      });
      this.providers.set(alias, provider);
    }
    return provider;
  }

  /** Publishes a value for later stacks to read with `outputOf`. */
  publish(name: string, value: string, offlinePlaceholder: string): StackOutput {
    new TerraformOutput(this, name, { value });
    return { stack: this, name, offlinePlaceholder };
  }

  /**
   * What the data protection policies of this stack's log groups mask (privacy.masking), reporting
   * their findings into the account's findings log group (absent: for that group itself).
   */
  protected logMasking(findingsLogGroupName?: string): LogMasking {
    const { config, names } = this.context;
    return { policyName: names.maskingPolicyName, personalData: config.privacy.masking.identifiers, ...(findingsLogGroupName === undefined ? {} : { findingsLogGroupName }) };
  }

  /**
   * Reads a value another stack published, and makes this stack depend on that one (it must be
   * deployed first), as cdktf's own cross-stack references do.
   */
  protected outputOf(output: StackOutput): string {
    this.addDependency(output.stack);
    const stackId = output.stack.node.id;
    const id = `state-of-${stackId}`;
    const state =
      (this.node.tryFindChild(id) as DataTerraformRemoteStateLocal | DataTerraformRemoteStateS3 | undefined) ??
      (this.useLocalState
        ? new DataTerraformRemoteStateLocal(this, id, { path: this.localStatePath(stackId) })
        : new DataTerraformRemoteStateS3(this, id, this.s3StateConfig(stackId)));
    if (this.context.target === 'offline') state.addOverride(`defaults.${output.name}`, output.offlinePlaceholder);
    return state.getString(output.name);
  }

  private localStatePath(stackId: string): string {
    return path.join(this.context.localStateDirectory, `${stackId}.tfstate`);
  }

  private s3StateConfig(stackId: string): S3BackendConfig {
    const { config, names, target } = this.context;
    const management = config.accounts.management.id;
    return {
      bucket: names.stateBucket,
      key: `${stackId}/terraform.tfstate`,
      region: config.homeRegion,
      // Without kms_key_id the backend writes state with SSE-S3; the bootstrap stack's key is named
      // by its alias ARN, so no stack needs the key id (Terraform's S3 backend accepts alias ARNs).
      encrypt: true,
      kmsKeyId: names.stateKeyAliasArn,
      assumeRole: { roleArn: target === 'plan' ? names.planRoleArn(management) : names.deploymentRoleArn(management) },
    };
  }
}
