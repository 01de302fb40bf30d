/**
 * AWS Config in every member account: one service-managed CloudFormation StackSet, administered by
 * a delegated administrator, deploying the recorder of config-recorder.ts (same role permissions,
 * same recording and delivery settings) to every account of the target OUs, in every governed
 * region. Automatic deployment covers accounts that join later without a deploy, and nothing here
 * grows with the number of accounts: one stack instance resource per region.
 */
import { CloudformationStackSet } from '@cdktf/provider-aws/lib/cloudformation-stack-set';
import { CloudformationStackSetInstance } from '@cdktf/provider-aws/lib/cloudformation-stack-set-instance';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { TEMPLATE_BODY_MAX_BYTES } from '../../facts/cloudformation';
import { CONFIG_ROLE_MANAGED_POLICY } from '../../facts/aws-config';
import { type PolicyStatement, policyDocument, terraformLiteral } from '../core/policy-document';
import { protect } from '../core/protection';
import { type DeliverySettings, type RecordingSettings, recorderDeliveryStatements, recorderTrustStatements } from './config-recorder';

/** The one template parameter: the Config bucket key's ARN, known only once the Log Archive exists. */
export const DELIVERY_KEY_PARAMETER = 'DeliveryKeyArn';

export interface ConfigRecorderTemplateProps {
  readonly recording: RecordingSettings;
  readonly delivery: Omit<DeliverySettings, 'kmsKeyArn'>;
  /** Names of a region's recorder, role and delivery channel, given the region. */
  readonly recorderName: (region: string) => string;
  readonly roleName: (region: string) => string;
  readonly deliveryChannelName: (region: string) => string;
}

type Template = Record<string, unknown>;

/** Every string that names a pseudo parameter or the template parameter becomes an Fn::Sub. */
function substituted(value: unknown): unknown {
  if (typeof value === 'string') return value.includes('${') ? { 'Fn::Sub': value } : value;
  if (Array.isArray(value)) return value.map(substituted);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituted(v)]));
  return value;
}

function document(statements: readonly PolicyStatement[]): unknown {
  return substituted(JSON.parse(policyDocument(statements)));
}

/** The CloudFormation template each stack instance deploys: the same recorder in any account and region. */
export function configRecorderTemplate(props: ConfigRecorderTemplateProps): Template {
  const region = '${AWS::Region}';
  const account = '${AWS::AccountId}';
  const { recording, delivery } = props;
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'AWS Config recorder and delivery channel of the audit landing zone, deployed to every account and governed region by a service-managed StackSet',
    Parameters: {
      [DELIVERY_KEY_PARAMETER]: {
        Type: 'String',
        Description: 'ARN of the KMS key of the Config bucket in the Log Archive account',
        AllowedPattern: '^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[0-9a-f-]+$',
      },
    },
    Conditions: {
      RecordsGlobalResourceTypes: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, recording.globalResourceTypesRegion] },
    },
    Resources: {
      RecorderRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: substituted(props.roleName(region)),
          Description: 'AWS Config records this region and delivers into the Log Archive',
          AssumeRolePolicyDocument: document(recorderTrustStatements(account)),
          ManagedPolicyArns: [CONFIG_ROLE_MANAGED_POLICY],
          Policies: [
            {
              PolicyName: 'deliver-into-log-archive',
              PolicyDocument: document(recorderDeliveryStatements(account, { bucketName: delivery.bucketName, kmsKeyArn: `\${${DELIVERY_KEY_PARAMETER}}` })),
            },
          ],
        },
      },
      Recorder: {
        Type: 'AWS::Config::ConfigurationRecorder',
        Properties: {
          Name: substituted(props.recorderName(region)),
          RoleARN: { 'Fn::GetAtt': ['RecorderRole', 'Arn'] },
          RecordingGroup: {
            AllSupported: true,
            IncludeGlobalResourceTypes: { 'Fn::If': ['RecordsGlobalResourceTypes', true, false] },
          },
          RecordingMode: {
            RecordingFrequency: recording.recordingFrequency,
            ...(recording.overrides?.length
              ? {
                  RecordingModeOverrides: recording.overrides.map((o) => ({
                    ResourceTypes: [...o.resourceTypes],
                    RecordingFrequency: o.recordingFrequency,
                    ...(o.description ? { Description: o.description } : {}),
                  })),
                }
              : {}),
          },
        },
      },
      // CloudFormation starts the recorder once its delivery channel exists.
      DeliveryChannel: {
        Type: 'AWS::Config::DeliveryChannel',
        DependsOn: 'Recorder',
        Properties: {
          Name: substituted(props.deliveryChannelName(region)),
          S3BucketName: delivery.bucketName,
          S3KmsKeyArn: { Ref: DELIVERY_KEY_PARAMETER },
          ConfigSnapshotDeliveryProperties: { DeliveryFrequency: delivery.snapshotDeliveryFrequency },
        },
      },
    },
  };
}

