/**
 * One governed region, with the providers of that region only (management and Audit account): the
 * home of every per-region resource. GuardDuty: the management account designates the Audit account
 * as delegated administrator; the Audit account watches every member with every protection plan,
 * exports the findings to the Log Archive, and routes the serious ones to the one findings topic in
 * the home region (which the home region's stack holds).
 */
import type { Construct } from 'constructs';
import { guarddutyStackId } from '../config/names';
import { OrganizationAnalyzer } from '../modules/compliance/access-analyzer';
import { ConfigRecorder } from '../modules/compliance/config-recorder';
import { FindingsRule, guarddutyFindingPattern } from '../modules/detection/findings-routing';
import { GuardDutyOrganization } from '../modules/detection/guardduty-organization';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import { NotificationTopic } from '../modules/core/notification-topic';
import type { LogArchiveStack } from './log-archive';
import { deliverySettings, recordingSettings } from './infrastructure/config-recording';

export class GuardDutyStack extends LandingZoneStack {
  readonly guardduty: GuardDutyOrganization;
  readonly findingsRule: FindingsRule;
  /** Only in the home region's stack. */
  readonly findingsTopic?: NotificationTopic;
  /** The management account's recorder (StackSets never deploy to the management account). */
  readonly managementRecorder?: ConfigRecorder;
  /** The region's organization analyzer of external access, in the Audit account. */
  readonly accessAnalyzer?: OrganizationAnalyzer;

  constructor(scope: Construct, context: LandingZoneContext, region: string, logArchive: LogArchiveStack) {
    super(scope, guarddutyStackId(region), context);
    const { config, names } = context;
    const audit = this.provider('audit', region);
    const auditAccountId = config.accounts.audit.id;
    const isHome = region === config.homeRegion;

    this.guardduty = new GuardDutyOrganization(this, 'guardduty', {
      managementProvider: this.provider('management', region),
      administratorProvider: audit,
      administratorAccountId: auditAccountId,
      findingPublishingFrequency: config.guardduty.findingPublishingFrequency,
      protectionPlans: config.guardduty.protectionPlans,
      runtimeMonitoringAddons: config.guardduty.runtimeMonitoringAddons,
      findingsExport: config.guardduty.exportFindings
        ? { bucketArn: names.archiveBucketArn, kmsKeyArn: this.outputOf(logArchive.archiveKeyArn) }
        : undefined,
      preventDestroy: context.preventDestroy,
    });

    if (isHome) {
      this.findingsTopic = new NotificationTopic(this, 'findings-topic', {
        provider: audit,
        accountId: auditAccountId,
        region,
        topicName: names.guarddutyFindingsTopicName,
        keyAlias: names.guarddutyFindingsKeyAlias,
        publisher: { service: 'events.amazonaws.com', sourceArn: names.guarddutyFindingsRuleArn(region) },
        emails: config.notifications.emails,
      });
    }
    this.findingsRule = new FindingsRule(this, 'findings-rule', {
      provider: audit,
      ruleName: names.guarddutyFindingsRuleName,
      ruleArn: names.guarddutyFindingsRuleArn(region),
      description: `GuardDuty findings of the organization with severity ${config.notifications.guarddutyMinimumSeverity} or more`,
      eventPattern: guarddutyFindingPattern(config.notifications.guarddutyMinimumSeverity),
      target: this.findingsTopic
        ? { kind: 'topic', topicArn: this.findingsTopic.topic.arn }
        : { kind: 'event-bus', eventBusArn: names.guarddutyFindingsEventBusArn, roleName: names.guarddutyForwarderRoleName(region) },
    });

    if (config.awsConfig.enabled && logArchive.configKeyArn) {
      this.managementRecorder = new ConfigRecorder(this, 'management-config', {
        provider: this.provider('management', region),
        accountId: config.accounts.management.id,
        region,
        recorderName: names.configRecorderName(region),
        roleName: names.configRecorderRoleName(region),
        deliveryChannelName: names.configDeliveryChannelName(region),
        recording: recordingSettings(config, names),
        delivery: { ...deliverySettings(config, names), kmsKeyArn: this.outputOf(logArchive.configKeyArn) },
      });
    }
    if (config.accessAnalyzer.enabled) {
      this.accessAnalyzer = new OrganizationAnalyzer(this, 'access-analyzer', { provider: audit, analyzerName: names.accessAnalyzerName });
    }
  }
}
