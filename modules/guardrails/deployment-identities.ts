/**
 * The identities the landing zone is deployed and reviewed with, as code:
 * - in the management account, GitHub's OIDC provider and one role per workflow job: the apply job
 *   (only jobs of the apply environment) may assume the deployment roles, the pull-request job only
 *   the plan roles;
 * - in each account, the deployment role (the one principal the guardrails exempt), the read-only
 *   plan role (exempt from nothing), and optionally the break-glass role (MFA), the only principal
 *   the evidence keys let end their life.
 */
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { environmentSubject, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST, pullRequestSubject } from '../../facts/github';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { KEY_LIFE_ACTIONS } from '../core/encryption-key';
import { type PolicyStatement, policyDocument } from '../core/policy-document';

export const ADMINISTRATOR_ACCESS = 'arn:aws:iam::aws:policy/AdministratorAccess';
export const READ_ONLY_ACCESS = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

/**
 * Reads of data, not of configuration, that AWS's ReadOnlyAccess includes and no plan needs: the
 * contents of objects, log events, event history, query results, parameters, secrets, messages and
 * items. A pull request's code runs with the plan role, so whatever it may read could be printed
 * into the plan; the plan role may read the Terraform state and nothing else of the kind.
 */
export const PLAN_DENIED_DATA_READS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:GetObjectAttributes',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'logs:GetQueryResults',
  'logs:StartLiveTail',
  'logs:Unmask',
  'cloudtrail:LookupEvents',
  'cloudtrail:StartQuery',
  'cloudtrail:GetQueryResults',
  'athena:GetQueryResults',
  'athena:GetQueryResultsStream',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'ssm:GetParameterHistory',
  'secretsmanager:GetSecretValue',
  'sqs:ReceiveMessage',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'kinesis:GetRecords',
] as const;

/** A trust statement for IAM principals named by their exact ARNs (IAM checks that they exist). */
function assumedBy(sid: string, principalArns: readonly string[], condition?: PolicyStatement['Condition']): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: [...principalArns] },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  };
}

/** Trust in GitHub's OIDC tokens for one subject only, with the audience of configure-aws-credentials. */
export function githubTrustPolicy(providerArn: string, subject: string): string {
  return policyDocument([
    {
      Sid: 'AssumedByTheWorkflowJob',
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
          [`${GITHUB_OIDC_HOST}:sub`]: subject,
        },
      },
    },
  ]);
}

export interface GitHubOidcProps {
  /** The management account's provider. */
  readonly provider: AwsProvider;
  /** OWNER/NAME. */
  readonly repository: string;
  /** Only jobs of this environment may assume the apply role. */
  readonly applyEnvironment: string;
  readonly rolePath: string;
  readonly applyRoleName: string;
  readonly planRoleName: string;
  /** The roles the apply job deploys through. */
  readonly deploymentRoleArns: readonly string[];
  /** The roles pull-request jobs plan through. */
  readonly planRoleArns: readonly string[];
}

/** GitHub's OIDC provider and the two roles the workflow's jobs assume with its tokens. */
export class GitHubOidc extends Construct {
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly applyRole: IamRole;
  readonly planRole: IamRole;

  constructor(scope: Construct, id: string, props: GitHubOidcProps) {
    super(scope, id);
    const { provider } = props;
    // IAM verifies GitHub's certificate against its own trusted CAs; no thumbprint is needed.
    this.oidcProvider = new IamOpenidConnectProvider(this, 'provider', {
      provider,
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
    });
    const jobRole = (roleId: string, name: string, description: string, subject: string, sid: string, targets: readonly string[]) => {
      const role = new IamRole(this, roleId, {
        provider,
        name,
        path: props.rolePath,
        description,
        maxSessionDuration: 3600,
        assumeRolePolicy: githubTrustPolicy(this.oidcProvider.arn, subject),
      });
      new IamRolePolicy(this, `${roleId}-policy`, {
        provider,
        name: 'assume-the-landing-zone-roles',
        role: role.name,
        policy: policyDocument([{ Sid: sid, Effect: 'Allow', Action: 'sts:AssumeRole', Resource: [...targets] }]),
      });
      return role;
    };
    this.applyRole = jobRole(
      'apply-role',
      props.applyRoleName,
      `The apply job of ${props.repository} (environment ${props.applyEnvironment}) deploys through the deployment roles`,
      environmentSubject(props.repository, props.applyEnvironment),
      'DeployThroughTheDeploymentRoles',
      props.deploymentRoleArns,
    );
    this.planRole = jobRole(
      'plan-role',
      props.planRoleName,
      `Pull-request jobs of ${props.repository} plan through the read-only plan roles`,
      pullRequestSubject(props.repository),
      'PlanThroughThePlanRoles',
      props.planRoleArns,
    );
  }
}