/** Fails synth where CloudFormation would refuse the template body for its size. */
export function checkTemplateSize(name: string, body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > TEMPLATE_BODY_MAX_BYTES) {
    throw new Error(`the template of stack set ${name} is ${bytes} bytes, over the ${TEMPLATE_BODY_MAX_BYTES} CloudFormation takes as a template body`);
  }
}

export interface ConfigStackSetProps {
  /** The StackSets delegated administrator (the Audit account) in the home region, where the stack set lives. */
  readonly provider: AwsProvider;
  readonly stackSetName: string;
  readonly template: ConfigRecorderTemplateProps;
  /** The Config bucket key's ARN, passed as the template's parameter. */
  readonly deliveryKeyArn: string;
  /** Root or OU ids whose accounts get the recorder, today's and tomorrow's. */
  readonly targets: readonly string[];
  /** Every governed region: one stack instance resource each. */
  readonly regions: readonly string[];
}

/**
 * Fail and concurrency settings of every operation: go on in the other accounts when a few fail (an
 * account that already has a recorder, say), deploy every account of a region at once, and every
 * region at once.
 */
const OPERATION_PREFERENCES = { failureTolerancePercentage: 10, maxConcurrentPercentage: 100, regionConcurrencyType: 'PARALLEL' } as const;

/** An operation over a thousand accounts takes longer than the provider's 30 minutes. */
const OPERATION_TIMEOUT = '4h';

export class ConfigStackSet extends Construct {
  readonly stackSet: CloudformationStackSet;
  readonly instances: CloudformationStackSetInstance[];

  constructor(scope: Construct, id: string, props: ConfigStackSetProps) {
    super(scope, id);
    const templateBody = JSON.stringify(configRecorderTemplate(props.template));
    checkTemplateSize(props.stackSetName, templateBody);
    this.stackSet = new CloudformationStackSet(this, 'stack-set', {
      provider: props.provider,
      name: props.stackSetName,
      description: 'AWS Config recorder and delivery channel in every account of the organization and every governed region',
      permissionModel: 'SERVICE_MANAGED',
      callAs: 'DELEGATED_ADMIN',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      // The provider creates each region's instance in its own operation; with managed execution
      // StackSets queues them instead of refusing all but one (OperationInProgressException).
      managedExecution: { active: true },
      operationPreferences: OPERATION_PREFERENCES,
      // the template's own ${...} (Fn::Sub) must reach CloudFormation, not Terraform's interpolation
      templateBody: terraformLiteral(templateBody),
      parameters: { [DELIVERY_KEY_PARAMETER]: props.deliveryKeyArn },
      timeouts: { update: OPERATION_TIMEOUT },
      // With automatic deployment AWS reports the service-linked administration role, which provider
      // 5.100 then plans to remove on every run (hashicorp/terraform-provider-aws#23464).
      lifecycle: { ignoreChanges: ['administration_role_arn'] },
    });
    this.instances = props.regions.map(
      (region) =>
        new CloudformationStackSetInstance(this, `instances-${region}`, {
          provider: props.provider,
          stackSetName: this.stackSet.name,
          callAs: 'DELEGATED_ADMIN',
          region,
          deploymentTargets: { organizationalUnitIds: [...props.targets] },
          operationPreferences: { ...OPERATION_PREFERENCES, concurrencyMode: 'SOFT_FAILURE_TOLERANCE' },
          retainStack: false,
          timeouts: { create: OPERATION_TIMEOUT, update: OPERATION_TIMEOUT, delete: OPERATION_TIMEOUT },
        }),
    );
    protect(this.stackSet, 'the Config StackSet holds the recorder of every member account; deleting it deletes them all');
    for (const instance of this.instances) protect(instance, 'deleting a stack set instance deletes the Config recorder of every member account in its region');
  }
}
