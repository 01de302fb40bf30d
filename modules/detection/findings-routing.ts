/**
 * Routing of GuardDuty findings to people: in every region a rule of the administrator account
 * matches findings at or above a severity; outside the home region it forwards them to the home
 * region's default event bus, where one rule publishes them to one encrypted SNS topic, so that
 * each subscriber confirms one subscription for the whole organization.
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
  /** Findings below this GuardDuty severity (1-10) are not routed. */
  readonly minimumSeverity: number;
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
      description: `GuardDuty findings of the organization with severity ${props.minimumSeverity} or more`,
      eventPattern: JSON.stringify(guarddutyFindingPattern(props.minimumSeverity)),
    });
    protect(this.rule, 'the rule routes serious GuardDuty findings to the findings topic; without it nobody is told');
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
      description: 'EventBridge forwards GuardDuty findings to the home region',
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
