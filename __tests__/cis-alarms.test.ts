import * as fs from 'node:fs';
import * as path from 'node:path';
import { CIS_ALARMS } from '../facts/cis';
import { exampleConfig, policyOf, resources, statement, synthStack } from './helpers';
import { compileFilterPattern, matchesFilterPattern } from './support/filter-pattern';
import { SCANNER_EXPECTATIONS } from './support/scanner-patterns';

describe('the filter pattern evaluator', () => {
  const event = {
    eventName: 'ConsoleLogin',
    errorCode: 'Client.UnauthorizedOperation',
    userIdentity: { type: 'IAMUser', sessionContext: null },
    latency: 250,
    readOnly: false,
    items: [{ id: 'a' }, { id: 'b' }],
  };
  const matches = (pattern: string) => matchesFilterPattern(pattern, event);

  test('compares strings, quoted or not, with leading and trailing wildcards', () => {
    expect(matches('{ $.eventName = "ConsoleLogin" }')).toBe(true);
    expect(matches('{ $.eventName = ConsoleLogin }')).toBe(true);
    expect(matches('{ $.eventName = "consolelogin" }')).toBe(false);
    expect(matches('{ $.errorCode = "*UnauthorizedOperation" }')).toBe(true);
    expect(matches('{ $.errorCode = "Client.*" }')).toBe(true);
    expect(matches('{ $.errorCode = "AccessDenied*" }')).toBe(false);
    expect(matches('{ $.errorCode = "*Unauthorized*" }')).toBe(true);
    expect(matches('{ $.errorCode = "Client*Operation" }')).toBe(false);
    expect(matches('{ $.eventName = * }')).toBe(true);
    expect(matches('{ $.items[1].id = "b" }')).toBe(true);
  });

  test('!= and = never match an absent field, null, an object or an array', () => {
    expect(matches('{ $.eventName != "Other" }')).toBe(true);
    expect(matches('{ $.missing != "x" }')).toBe(false);
    expect(matches('{ $.missing = * }')).toBe(false);
    expect(matches('{ $.userIdentity.sessionContext != "x" }')).toBe(false);
    expect(matches('{ $.userIdentity != "x" }')).toBe(false);
    expect(matches('{ $.items != "x" }')).toBe(false);
  });

  test('tests presence, null and booleans', () => {
    expect(matches('{ $.userIdentity.invokedBy NOT EXISTS }')).toBe(true);
    expect(matches('{ $.userIdentity.type EXISTS }')).toBe(true);
    expect(matches('{ $.userIdentity.sessionContext EXISTS }')).toBe(true);
    expect(matches('{ $.userIdentity.sessionContext IS NULL }')).toBe(true);
    expect(matches('{ $.userIdentity.sessionContext NOT IS NULL }')).toBe(false);
    expect(matches('{ $.userIdentity.type NOT IS NULL }')).toBe(true);
    expect(matches('{ $.missing IS NULL }')).toBe(false);
    expect(matches('{ $.readOnly IS FALSE }')).toBe(true);
    expect(matches('{ $.readOnly IS TRUE }')).toBe(false);
  });

  test('compares numbers', () => {
    expect(matches('{ $.latency >= 250 }')).toBe(true);
    expect(matches('{ $.latency > 250 }')).toBe(false);
    expect(matches('{ $.latency < 1e3 }')).toBe(true);
    expect(matches('{ $.latency = 250 }')).toBe(true);
    expect(matches('{ $.latency != 250.0 }')).toBe(false);
    expect(matches('{ $.eventName > 1 }')).toBe(false);
  });

  test('binds && tighter than ||, and parentheses group (the documented examples)', () => {
    const doc = {
      user: { id: 1, email: 'John.Stiles@example.com' },
      users: [{ id: 2, email: 'John.Doe@example.com' }],
      actions: ['GET', 'PUT', 'DELETE'],
      coordinates: [[0, 1, 2], [4, 5, 6]],
    };
    expect(matchesFilterPattern('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', doc)).toBe(true);
    expect(matchesFilterPattern('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', doc)).toBe(false);
    expect(matchesFilterPattern('{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', doc)).toBe(true);
    expect(matchesFilterPattern('{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', doc)).toBe(false);
  });

  test('rejects what is not a JSON filter pattern', () => {
    expect(() => compileFilterPattern('$.eventName = x')).toThrow(/expected "\{"/);
    expect(() => compileFilterPattern('{ $.eventName = x')).toThrow(/expected "\}"/);
    expect(() => compileFilterPattern('{ ($.eventName = x }')).toThrow(/expected "\)"/);
    expect(() => compileFilterPattern('{ $.eventName ~ x }')).toThrow(/operator/);
    expect(() => compileFilterPattern('{ $.latency > "x" }')).toThrow(/number/);
  });
});

