/**
 * Management account: the Organization trail into the Log Archive, its CloudWatch Logs group
 * (masked), the CIS alarms on that group reporting to the alarm topic, the activity notifier
 * reporting to a topic of its own, and the log group of the data protection findings.
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { bundleNotifier } from '../lambda/notifier/bundle';
import { NotificationTopic } from '../modules/core/notification-topic';
import { CisAlarms, logMetricAlarm, logMetricAlarmPanels, type WatchedAlarm } from '../modules/detection/cis-alarms';
import type { DashboardPanel, MetricLocation } from '../modules/core/dashboard-panel';
import { GUARDDUTY_SILENCED } from '../facts/landing-zone-alarms';
import { EncryptionKey, logGroupKeyStatement } from '../modules/core/encryption-key';
import { DataProtectionFindings } from '../modules/core/data-protection-findings';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import { Notifier } from '../modules/detection/notifier';
import { notifierFilterPattern } from '../facts/notifier';
import { OrganizationTrail } from '../modules/evidence/organization-trail';
import type { LogArchiveStack } from './log-archive';

export class OrgTrailStack extends LandingZoneStack {
  readonly trail: OrganizationTrail;
  readonly trailLogsKey: EncryptionKey;
  /** The log group of the audit findings of the management account's data protection policies. */
  readonly maskingFindings: DataProtectionFindings;
  readonly alarmTopic: NotificationTopic;
  readonly activityTopic?: NotificationTopic;
  readonly cisAlarms: CisAlarms;
  /** Every alarm on the trail's log group (the CIS alarms and the landing zone's own), for the dashboard. */
  readonly trailAlarms: readonly WatchedAlarm[];

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, STACK_IDS.orgTrail, context);
    const { config, names } = context;
    const provider = this.provider('management');
    const management = config.accounts.management.id;
    this.maskingFindings = new DataProtectionFindings(this, 'data-protection-findings', {
      provider,
      accountId: management,
      region: config.homeRegion,
      logGroupName: names.maskingFindingsLogGroup,
      logGroupArn: names.maskingFindingsLogGroupArn(management),
      retentionDays: config.privacy.masking.findings.retentionDays,
      keyAlias: names.maskingFindingsKeyAlias,
      masking: this.logMasking(),
    });
    const masking = this.logMasking(this.maskingFindings.logGroup.name);
    this.trailLogsKey = new EncryptionKey(this, 'trail-logs-key', {
      provider,
      accountId: config.accounts.management.id,
      alias: names.trailLogsKeyAlias,
      description: 'Encrypts the Organization trail log group in CloudWatch Logs',
      statements: [logGroupKeyStatement(config.homeRegion, names.trailLogGroupArn)],
      preventDestroy: context.preventDestroy,
      lifeGuard: context.preventDestroy
        ? { reason: 'a deleted or disabled key makes the trail log group unreadable, and the CIS alarms blind', breakGlassRoleArn: names.breakGlassRoleArn(config.accounts.management.id) }
        : undefined,
    });
    this.trail = new OrganizationTrail(this, 'organization-trail', {
      provider,
      trailName: names.trailName,
      trailArn: names.trailArn,
      bucketName: names.archiveBucket,
      kmsKeyArn: this.outputOf(logArchive.archiveKeyArn),
      logGroupName: names.trailLogGroup,
      logGroupKmsKeyArn: this.trailLogsKey.key.arn,
      logRetentionDays: config.trail.cloudWatchLogsRetentionDays,
      masking,
      cloudWatchRoleName: names.trailCloudWatchRoleName,
      insights: config.trail.insights,
      s3DataEvents: config.trail.s3DataEvents,
      excludedBucketPrefixes: names.untrailedBucketPrefixes,
      preventDestroy: context.preventDestroy,
    });
    this.alarmTopic = new NotificationTopic(this, 'alarm-topic', {
      provider,
      accountId: management,
      region: config.homeRegion,
      topicName: names.alarmTopicName,
      keyAlias: names.alarmTopicKeyAlias,
      publisher: { service: 'cloudwatch.amazonaws.com', sourceArn: `arn:aws:cloudwatch:${config.homeRegion}:${management}:alarm:${names.alarmNamePrefix}*` },
      emails: config.notifications.emails,
    });
    this.cisAlarms = new CisAlarms(this, 'cis-alarms', {
      provider,
      logGroupName: this.trail.logGroup.name,
      controls: config.alarms.controls,
      topicArn: this.alarmTopic.topic.arn,
      alarmNamePrefix: names.alarmNamePrefix,
      metricNamespace: names.cisMetricNamespace,
    });
    const silenced: WatchedAlarm = { name: names.guarddutySilencedAlarmName, filter: GUARDDUTY_SILENCED, metricNamespace: names.landingZoneMetricNamespace };
    logMetricAlarm(this, 'guardduty-silenced', {
      ...silenced,
      provider,
      logGroupName: this.trail.logGroup.name,
      topicArn: this.alarmTopic.topic.arn,
    });
    this.trailAlarms = [...this.cisAlarms.watched, silenced];
    if (config.notifier.enabled) {
      // Activity notices go apart from the alarms: to other people, perhaps, and never mixed with them.
      this.activityTopic = new NotificationTopic(this, 'activity-topic', {
        provider,
        accountId: management,
        region: config.homeRegion,
        topicName: names.activityTopicName,
        keyAlias: names.activityTopicKeyAlias,
        emails: config.notifier.emails ?? config.notifications.emails,
      });
      new Notifier(this, 'activity-notifier', {
        provider,
        accountId: management,
        region: config.homeRegion,
        codeZip: bundleNotifier(),
        functionName: names.notifierFunctionName,
        roleName: names.notifierRoleName,
        logGroupName: names.notifierLogGroup,
        logGroupArn: names.notifierLogGroupArn,
        logRetentionDays: config.notifier.logRetentionDays,
        masking,
        keyAlias: names.notifierKeyAlias,
        deadLetterQueueName: names.notifierDeadLetterQueue,
        sourceLogGroupName: this.trail.logGroup.name,
        sourceLogGroupArn: names.trailLogGroupArn,
        filterPattern: notifierFilterPattern(config.notifier.eventNames, config.notifier.rootConsoleSignIn),
        topicArn: this.activityTopic.topic.arn,
        topicKeyArn: this.activityTopic.key.key.arn,
        reservedConcurrency: config.notifier.reservedConcurrency,
        detail: config.notifier.detail,
        lookUp: {
          athena: {
            table: `${names.glueDatabase}.${names.cloudTrailTable}`,
            workgroup: config.analytics.savedQueriesWorkgroup,
            accountId: config.accounts.audit.id,
            region: config.homeRegion,
          },
          logGroup: { name: names.trailLogGroup, accountId: management, region: config.homeRegion },
        },
      });
    }
  }

  /** The state of every alarm on the trail's log group, as the alarms read their metrics. */
  alarmPanels(location: MetricLocation): DashboardPanel[] {
    return logMetricAlarmPanels('Alarms on the Organization trail', this.trailAlarms, location);
  }
}
