/**
 * GuardDuty for a whole organization in one region: the management account's own detector and the
 * designation of the delegated administrator; then, in the administrator account, its detector,
 * auto-enable ALL for every member and every protection plan, for the members and for itself, and
 * optionally the export of all findings to an S3 bucket.
 *
 * Nothing here is per member account: auto-enable covers members that exist and members that join,
 * so the number of resources depends on the protection plans, never on the number of accounts.
 */
import { GuarddutyDetector } from '@cdktf/provider-aws/lib/guardduty-detector';
import { GuarddutyDetectorFeature } from '@cdktf/provider-aws/lib/guardduty-detector-feature';
import { GuarddutyOrganizationAdminAccount } from '@cdktf/provider-aws/lib/guardduty-organization-admin-account';
import { GuarddutyOrganizationConfiguration } from '@cdktf/provider-aws/lib/guardduty-organization-configuration';
import { GuarddutyOrganizationConfigurationFeature } from '@cdktf/provider-aws/lib/guardduty-organization-configuration-feature';
import { GuarddutyPublishingDestination } from '@cdktf/provider-aws/lib/guardduty-publishing-destination';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { GUARDDUTY_RUNTIME_ADDONS } from '../../facts/guardduty';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';
import { protect } from '../core/protection';

/** A protection plan as GuardDuty's feature API names it, with its agent add-ons on or off. */
export interface ProtectionPlanFeature {
  readonly name: string;
  readonly additionalConfiguration: ReadonlyArray<{ readonly name: string; readonly enabled: boolean }>;
}

/**
 * The features to turn on: every plan; on RUNTIME_MONITORING (the plan that has add-ons) every
 * add-on, on when listed and explicitly off otherwise, so that removing one from the list switches
 * it off instead of leaving it as it was.
 */
export function protectionPlanFeatures(plans: readonly string[], runtimeMonitoringAddons: readonly string[]): ProtectionPlanFeature[] {
  return plans.map((name) => ({
    name,
    additionalConfiguration:
      name === 'RUNTIME_MONITORING' ? GUARDDUTY_RUNTIME_ADDONS.map((addon) => ({ name: addon, enabled: runtimeMonitoringAddons.includes(addon) })) : [],
  }));
}

export interface GuardDutyOrganizationProps {
  /** The organization's management account, in the region. */
  readonly managementProvider: AwsProvider;
  /** The account to designate as delegated administrator, in the same region. */
  readonly administratorProvider: AwsProvider;
  readonly administratorAccountId: string;
  /**
   * How often updated findings are published to EventBridge and the export.
   * @default 'SIX_HOURS' (GuardDuty's own default)
   */
  readonly findingPublishingFrequency?: string;
  /** Protection plans (feature names) enabled for the administrator and auto-enabled for every member. */
  readonly protectionPlans: readonly string[];
  /** Agent add-ons of RUNTIME_MONITORING that GuardDuty manages; the others are off. @default none */
  readonly runtimeMonitoringAddons?: readonly string[];
  /**
   * S3 export of the findings of the whole organization in this region: the bucket's ARN (GuardDuty
   * writes under its default `AWSLogs/ACCOUNT/GuardDuty/REGION/` prefix) and the KMS key it encrypts with.
   * @default no export
   */
  readonly findingsExport?: { readonly bucketArn: string; readonly kmsKeyArn: string };
  /** Terraform refuses to destroy the detectors (and their findings); off only for a removable test organization. @default true */
  readonly preventDestroy?: boolean;
}

export class GuardDutyOrganization extends Construct {
  readonly managementDetector: GuarddutyDetector;
  readonly administratorDetector: GuarddutyDetector;
  readonly designation: GuarddutyOrganizationAdminAccount;
  readonly organizationConfiguration: GuarddutyOrganizationConfiguration;
  readonly organizationFeatures: GuarddutyOrganizationConfigurationFeature[];
  readonly administratorFeatures: GuarddutyDetectorFeature[];
  readonly publishingDestination?: GuarddutyPublishingDestination;

