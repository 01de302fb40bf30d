/**
 * The region deny: an SCP statement that refuses every request for a region outside the allowed
 * ones, after the pattern of AWS Control Tower's Region deny control. The global services are
 * exempt through `NotAction` (facts/region-deny.ts). The Organization trail is multi-region, so a
 * refused attempt in another region is still recorded (with its AccessDenied errorCode, which the
 * unauthorized-API-calls alarm counts).
 */
import { REGION_DENY_EXEMPT_ACTIONS } from '../../facts/region-deny';
import type { PolicyStatement } from '../core/policy-document';

export interface RegionDenyProps {
  /** Regions in which requests stay allowed. */
  readonly allowedRegions: readonly string[];
  /** The one role exempt in every account (the deployment role), as an ARN pattern, path included. */
  readonly exemptRoleArnPattern: string;
}

export function regionDenyStatement(props: RegionDenyProps): PolicyStatement {
  if (props.allowedRegions.length === 0) throw new Error('the region deny needs at least one allowed region');
  return {
    Sid: 'DenyOutsideAllowedRegions',
    Effect: 'Deny',
    NotAction: [...REGION_DENY_EXEMPT_ACTIONS],
    Resource: '*',
    Condition: {
      StringNotEquals: { 'aws:RequestedRegion': [...props.allowedRegions] },
      ArnNotLike: { 'aws:PrincipalArn': props.exemptRoleArnPattern },
    },
  };
}
