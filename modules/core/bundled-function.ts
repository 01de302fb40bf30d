/**
 * A Lambda function of this repository's code (bundled at synth, lambda/bundle.ts) with a role
 * of its own that may do only what the statements say, plus write its own logs. Made in the
 * scope given, as `role`, `role-policy` and `function`, so that each function lives in a
 * construct of its own.
 */
import type { TerraformAsset } from 'cdktf';
import { Fn } from 'cdktf';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { acceptCheckovFindings, type CheckovSkip } from './checkov';
import { type PolicyStatement, policyDocument, serviceAssumeRolePolicy } from './policy-document';

export interface BundledFunctionProps {
  readonly provider: AwsProvider;
  readonly functionName: string;
  readonly description: string;
  readonly roleName: string;
  readonly roleDescription: string;
  /** Name of the role's inline policy. */
  readonly policyName: string;
  /** What the function may do, besides writing its logs. */
  readonly statements: readonly PolicyStatement[];
  /** The zip of the bundle. */
  readonly code: TerraformAsset;
  /** `index.EXPORT`. */
  readonly handler: string;
  readonly memorySize: number;
  readonly timeout: number;
  readonly environment: Readonly<Record<string, string>>;
  /** The log group the function writes to (it may create streams in it, nothing else). */
  readonly logGroup: CloudwatchLogGroup;
  /** Caps the function's concurrent executions. @default no reservation */
  readonly reservedConcurrency?: number;
  /** Queue for asynchronous invocations that failed every retry. @default none */
  readonly deadLetterQueueArn?: string;
  /** Checkov findings accepted at the function, with their reasons. @default none */
  readonly acceptedFindings?: readonly CheckovSkip[];
}

export function bundledFunction(scope: Construct, props: BundledFunctionProps): { readonly function: LambdaFunction; readonly role: IamRole } {
  const { provider } = props;
  const role = new IamRole(scope, 'role', {
    provider,
    name: props.roleName,
    description: props.roleDescription,
    assumeRolePolicy: serviceAssumeRolePolicy('lambda.amazonaws.com'),
  });
  const rolePolicy = new IamRolePolicy(scope, 'role-policy', {
    provider,
    role: role.name,
    name: props.policyName,
    policy: policyDocument([
      ...props.statements,
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: `${props.logGroup.arn}:log-stream:*`,
      },
    ]),
  });
  const fn = new LambdaFunction(scope, 'function', {
    provider,
    functionName: props.functionName,
    description: props.description,
    role: role.arn,
    runtime: 'nodejs22.x',
    architectures: ['arm64'],
    handler: props.handler,
    filename: props.code.path,
    sourceCodeHash: Fn.filebase64sha256(props.code.path),
    memorySize: props.memorySize,
    timeout: props.timeout,
    reservedConcurrentExecutions: props.reservedConcurrency,
    environment: { variables: { ...props.environment } },
    deadLetterConfig: props.deadLetterQueueArn ? { targetArn: props.deadLetterQueueArn } : undefined,
    loggingConfig: { logFormat: 'Text', logGroup: props.logGroup.name },
    dependsOn: [rolePolicy, props.logGroup],
  });
  acceptCheckovFindings(fn, props.acceptedFindings ?? []);
  return { function: fn, role };
}
