/** The Security Lake construct alone, in a bare stack with an offline provider, for the tests that read or plan it. */
import { Testing, TerraformStack } from 'cdktf';
import { SecurityLake, type SecurityLakeProps } from '../../modules/analytics/security-lake';
import { accountProvider } from '../../stacks/infrastructure/providers';
import type { SynthesizedJson } from '../helpers';
import { testApp } from '../helpers';

export const LAKE_ACCOUNT = '222222222222';
export const DEPLOYER = `arn:aws:iam::${LAKE_ACCOUNT}:role/landing-zone/audit-landing-zone-deployer`;

/** Three sources in one region for two accounts, a subscriber, the deployment role as administrator. */
export function bareLake(overrides: Partial<Omit<SecurityLakeProps, 'provider'>> = {}): { stack: TerraformStack; json: SynthesizedJson } {
  const stack = new TerraformStack(testApp(), 'lake');
  const provider = accountProvider(stack, { alias: 'lake', accountId: LAKE_ACCOUNT, region: 'eu-west-1', tags: {}, target: 'offline' });
  new SecurityLake(stack, 'security-lake', {
    provider,
    accountId: LAKE_ACCOUNT,
    regions: ['eu-west-1'],
    lifecycle: { transitions: [], expirationDays: 365 },
    sources: ['CLOUD_TRAIL_MGMT', 'VPC_FLOW', 'ROUTE53'],
    sourceAccountIds: ['111111111111', LAKE_ACCOUNT],
    replicationRoleName: 'SecurityLake-acme-s3-replication',
    lakeFormationAdministrators: [DEPLOYER],
    subscriber: { name: 'acme-audit-query', accountId: '333333333333', externalId: 'acme-audit-333333333333' },
    ...overrides,
  });
  return { stack, json: JSON.parse(Testing.synth(stack)) as SynthesizedJson };
}
