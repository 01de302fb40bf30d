/** Bootstrap, in the management account: the bucket every other stack keeps its state in. Its own state is local. */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { ACCEPTED } from '../modules/core/checkov';
import { EncryptionKey } from '../modules/core/encryption-key';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import { PrivateBucket } from '../modules/core/private-bucket';

export class BootstrapStack extends LandingZoneStack {
  constructor(scope: Construct, context: LandingZoneContext) {
    super(scope, STACK_IDS.bootstrap, context, { forceLocalState: true });
    const { config, names } = context;
    const provider = this.provider('management');
    const key = new EncryptionKey(this, 'state-key', {
      provider,
      accountId: config.accounts.management.id,
      alias: names.stateKeyAlias,
      description: 'Encrypts the landing zone Terraform state',
      statements: [],
      preventDestroy: context.preventDestroy,
    });
    new PrivateBucket(this, 'state-bucket', {
      logStore: { holds: [], noLogDataBecause: 'Terraform state: the names, ids and settings of the landing zone\'s resources' },
      provider,
      bucketName: config.state.backend === 's3' && config.state.bucket ? config.state.bucket : names.stateBucket,
      kmsKeyArn: key.key.arn,
      noncurrentVersionExpirationDays: 365,
      preventDestroy: context.preventDestroy,
      forceDestroy: !context.preventDestroy,
      acceptedFindings: [ACCEPTED.stateBucketAccessRecordedByTrail],
    });
  }
}
