/**
 * An AWS Config recorder and delivery channel in one account and region: the role Config records
 * with, recording every supported resource type (the global IAM types only in one region, so each
 * is recorded once per account), and delivery into the Log Archive's unlocked Config bucket. The
 * settings and the role's permissions are shared with the StackSet template that gives every
 * member account the same recorder (config-stack-set.ts); this construct is for the management
 * account, which service-managed StackSets never deploy to.
 */
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { CONFIG_ROLE_MANAGED_POLICY, CONFIG_SERVICE_PRINCIPAL, configDeliveryKeyPrefix } from '../../facts/aws-config';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { type PolicyStatement, policyDocument } from '../core/policy-document';
import { protect } from '../core/protection';

export type RecordingFrequency = 'CONTINUOUS' | 'DAILY';

/** What a recorder records, and how often. */
export interface RecordingSettings {
  readonly recordingFrequency: RecordingFrequency;
  /** Resource types recorded at another frequency (AWS takes one override). @default none */
  readonly overrides?: ReadonlyArray<{ readonly resourceTypes: readonly string[]; readonly recordingFrequency: RecordingFrequency; readonly description?: string }>;
  /** The one region whose recorder also records the global IAM resource types. */
  readonly globalResourceTypesRegion: string;
}

/** Where a recorder delivers. */
export interface DeliverySettings {
  /** The unlocked Config bucket in the Log Archive account. */
  readonly bucketName: string;
  /** The bucket's KMS key, which encrypts every delivered file. */
  readonly kmsKeyArn: string;
  /** How often a configuration snapshot is delivered, e.g. TwentyFour_Hours. */
  readonly snapshotDeliveryFrequency: string;
}

/** Config assumes the recorder role only for recorders of the role's own account. */
export function recorderTrustStatements(accountId: string): PolicyStatement[] {
  return [
    {
      Sid: 'ConfigRecordsThisAccount',
      Effect: 'Allow',
      Principal: { Service: CONFIG_SERVICE_PRINCIPAL },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
    },
  ];
}

/**
 * The recorder role's permission to deliver into a bucket of another account, encrypted with its
 * key: Config tries the role first, and only the role lets the bucket policy check the
 * organization (Config developer guide, "Permissions for the Amazon S3 bucket" and "Permissions for
 * the IAM role").
 */
export function recorderDeliveryStatements(accountId: string, delivery: Pick<DeliverySettings, 'bucketName' | 'kmsKeyArn'>): PolicyStatement[] {
  const bucketArn = `arn:aws:s3:::${delivery.bucketName}`;
  return [
    {
      Sid: 'DeliverIntoTheLogArchive',
      Effect: 'Allow',
      Action: ['s3:PutObject', 's3:PutObjectAcl'],
      Resource: `${bucketArn}/${configDeliveryKeyPrefix(accountId)}/*`,
      Condition: { StringLike: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    { Sid: 'CheckTheLogArchiveBucket', Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: bucketArn },
    { Sid: 'EncryptDeliveries', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: delivery.kmsKeyArn },
  ];
}

export interface ConfigRecorderProps {
  /** The account and region the recorder records. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly recorderName: string;
  /** Name of the role Config records with; created here. */
  readonly roleName: string;
  readonly deliveryChannelName: string;
  readonly recording: RecordingSettings;
  readonly delivery: DeliverySettings;
}

export class ConfigRecorder extends Construct {
  readonly role: IamRole;
  readonly recorder: ConfigConfigurationRecorder;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { provider, recording } = props;
    this.role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: `AWS Config records ${props.region} and delivers into the Log Archive`,
      assumeRolePolicy: policyDocument(recorderTrustStatements(props.accountId)),
    });
    new IamRolePolicyAttachment(this, 'read-configuration', {
      provider,
      role: this.role.name,
      policyArn: CONFIG_ROLE_MANAGED_POLICY,
    });
    const delivery = new IamRolePolicy(this, 'deliver', {
      provider,
      role: this.role.name,
      name: 'deliver-into-log-archive',
      policy: policyDocument(recorderDeliveryStatements(props.accountId, props.delivery)),
    });
    const override = recording.overrides?.[0];
    const recordsGlobalTypes = props.region === recording.globalResourceTypesRegion;
    this.recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      provider,
      name: props.recorderName,
      roleArn: this.role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: recordsGlobalTypes },
      recordingMode: {
        recordingFrequency: recording.recordingFrequency,
        recordingModeOverride: override
          ? { resourceTypes: [...override.resourceTypes], recordingFrequency: override.recordingFrequency, description: override.description }
          : undefined,
      },
    });
    if (!recordsGlobalTypes) acceptCheckovFindings(this.recorder, [ACCEPTED.globalIamTypesRecordedInOneRegion]);
    // A delivery channel needs its recorder; recording starts once both exist.
    this.deliveryChannel = new ConfigDeliveryChannel(this, 'delivery-channel', {
      provider,
      name: props.deliveryChannelName,
      s3BucketName: props.delivery.bucketName,
      s3KmsKeyArn: props.delivery.kmsKeyArn,
      snapshotDeliveryProperties: { deliveryFrequency: props.delivery.snapshotDeliveryFrequency },
      dependsOn: [this.recorder, delivery],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, 'recording', {
      provider,
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [this.deliveryChannel],
    });
    protect(this.role, `AWS Config records ${props.region} with this role; without it the recorder stops`);
    protect(this.recorder, 'deleting the recorder stops AWS Config recording in its account and region');
    protect(this.deliveryChannel, 'without its delivery channel the recorder stops recording');
    protect(this.status, 'deleting the recorder status stops the recorder');
  }
}
