/**
 * How every AWS Config recorder of the landing zone records and delivers, from the config: one
 * place for the management account's recorders (regional stacks) and the members' (the StackSet
 * of the compliance stack), so that both record alike.
 */
import type { Config } from '../../config/schema';
import type { Names } from '../../config/names';
import type { DeliverySettings, RecordingSettings } from '../../modules/compliance/config-recorder';

export function recordingSettings(config: Config, names: Names): RecordingSettings {
  return {
    recordingFrequency: config.awsConfig.recordingFrequency,
    overrides: config.awsConfig.recordingFrequencyOverrides,
    globalResourceTypesRegion: names.configGlobalResourceTypesRegion,
  };
}

/** Where recorders deliver, but the bucket key's ARN, which comes from the Log Archive's state. */
export function deliverySettings(config: Config, names: Names): Omit<DeliverySettings, 'kmsKeyArn'> {
  return { bucketName: names.configBucket, snapshotDeliveryFrequency: config.awsConfig.snapshotDeliveryFrequency };
}
