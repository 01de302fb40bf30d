/**
 * Log Archive account, home region: the daily verification of every digest chain of the
 * Organization trail in the archive, its metrics, alarms and their topic (docs/integrity.md).
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { GLOBAL_EVENTS_REGION } from '../facts/cloudtrail';
import { bundleFunction } from '../lambda/bundle';
import { NotificationTopic } from '../modules/core/notification-topic';
import { LogIntegrityVerifier } from '../modules/evidence/log-integrity-verifier';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';

export class IntegrityStack extends LandingZoneStack {
  readonly verifier: LogIntegrityVerifier;
  readonly alarmTopic: NotificationTopic;

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, STACK_IDS.integrity, context);
    const { config, names } = context;
    const { accounts, homeRegion, integrity } = config;
    const provider = this.provider('logArchive');
    const logArchiveId = accounts.logArchive.id;
    const n = names.logIntegrity;
    this.alarmTopic = new NotificationTopic(this, 'alarm-topic', {
      provider,
      accountId: logArchiveId,
      region: homeRegion,
      topicName: n.topicName,
      keyAlias: n.topicKeyAlias,
      publisher: { service: 'cloudwatch.amazonaws.com', sourceArn: `arn:aws:cloudwatch:${homeRegion}:${logArchiveId}:alarm:${n.alarmNamePrefix}*` },
      emails: config.notifications.emails,
    });
    this.verifier = new LogIntegrityVerifier(this, 'log-integrity', {
      provider,
      accountId: logArchiveId,
      region: homeRegion,
      codeZip: bundleFunction('integrity'),
      archiveBucketName: names.archiveBucket,
      archiveKeyArn: this.outputOf(logArchive.archiveKeyArn),
      trailArn: names.trailArn,
      organizationId: config.organization.id,
      expectedAccountIds: [accounts.management.id, accounts.logArchive.id, accounts.audit.id],
      expectedRegions: [...new Set<string>([...config.governedRegions, GLOBAL_EVENTS_REGION])],
      plannerFunctionName: n.plannerFunctionName,
      verifierFunctionName: n.verifierFunctionName,
      schedulerRoleName: n.schedulerRoleName,
      scheduleName: n.scheduleName,
      logGroupName: n.logGroup,
      logGroupArn: n.logGroupArn,
      logRetentionDays: integrity.logRetentionDays,
      // the findings log group is the log-archive stack's, which this stack follows (outputOf)
      masking: this.logMasking(names.maskingFindingsLogGroup),
      keyAlias: n.keyAlias,
      queueName: n.queueName,
      deadLetterQueueName: n.deadLetterQueueName,
      metricNamespace: n.metricNamespace,
      alarmNamePrefix: n.alarmNamePrefix,
      topicArn: this.alarmTopic.topic.arn,
      topicKeyArn: this.alarmTopic.key.key.arn,
      schedule: integrity.schedule,
      concurrency: integrity.concurrency,
      alarmOnGaps: integrity.alarm.onGaps,
    });
  }
}
