/**
 * The security dashboard of the Audit account: every widget refers to a metric that a resource of
 * the landing zone creates, in the account and region that resource is in; every metric of another
 * account is shared with the Audit account by a link of that account, and the sink accepts links
 * from the organization only. The metrics are derived from the synthesized resources of every
 * stack, not from the panels, so a panel that names a metric nobody makes fails here.
 */
import { dashboardBody } from '../modules/analytics/security-dashboard';
import { sharedNamespaces } from '../modules/analytics/cross-account-metrics';
import { severityBandsFrom } from '../facts/guardduty';
import { exampleConfig, onlyResource, policyOf, resources, stackOf, synthLandingZone, type SynthesizedJson } from './helpers';

interface Located {
  readonly accountId: string;
  readonly region: string;
}

/** Where each provider alias of a stack points (the deployed target names the account). */
function providerLocations(stack: SynthesizedJson): Map<string, Located> {
  return new Map((stack.provider?.aws ?? []).map((p: any) => [`aws.${p.alias}`, { accountId: p.allowed_account_ids[0], region: p.region }]));
}

function metricKey(accountId: string, region: string, namespace: string, metricName: string, dimensions: Record<string, string>): string {
  return [accountId, region, namespace, metricName, ...Object.entries(dimensions).sort().map(([k, v]) => `${k}=${v}`)].join('|');
}

/** Every metric the landing zone's resources make CloudWatch publish, by the resource that causes it. */
function metricsTheLandingZoneCreates(stacks: Iterable<[string, SynthesizedJson]>): Set<string> {
  const known = new Set<string>();
  for (const [, stack] of stacks) {
    const where = providerLocations(stack);
    const add = (resource: Record<string, any>, namespace: string, names: string[], dimensions: Record<string, string> = {}) => {
      const at = where.get(resource.provider)!;
      for (const name of names) known.add(metricKey(at.accountId, at.region, namespace, name, dimensions));
    };
    for (const f of resources(stack, 'aws_cloudwatch_log_metric_filter')) add(f, f.metric_transformation.namespace, [f.metric_transformation.name]);
    for (const g of resources(stack, 'aws_cloudwatch_log_group')) add(g, 'AWS/Logs', ['IncomingLogEvents', 'IncomingBytes'], { LogGroupName: g.name });
    for (const m of resources(stack, 'aws_s3_bucket_metric')) {
      const [, bucket] = /^\$\{aws_s3_bucket\.([^.]+)\.id\}$/.exec(m.bucket)!;
      add(m, 'AWS/S3', ['PutRequests', 'AllRequests', 'BytesUploaded'], { BucketName: stack.resource!.aws_s3_bucket[bucket].bucket, FilterId: m.name });
    }
    // rules of the default bus only: those of another bus carry its name as a second dimension
    for (const r of resources(stack, 'aws_cloudwatch_event_rule').filter((r) => !r.event_bus_name)) add(r, 'AWS/Events', ['MatchedEvents', 'Invocations'], { RuleName: r.name });
    for (const f of resources(stack, 'aws_lambda_function')) add(f, 'AWS/Lambda', ['Invocations', 'Errors'], { FunctionName: f.function_name });
    for (const a of resources(stack, 'aws_cloudwatch_metric_alarm')) add(a, a.namespace, [a.metric_name], a.dimensions ?? {});
  }
  return known;
}

/** The metrics of a dashboard body: [namespace, name, dimension pairs..., options]. */
function widgetMetrics(body: { widgets: any[] }): Array<{ widget: string; key: string; accountId: string; region: string; namespace: string }> {
  return body.widgets.filter((w) => w.type === 'metric').flatMap((w) =>
    w.properties.metrics.map((m: any[]) => {
      const options = m[m.length - 1];
      const pairs = m.slice(2, -1);
      const dimensions = Object.fromEntries(Array.from({ length: pairs.length / 2 }, (_, i) => [pairs[2 * i], pairs[2 * i + 1]]));
      return { widget: w.properties.title, key: metricKey(options.accountId, options.region, m[0], m[1], dimensions), accountId: options.accountId, region: options.region, namespace: m[0] };
    }),
  );
}

