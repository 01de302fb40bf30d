/**
 * The organization-wide CloudWatch Logs centralization rule: AWS copies the chosen log groups of
 * every account and governed region into the Log Archive's home region, encrypted with the
 * collection key and named by a pattern, so that every copy lies under one prefix. Provider 5.100
 * has no resource for it, so it is a CloudFormation stack in the management account (which, or a
 * delegated administrator, alone may create it), whose template `centralizationRuleTemplate`
 * builds and the tests lint with cfn-lint.
 */
import { CloudformationStack } from '@cdktf/provider-aws/lib/cloudformation-stack';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { centralizationSelectionCriteria, LOG_GROUP_NAME_PATTERN, LOG_GROUP_NAME_PATTERN_MAX_LENGTH } from '../../facts/log-collection';
import { ACCEPTED, acceptCheckovFindings } from '../core/checkov';

export interface LogCentralizationRuleProps {
  readonly provider: AwsProvider;
  readonly stackName: string;
  readonly ruleName: string;
  readonly organizationId: string;
  /** Regions whose log groups are copied. */
  readonly sourceRegions: readonly string[];
  /** Log groups whose names start with one of these are copied. */
  readonly logGroupPrefixes: readonly string[];
  /** Log groups never copied, whatever their prefix (the landing zone's own). @default none */
  readonly excludedLogGroups?: readonly string[];
  /** Copy log groups encrypted with customer managed keys too. */
  readonly includeEncryptedLogGroups: boolean;
  readonly destination: {
    readonly accountId: string;
    readonly region: string;
    readonly kmsKeyArn: string;
    /**
     * How the copies are named: static text and AWS's variables (`${source.accountId}`,
     * `${source.region}`, `${source.logGroup}`, ...), as CloudFormation receives it.
     */
    readonly logGroupNamePattern: string;
  };
}

export type CentralizationRuleTemplateProps = Omit<LogCentralizationRuleProps, 'provider' | 'stackName'>;

/**
 * Terraform reads `${` in a string as interpolation: the pattern's variables are written `$${`,
 * which Terraform hands to CloudFormation as `${`. References to other resources (the key's ARN)
 * stay interpolations.
 */
export function escapeNamePatternVariables(templateBody: string): string {
  return templateBody.replace(/\$\{(?=source\.)/g, () => '$${');
}

/** The CloudFormation template of the rule (AWS::ObservabilityAdmin::OrganizationCentralizationRule), as CloudFormation receives it. */
export function centralizationRuleTemplate(p: CentralizationRuleTemplateProps): Record<string, unknown> {
  const pattern = p.destination.logGroupNamePattern;
  if (pattern.length < 1 || pattern.length > LOG_GROUP_NAME_PATTERN_MAX_LENGTH || !LOG_GROUP_NAME_PATTERN.test(pattern)) {
    throw new Error(`the log group name pattern ${JSON.stringify(pattern)} is not one a centralization rule accepts: 1-${LOG_GROUP_NAME_PATTERN_MAX_LENGTH} characters of [._-/#A-Za-z0-9] and variables such as \${source.logGroup}`);
  }
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Copies the chosen CloudWatch Logs log groups of every account and region into the Log Archive',
    Resources: {
      CentralizationRule: {
        Type: 'AWS::ObservabilityAdmin::OrganizationCentralizationRule',
        Properties: {
          RuleName: p.ruleName,
          Rule: {
            Source: {
              Regions: [...p.sourceRegions],
              Scope: `OrganizationId = '${p.organizationId}'`,
              SourceLogsConfiguration: {
                LogGroupSelectionCriteria: centralizationSelectionCriteria(p.logGroupPrefixes, p.excludedLogGroups ?? []),
                EncryptedLogGroupStrategy: p.includeEncryptedLogGroups ? 'ALLOW' : 'SKIP',
              },
            },
            Destination: {
              Account: p.destination.accountId,
              Region: p.destination.region,
              DestinationLogsConfiguration: {
                LogGroupNameConfiguration: { LogGroupNamePattern: pattern },
                LogsEncryptionConfiguration: {
                  EncryptionStrategy: 'CUSTOMER_MANAGED',
                  KmsKeyArn: p.destination.kmsKeyArn,
                  EncryptionConflictResolutionStrategy: 'ALLOW',
                },
              },
            },
          },
        },
      },
    },
    Outputs: { RuleArn: { Value: { 'Fn::GetAtt': ['CentralizationRule', 'RuleArn'] } } },
  };
}

export class LogCentralizationRule extends Construct {
  readonly stack: CloudformationStack;

  constructor(scope: Construct, id: string, props: LogCentralizationRuleProps) {
    super(scope, id);
    this.stack = new CloudformationStack(this, 'stack', {
      provider: props.provider,
      name: props.stackName,
      templateBody: escapeNamePatternVariables(JSON.stringify(centralizationRuleTemplate(props))),
      onFailure: 'ROLLBACK',
    });
    acceptCheckovFindings(this.stack, [ACCEPTED.centralizationStackWithoutSns]);
  }
}
