/**
 * Bootstrap, run once from the management account (docs/first-deploy.md): the bucket every other
 * stack keeps its state in, and the identities every other stack is deployed and planned with:
 * GitHub's OIDC provider and the workflow's two roles, and in the management, Log Archive and Audit
 * accounts the deployment role, the read-only plan role and the break-glass role. Its own state is
 * local. Before the deployment roles exist it reaches the other accounts through the organization
 * access role; afterwards (deployment.bootstrapped) through the deployment roles.
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { ACCEPTED } from '../modules/core/checkov';
import { EncryptionKey } from '../modules/core/encryption-key';
import { PrivateBucket } from '../modules/core/private-bucket';
import { AccountIdentities, GitHubOidc } from '../modules/guardrails/deployment-identities';
import { type AccountRole, LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';

/** The accounts the landing zone deploys into, each with its own deployment and plan role. */
const DEPLOYED_ACCOUNTS: readonly AccountRole[] = ['management', 'logArchive', 'audit'];

/** The accounts that hold keys of evidence, where a break-glass role is needed. */
const KEY_ACCOUNTS: readonly AccountRole[] = ['management', 'logArchive'];

export class BootstrapStack extends LandingZoneStack {
  readonly github?: GitHubOidc;
  readonly identities: Record<AccountRole, AccountIdentities>;

  constructor(scope: Construct, context: LandingZoneContext) {
    super(scope, STACK_IDS.bootstrap, context, { forceLocalState: true, createsDeploymentRoles: true });
    const { config, names } = context;
    const { deployment, accounts } = config;
    const management = accounts.management.id;
    const provider = this.provider('management');
    const key = new EncryptionKey(this, 'state-key', {
      provider,
      accountId: management,
      alias: names.stateKeyAlias,
      description: 'Encrypts the landing zone Terraform state',
      statements: [],
      preventDestroy: context.preventDestroy,
      // a test organization must be removable: no guard on its keys' life
      lifeGuard: context.preventDestroy
        ? { reason: 'a deleted or disabled state key makes the Terraform state of every stack unreadable', breakGlassRoleArn: names.breakGlassRoleArn(management) }
        : undefined,
    });
    const state = new PrivateBucket(this, 'state-bucket', {
      logStore: { holds: [], noLogDataBecause: 'Terraform state: the names, ids and settings of the landing zone\'s resources' },
      provider,
      bucketName: names.stateBucket,
      kmsKeyArn: key.key.arn,
      noncurrentVersionExpirationDays: 365,
      preventDestroy: context.preventDestroy,
      forceDestroy: !context.preventDestroy,
      protectedBecause: 'the Terraform state bucket holds the state of every stack; its versions are the only way back from a bad apply',
      acceptedFindings: [ACCEPTED.stateBucketAccessRecordedByTrail],
    });

    if (deployment.github) {
      this.github = new GitHubOidc(this, 'github', {
        provider,
        repository: deployment.github.repository,
        applyEnvironment: deployment.github.applyEnvironment,
        rolePath: deployment.rolePath,
        applyRoleName: names.githubApplyRoleName,
        planRoleName: names.githubPlanRoleName,
        deploymentRoleArns: DEPLOYED_ACCOUNTS.map((a) => names.deploymentRoleArn(accounts[a].id)),
        planRoleArns: DEPLOYED_ACCOUNTS.map((a) => names.planRoleArn(accounts[a].id)),
      });
    }
    const deployers = [...(this.github ? [this.github.applyRole.arn] : []), ...deployment.managementDeployerArns];
    const planners = [...(this.github ? [this.github.planRole.arn] : []), ...deployment.managementDeployerArns];

    this.identities = Object.fromEntries(
      DEPLOYED_ACCOUNTS.map((account) => [
        account,
        new AccountIdentities(this, `identities-${account}`, {
          provider: this.provider(account),
          accountId: accounts[account].id,
          region: config.homeRegion,
          rolePath: deployment.rolePath,
          deployment: { roleName: deployment.roleName, trustedArns: deployers },
          plan: {
            roleName: deployment.planRoleName,
            trustedArns: planners,
            state: account === 'management' ? { bucketArn: state.bucket.arn, keyArn: key.key.arn } : undefined,
          },
          breakGlass: KEY_ACCOUNTS.includes(account) ? deployment.breakGlass : undefined,
        }),
      ]),
    ) as Record<AccountRole, AccountIdentities>;
  }
}
