/**
 * CloudWatch Logs data protection: a policy on a log group (or on every log group of an account
 * and region) that masks the credentials, always, and the personal data asked for, and reports
 * where it found them. Masking happens as events are ingested; from then on every reader without
 * `logs:Unmask`, every metric filter and every subscription filter sees asterisks where the data
 * was ("Help protect sensitive log data with masking", CloudWatch Logs user guide).
 */
import { CloudwatchLogAccountPolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-account-policy';
import { CloudwatchLogDataProtectionPolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-data-protection-policy';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import {
  DATA_PROTECTION_POLICY_MAX_CHARACTERS,
  DATA_PROTECTION_POLICY_VERSION,
  dataIdentifierArn,
  maskedIdentifiers,
  type PersonalDataIdentifier,
} from '../../facts/data-protection';
import { protect } from './protection';

/** What a log group's data protection policy masks, and where it reports what it found. */
export interface LogMasking {
  /** The policy's name, a dimension of the LogEventsWithFindings metric. */
  readonly policyName: string;
  /** Personal data masked besides the credentials, which are always masked. */
  readonly personalData: readonly PersonalDataIdentifier[];
  /**
   * Log group, in the same account and region, that receives the audit findings; it must exist
   * before the policy. @default none: the findings are counted in the LogEventsWithFindings metric only
   */
  readonly findingsLogGroupName?: string;
}

/**
 * The policy document: one Audit statement (with where its findings go) and one Deidentify
 * statement, whose DataIdentifier lists must be the same (PutDataProtectionPolicy, policyDocument).
 */
export function dataProtectionPolicyDocument(masking: LogMasking): string {
  const identifiers = maskedIdentifiers(masking.personalData).map(dataIdentifierArn);
  const findingsDestination = masking.findingsLogGroupName === undefined ? {} : { CloudWatchLogs: { LogGroup: masking.findingsLogGroupName } };
  const document = JSON.stringify({
    Name: masking.policyName,
    Description: 'Masks credentials and the personal data nobody needs to read; logs:Unmask shows them',
    Version: DATA_PROTECTION_POLICY_VERSION,
    Statement: [
      { Sid: 'audit', DataIdentifier: identifiers, Operation: { Audit: { FindingsDestination: findingsDestination } } },
      { Sid: 'mask', DataIdentifier: identifiers, Operation: { Deidentify: { MaskConfig: {} } } },
    ],
  });
  if (document.length > DATA_PROTECTION_POLICY_MAX_CHARACTERS) {
    throw new Error(`the data protection policy ${masking.policyName} has ${document.length} characters; CloudWatch Logs accepts ${DATA_PROTECTION_POLICY_MAX_CHARACTERS}`);
  }
  return document;
}

export interface MaskLogGroupProps {
  /** The provider of the log group's account and region. */
  readonly provider: AwsProvider;
  /** The log group masked, made in the same stack (the policy refers to its name, so it is created after it). */
  readonly logGroup: CloudwatchLogGroup;
  readonly masking: LogMasking;
}

/** Puts the data protection policy on one log group, protected: its removal unmasks what is ingested from then on. */
export function maskLogGroup(scope: Construct, id: string, props: MaskLogGroupProps): CloudwatchLogDataProtectionPolicy {
  const policy = new CloudwatchLogDataProtectionPolicy(scope, id, {
    provider: props.provider,
    logGroupName: props.logGroup.name,
    policyDocument: dataProtectionPolicyDocument(props.masking),
  });
  protect(policy, 'it masks credentials and personal data as they are ingested into the log group; without it they are stored readable');
  return policy;
}

export interface MaskAccountProps {
  /** The provider of the account and region whose log groups are masked. */
  readonly provider: AwsProvider;
  readonly masking: LogMasking;
}

/**
 * An account-level data protection policy: it applies to every log group of the account and
 * region, existing and future ones (the log groups AWS creates there, such as centralized copies,
 * included), cumulatively with each log group's own policy (PutAccountPolicy). An account holds one.
 */
export function maskAccount(scope: Construct, id: string, props: MaskAccountProps): CloudwatchLogAccountPolicy {
  const policy = new CloudwatchLogAccountPolicy(scope, id, {
    provider: props.provider,
    policyName: props.masking.policyName,
    policyType: 'DATA_PROTECTION_POLICY',
    scope: 'ALL',
    policyDocument: dataProtectionPolicyDocument(props.masking),
  });
  protect(policy, 'it masks credentials and personal data in every log group of the account as they are ingested; without it the centralized logs are stored readable');
  return policy;
}
