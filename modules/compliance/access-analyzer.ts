/**
 * An IAM Access Analyzer whose zone of trust is the organization, in the delegated administrator's
 * account: of external access (regional: one per governed region) or of unused access (IAM is
 * global: one for the organization).
 */
import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';

export interface OrganizationAnalyzerProps {
  /** The delegated administrator (the Audit account), in the analyzer's region. */
  readonly provider: AwsProvider;
  readonly analyzerName: string;
  /**
   * Report roles, users, keys and permissions unused for this many days instead of external access.
   * @default an analyzer of external access
   */
  readonly unusedAccessAgeDays?: number;
}

export class OrganizationAnalyzer extends Construct {
  readonly analyzer: AccessanalyzerAnalyzer;

  constructor(scope: Construct, id: string, props: OrganizationAnalyzerProps) {
    super(scope, id);
    const unused = props.unusedAccessAgeDays;
    this.analyzer = new AccessanalyzerAnalyzer(this, 'analyzer', {
      provider: props.provider,
      analyzerName: props.analyzerName,
      type: unused === undefined ? 'ORGANIZATION' : 'ORGANIZATION_UNUSED_ACCESS',
      configuration: unused === undefined ? undefined : { unusedAccess: { unusedAccessAge: unused } },
    });
    protect(this.analyzer, 'deleting an analyzer stops its analysis and discards its findings');
  }
}
