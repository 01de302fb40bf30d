/** Personal data in the logs: stores stay in the allowed regions, and requests elsewhere are refused. */
import { REGION_DENY_EXEMPT_ACTIONS } from '../facts/region-deny';
import { SCP_MAX_CHARACTERS, scpSize } from '../modules/guardrails/guardrails';
import { regionDenyStatement } from '../modules/guardrails/region-deny';
import { policyDocument } from '../modules/core/policy-document';
import { isDenied } from './support/scp';

describe('the region deny', () => {
  const policy = policyDocument([regionDenyStatement({ allowedRegions: ['eu-west-1', 'eu-central-1'], exemptRoleName: 'landing-zone-deployer' })]);
  const admin = 'arn:aws:iam::444444444441:role/Admin';
  const request = (action: string, region: string, principalArn = admin) => ({ action, resource: '*', principalArn, context: { 'aws:RequestedRegion': region } });

  test('refuses a regional service outside the allowed regions, for any principal but the deployment role', () => {
    expect(isDenied([policy], request('ec2:RunInstances', 'us-east-1'))).toBe(true);
    expect(isDenied([policy], request('s3:PutObject', 'ap-south-1'))).toBe(true);
    expect(isDenied([policy], request('logs:CreateLogGroup', 'us-west-2', 'arn:aws:iam::444444444441:role/OrganizationAccountAccessRole'))).toBe(true);
    expect(isDenied([policy], request('ec2:RunInstances', 'us-east-1', 'arn:aws:iam::444444444441:role/landing-zone-deployer'))).toBe(false);
  });

  test('allows everything in the allowed regions', () => {
    expect(isDenied([policy], request('ec2:RunInstances', 'eu-west-1'))).toBe(false);
    expect(isDenied([policy], request('s3:GetObject', 'eu-central-1'))).toBe(false);
  });

  test('leaves the global services usable: their endpoints live in us-east-1 (or us-west-2)', () => {
    for (const action of ['iam:CreateRole', 'organizations:DescribeOrganization', 'sts:AssumeRole', 'support:CreateCase', 'route53:ChangeResourceRecordSets', 'cloudfront:CreateDistribution']) {
      expect({ action, denied: isDenied([policy], request(action, 'us-east-1')) }).toEqual({ action, denied: false });
    }
  });

  test('fits an SCP on its own, with room to spare', () => {
    expect(scpSize(policy)).toBeLessThan(SCP_MAX_CHARACTERS * 0.75);
    expect(new Set(REGION_DENY_EXEMPT_ACTIONS).size).toBe(REGION_DENY_EXEMPT_ACTIONS.length);
  });

  test('needs at least one allowed region', () => {
    expect(() => regionDenyStatement({ allowedRegions: [], exemptRoleName: 'x' })).toThrow(/at least one allowed region/);
  });
});
