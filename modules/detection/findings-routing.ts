/**
 * Routing of findings to people: a rule of the administrator account matches findings (GuardDuty's
 * in every region, at or above a severity; Security Hub's in its aggregation region); outside the
 * home region it forwards them to the home region's default event bus, where one rule publishes
 * them to one encrypted SNS topic, so that each subscriber confirms one subscription for the
 * whole organization.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { protect } from '../core/protection';
import { policyDocument, serviceAssumeRolePolicy } from '../core/policy-document';

/** The EventBridge pattern of GuardDuty findings whose severity is at least `minimumSeverity`. */
export function guarddutyFindingPattern(minimumSeverity: number): Record<string, unknown> {
  return {
    source: ['aws.guardduty'],
    'detail-type': ['GuardDuty Finding'],
    detail: { severity: [{ numeric: ['>=', minimumSeverity] }] },
  };
}

/** Where a region's rule sends what it matches. */
export type FindingsTarget =
  | { readonly kind: 'topic'; readonly topicArn: string }
  | {
      readonly kind: 'event-bus';
      /** The home region's default event bus of the same account. */
      readonly eventBusArn: string;
      /** Role EventBridge assumes to put the events there; created here. */
      readonly roleName: string;
    };

export interface FindingsRuleProps {
  /** The administrator account in the rule's region. */
  readonly provider: AwsProvider;
  readonly ruleName: string;
  /** The rule's own ARN, as the forwarding role's trust names it. */
  readonly ruleArn: string;
  /** Says which findings the rule routes. */
  readonly description: string;
  /** The EventBridge pattern of the findings routed, e.g. guarddutyFindingPattern(7). */
  readonly eventPattern: Record<string, unknown>;
  readonly target: FindingsTarget;
}

export class FindingsRule extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;

  constructor(scope: Construct, id: string, props: FindingsRuleProps) {
    super(scope, id);
    const provider = props.provider;
    this.rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName,
      description: props.description,
      eventPattern: JSON.stringify(props.eventPattern),
    });
    protect(this.rule, `the rule routes ${props.description} to the findings topic; without it nobody is told`);
    if (props.target.kind === 'topic') {
      this.target = new CloudwatchEventTarget(this, 'to-topic', {
        provider,
        rule: this.rule.name,
        targetId: 'findings-topic',
        arn: props.target.topicArn,
      });
      return;
    }
    const role = new IamRole(this, 'forwarder-role', {
      provider,
      name: props.target.roleName,
      description: `EventBridge forwards what rule ${props.ruleName} matches to the home region`,
      assumeRolePolicy: serviceAssumeRolePolicy('events.amazonaws.com', props.ruleArn),
    });
    new IamRolePolicy(this, 'forwarder-policy', {
      provider,
      role: role.name,
      name: 'put-events-on-home-bus',
      policy: policyDocument([
        { Sid: 'PutEventsOnHomeBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.target.eventBusArn },
      ]),
    });
    this.target = new CloudwatchEventTarget(this, 'to-home-bus', {
      provider,
      rule: this.rule.name,
      targetId: 'home-region-bus',
      arn: props.target.eventBusArn,
      roleArn: role.arn,
    });
  }
}
