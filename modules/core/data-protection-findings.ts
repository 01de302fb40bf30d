/**
 * The log group that receives the audit findings of an account's data protection policies: one
 * report per log event that held sensitive data, naming the log group, the kind of data, a count and
 * character offsets, never the data itself ("Audit findings reports", CloudWatch Logs user guide).
 * Encrypted with a key of its own, with a retention, and masked like every other log group (its
 * own policy reports nowhere: a policy cannot report into the group it protects without a loop).
 */
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { LogMasking } from './data-protection';
import { functionLogGroup } from './function-log-group';

export interface DataProtectionFindingsProps {
  /** The provider of the account and region whose policies report here. */
  readonly provider: AwsProvider;
  readonly accountId: string;
  readonly region: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly retentionDays: number;
  readonly keyAlias: string;
  /** What the group's own policy masks; it sends its findings nowhere. */
  readonly masking: Omit<LogMasking, 'findingsLogGroupName'>;
}

export class DataProtectionFindings extends Construct {
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: DataProtectionFindingsProps) {
    super(scope, id);
    this.logGroup = functionLogGroup(
      this,
      { ...props, logRetentionDays: props.retentionDays, masking: { policyName: props.masking.policyName, personalData: props.masking.personalData } },
      { keyDescription: 'Encrypts the audit findings of the data protection policies of the account\'s log groups', holds: ['data-protection-findings'] },
    ).logGroup;
  }
}