describe('the security dashboard', () => {
  const stacks = synthLandingZone();
  const observability = stackOf(stacks, 'observability');
  const body = JSON.parse(onlyResource(observability, 'aws_cloudwatch_dashboard').dashboard_body);
  const metrics = widgetMetrics(body);

  test('lives in the Audit account, in the home region', () => {
    const dashboard = onlyResource(observability, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('acme-security');
    expect(providerLocations(observability).get(dashboard.provider)).toEqual({ accountId: '333333333333', region: 'eu-west-1' });
  });

  test('every widget refers to a metric that a resource of the landing zone creates, where that resource is', () => {
    const known = metricsTheLandingZoneCreates(stacks);
    expect(metrics.length).toBeGreaterThan(15);
    for (const m of metrics) expect({ widget: m.widget, metric: m.key, created: known.has(m.key) }).toEqual({ widget: m.widget, metric: m.key, created: true });
  });

  test('shows the state of every alarm on the trail, the CIS alarms and the landing zone\'s own, read as the alarm reads it, with its threshold', () => {
    const orgTrail = stackOf(stacks, 'org-trail');
    const alarms = resources(orgTrail, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => a.alarm_name)).toEqual(expect.arrayContaining(['acme-cis-root-usage', 'acme-guardduty-findings-silenced']));
    expect(alarms).toHaveLength(16);
    const cisWidgets = body.widgets.filter((w: any) => w.type === 'metric' && w.properties.title.startsWith('Alarms on the Organization trail'));
    expect(cisWidgets.map((w: any) => w.properties.view).sort()).toEqual(['singleValue', 'timeSeries']);
    for (const widget of cisWidgets) {
      const shown = widget.properties.metrics.map((m: any[]) => ({ metric: m[1], ...m[m.length - 1] }));
      expect(shown.map((m: any) => m.label).sort()).toEqual(alarms.map((a) => a.alarm_name).sort());
      for (const alarm of alarms) {
        const m = shown.find((s: any) => s.label === alarm.alarm_name);
        expect({ metric: m.metric, stat: m.stat, period: m.period }).toEqual({ metric: alarm.metric_name, stat: alarm.statistic, period: alarm.period });
      }
      expect(widget.properties.annotations.horizontal).toEqual([{ value: alarms[0].threshold, label: 'alarm' }]);
    }
  });

  test('counts routed GuardDuty findings by severity band, with every band the threshold lets through', () => {
    const [widget] = body.widgets.filter((w: any) => w.properties.title?.startsWith('GuardDuty findings routed'));
    expect(widget.properties.stacked).toBe(true);
    expect(widget.properties.metrics.map((m: any[]) => m[m.length - 1].label)).toEqual(['High (7-8.9)', 'Critical (9-10)']);
    const rules = resources(observability, 'aws_cloudwatch_event_rule');
    expect(Object.fromEntries(rules.map((r) => [r.name, JSON.parse(r.event_pattern).detail.severity]))).toEqual({
      'acme-routed-guardduty-high': [{ numeric: ['>=', 7, '<', 9] }],
      'acme-routed-guardduty-critical': [{ numeric: ['>=', 9] }],
    });
    expect(resources(observability, 'aws_cloudwatch_event_target').map((t) => t.arn)).toEqual(Array(2).fill(expect.stringMatching(/^\$\{aws_cloudwatch_log_group\./)));
  });

  test('every other account\'s metric is shared by a link of that account, of only the namespaces shown', () => {
    const where = providerLocations(observability);
    const links = resources(observability, 'aws_oam_link').map((l) => ({ ...where.get(l.provider)!, filter: l.link_configuration.metric_configuration.filter, types: l.resource_types }));
    const expected = sharedNamespaces(
      metrics.map((m) => ({ accountId: m.accountId, region: m.region, namespace: m.namespace, metricName: '', statistic: 'Sum', periodSeconds: 60, label: '' })),
      '333333333333',
      'eu-west-1',
    );
    expect([...expected.keys()].sort()).toEqual(['111111111111', '222222222222']);
    expect(links).toEqual(expect.arrayContaining([
      { accountId: '111111111111', region: 'eu-west-1', filter: "Namespace IN ('AWS/Logs', 'AuditLandingZone', 'CISBenchmark')", types: ['AWS::CloudWatch::Metric'] },
      { accountId: '222222222222', region: 'eu-west-1', filter: "Namespace IN ('AWS/S3', 'AWS/SQS', 'LogIntegrity')", types: ['AWS::CloudWatch::Metric'] },
    ]));
    expect(links).toHaveLength(2);
  });

  test('the sink accepts links of the organization\'s accounts only, sharing metrics only', () => {
    const policy = policyOf(onlyResource(observability, 'aws_oam_sink_policy'));
    expect(policy.Statement).toEqual([expect.objectContaining({
      Action: ['oam:CreateLink', 'oam:UpdateLink'],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-acme12ab34' }, 'ForAllValues:StringEquals': { 'oam:ResourceTypes': ['AWS::CloudWatch::Metric'] } },
    })]);
  });

  test('grows with regions, not with member accounts', () => {
    const many = synthLandingZone(exampleConfig((raw) => {
      raw.accounts.members = Array.from({ length: 300 }, (_, i) => ({ name: `member-${i}`, id: String(500000000000 + i) }));
    }));
    const count = (json: SynthesizedJson) => Object.values(json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    expect(count(stackOf(many, 'observability'))).toBe(count(observability));
  });

  test('the body lays two panels side by side under each heading', () => {
    const sections = [{ title: 'A', description: 'a', panels: [1, 2, 3].map((i) => ({ title: `p${i}`, metrics: [{ accountId: '1', region: 'r', namespace: 'N', metricName: 'M', statistic: 'Sum' as const, periodSeconds: 60, label: 'l' }] })) }];
    expect(dashboardBody('r', sections).widgets.map((w) => [w.type, w.x, w.y, w.width])).toEqual([
      ['text', 0, 0, 24], ['metric', 0, 2, 12], ['metric', 12, 2, 12], ['metric', 0, 8, 12],
    ]);
    expect(severityBandsFrom(4).map((b) => b.label)).toEqual(['Medium', 'High', 'Critical']);
  });
});