interface FixtureRecord {
  readonly source: string;
  readonly license: string;
  readonly why: string;
  readonly modified?: string;
  readonly expected: readonly string[];
  readonly event: Record<string, unknown>;
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'cis-filter-records.json'), 'utf8')) as {
  records: FixtureRecord[];
};

const orgTrail = synthStack('org-trail');
// the CIS controls' filters and alarms; the landing zone's own alarms are tested in landing-zone-alarms.test.ts
const isCis = (name: string) => name.startsWith('acme-cis-');
const filters = resources(orgTrail, 'aws_cloudwatch_log_metric_filter').filter((f) => isCis(f.name));
const alarms = resources(orgTrail, 'aws_cloudwatch_metric_alarm').filter((a) => isCis(a.alarm_name));

function filterOf(control: string): Record<string, any> {
  const found = filters.find((f) => f.name === `acme-cis-${control}`);
  if (!found) throw new Error(`no metric filter for ${control}`);
  return found;
}

const trips = (control: string, event: Record<string, unknown>) => matchesFilterPattern(filterOf(control).pattern, event);

describe('the CIS metric filters on the trail log group', () => {
  test('exist for every control by default, on the trail log group, counting 1 per match', () => {
    expect(filters.map((f) => f.name).sort()).toEqual(CIS_ALARMS.map((c) => `acme-cis-${c}`).sort());
    for (const filter of filters) {
      expect(filter.log_group_name).toMatch(/^\$\{aws_cloudwatch_log_group\.organization-trail_log-group_\w+\.name\}$/);
      expect(filter.metric_transformation).toMatchObject({ namespace: 'CISBenchmark', value: '1' });
    }
  });

  test('match exactly the controls each real record trips (true positives and near misses)', () => {
    const compiled = CIS_ALARMS.map((c) => [c, compileFilterPattern(filterOf(c).pattern)] as const);
    const mismatches = fixture.records.flatMap((record) => {
      const matched = compiled.filter(([, matches]) => matches(record.event)).map(([c]) => c).sort();
      const expected = [...record.expected].sort();
      return JSON.stringify(matched) === JSON.stringify(expected)
        ? []
        : [{ event: record.event.eventName, why: record.why, matched, expected }];
    });
    expect(mismatches).toEqual([]);
    const withoutPositive = CIS_ALARMS.filter((c) => !fixture.records.some((r) => r.expected.includes(c)));
    expect(withoutPositive).toEqual([]);
  });

  const byWhy = (why: RegExp) => {
    const found = fixture.records.filter((r) => why.test(r.why));
    if (found.length === 0) throw new Error(`no fixture record for ${why}`);
    return found;
  };

  test('a console sign-in with MFA, or of an SSO role, is not a sign-in without MFA', () => {
    for (const r of byWhy(/console sign-in with MFA|assumed role \(SSO\)|without MFAUsed/)) {
      expect({ why: r.why, trips: trips('console-signin-without-mfa', r.event) }).toEqual({ why: r.why, trips: false });
    }
  });

  test('root activity invoked by a service, or on a service event, is not root usage; root sign-in is', () => {
    for (const r of byWhy(/invoked by a service|AWS service event/)) expect(trips('root-usage', r.event)).toBe(false);
    for (const r of byWhy(/root console sign-in/)) expect(trips('root-usage', r.event)).toBe(true);
  });

  test('PutEventSelectors does not trip the canonical CloudTrail pattern, which lists only trail and logging changes', () => {
    const selectors = byWhy(/PutEventSelectors/);
    expect(selectors.length).toBeGreaterThanOrEqual(2);
    for (const r of selectors) expect(trips('cloudtrail-changes', r.event)).toBe(false);
    expect(filterOf('cloudtrail-changes').pattern).not.toContain('PutEventSelectors');
  });

  test('read-only Describe/Get/List calls trip none of the change filters', () => {
    const reads = fixture.records.filter((r) => /^(Describe|Get|List)/.test(String(r.event.eventName)) && !r.event.errorCode);
    expect(reads.length).toBeGreaterThanOrEqual(6);
    const changeFilters = CIS_ALARMS.filter((c) => !['root-usage', 'unauthorized-api-calls'].includes(c));
    for (const r of reads) {
      expect({ event: r.event.eventName, tripped: changeFilters.filter((c) => trips(c, r.event)) }).toEqual({ event: r.event.eventName, tripped: [] });
    }
  });

  test('a failed console sign-in trips the authentication-failure filter only with the errorMessage AWS writes', () => {
    expect(byWhy(/wrong password/).every((r) => trips('console-auth-failures', r.event))).toBe(true);
    expect(byWhy(/lacking the errorMessage/).some((r) => trips('console-auth-failures', r.event))).toBe(false);
  });
});

