/**
 * The digest-chain verification against moto_server's S3, with real cryptography: an RSA key,
 * log files and digest chains written exactly in CloudTrail's format, then `verify-logs` and the
 * scheduled check's handlers must accept the intact deliveries and name every tampering.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { metricPutter, queueSender, s3Client, topicPublisher } from '../../lambda/integrity/aws';
import { asDigestFile, type DigestFile, signatureVerifies, stringToSign } from '../../lambda/integrity/digest';
import { createPlanner, createVerifier, dayToVerify } from '../../lambda/integrity/handler';
import { digestKey, parseDigestKey, parseLogFileKey, type TrailLocation } from '../../lambda/integrity/layout';
import { createLimiter } from '../../lambda/integrity/limit';
import { publicKeysFromFiles } from '../../lambda/integrity/public-keys';
import { S3ObjectStore } from '../../lambda/integrity/store';
import type { VerificationReport } from '../../lambda/integrity/verify';
import { generateOrganization, generateSigningKey, publicKeyList, SCENARIOS, type ScenarioOutcome, type SigningKey } from '../../scripts/generate-trail';
import { freePort, type MotoServer, startMoto } from '../../scripts/moto';
import { runVerifyLogs } from '../../scripts/verify-logs';
import { REPOSITORY_ROOT } from '../helpers';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-integrity-'));
const BUCKET = 'acme-log-archive-222222222222-eu-west-1';
const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/acme-organization-trail';
const ORGANIZATION = 'o-acme12ab34';
const location: TrailLocation = { bucket: BUCKET, prefix: '', organizationId: ORGANIZATION, trailName: 'acme-organization-trail', homeRegion: 'eu-west-1' };
const accounts = ['111111111111', '222222222222', '333333333333', '444444444441'];
const regions = ['eu-west-1', 'us-east-1', 'eu-central-1'];
/** Eight hours of deliveries from here; the range verified leaves the first two and the last out. */
const DELIVERY_START = new Date('2026-11-01T00:00:00Z');
const RANGE = ['--start-time', '2026-11-01T02:00:00Z', '--end-time', '2026-11-01T07:00:00Z'];

const savedEnv = { ...process.env };
// started as the file loads: the emulator comes up and the key pair is made (on the thread pool) at once
const motoStarting = freePort().then((port) => startMoto(port, path.join(workDir, 'moto.log')));
const keyMaking = generateSigningKey();
for (const starting of [motoStarting, keyMaking]) starting.catch(() => undefined);
let moto: MotoServer;
let key: SigningKey;
let keysFile: string;
let outcomes: readonly ScenarioOutcome[];

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env } };
}

const common = ['--s3-bucket', BUCKET, '--organization-id', ORGANIZATION, '--trail-arn', TRAIL_ARN];

/** Runs a command to its end without blocking this process, which goes on with other tests meanwhile. */
function runCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function listLogKeys(target: { accountId: string; region: string }): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of new S3ObjectStore(s3Client('eu-west-1', 4)).listKeys(BUCKET, `AWSLogs/${ORGANIZATION}/${target.accountId}/CloudTrail/${target.region}/`)) keys.push(key);
  return keys;
}

beforeAll(async () => {
  [moto, key] = await Promise.all([motoStarting, keyMaking]);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'eu-west-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  keysFile = path.join(workDir, 'public-keys.json');
  fs.writeFileSync(keysFile, JSON.stringify(publicKeyList([key], DELIVERY_START, new Date('2026-12-31T00:00:00Z'))));
  const targets = accounts.flatMap((accountId) => regions.map((region) => ({ accountId, region })));
  ({ outcomes } = await generateOrganization({
    store: new S3ObjectStore(s3Client('eu-west-1', 16)),
    location,
    key,
    start: DELIVERY_START,
    hours: 8,
    targets,
    scenarios: SCENARIOS,
  }));
});

afterAll(async () => {
  jest.restoreAllMocks(); // the console, which the scheduled check's tests read
  (moto ?? (await motoStarting.catch(() => undefined)))?.stop();
  process.env = savedEnv;
  fs.rmSync(workDir, { recursive: true, force: true });
});