  constructor(scope: Construct, id: string, props: GuardDutyOrganizationProps) {
    super(scope, id);
    const administrator = props.administratorProvider;
    const lifecycle = { preventDestroy: props.preventDestroy ?? true };

    // The management account enables GuardDuty before it delegates, as the AWS Security Reference
    // Architecture does. Its frequency is left unset: as a member of the administrator it takes
    // the administrator's value, and a member may not change it.
    // Deleting a detector deletes its findings: both are kept from Terraform destroys.
    this.managementDetector = new GuarddutyDetector(this, 'management-detector', {
      provider: props.managementProvider,
      enable: true,
      lifecycle,
    });
    acceptCheckovFindings(this.managementDetector, [ACCEPTED.memberDetectorHasNoOrganizationConfiguration]);
    // Designation enables GuardDuty in the administrator account by itself; a detector created after
    // it would fail as a duplicate, so the administrator's detector is created first.
    this.administratorDetector = new GuarddutyDetector(this, 'administrator-detector', {
      provider: administrator,
      enable: true,
      findingPublishingFrequency: props.findingPublishingFrequency,
      lifecycle,
    });
    this.designation = new GuarddutyOrganizationAdminAccount(this, 'delegated-administrator', {
      provider: props.managementProvider,
      adminAccountId: props.administratorAccountId,
      dependsOn: [this.managementDetector, this.administratorDetector],
    });

    const detectorId = this.administratorDetector.id;
    // Only a designated administrator may configure the organization: designation first.
    this.organizationConfiguration = new GuarddutyOrganizationConfiguration(this, 'organization-configuration', {
      provider: administrator,
      detectorId,
      autoEnableOrganizationMembers: 'ALL',
      dependsOn: [this.designation],
    });
    const features = protectionPlanFeatures(props.protectionPlans, props.runtimeMonitoringAddons ?? []);
    this.organizationFeatures = features.map(
      (feature) =>
        new GuarddutyOrganizationConfigurationFeature(this, `organization-${feature.name}`, {
          provider: administrator,
          detectorId,
          name: feature.name,
          autoEnable: 'ALL',
          additionalConfiguration: feature.additionalConfiguration.map((addon) => ({ name: addon.name, autoEnable: addon.enabled ? 'ALL' : 'NONE' })),
          // Both write the organization configuration; the provider serializes features but not this pair.
          dependsOn: [this.designation, this.organizationConfiguration],
        }),
    );
    this.administratorFeatures = features.map(
      (feature) =>
        new GuarddutyDetectorFeature(this, `administrator-${feature.name}`, {
          provider: administrator,
          detectorId,
          name: feature.name,
          status: 'ENABLED',
          additionalConfiguration: feature.additionalConfiguration.map((addon) => ({ name: addon.name, status: addon.enabled ? 'ENABLED' : 'DISABLED' })),
          dependsOn: [this.designation],
        }),
    );

    if (props.findingsExport) {
      // With no prefix in the destination GuardDuty writes under its own AWSLogs/ACCOUNT/GuardDuty/
      // layout; a custom prefix in another account's bucket would need a folder object to exist first.
      this.publishingDestination = new GuarddutyPublishingDestination(this, 'findings-export', {
        provider: administrator,
        detectorId,
        destinationType: 'S3',
        destinationArn: props.findingsExport.bucketArn,
        kmsKeyArn: props.findingsExport.kmsKeyArn,
      });
    }

    protect(this.managementDetector, 'deleting a detector stops GuardDuty in its region and discards its findings');
    protect(this.administratorDetector, 'deleting a detector stops GuardDuty in its region and discards its findings');
    protect(this.designation, 'without the delegated administrator GuardDuty stops covering the member accounts in its region');
    protect(this.organizationConfiguration, 'it auto-enables GuardDuty in every member account, those that join later included');
    for (const feature of this.organizationFeatures) protect(feature, 'it auto-enables a protection plan in every member account; deleting it turns the plan off for new accounts');
    for (const feature of this.administratorFeatures) protect(feature, "it turns a protection plan on in the delegated administrator's own account");
    if (this.publishingDestination) protect(this.publishingDestination, 'the findings export keeps every finding in the Log Archive beyond GuardDuty\'s 90 days');
  }
}