export interface AccountIdentitiesProps {
  /** The account's provider. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly rolePath: string;
  /** The deployment role and the principals (exact ARNs) that may assume it. */
  readonly deployment: { readonly roleName: string; readonly trustedArns: readonly string[] };
  /**
   * The plan role, who may assume it, and (in the account of the state) the state bucket and key
   * it reads the state with.
   */
  readonly plan: {
    readonly roleName: string;
    readonly trustedArns: readonly string[];
    readonly state?: { readonly bucketArn: string; readonly keyArn: string };
  };
  /** The break-glass role and the IAM users that may assume it with MFA. @default no break-glass role */
  readonly breakGlass?: { readonly roleName: string; readonly trustedArns: readonly string[] };
}

/** What the plan role may read beyond ReadOnlyAccess, and the data it may not. */
export function planRoleStatements(state?: { readonly bucketArn: string; readonly keyArn: string }, region?: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      Sid: 'NoDataReads',
      Effect: 'Deny',
      Action: [...PLAN_DENIED_DATA_READS],
      ...(state ? { NotResource: `${state.bucketArn}/*` } : { Resource: '*' }),
    },
  ];
  if (state) {
    statements.push(
      { Sid: 'ListTheState', Effect: 'Allow', Action: 's3:ListBucket', Resource: state.bucketArn },
      { Sid: 'ReadTheState', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: `${state.bucketArn}/*` },
      {
        Sid: 'DecryptTheState',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: state.keyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
      },
    );
  }
  return statements;
}

/** What the break-glass role may do to the keys of its account (their policies let it, with MFA). */
export function breakGlassStatements(accountId: string): PolicyStatement[] {
  return [
    {
      Sid: 'TendTheEvidenceKeys',
      Effect: 'Allow',
      Action: [...KEY_LIFE_ACTIONS, 'kms:CancelKeyDeletion', 'kms:EnableKey', 'kms:EnableKeyRotation', 'kms:GetKeyPolicy', 'kms:DescribeKey'],
      Resource: `arn:aws:kms:*:${accountId}:key/*`,
    },
  ];
}

/** The deployment, plan and break-glass roles of one account. */
export class AccountIdentities extends Construct {
  readonly deploymentRole: IamRole;
  readonly planRole: IamRole;
  readonly breakGlassRole?: IamRole;

  constructor(scope: Construct, id: string, props: AccountIdentitiesProps) {
    super(scope, id);
    const { provider, rolePath } = props;
    const role = (roleId: string, name: string, description: string, trust: PolicyStatement, managedPolicyArn: string) => {
      const created = new IamRole(this, roleId, {
        provider,
        name,
        path: rolePath,
        description,
        maxSessionDuration: 3600,
        assumeRolePolicy: policyDocument([trust]),
      });
      const attachment = new IamRolePolicyAttachment(this, `${roleId}-managed-policy`, { provider, role: created.name, policyArn: managedPolicyArn });
      return { role: created, attachment };
    };

    const deployment = role(
      'deployment-role',
      props.deployment.roleName,
      'Deploys the audit landing zone; the only principal its guardrails exempt',
      assumedBy('AssumedByTheDeployers', props.deployment.trustedArns),
      ADMINISTRATOR_ACCESS,
    );
    this.deploymentRole = deployment.role;
    acceptCheckovFindings(deployment.attachment, [ACCEPTED.deploymentRoleAdministers]);

    this.planRole = role(
      'plan-role',
      props.plan.roleName,
      'Plans the audit landing zone read-only (pull requests); exempt from no guardrail',
      assumedBy('AssumedByThePlanners', props.plan.trustedArns),
      READ_ONLY_ACCESS,
    ).role;
    new IamRolePolicy(this, 'plan-role-policy', {
      provider,
      name: 'read-the-state-and-no-data',
      role: this.planRole.name,
      policy: policyDocument(planRoleStatements(props.plan.state, props.region)),
    });

    if (props.breakGlass && props.breakGlass.trustedArns.length > 0) {
      this.breakGlassRole = role(
        'break-glass-role',
        props.breakGlass.roleName,
        'Break glass: the only principal that may disable, delete or re-police the evidence keys, with MFA',
        assumedBy('AssumedWithMfa', props.breakGlass.trustedArns, { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }),
        READ_ONLY_ACCESS,
      ).role;
      new IamRolePolicy(this, 'break-glass-role-policy', {
        provider,
        name: 'tend-the-evidence-keys',
        role: this.breakGlassRole.name,
        policy: policyDocument(breakGlassStatements(props.accountId)),
      });
    }
  }
}