describe("CloudTrail's digest format, as AWS documents it", () => {
  test('digest keys of an Organization trail, with and without the backfill suffix', () => {
    const target = { accountId: '111122223333', region: 'us-east-2' };
    const docs = { ...location, organizationId: 'o-exampleorgid', trailName: 'your-trail-name', homeRegion: 'us-east-2' };
    const key = 'AWSLogs/o-exampleorgid/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz';
    expect(digestKey(docs, target, new Date('2015-08-17T15:01:31Z'))).toBe(key);
    expect(parseDigestKey(docs, target, key)).toEqual({ end: new Date('2015-08-17T15:01:31Z'), backfill: false });
    expect(parseDigestKey(docs, target, key.replace('.json.gz', '_backfill.json.gz'))).toEqual({ end: new Date('2015-08-17T15:01:31Z'), backfill: true });
    expect(parseDigestKey({ ...docs, trailName: 'other-trail' }, target, key)).toBeUndefined();
    expect(parseLogFileKey(target, 'AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1455Z_cR9ra7OH1eytWyeF.json.gz')).toEqual(new Date('2015-08-17T14:55:00Z'));
  });

  test('the string signed is end time, bucket/key, SHA-256 and previous signature ("null" for a chain\'s first)', () => {
    const digest = asDigestFile({
      awsAccountId: '111122223333',
      digestStartTime: '2015-08-17T14:01:31Z',
      digestEndTime: '2015-08-17T15:01:31Z',
      digestS3Bucket: 'amzn-s3-demo-bucket',
      digestS3Object: 'AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz',
      digestPublicKeyFingerprint: '31e8b5433410dfb61a9dc45cc65b22ff',
      digestSignatureAlgorithm: 'SHA256withRSA',
      previousDigestS3Bucket: null,
      previousDigestS3Object: null,
      previousDigestSignature: null,
      logFiles: [],
    })!;
    expect(stringToSign(digest, 'ab'.repeat(32))).toBe(
      `2015-08-17T15:01:31Z\namzn-s3-demo-bucket/${digest.digestS3Object}\n${'ab'.repeat(32)}\nnull`,
    );
    expect(stringToSign({ ...digest, previousDigestSignature: '5088' } as DigestFile, 'cd')).toMatch(/\ncd\n5088$/);
    expect(asDigestFile({ ...digest, digestS3Object: undefined })).toBeUndefined();
  });

  test('a signature made by OpenSSL (not this code) over that string verifies, and a changed byte does not', () => {
    // the file's signing key (an RSA 2048 key pair, as CloudTrail's), exported for OpenSSL
    const publicKey = createPublicKey(key.privateKey);
    const pem = path.join(workDir, 'openssl-key.pem');
    const data = path.join(workDir, 'to-sign.txt');
    fs.writeFileSync(pem, key.privateKey.export({ format: 'pem', type: 'pkcs8' }));
    const digest = asDigestFile({ awsAccountId: '1', digestStartTime: '2026-11-01T00:01:31Z', digestEndTime: '2026-11-01T01:01:31Z', digestS3Bucket: 'b', digestS3Object: 'k', digestPublicKeyFingerprint: 'f', previousDigestS3Bucket: 'b', previousDigestS3Object: 'p', previousDigestSignature: '00ff' })!;
    fs.writeFileSync(data, stringToSign(digest, 'ee'.repeat(32)));
    const signed = spawnSync('openssl', ['dgst', '-sha256', '-sign', pem, '-hex', data], { encoding: 'utf8' });
    const signature = signed.stdout.trim().split('= ').pop()!;
    expect(signature).toMatch(/^[0-9a-f]{512}$/);
    expect(signatureVerifies(publicKey, digest, 'ee'.repeat(32), signature)).toBe(true);
    expect(signatureVerifies(publicKey, digest, 'ef'.repeat(32), signature)).toBe(false);
    expect(signatureVerifies(publicKey, { ...digest, previousDigestSignature: '00fe' } as DigestFile, 'ee'.repeat(32), signature)).toBe(false);
  });
});

