/**
 * Management account, for the whole organization: the delegated administrators that are not
 * regional, the guardrails (SCPs) that keep every member account from blinding the audit logging,
 * the security and the compliance services, and the data perimeter (an RCP) around the evidence
 * in the Log Archive and Audit accounts. Trusted service access and the policy types are enabled
 * by hand (docs/guardrails.md).
 */
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { LEGACY_ELB_ACCOUNTS } from '../facts/elb';
import { complianceStatements } from '../modules/guardrails/compliance-guardrails';
import { dataPerimeterStatements } from '../modules/guardrails/data-perimeter';
import { DelegatedAdministrators } from '../modules/guardrails/delegated-administrators';
import { auditLoggingStatements, Guardrails, type ProtectedResources, securityServiceStatements } from '../modules/guardrails/guardrails';
import { listAccountsStatement, OrganizationsDelegation } from '../modules/guardrails/organizations-delegation';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import { regionDenyStatement } from '../modules/guardrails/region-deny';

export class OrganizationStack extends LandingZoneStack {
  readonly delegatedAdministrators: DelegatedAdministrators;
  readonly guardrails?: Guardrails;
  readonly delegation?: OrganizationsDelegation;
  readonly dataPerimeter?: Guardrails;

  constructor(scope: Construct, context: LandingZoneContext) {
    super(scope, STACK_IDS.organization, context);
    const { config, names } = context;
    const provider = this.provider('management');
    const { cloudTrailDelegatedAdministrator } = config.organization;
    const audit = config.accounts.audit.id;

    this.delegatedAdministrators = new DelegatedAdministrators(this, 'delegated-administrators', {
      provider,
      securityLakeAccountId: config.securityLake.enabled ? config.accounts[config.securityLake.account].id : undefined,
      cloudTrailAccountId: cloudTrailDelegatedAdministrator ? config.accounts[cloudTrailDelegatedAdministrator].id : undefined,
      configAccountId: config.awsConfig.enabled ? audit : undefined,
      accessAnalyzerAccountId: config.accessAnalyzer.enabled ? audit : undefined,
    });

    if (config.analytics.followNewAccounts) {
      // The Audit account's account projection function lists the organization's accounts.
      this.delegation = new OrganizationsDelegation(this, 'organizations-delegation', {
        provider,
        statements: [listAccountsStatement('AuditAccountListsTheAccounts', config.accounts.audit.id)],
        protectedBecause: 'without it the account projection cannot list the accounts, and an account that joins the organization stays out of the trail table',
      });
    }

    if (config.guardrails.enabled) {
      const protectedResources: ProtectedResources = {
        deploymentRoleArnPattern: names.deploymentRoleArnPattern,
        breakGlassRoleArnPattern: names.breakGlassRoleArnPattern,
        guardedRoleNames: [config.deployment.roleName, config.deployment.planRoleName, config.deployment.breakGlass.roleName],
        suppressionRuleRoleArns: config.guardduty.suppressionRuleRoleArns,
        removable: !context.preventDestroy,
        trailArn: names.trailArn,
        archiveBucketName: names.archiveBucket,
        archiveKey: { accountId: config.accounts.logArchive.id, alias: names.archiveKeyAlias },
        securityLakeBucketPrefix: config.securityLake.enabled ? names.securityLakeBucketPrefix : undefined,
        // the Log Archive holds the masked log groups of the member accounts (the management account's are bound by no SCP)
        masking: { accountIds: [config.accounts.logArchive.id], unmaskRoleArns: config.privacy.masking.unmaskRoles },
      };
      const compliance = complianceStatements({
        deploymentRoleArnPattern: names.deploymentRoleArnPattern,
        config: config.awsConfig.enabled
          ? { stackSetName: names.configStackSetName, recorderRoleNamePrefix: names.configRecorderRoleNamePrefix, bucketName: names.configBucket }
          : undefined,
        securityHub: config.securityHub.enabled,
        accessAnalyzer: config.accessAnalyzer.enabled,
      });
      this.guardrails = new Guardrails(this, 'guardrails', {
        provider,
        targets: names.guardrailTargets,
        policies: [
          {
            name: names.auditLoggingGuardrailName,
            description: 'Protects the Organization trail, the Log Archive bucket and its key, the landing zone roles, membership of the organization, and the masking of the Log Archive log groups',
            statements: auditLoggingStatements(protectedResources),
          },
          {
            name: names.securityServicesGuardrailName,
            description: 'Keeps GuardDuty and Security Lake from being disabled, silenced or deleted',
            statements: securityServiceStatements(protectedResources),
          },
          ...(config.privacy.regionDeny
            ? [{
              name: names.regionDenyGuardrailName,
              description: 'Refuses requests for regions that are not governed; the global services are exempt',
              statements: [regionDenyStatement({ allowedRegions: config.governedRegions, exemptRoleArnPattern: protectedResources.deploymentRoleArnPattern })],
            }]
            : []),
          ...(compliance.length > 0
            ? [{ name: names.complianceGuardrailName, description: 'Keeps AWS Config recording and delivering, and Security Hub and Access Analyzer on', statements: compliance }]
            : []),
        ],
      });
    }

    if (config.dataPerimeter.enabled) {
      // the legacy ELB accounts deliver access logs into the Log Archive as IAM principals of their own
      const lb = config.logCollection.loadBalancerLogs;
      const legacyElbAccounts = lb.enabled && lb.legacyElbAccountPrincipal
        ? [...new Set(config.governedRegions.map((r) => LEGACY_ELB_ACCOUNTS[r]).filter((a): a is string => a !== undefined))]
        : [];
      this.dataPerimeter = new Guardrails(this, 'data-perimeter', {
        provider,
        type: 'RESOURCE_CONTROL_POLICY',
        targets: names.dataPerimeterTargets,
        policies: [
          {
            name: names.dataPerimeterPolicyName,
            description: 'S3 and KMS resources of the Log Archive and Audit accounts are reachable from the organization only',
            statements: dataPerimeterStatements({
              organizationId: config.organization.id,
              trustedAccountIds: config.dataPerimeter.trustedAccountIds,
              evidenceSourceAccountIds: [config.accounts.management.id, config.accounts.logArchive.id, audit],
              awsServiceAccountIds: legacyElbAccounts,
            }),
          },
        ],
      });
    }
  }
}
