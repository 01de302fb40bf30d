/** Personal data in the logs: stores stay in the allowed regions, and requests elsewhere are refused. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REGION_DENY_EXEMPT_ACTIONS } from '../facts/region-deny';
import { SCP_MAX_CHARACTERS, scpSize } from '../modules/guardrails/guardrails';
import { regionDenyStatement } from '../modules/guardrails/region-deny';
import { policyDocument } from '../modules/core/policy-document';
import { logStoreOf, serviceLogGroupsOf, STORE_TYPES } from '../modules/core/log-store';
import { ALL_FEATURES_CONFIG_PATH, loadConfig } from '../config/loader';
import type { Config } from '../config/schema';
import { markdownRecord, processingRecord, readStacks, type StackJson, type StoreRecord } from '../scripts/processing-record';
import { markdownRecordDiff, RECORD_DIFF_MARKER, recordDiff } from '../scripts/record-diff';
import { synthesize } from '../scripts/synth';
import { exampleConfig, exampleInTwoRegions, resources, synthStack, TWO_REGIONS } from './helpers';
import { isDenied } from './support/scp';

describe('the region deny', () => {
  const policy = policyDocument([regionDenyStatement({ allowedRegions: ['eu-west-1', 'eu-central-1'], exemptRoleArnPattern: 'arn:aws:iam::*:role/landing-zone/audit-landing-zone-deployer' })]);
  const admin = 'arn:aws:iam::444444444441:role/Admin';
  const request = (action: string, region: string, principalArn = admin) => ({ action, resource: '*', principalArn, context: { 'aws:RequestedRegion': region } });

  test('refuses a regional service outside the allowed regions, for any principal but the deployment role', () => {
    expect(isDenied([policy], request('ec2:RunInstances', 'us-east-1'))).toBe(true);
    expect(isDenied([policy], request('s3:PutObject', 'ap-south-1'))).toBe(true);
    expect(isDenied([policy], request('logs:CreateLogGroup', 'us-west-2', 'arn:aws:iam::444444444441:role/OrganizationAccountAccessRole'))).toBe(true);
    expect(isDenied([policy], request('ec2:RunInstances', 'us-east-1', 'arn:aws:iam::444444444441:role/landing-zone/audit-landing-zone-deployer'))).toBe(false);
  });

  test('allows everything in the allowed regions', () => {
    expect(isDenied([policy], request('ec2:RunInstances', 'eu-west-1'))).toBe(false);
    expect(isDenied([policy], request('s3:GetObject', 'eu-central-1'))).toBe(false);
  });

  test('leaves the global services usable: their endpoints live in us-east-1 (or us-west-2)', () => {
    for (const action of ['iam:CreateRole', 'organizations:DescribeOrganization', 'sts:AssumeRole', 'support:CreateCase', 'route53:ChangeResourceRecordSets', 'cloudfront:CreateDistribution']) {
      expect({ action, denied: isDenied([policy], request(action, 'us-east-1')) }).toEqual({ action, denied: false });
    }
  });

  test('fits an SCP on its own, with room to spare', () => {
    expect(scpSize(policy)).toBeLessThan(SCP_MAX_CHARACTERS * 0.75);
    expect(new Set(REGION_DENY_EXEMPT_ACTIONS).size).toBe(REGION_DENY_EXEMPT_ACTIONS.length);
  });

  test('needs at least one allowed region', () => {
    expect(() => regionDenyStatement({ allowedRegions: [], exemptRoleArnPattern: 'arn:aws:iam::*:role/x' })).toThrow(/at least one allowed region/);
  });
});

/** The stacks as `cdktf synth` writes them (with the `"//"` comments that Testing.synth drops). */
function synthesized(config: Config): Map<string, StackJson> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'privacy-test-'));
  try {
    synthesize(config, { outdir, target: 'aws' });
    return readStacks(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

// in two regions: a store of each region is recorded as the home region's is
const example = synthesized(exampleInTwoRegions());
/** Every optional feature on: QuickSight, the SIEM feeds, load balancer logs, CloudTrail Lake. */
const allFeatures = synthesized(loadConfig(ALL_FEATURES_CONFIG_PATH));

describe('the record of processing, generated from the synthesized stacks', () => {
  const recordFor = (config?: Config) => processingRecord(config ? synthesized(config) : example);
  const archiveRow = (records: StoreRecord[]) => records.find((r) => r.name === 'acme-log-archive-222222222222-eu-west-1')!;

  test('names every store of log data with what it holds, where, for how long, under which key, and who reads it', () => {
    const records = recordFor();
    const archive = archiveRow(records);
    expect(archive).toMatchObject({ kind: 'S3 bucket', account: '222222222222', region: 'eu-west-1', encryption: 'KMS alias/acme-log-archive' });
    expect(archive.holds).toEqual(expect.arrayContaining(['cloudtrail', 'cloudtrail-digest']));
    expect(archive.personalData.join(' ')).toMatch(/sourceIPAddress/);
    expect(archive.retention).toMatch(/Object Lock COMPLIANCE 2557 d/);
    expect(archive.readers).toEqual(expect.arrayContaining([expect.stringContaining('role/acme-incident-responder (bucket policy)')]));
    const trailLogs = records.find((r) => r.name === '/aws/cloudtrail/acme-organization-trail');
    expect(trailLogs).toMatchObject({ kind: 'CloudWatch Logs group', account: '111111111111', retention: '365 d', encryption: 'KMS alias/acme-trail-logs' });
    expect(records.filter((r) => r.kind === 'Security Lake data lake').map((r) => r.region).sort()).toEqual([...TWO_REGIONS].sort());
  });

  test('names the centralized copies that the centralization rule makes outside Terraform, with the retention the function sets', () => {
    const copies = recordFor().find((r) => r.name === 'collected/*');
    expect(copies).toMatchObject({
      stack: 'log-collection',
      kind: 'CloudWatch Logs groups',
      holds: ['cloudwatch-logs'],
      account: '222222222222',
      region: 'eu-west-1',
      retention: '90 d, set on each by the acme-collected-log-retention function, rate(1 hour) (made by the organization\'s centralization rule acme-collect-log-groups)',
      encryption: 'KMS alias/acme-log-collection',
    });
    expect(copies!.personalData.join(' ')).toMatch(/e-mail and IP addresses/);
    expect(markdownRecord(recordFor(), 'test')).toContain('| CloudWatch Logs groups `collected/*` (log-collection) | cloudwatch-logs: ');
  });

  test('names what AWS Config delivers: in its bucket for the days it stays there, and in the archive, where it is replicated', () => {
    const records = recordFor();
    const configBucket = records.find((r) => r.name === 'acme-config-222222222222-eu-west-1')!;
    expect(configBucket).toMatchObject({ kind: 'S3 bucket', account: '222222222222', region: 'eu-west-1', holds: ['config-history'], encryption: 'KMS alias/acme-config-delivery' });
    expect(configBucket.retention).toMatch(/90 d/);
    expect(configBucket.personalData.join(' ')).toMatch(/IAM users/);
    expect(archiveRow(records).holds).toContain('config-history');
  });

  test('a new reader of the archive and a changed retention show in the record', () => {
    const changed = recordFor(exampleInTwoRegions((raw) => {
      raw.archive.readers = [...raw.archive.readers, 'arn:aws:iam::333333333333:role/acme-forensics'];
      raw.archive.objectLock.retentionDays = 3000;
      raw.logCollection.cloudWatchLogs.centralizedRetentionDays = 180;
    }));
    expect(changed.find((r) => r.name === 'collected/*')!.retention).toMatch(/^180 d, set on each by the acme-collected-log-retention function/);
    const before = archiveRow(recordFor());
    const after = archiveRow(changed);
    expect(after.readers.filter((r) => !before.readers.includes(r))).toEqual(
      expect.arrayContaining([expect.stringContaining('role/acme-forensics (bucket policy)'), expect.stringContaining('role/acme-forensics (key policy: decrypt)')]),
    );
    expect(before.retention).toMatch(/2557 d/);
    expect(after.retention).toMatch(/Object Lock COMPLIANCE 3000 d/);
  });

  test.each([['the example', example], ['the all-features example', allFeatures]])('every store in every stack of %s declares what it holds', (_label, stacks) => {
    for (const [stack, json] of stacks) {
      for (const type of STORE_TYPES) {
        for (const [id, values] of Object.entries(json.resource?.[type] ?? {})) {
          expect({ store: `${stack}: ${type}.${id}`, declared: logStoreOf(values) !== undefined }).toEqual({ store: `${stack}: ${type}.${id}`, declared: true });
        }
      }
    }
  });
});

describe('masking, in the record of processing', () => {
  const records = processingRecord(example);
  const named = (name: string, stack: string) => records.find((r) => r.name === name && r.stack === stack)!;

  test('says for each log group what is masked and who can unmask it: the SCP in the Log Archive, the account\'s own IAM in the management account', () => {
    const trail = named('/aws/cloudtrail/acme-organization-trail', 'org-trail');
    expect(trail.masked).toEqual(['AwsSecretKey', 'OpenSshPrivateKey', 'PgpPrivateKey', 'PkcsPrivateKey', 'PuttyPrivateKey', 'EmailAddress', 'IpAddress']);
    expect(trail.unmask).toEqual(['any principal of account 111111111111 whose own IAM policies allow logs:Unmask (no SCP binds it)']);
    const integrity = named('/aws/lambda/acme-log-integrity', 'integrity');
    expect(integrity.masked).toEqual(trail.masked);
    expect(integrity.unmask).toEqual(['arn:aws:iam::222222222222:role/acme-incident-responder (with logs:Unmask in its own policies; SCP acme-protect-audit-logging refuses everyone else)']);
    // the pipeline's log group: its own policy and the account-level one, which masks the centralized log groups too
    expect(named('/aws/kinesisfirehose/acme-collected-logs', 'log-collection').masked).toEqual(trail.masked);
    for (const r of records.filter((x) => x.kind === 'CloudWatch Logs group')) expect({ store: r.name, masked: r.masked.length > 0 }).toEqual({ store: r.name, masked: true });
    expect(records.find((r) => r.name === 'acme-log-archive-222222222222-eu-west-1')!.masked).toEqual([]);
    const markdown = markdownRecord(records, 'config/example.yaml');
    expect(markdown).toContain('| who can read it | masked | who can unmask |');
    expect(markdown).toMatch(/CloudWatch Logs group `\/aws\/cloudtrail\/acme-organization-trail` \(org-trail\).*\| AwsSecretKey, OpenSshPrivateKey, PgpPrivateKey, PkcsPrivateKey, PuttyPrivateKey, EmailAddress, IpAddress \| any principal of account 111111111111/);
  });

  test('with the guardrails off, nothing but IAM decides in the Log Archive either', () => {
    const off = processingRecord(synthesized(exampleInTwoRegions((raw) => (raw.guardrails.enabled = false))));
    expect(off.find((r) => r.name === '/aws/lambda/acme-log-integrity')!.unmask).toEqual(['any principal of account 222222222222 whose own IAM policies allow logs:Unmask (no SCP binds it)']);
  });
});

describe("the record's diff, shown in the pull request next to the plan review", () => {
  const head = processingRecord(synthesized(exampleInTwoRegions((raw) => {
    raw.archive.readers = [...raw.archive.readers, 'arn:aws:iam::333333333333:role/acme-forensics'];
    raw.trail.cloudWatchLogsRetentionDays = 400;
    raw.privacy = { masking: { identifiers: ['EmailAddress'], unmaskRoles: ['arn:aws:iam::222222222222:role/acme-forensics'] } };
    raw.logCollection.cloudWatchLogs.enabled = false;
    raw.logCollection.cloudTrailLake = { enabled: true };
  })));
  const base = processingRecord(example);
  const changes = recordDiff(base, head);
  const of = (store: string) => changes.find((c) => c.store.includes(store));

  test('names a new reader, a changed retention, what is no longer masked and who unmasks now', () => {
    expect(of('acme-log-archive-222222222222-eu-west-1')).toEqual({
      store: 'S3 bucket `acme-log-archive-222222222222-eu-west-1` (222222222222, eu-west-1)',
      change: 'changed',
      fields: [
        // with CloudWatch Logs no longer collected, S3 no longer replicates them into the archive
        { field: 'holds', added: [], removed: ['cloudwatch-logs'] },
        { field: 'personal data', added: [], removed: [expect.stringContaining('whatever the applications log')] },
        { field: 'who can read it', added: expect.arrayContaining([expect.stringContaining('role/acme-forensics (bucket policy)')]), removed: [] },
      ],
    });
    expect(of('/aws/cloudtrail/acme-organization-trail')!.fields).toEqual([
      { field: 'retention', before: '365 d', after: '400 d' },
      { field: 'masked', added: [], removed: ['IpAddress'] },
    ]);
    expect(of('/aws/lambda/acme-log-integrity')!.fields).toContainEqual({
      field: 'who can unmask',
      added: ['arn:aws:iam::222222222222:role/acme-forensics (with logs:Unmask in its own policies; SCP acme-protect-audit-logging refuses everyone else)'],
      removed: ['arn:aws:iam::222222222222:role/acme-incident-responder (with logs:Unmask in its own policies; SCP acme-protect-audit-logging refuses everyone else)'],
    });
  });

  test('names the stores that come and go', () => {
    expect(of('CloudTrail Lake event data store')).toMatchObject({ change: 'added', fields: [] });
    expect(of('/aws/kinesisfirehose/acme-collected-logs')).toMatchObject({ change: 'removed', fields: [] });
    expect(of('acme-log-staging-222222222222-eu-west-1')).toMatchObject({ change: 'removed' });
  });

  test('as markdown for the job summary and the comment; an unchanged record says so', () => {
    const markdown = markdownRecordDiff(changes, 'Compared the working tree with main.');
    expect(markdown.split('\n').slice(0, 2)).toEqual([RECORD_DIFF_MARKER, `## Record of processing: 1 store(s) added, 5 removed, ${changes.filter((c) => c.change === 'changed').length} changed`]);
    expect(markdown).toContain('| CloudWatch Logs group `/aws/cloudtrail/acme-organization-trail` (111111111111, eu-west-1) | changed | retention | 365 d → 400 d |');
    expect(markdown).toContain('| CloudWatch Logs group `/aws/cloudtrail/acme-organization-trail` (111111111111, eu-west-1) | changed | masked | − IpAddress |');
    expect(markdownRecordDiff(recordDiff(base, base), 'Same.')).toBe(`${RECORD_DIFF_MARKER}\n## Record of processing: unchanged\n\nSame. Who reads personal data, for how long, where, and what is masked (docs/gdpr.md).\n`);
  });
});

/**
 * Every store of log data ends: S3 deletes current versions (which also removes their expired
 * delete markers, AWS's "Managing delete markers") and noncurrent ones, no Object Lock outlives the
 * expiry, every log group has a retention, every lake expires its data. A store kept without end
 * says why in its declaration, which only the config's acknowledgement can put there.
 */
function storesWithoutEnd(stacks: ReadonlyMap<string, StackJson>): string[] {
  const problems: string[] = [];
  for (const [stack, json] of stacks) {
    const resources = json.resource ?? {};
    const of = (type: string) => Object.entries(resources[type] ?? {});
    const forBucket = (type: string, id: string, name: string) => of(type).filter(([, v]) => v.bucket === name || String(v.bucket).includes(`aws_s3_bucket.${id}.`)).map(([, v]) => v);
    for (const type of STORE_TYPES) {
      for (const [id, values] of of(type)) {
        const store = logStoreOf(values);
        if (!store || store.holds.length === 0 || ('keptWithoutEndBecause' in store && store.keptWithoutEndBecause)) continue;
        const at = `${stack}: ${type}.${id}`;
        if (type === 'aws_s3_bucket') {
          const rules = forBucket('aws_s3_bucket_lifecycle_configuration', id, values.bucket).flatMap((l) => l.rule ?? []).filter((r: any) => r.status === 'Enabled');
          const expiry = Math.min(...rules.flatMap((r: any) => (r.expiration ?? []).map((e: any) => e.days)).filter((d: unknown) => typeof d === 'number'));
          const versioned = forBucket('aws_s3_bucket_versioning', id, values.bucket).some((v) => v.versioning_configuration?.status === 'Enabled');
          const noncurrent = rules.some((r: any) => (r.noncurrent_version_expiration ?? []).some((n: any) => typeof n.noncurrent_days === 'number'));
          if (!Number.isFinite(expiry)) problems.push(`${at} never expires its current versions`);
          if (versioned && !noncurrent) problems.push(`${at} keeps noncurrent versions without end`);
          for (const lock of forBucket('aws_s3_bucket_object_lock_configuration', id, values.bucket)) {
            const days = lock.rule?.default_retention?.days;
            if (typeof days === 'number' && Number.isFinite(expiry) && days > expiry) problems.push(`${at} locks objects for ${days} days but claims to expire them after ${expiry}`);
          }
        } else if (type === 'aws_cloudwatch_log_group') {
          if (!values.retention_in_days) problems.push(`${at} sets no retention`);
        } else if (type === 'aws_securitylake_data_lake') {
          const days = values.configuration?.[0]?.lifecycle_configuration?.[0]?.expiration?.[0]?.days;
          if (typeof days !== 'number') problems.push(`${at} never expires its data`);
        } else if (type === 'aws_cloudtrail_event_data_store') {
          if (!values.retention_period) problems.push(`${at} sets no retention`);
        }
        // SQS keeps a message 14 days at most, Firehose buffers it for minutes: both end by design.
      }
    }
    // log groups a service makes outside Terraform: the resource that declares them gives them a retention
    for (const [type, byId] of Object.entries(resources)) {
      for (const [id, values] of Object.entries(byId)) {
        const groups = serviceLogGroupsOf(values);
        if (groups && !(typeof groups.retentionDays === 'number' && groups.retentionDays > 0)) problems.push(`${stack}: the log groups under ${groups.namePrefix} that ${type}.${id} declares get no retention`);
      }
    }
  }
  return problems;
}

describe('every store of log data ends', () => {
  test.each([['the example', example], ['the all-features example', allFeatures]])('in %s, every bucket, log group and lake deletes what it holds in the end', (_label, stacks) => {
    expect(storesWithoutEnd(stacks)).toEqual([]);
  });

  test('a bucket that keeps noncurrent versions, a log group without retention and a lake without expiry are named', () => {
    const broken = new Map<string, StackJson>([[
      'broken',
      {
        resource: {
          aws_s3_bucket: { b: { bucket: 'logs', '//': { logStore: { holds: ['cloudtrail'] } } } },
          aws_s3_bucket_versioning: { v: { bucket: '${aws_s3_bucket.b.id}', versioning_configuration: { status: 'Enabled' } } },
          aws_s3_bucket_lifecycle_configuration: { l: { bucket: '${aws_s3_bucket.b.id}', rule: [{ status: 'Enabled', expiration: [{ days: 30 }] }] } },
          aws_s3_bucket_object_lock_configuration: { o: { bucket: '${aws_s3_bucket.b.id}', rule: { default_retention: { mode: 'COMPLIANCE', days: 365 } } } },
          aws_cloudwatch_log_group: { g: { name: '/x', '//': { logStore: { holds: ['function-logs'] } } } },
          aws_securitylake_data_lake: { d: { configuration: [{ region: 'eu-west-1', lifecycle_configuration: [{}] }], '//': { logStore: { holds: ['security-lake-ocsf'] } } } },
          aws_lambda_function: { f: { function_name: 'f', '//': { serviceLogGroups: { holds: ['cloudwatch-logs'], namePrefix: 'copies/', madeBy: 'a rule', retentionSetBy: 'nobody', kmsKeyArn: 'k' } } } },
        },
      } as StackJson,
    ]]);
    expect(storesWithoutEnd(broken)).toEqual([
      'broken: aws_s3_bucket.b keeps noncurrent versions without end',
      'broken: aws_s3_bucket.b locks objects for 365 days but claims to expire them after 30',
      'broken: aws_cloudwatch_log_group.g sets no retention',
      'broken: aws_securitylake_data_lake.d never expires its data',
      'broken: the log groups under copies/ that aws_lambda_function.f declares get no retention',
    ]);
  });
});

describe('stores stay where the config allows', () => {
  test('with allowed regions set, every store of log data lies in one of them', () => {
    const allowed = ['eu-west-1', 'eu-central-1'];
    const config = exampleConfig((raw) => {
      raw.governedRegions = allowed;
      raw.privacy = { allowedRegions: allowed };
    });
    const records = processingRecord(synthesized(config));
    expect(records.length).toBeGreaterThan(5);
    for (const r of records) expect({ store: r.name, region: r.region, allowed: allowed.includes(r.region) }).toEqual({ store: r.name, region: r.region, allowed: true });
  });

  test('a home region or a Security Lake region outside them is refused, naming the field and the fix', () => {
    expect(() => exampleConfig((raw) => (raw.privacy = { allowedRegions: ['eu-central-1'] }))).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/homeRegion: eu-west-1 is not among privacy\.allowedRegions \(eu-central-1\)[\s\S]*securityLake\.enabled: Security Lake keeps a data lake in every governed region, and us-east-1, .* are not among privacy\.allowedRegions/),
      }),
    );
  });
});

describe('the region deny in the organization stack', () => {
  const scps = (config: Config) => resources(synthStack('organization', config), 'aws_organizations_policy');

  test('is on by default, denies every ungoverned region, and is attached with the other guardrails', () => {
    const regionDeny = scps(exampleConfig()).find((p) => p.name === 'acme-deny-ungoverned-regions');
    expect(regionDeny).toMatchObject({ type: 'SERVICE_CONTROL_POLICY' });
    const policy = JSON.parse(regionDeny!.content);
    expect(policy.Statement[0].Condition.StringNotEquals['aws:RequestedRegion']).toEqual(exampleConfig().governedRegions);
    expect(isDenied([regionDeny!.content], { action: 'ec2:RunInstances', resource: '*', principalArn: 'arn:aws:iam::444444444441:role/Admin', context: { 'aws:RequestedRegion': 'me-south-1' } })).toBe(true);
  });

  test('privacy.regionDeny: false leaves it out', () => {
    expect(scps(exampleConfig((raw) => (raw.privacy = { regionDeny: false }))).map((p) => p.name)).not.toContain('acme-deny-ungoverned-regions');
  });
});