describe('npm run verify-logs', () => {
  let report: VerificationReport;
  let code: number;
  let out: string[];
  let command: ReturnType<typeof runCommand>;
  beforeAll(async () => {
    // the command in a process of its own (tsx compiles it there), while the report is made in this one
    command = runCommand(process.execPath, [require.resolve('tsx/cli'), path.join(REPOSITORY_ROOT, 'scripts', 'verify-logs.ts'), ...common, ...RANGE, '--account-id', '111111111111', '--region', 'eu-west-1', '--public-keys', keysFile], { ...process.env });
    command.catch(() => undefined);
    const run = io();
    const jsonFile = path.join(workDir, 'report.json');
    code = await runVerifyLogs([...common, ...RANGE, '--public-keys', `eu-west-1=${keysFile}`, '--public-keys', `us-east-1=${keysFile}`, '--public-keys', `eu-central-1=${keysFile}`, '--json', jsonFile], run.io);
    out = run.out;
    report = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  });

  const resultOf = (outcome: ScenarioOutcome) => report.results.find((r) => r.accountId === outcome.target.accountId && r.region === outcome.target.region)!;

  test('finds every account and region, and fails the range (exit 1)', () => {
    expect(report.results.map((r) => `${r.accountId}/${r.region}`)).toHaveLength(accounts.length * regions.length);
    expect(code).toBe(1);
    expect(report.status).toBe('failed');
    expect(out[out.length - 1]).toMatch(/^FAILED: /);
  });

  test.each(SCENARIOS.filter((s) => s !== 'gap' && s !== 'backfill'))('names the %s tampering, and the objects concerned', (scenario) => {
    const outcome = outcomes.find((o) => o.scenario === scenario)!;
    const result = resultOf(outcome);
    expect(result.status).toBe('failed');
    for (const expected of outcome.expect) {
      expect(result.findings).toContainEqual(expect.objectContaining({ kind: expected.kind, object: expected.object }));
      expect(out.join('\n')).toContain(expected.object);
    }
    // nothing else of the account and region is blamed
    expect(result.findings.filter((f) => !outcome.expect.some((e) => e.kind === f.kind) && f.kind !== 'log-unreferenced')).toEqual([]);
  });

  test('accepts the intact delivery and the backfill digest, and tells a gap from tampering', () => {
    const intact = resultOf(outcomes.find((o) => o.scenario === 'intact')!);
    expect(intact).toMatchObject({ status: 'intact', digests: 6, backfillDigests: 0, logFiles: 12, findings: [] });
    expect(intact.coverage).toEqual([{ from: '2026-11-01T02:00:00Z', to: '2026-11-01T07:00:00Z' }]);
    expect(resultOf(outcomes.find((o) => o.scenario === 'backfill')!)).toMatchObject({ status: 'intact', backfillDigests: 1, logFiles: 13, findings: [] });
    const gap = resultOf(outcomes.find((o) => o.scenario === 'gap')!);
    expect(gap.status).toBe('gaps');
    expect(gap.findings).toEqual([expect.objectContaining({ kind: 'gap', from: '2026-11-01T03:01:31Z', to: '2026-11-01T05:01:31Z', message: expect.stringContaining('4 log files delivered then no digest covers') })]);
  });

  test('an intact account and region exits 0 when run as the command, path-style against the emulator', async () => {
    const run = await command;
    expect(run.stderr).toMatch(/\[1\/1\] 111111111111 eu-west-1 +intact +6 digests, 12 log files/);
    expect(run.stdout).toMatch(/^INTACT: /m);
    expect(run.status).toBe(0);
  });

  test('a gap alone exits 1, or 0 with --allow-gaps', async () => {
    const gap = outcomes.find((o) => o.scenario === 'gap')!.target;
    const only = [...common, ...RANGE, '--account-id', gap.accountId, '--region', gap.region, '--public-keys', keysFile];
    expect(await runVerifyLogs(only, io().io)).toBe(1);
    expect(await runVerifyLogs([...only, '--allow-gaps'], io().io)).toBe(0);
  });

  test('an account and region asked for without any digest is a gap', async () => {
    const run = io();
    expect(await runVerifyLogs([...common, ...RANGE, '--account-id', '111111111111', '--region', 'ap-south-1', '--public-keys', keysFile], run.io)).toBe(1);
    expect(run.out.join('\n')).toMatch(/111111111111 +ap-south-1 +gaps/);
  });

  test('a range in which nothing was delivered (or a wrong organization id) verifies nothing, and does not pass', async () => {
    const later = io();
    expect(await runVerifyLogs([...common, '--start-time', '2026-11-20', '--end-time', '2026-11-21', '--public-keys', keysFile], later.io)).toBe(1);
    expect(later.out.join('\n')).toMatch(/12 account-regions \(0 failed, 0 unreadable, 0 with gaps, 0 intact, 12 without deliveries\)/);
    const wrong = io();
    expect(await runVerifyLogs(['--s3-bucket', BUCKET, '--organization-id', 'o-wrong12ab34', '--trail-arn', TRAIL_ARN, ...RANGE, '--public-keys', keysFile], wrong.io)).toBe(1);
    expect(wrong.out[wrong.out.length - 1]).toMatch(/^NOTHING VERIFIED: /);
  });

  test('usage errors exit 2 and list every problem at once', async () => {
    const run = io();
    expect(await runVerifyLogs(['--s3-bucket', BUCKET, '--start-time', 'yesterday', '--trail-arn', 'trail/x', '--account-id', '12', '--bogus', '--public-keys', '/nonexistent.json'], run.io)).toBe(2);
    const errors = run.err.filter((l) => l.startsWith('error: '));
    expect(errors).toEqual([
      'error: unknown option --bogus',
      'error: --organization-id is required, e.g. --organization-id o-acme12ab34',
      'error: --trail-arn trail/x is not a trail ARN: arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME',
      'error: --start-time yesterday is not an ISO 8601 time: write 2026-03-01 or 2026-03-01T00:00:00Z',
      'error: --account-id 12 is not an account id (12 digits)',
      expect.stringMatching(/^error: --public-keys \/nonexistent\.json: ENOENT/),
    ]);
  });

  test('a log file in an archive storage class is unreadable, not tampered with, and the range does not pass', async () => {
    const outcome = outcomes.find((o) => o.scenario === 'backfill')!;
    const [, , , logKey] = await listLogKeys(outcome.target);
    const s3 = s3Client('eu-west-1', 4);
    const body = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: logKey }))).Body!.transformToByteArray();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: logKey, Body: body, StorageClass: 'DEEP_ARCHIVE' }));
    const run = io();
    expect(await runVerifyLogs([...common, ...RANGE, '--account-id', outcome.target.accountId, '--region', outcome.target.region, '--public-keys', keysFile], run.io)).toBe(1);
    const text = run.out.join('\n');
    expect(text).toMatch(new RegExp(`${outcome.target.accountId} +${outcome.target.region} +unreadable`));
    expect(text).toMatch(new RegExp(`unreadable +s3://${BUCKET}/${logKey.replace(/\./g, '\\.')}\n +s3://\\S+ is in an archive storage class: restore it`));
    expect(text).toMatch(/^UNREADABLE: /m);
  });

  test('without --public-keys, reads the keys from CloudTrail ListPublicKeys in each region', async () => {
    const requests: Array<{ target: string; region: string; body: any }> = [];
    const server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const scope = /Credential=[^/]+\/\d+\/([a-z0-9-]+)\/cloudtrail\//.exec(request.headers.authorization ?? '');
        requests.push({ target: String(request.headers['x-amz-target']), region: scope?.[1] ?? '', body: JSON.parse(body) });
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        // the wire form of ListPublicKeys: times as epoch seconds, Value as base64 of the DER key
        response.end(JSON.stringify({ PublicKeyList: [{ Fingerprint: key.fingerprint, Value: key.publicKeyDer.toString('base64'), ValidityStartTime: 1761955200, ValidityEndTime: 1767139200 }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    process.env.AWS_ENDPOINT_URL_CLOUDTRAIL = `http://127.0.0.1:${port}`;
    try {
      const run = io();
      const jsonFile = path.join(workDir, 'listed-keys.json');
      const accountsAndRegions = ['111111111111', '222222222222', '333333333333'].flatMap((a) => ['--account-id', a]).concat('--region', 'eu-west-1', '--region', 'us-east-1');
      await runVerifyLogs([...common, ...RANGE, ...accountsAndRegions, '--json', jsonFile], run.io);
      const listed: VerificationReport = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
      // the keys verified the signatures: the untouched accounts and regions are intact
      expect(listed.results.find((r) => r.accountId === '111111111111' && r.region === 'eu-west-1')).toMatchObject({ status: 'intact', digests: 6 });
      expect(listed.results.find((r) => r.accountId === '111111111111' && r.region === 'us-east-1')!.findings.map((f) => f.kind)).toEqual(['log-modified']);
      // once per region for the six accounts and regions, each in its own region, up to now
      expect(requests.map((r) => r.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
      for (const r of requests) {
        expect(r.target).toBe('CloudTrail_20131101.ListPublicKeys');
        expect(r.body.StartTime).toBe(Date.parse('2026-10-31T02:00:00Z') / 1000);
        expect(Math.abs(r.body.EndTime * 1000 - Date.now())).toBeLessThan(120_000);
      }
    } finally {
      delete process.env.AWS_ENDPOINT_URL_CLOUDTRAIL;
      server.close();
    }
  });
});

describe('the scheduled check', () => {
  const rehearsal = { ...location, prefix: 'scheduled' };
  const day = '2026-11-01';
  let sqs: SQSClient;
  let work: string;
  let alarms: string;
  let dayOutcomes: readonly ScenarioOutcome[];

  const logged = { out: [] as string[], err: [] as string[] };
  beforeAll(async () => {
    // the handlers log a line per account and region, as in Lambda; kept here to be read
    jest.spyOn(console, 'log').mockImplementation((line: string) => void logged.out.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void logged.err.push(line));
    sqs = new SQSClient({});
    work = (await sqs.send(new CreateQueueCommand({ QueueName: 'log-integrity-work' }))).QueueUrl!;
    alarms = (await sqs.send(new CreateQueueCommand({ QueueName: 'alarm-topic-inbox' }))).QueueUrl!;
    const inboxArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: alarms, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn;
    const sns = new SNSClient({});
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'log-integrity-alarms' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: inboxArn, Attributes: { RawMessageDelivery: 'true' } }));
    process.env.TOPIC_ARN = topic;
    // a whole UTC day and an hour either side, for three accounts and regions
    ({ outcomes: dayOutcomes } = await generateOrganization({
      store: new S3ObjectStore(s3Client('eu-west-1', 16)),
      location: rehearsal,
      key,
      start: new Date('2026-10-31T22:00:00Z'),
      hours: 27,
      logFilesPerHour: 1,
      targets: [
        { accountId: '111111111111', region: 'eu-west-1' },
        { accountId: '111111111111', region: 'us-east-1' },
        { accountId: '222222222222', region: 'eu-west-1' },
      ],
      scenarios: ['log-modified', 'gap'],
    }));
  });

  async function receiveAll(queueUrl: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
      if (!Messages?.length) return bodies;
      bodies.push(...Messages.map((m) => m.Body!));
    }
  }

  test('verifies the day before today, unless a day is given', () => {
    expect(dayToVerify({}, new Date('2026-11-02T02:30:00Z'))).toEqual({ start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z') });
    expect(dayToVerify({ date: '2026-03-01' }, new Date())).toEqual({ start: new Date('2026-03-01T00:00:00Z'), end: new Date('2026-03-02T00:00:00Z') });
    expect(() => dayToVerify({ date: '1 March' }, new Date())).toThrow(/YYYY-MM-DD/);
  });

  test('the planner queues one message per account and region found or expected; the verifier puts metrics and names the objects', async () => {
    const store = new S3ObjectStore(s3Client('eu-west-1', 16));
    const plan = createPlanner({ store, location: rehearsal, expectedAccounts: ['111111111111'], expectedRegions: ['eu-west-1', 'ap-south-1'], enqueue: queueSender(sqs, work), now: () => new Date('2026-11-02T02:30:00Z') });
    expect(await plan({})).toEqual({ start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z', queued: 4 });
    const bodies = await receiveAll(work);
    expect(bodies.map((b) => JSON.parse(b)).sort((a, b) => `${a.accountId}${a.region}`.localeCompare(`${b.accountId}${b.region}`))).toEqual([
      { accountId: '111111111111', region: 'ap-south-1', expected: true, start: `${day}T00:00:00Z`, end: '2026-11-02T00:00:00Z' },
      { accountId: '111111111111', region: 'eu-west-1', expected: true, start: `${day}T00:00:00Z`, end: '2026-11-02T00:00:00Z' },
      { accountId: '111111111111', region: 'us-east-1', expected: false, start: `${day}T00:00:00Z`, end: '2026-11-02T00:00:00Z' },
      { accountId: '222222222222', region: 'eu-west-1', expected: false, start: `${day}T00:00:00Z`, end: '2026-11-02T00:00:00Z' },
    ]);

    const namespace = `LogIntegrity${Date.now()}`;
    const verify = createVerifier({
      store,
      location: rehearsal,
      publicKeys: publicKeysFromFiles([{ output: JSON.parse(fs.readFileSync(keysFile, 'utf8')) }]),
      putMetrics: metricPutter(new CloudWatchClient({}), namespace),
      notify: topicPublisher(new SNSClient({}), process.env.TOPIC_ARN!),
      notifyGaps: true,
      concurrency: 8,
    });
    const records = [...bodies, '{"not": "a request"}'].map((body, i) => ({ messageId: `m${i}`, body }));
    expect(await verify({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: `m${bodies.length}` }] });
    expect(logged.err).toContainEqual(`message m${bodies.length}: not a verification request: {"not": "a request"}`);
    expect(logged.out.map((l) => JSON.parse(l).status).sort()).toEqual(['failed', 'gaps', 'gaps', 'intact']);

    const sum = async (metric: string) => {
      const { Datapoints } = await new CloudWatchClient({}).send(new GetMetricStatisticsCommand({ Namespace: namespace, MetricName: metric, StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 3_600_000), Period: 7200, Statistics: ['Sum'] }));
      return Datapoints?.reduce((total, d) => total + (d.Sum ?? 0), 0);
    };
    expect(await sum('AccountRegionsVerified')).toBe(4);
    expect(await sum('Failures')).toBe(1);
    // the day's gap, and ap-south-1 of an expected account without any digest
    expect(await sum('Gaps')).toBe(2);
    expect(await sum('DigestsVerified')).toBe(25 + 25 + 23);

    const notifications = await receiveAll(alarms);
    const modified = dayOutcomes.find((o) => o.scenario === 'log-modified')!;
    const failure = notifications.find((n) => n.includes('integrity failure'))!;
    expect(failure).toContain(`account ${modified.target.accountId}, region ${modified.target.region}, from ${day}T00:00:00Z to 2026-11-02T00:00:00Z`);
    expect(failure).toContain(`log-modified: ${modified.expect[0].object}`);
    expect(notifications.filter((n) => n.includes('without digests'))).toHaveLength(2);
    expect(notifications).toHaveLength(3);
  });

  test('an account and region that cannot be read fails its message, so that SQS retries and dead-letters it', async () => {
    const verify = createVerifier({
      store: new S3ObjectStore(s3Client('eu-west-1', 4)),
      location: { ...rehearsal, bucket: 'no-such-archive-bucket' },
      publicKeys: publicKeysFromFiles([]),
      putMetrics: async () => {
        throw new Error('no metrics for an unread account and region');
      },
      notify: async () => {},
      notifyGaps: true,
    });
    const body = JSON.stringify({ accountId: '111111111111', region: 'eu-west-1', expected: true, start: `${day}T00:00:00Z`, end: '2026-11-02T00:00:00Z' });
    expect(await verify({ Records: [{ messageId: 'x', body }] })).toEqual({ batchItemFailures: [{ itemIdentifier: 'x' }] });
    expect(logged.err[logged.err.length - 1]).toMatch(/^message x: .*verification stopped: .*bucket does not exist/);
  });
});

test('the limiter never runs more than its bound, and runs everything', async () => {
  const limit = createLimiter(3);
  let running = 0;
  let highest = 0;
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      limit(async () => {
        running++;
        highest = Math.max(highest, running);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        running--;
        return i;
      }),
    ),
  );
  expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  expect(highest).toBe(3);
});