describe('the CIS metric filters as the scanners judge them', () => {
  test("match the regular expression of Prowler's CIS check", () => {
    const rejected = CIS_ALARMS.filter((c) => !SCANNER_EXPECTATIONS[c].prowler.test(filterOf(c).pattern));
    expect(rejected).toEqual([]);
  });

  test("are exactly Security Hub CSPM's documented CloudWatch.N pattern, which the control requires", () => {
    for (const c of CIS_ALARMS) {
      const documented = SCANNER_EXPECTATIONS[c].securityHub;
      if (documented) expect({ control: c, pattern: filterOf(c).pattern }).toEqual({ control: c, pattern: documented });
    }
  });

  test('count every event that the benchmark, Prowler or Security Hub names, from the service that emits it', () => {
    const missed = CIS_ALARMS.flatMap((c) => {
      const { events, eventSource } = SCANNER_EXPECTATIONS[c];
      return events.filter((eventName) => !trips(c, { eventSource, eventName, eventType: 'AwsApiCall' })).map((e) => `${c}: ${e}`);
    });
    expect(missed).toEqual([]);
  });

  test('where a scanner asks for the event source, the same event name from another service is not counted', () => {
    const withSource = CIS_ALARMS.filter((c) => SCANNER_EXPECTATIONS[c].sourceRequired);
    expect(withSource).toEqual(expect.arrayContaining(['iam-policy-changes', 'route-table-changes', 'organizations-changes']));
    for (const c of withSource) {
      const eventName = SCANNER_EXPECTATIONS[c].events[0];
      expect({ c, trips: trips(c, { eventSource: 'lookalike.amazonaws.com', eventName, eventType: 'AwsApiCall' }) }).toEqual({ c, trips: false });
    }
  });
});

describe('the CIS alarms', () => {
  test('alarm on one match in five minutes, treat no data as OK, and notify the alarm topic', () => {
    expect(alarms).toHaveLength(CIS_ALARMS.length);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        namespace: 'CISBenchmark',
        statistic: 'Sum',
        period: 300,
        evaluation_periods: 1,
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'notBreaching',
        alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.alarm-topic_\w+\.arn\}$/)],
      });
      const filter = filterOf(alarm.alarm_name.replace(/^acme-cis-/, ''));
      expect(alarm.metric_name).toBe(filter.metric_transformation.name);
    }
  });

  test('cover only the configured controls', () => {
    const json = synthStack('org-trail', exampleConfig((raw) => (raw.alarms = { controls: ['root-usage', 'organizations-changes'] })));
    expect(resources(json, 'aws_cloudwatch_metric_alarm').map((a) => a.alarm_name).filter(isCis).sort()).toEqual(['acme-cis-organizations-changes', 'acme-cis-root-usage']);
    expect(resources(json, 'aws_cloudwatch_log_metric_filter').filter((f) => isCis(f.name))).toHaveLength(2);
  });
});

describe('the alarm topic', () => {
  const topic = resources(orgTrail, 'aws_sns_topic').find((t) => t.name === 'acme-security-alarms')!;
  const topicKey = resources(orgTrail, 'aws_kms_key').find((k) => k.description === 'Encrypts the acme-security-alarms SNS topic');

  test('is encrypted with its own rotating key, which CloudWatch may use only for this topic', () => {
    expect(topic.name).toBe('acme-security-alarms');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.alarm-topic_key_\w+\.arn\}$/);
    expect(topicKey?.enable_key_rotation).toBe(true);
    const grant = statement(policyOf(topicKey!), 'PublisherUsesTheKeyForThisTopic');
    expect(grant.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(grant.Action).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(grant.Condition).toEqual({ StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:111111111111:acme-security-alarms' } });
  });

  test('lets only the CloudWatch alarms of the management account publish, over TLS', () => {
    const policy = policyOf(resources(orgTrail, 'aws_sns_topic_policy').find((p) => String(p.arn).includes('alarm-topic'))!);
    const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '111111111111' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:111111111111:alarm:acme-*' },
      },
    });
    expect(statement(policy, 'DenyInsecureTransport')).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
  });

  test('e-mails the configured addresses', () => {
    const subscriptions = resources(orgTrail, 'aws_sns_topic_subscription').filter((s) => String(s.topic_arn).includes('alarm-topic'));
    expect(subscriptions.map((s) => [s.protocol, s.endpoint])).toEqual([['email', 'security-alerts@acme.example']]);
  });
});
