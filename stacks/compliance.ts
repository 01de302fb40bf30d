/**
 * Audit account (with the management account where only it may designate): the compliance layer
 * for the whole organization. AWS Config in every member account through one service-managed
 * StackSet and an organization aggregator over every governed region; Security Hub CSPM configured
 * centrally with AWS Foundational Security Best Practices and the CIS benchmark, its findings
 * notified through one rule in the aggregation (home) region; the organization's analyzer of unused
 * access. Per-region pieces (the management account's recorders, the analyzers of external access)
 * live in the regional stacks.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { cisBenchmarkStandardArn, foundationalBestPracticesStandardArn } from '../facts/security-hub';
import { OrganizationAnalyzer } from '../modules/compliance/access-analyzer';
import { OrganizationAggregator } from '../modules/compliance/config-aggregator';
import { ConfigStackSet } from '../modules/compliance/config-stack-set';
import { SecurityHubOrganization, securityHubFindingPattern } from '../modules/compliance/security-hub';
import { NotificationTopic } from '../modules/core/notification-topic';
import { FindingsRule } from '../modules/detection/findings-routing';
import { deliverySettings, recordingSettings } from './infrastructure/config-recording';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import type { LogArchiveStack } from './log-archive';

export class ComplianceStack extends LandingZoneStack {
  readonly configStackSet?: ConfigStackSet;
  readonly configAggregator?: OrganizationAggregator;
  readonly securityHub?: SecurityHubOrganization;
  readonly findingsTopic?: NotificationTopic;
  readonly findingsRule?: FindingsRule;
  readonly unusedAccessAnalyzer?: OrganizationAnalyzer;

  constructor(scope: Construct, context: LandingZoneContext, logArchive: LogArchiveStack) {
    super(scope, STACK_IDS.compliance, context);
    const { config, names } = context;
    const { homeRegion, governedRegions, awsConfig, securityHub, accessAnalyzer } = config;
    const audit = this.provider('audit');
    const auditAccountId = config.accounts.audit.id;

    if (awsConfig.enabled && logArchive.configKeyArn) {
      this.configStackSet = new ConfigStackSet(this, 'config-stack-set', {
        provider: audit,
        stackSetName: names.configStackSetName,
        template: {
          recording: recordingSettings(config, names),
          delivery: deliverySettings(config, names),
          recorderName: names.configRecorderName,
          roleName: names.configRecorderRoleName,
          deliveryChannelName: names.configDeliveryChannelName,
        },
        deliveryKeyArn: this.outputOf(logArchive.configKeyArn),
        targets: names.configTargets,
        regions: governedRegions,
      });
      this.configAggregator = new OrganizationAggregator(this, 'config-aggregator', {
        provider: audit,
        accountId: auditAccountId,
        aggregatorName: names.configAggregatorName,
        roleName: names.configAggregatorRoleName,
        regions: governedRegions,
      });
    }

    if (securityHub.enabled) {
      this.securityHub = new SecurityHubOrganization(this, 'security-hub', {
        managementProvider: this.provider('management'),
        administratorProvider: audit,
        administratorAccountId: auditAccountId,
        linkedRegions: governedRegions.filter((r) => r !== homeRegion),
        policyName: names.securityHubPolicyName,
        standardsArns: [foundationalBestPracticesStandardArn(homeRegion), cisBenchmarkStandardArn(securityHub.cisVersion, homeRegion)],
        disabledControls: securityHub.disabledControls,
        targets: names.securityHubTargets,
      });
      new TerraformOutput(this, 'disabled_security_controls', {
        description: 'Security Hub controls switched off in every account and governed region, with the reason (securityHub.disabledControls)',
        value: Object.fromEntries(securityHub.disabledControls.map((c) => [c.id, c.reason])),
      });
      // Aggregated findings of every linked region arrive in the home region: one rule, one topic.
      this.findingsTopic = new NotificationTopic(this, 'findings-topic', {
        provider: audit,
        accountId: auditAccountId,
        region: homeRegion,
        topicName: names.complianceFindingsTopicName,
        keyAlias: names.complianceFindingsKeyAlias,
        publisher: { service: 'events.amazonaws.com', sourceArn: names.complianceFindingsRuleArn },
        emails: config.notifications.emails,
      });
      this.findingsRule = new FindingsRule(this, 'findings-rule', {
        provider: audit,
        ruleName: names.complianceFindingsRuleName,
        ruleArn: names.complianceFindingsRuleArn,
        description: `New Security Hub findings of the organization (but GuardDuty's) with severity ${config.notifications.securityHubMinimumSeverity} or higher`,
        eventPattern: securityHubFindingPattern(config.notifications.securityHubMinimumSeverity),
        target: { kind: 'topic', topicArn: this.findingsTopic.topic.arn },
      });
    }

    if (accessAnalyzer.enabled && accessAnalyzer.unusedAccess.enabled) {
      // IAM is global: one analyzer of unused access covers every account.
      this.unusedAccessAnalyzer = new OrganizationAnalyzer(this, 'unused-access-analyzer', {
        provider: audit,
        analyzerName: names.unusedAccessAnalyzerName,
        unusedAccessAgeDays: accessAnalyzer.unusedAccess.ageDays,
      });
    }
  }
}
