import { exampleConfig, onlyResource, policyOf, resources, statement, synthStack } from './helpers';

const orgTrail = synthStack('org-trail');
const trail = onlyResource(orgTrail, 'aws_cloudtrail');

function selectorsFor(change: (raw: Record<string, any>) => void) {
  return onlyResource(synthStack('org-trail', exampleConfig(change)), 'aws_cloudtrail').advanced_event_selector;
}

describe('the Organization trail', () => {
  test('records every account and region, with global events and log file validation, and cannot be destroyed by Terraform', () => {
    expect(trail).toMatchObject({
      name: 'acme-organization-trail',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
      s3_bucket_name: 'acme-log-archive-222222222222-eu-west-1',
      lifecycle: { prevent_destroy: true },
    });
    expect(trail.s3_key_prefix).toBeUndefined();
  });

  test('encrypts with the archive key read from the log-archive state', () => {
    expect(trail.kms_key_id).toBe('${data.terraform_remote_state.state-of-log-archive.outputs.archive_key_arn}');
  });

  test('delivers to an encrypted CloudWatch Logs group through a role only this trail can assume', () => {
    const group = resources(orgTrail, 'aws_cloudwatch_log_group').find((g) => g.name === '/aws/cloudtrail/acme-organization-trail')!;
    expect(group).toMatchObject({ name: '/aws/cloudtrail/acme-organization-trail', retention_in_days: 365 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\.trail-logs-key.*\.arn/);
    expect(trail.cloud_watch_logs_group_arn).toMatch(/aws_cloudwatch_log_group\..*\.arn}:\*$/);
    const role = resources(orgTrail, 'aws_iam_role').find((r) => r.name === 'acme-cloudtrail-to-cloudwatch')!;
    const trust = statement(policyOf(role, 'assume_role_policy'), 'AssumedByService');
    expect(trust.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(trust.Condition).toEqual({ StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail' } });
    const write = statement(policyOf(resources(orgTrail, 'aws_iam_role_policy').find((p) => p.name === 'deliver-to-log-group')!), 'WriteTrailLogStreams');
    expect(write.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(write.Resource).toMatch(/:log-stream:\*$/);
  });

  test('lets CloudWatch Logs use the log group key only for the trail log group', () => {
    const key = resources(orgTrail, 'aws_kms_key').find((k) => k.description === 'Encrypts the Organization trail log group in CloudWatch Logs')!;
    expect(key.enable_key_rotation).toBe(true);
    const use = statement(policyOf(key), 'CloudWatchLogsEncryptsTheLogGroup');
    expect(use.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(use.Condition).toEqual({ ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/cloudtrail/acme-organization-trail' } });
  });

  test('turns on the configured Insights', () => {
    expect(trail.insight_selector).toEqual([{ insight_type: 'ApiCallRateInsight' }, { insight_type: 'ApiErrorRateInsight' }]);
    expect(onlyResource(synthStack('org-trail', exampleConfig((r) => (r.trail.insights = []))), 'aws_cloudtrail').insight_selector).toEqual([]);
  });
});

/** A data or management event as advanced event selectors see it. */
interface SelectedEvent {
  readonly eventCategory: 'Management' | 'Data';
  readonly 'resources.type'?: string;
  readonly 'resources.ARN'?: string;
  readonly readOnly?: 'true' | 'false';
  readonly eventName?: string;
}

/**
 * CloudTrail records an event when any selector matches; a selector matches when each of its field
 * conditions does; a condition's values are ORed, its negated operators must all hold.
 */
function recorded(selectors: any[], event: SelectedEvent): boolean {
  return selectors.some((selector) =>
    selector.field_selector.every((f: any) => {
      const value = (event as unknown as Record<string, string | undefined>)[f.field];
      if (value === undefined) return false;
      const any = (list: string[] | undefined, test: (v: string) => boolean) => list === undefined || list.some(test);
      const none = (list: string[] | undefined, test: (v: string) => boolean) => list === undefined || !list.some(test);
      return any(f.equals, (v) => value === v) && any(f.starts_with, (v) => value.startsWith(v)) &&
        none(f.not_equals, (v) => value === v) && none(f.not_starts_with, (v) => value.startsWith(v));
    }),
  );
}

describe('evidence access', () => {
  const archiveObject = 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/AWSLogs/o-acme12ab34/444444444441/CloudTrail/eu-west-1/2026/01/01/file.json.gz';
  const s3 = (eventName: string, readOnly: 'true' | 'false', arn = archiveObject): SelectedEvent => ({ eventCategory: 'Data', 'resources.type': 'AWS::S3::Object', 'resources.ARN': arn, readOnly, eventName });

  test.each([
    ['none', { mode: 'none' }],
    ['all-except-archive', { mode: 'all-except-archive' }],
    ['listed', { mode: 'listed', buckets: ['acme-payments-data'] }],
  ])('with S3 data events %s, every read and deletion of the archive is recorded', (_mode, s3DataEvents) => {
    const selectors = selectorsFor((r) => (r.trail.s3DataEvents = s3DataEvents));
    for (const [name, readOnly] of [['GetObject', 'true'], ['HeadObject', 'true'], ['DeleteObject', 'false'], ['DeleteObjects', 'false'], ['PutObjectRetention', 'false'], ['PutObjectLegalHold', 'false'], ['CopyObject', 'false']] as const) {
      expect({ name, recorded: recorded(selectors, s3(name, readOnly)) }).toEqual({ name, recorded: true });
    }
  });

  test("never the trail's own deliveries into the archive, which would record themselves without end", () => {
    for (const selectors of [trail.advanced_event_selector, selectorsFor((r) => (r.trail.s3DataEvents = { mode: 'none' }))]) {
      expect(recorded(selectors, s3('PutObject', 'false'))).toBe(false);
      expect(recorded(selectors, s3('PutObject', 'false', 'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/AWSLogs/o-acme12ab34/444444444441/CloudTrail-Digest/eu-west-1/2026/01/01/digest.json.gz'))).toBe(false);
    }
  });

  test('other buckets follow trail.s3DataEvents', () => {
    const other = s3('DeleteObject', 'false', 'arn:aws:s3:::acme-payments-data/report.csv');
    expect(recorded(selectorsFor((r) => (r.trail.s3DataEvents = { mode: 'none' })), other)).toBe(false);
    expect(recorded(trail.advanced_event_selector, other)).toBe(true);
    expect(recorded(trail.advanced_event_selector, s3('PutObject', 'false', 'arn:aws:s3:::acme-access-logs-222222222222-eu-west-1/s3-access-logs/x'))).toBe(false);
    expect(recorded(trail.advanced_event_selector, { eventCategory: 'Management', eventName: 'PutBucketPolicy' })).toBe(true);
  });
});

describe('event selectors', () => {
  const management = { name: 'All management events', field_selector: [{ field: 'eventCategory', equals: ['Management'] }] };
  const archiveObjects = [
    { field: 'eventCategory', equals: ['Data'] },
    { field: 'resources.type', equals: ['AWS::S3::Object'] },
  ];
  const archive = { field: 'resources.ARN', starts_with: ['arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/'] };
  const evidence = [
    { name: 'Reads of the evidence', field_selector: [...archiveObjects, { field: 'readOnly', equals: ['true'] }, archive] },
    { name: 'Deletions and changes of the evidence', field_selector: [...archiveObjects, { field: 'readOnly', equals: ['false'] }, archive, { field: 'eventName', not_equals: ['PutObject'] }] },
  ];

  test('record S3 object events of every bucket except the archive, its access logs, the Config bucket and Security Lake', () => {
    expect(trail.advanced_event_selector).toEqual([
      management,
      ...evidence,
      {
        name: 'S3 object events outside the log archive',
        field_selector: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
          {
            field: 'resources.ARN',
            not_starts_with: [
              'arn:aws:s3:::acme-log-archive-222222222222-eu-west-1/',
              'arn:aws:s3:::acme-access-logs-222222222222-eu-west-1/',
              'arn:aws:s3:::acme-config-222222222222-eu-west-1/',
              'arn:aws:s3:::aws-security-data-lake-',
            ],
          },
        ],
      },
    ]);
  });

  test('record only management events and evidence access when S3 data events are off', () => {
    expect(selectorsFor((r) => (r.trail.s3DataEvents = { mode: 'none' }))).toEqual([management, ...evidence]);
  });

  test('record only the listed buckets when a list is given', () => {
    const selectors = selectorsFor((r) => (r.trail.s3DataEvents = { mode: 'listed', buckets: ['acme-payments-data', 'acme-exports'] }));
    expect(selectors[3].field_selector[2]).toEqual({ field: 'resources.ARN', starts_with: ['arn:aws:s3:::acme-payments-data/', 'arn:aws:s3:::acme-exports/'] });
  });
});
