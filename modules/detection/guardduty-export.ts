/**
 * What the Log Archive bucket and key grant GuardDuty so that the delegated administrator (the
 * Audit account) can export the organization's findings into the archive, and nothing more: only
 * the administrator's detectors, only under GuardDuty's own key prefix.
 */
import { OPT_IN_REGIONS } from '../../facts/regions';
import type { PolicyStatement } from '../core/policy-document';

export interface GuardDutyExportSource {
  /** The delegated administrator, whose detectors export every member's findings. */
  readonly administratorAccountId: string;
  /** ARNs (wildcards) of the administrator's detectors in every region that exports. */
  readonly detectorArns: readonly string[];
  /** Regions that export; GuardDuty in an opt-in region signs as its regional service principal. */
  readonly regions: readonly string[];
}

/**
 * `guardduty.amazonaws.com`, plus `guardduty.REGION.amazonaws.com` for each opt-in region, whose
 * GuardDuty writes as that regional principal.
 */
export function guarddutyServicePrincipals(regions: readonly string[]): string[] {
  const optIn = regions.filter((r) => (OPT_IN_REGIONS as readonly string[]).includes(r));
  return ['guardduty.amazonaws.com', ...optIn.map((r) => `guardduty.${r}.amazonaws.com`)];
}

function fromAdministratorDetectors(source: GuardDutyExportSource): NonNullable<PolicyStatement['Condition']> {
  return {
    StringEquals: { 'aws:SourceAccount': source.administratorAccountId },
    ArnLike: { 'aws:SourceArn': [...source.detectorArns] },
  };
}

/** Bucket policy statements: GuardDuty finds the bucket's region and writes under `keyPrefix` only. */
export function guarddutyExportBucketStatements(bucketArn: string, keyPrefix: string, source: GuardDutyExportSource): PolicyStatement[] {
  const principal = { Service: guarddutyServicePrincipals(source.regions) };
  const condition = fromAdministratorDetectors(source);
  return [
    {
      Sid: 'GuardDutyLocatesTheBucket',
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:GetBucketLocation',
      Resource: bucketArn,
      Condition: condition,
    },
    {
      Sid: 'GuardDutyExportsFindings',
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${keyPrefix}/*`,
      Condition: condition,
    },
  ];
}

/** Key policy statement: GuardDuty encrypts the exported findings with the archive key. */
export function guarddutyExportKeyStatements(source: GuardDutyExportSource): PolicyStatement[] {
  return [
    {
      Sid: 'GuardDutyEncryptsExportedFindings',
      Effect: 'Allow',
      Principal: { Service: guarddutyServicePrincipals(source.regions) },
      Action: 'kms:GenerateDataKey',
      Resource: '*',
      Condition: fromAdministratorDetectors(source),
    },
  ];
}
