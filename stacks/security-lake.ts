/**
 * Security Lake, in the delegated administrator's account (Log Archive by default): a data lake
 * in every governed region, the AWS log sources of every account, and the Audit account's query
 * subscriber. The organization stack must have registered the delegated administrator first.
 */
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { STACK_IDS } from '../config/names';
import { LandingZoneStack, type LandingZoneContext } from './infrastructure/landing-zone-stack';
import { organizationAutoEnableCommand, SecurityLake } from '../modules/analytics/security-lake';

export class SecurityLakeStack extends LandingZoneStack {
  readonly lake: SecurityLake;

  constructor(scope: Construct, context: LandingZoneContext) {
    super(scope, STACK_IDS.securityLake, context);
    const { config, names } = context;
    const { accounts, securityLake } = config;
    // One provider: the rollup region, where the subscriber sees every region's data, or home.
    const region = securityLake.rollupRegion ?? config.homeRegion;
    const lakeAccount = accounts[securityLake.account];
    this.lake = new SecurityLake(this, 'security-lake', {
      provider: this.provider(securityLake.account, region),
      accountId: lakeAccount.id,
      regions: config.governedRegions,
      rollupRegion: securityLake.rollupRegion,
      lifecycle: { transitions: securityLake.transitions, expirationDays: securityLake.expirationDays },
      sources: securityLake.sources,
      sourceAccountIds: [accounts.management, accounts.logArchive, accounts.audit, ...accounts.members].map((a) => a.id),
      replicationRoleName: names.securityLakeReplicationRoleName,
      // Terraform deploys with this role, so it must stay an administrator besides the configured ones
      lakeFormationAdministrators: [...new Set([names.deploymentRoleArn(lakeAccount.id), ...securityLake.lakeFormationAdministrators])],
      // The lake's own account needs no subscription to its own tables.
      subscriber: securityLake.account === 'audit'
        ? undefined
        : { name: names.securityLakeSubscriberName, accountId: accounts.audit.id, externalId: names.securityLakeSubscriberExternalId },
      dataSubscriber: config.siem?.securityLake
        ? { name: names.securityLakeSiemSubscriberName, accountId: config.siem.accountId, externalId: config.siem.externalId }
        : undefined,
    });
    new TerraformOutput(this, 'organization_auto_enable_command', {
      description: 'Run once as the delegated administrator: enables the sources in accounts that join the organization later',
      value: organizationAutoEnableCommand(region, config.governedRegions, securityLake.sources),
    });
  }
}
