/**
 * The retention of the centralized copies, the function against moto_server's CloudWatch Logs:
 * copies without retention or with another get the configured one, nothing outside the prefix is
 * touched, every page is read; and the bundle as Lambda runs it. The construct, the stack and the
 * config: __tests__/centralized-log-retention.test.ts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { CENTRALIZED_LOG_GROUP_PREFIX, centralizedLogGroupName } from '../../facts/log-collection';
import { bundleFunction } from '../../lambda/bundle';
import { sweepLogLines, sweepRetention, type SweepOptions } from '../../lambda/centralized-log-retention/sweep';
import { freePort, type MotoServer, startMoto } from '../../scripts/moto';
import { REPOSITORY_ROOT } from '../helpers';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'centralized-retention-'));
const REGION = 'eu-west-1';
let moto: MotoServer;
let logs: CloudWatchLogsClient;

const savedEnv = { ...process.env };
// started as the file loads, so that the emulator comes up while the rest of the file loads
const motoStarting = freePort().then((port) => startMoto(port, path.join(workDir, 'moto.log')));
motoStarting.catch(() => undefined);

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  moto = await motoStarting;
  logs = new CloudWatchLogsClient({ region: REGION, endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
});

afterAll(async () => {
  (moto ?? (await motoStarting.catch(() => undefined)))?.stop();
  process.env = savedEnv;
  fs.rmSync(workDir, { recursive: true, force: true });
});

async function createGroup(name: string, retentionInDays?: number): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (retentionInDays !== undefined) await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays }));
}

/** Every log group of the emulated account and region, by name, with its retention (undefined: none). */
async function retentions(prefix?: string): Promise<Record<string, number | undefined>> {
  const found: LogGroup[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, nextToken }));
    found.push(...(page.logGroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return Object.fromEntries(found.map((g) => [g.logGroupName!, g.retentionInDays]));
}

/** A client that counts the pages it was asked for. */
function counting(client: CloudWatchLogsClient): { logs: SweepOptions['logs']; pages: () => number } {
  let pages = 0;
  return {
    logs: {
      send: ((command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'DescribeLogGroupsCommand') pages += 1;
        return client.send(command as never);
      }) as SweepOptions['logs']['send'],
    },
    pages: () => pages,
  };
}

describe('the function, against the emulator\'s CloudWatch Logs', () => {
  const orders = centralizedLogGroupName({ accountId: '444444444441', region: 'eu-west-1', logGroup: '/aws/lambda/orders' });
  const web = centralizedLogGroupName({ accountId: '444444444442', region: 'us-east-1', logGroup: '/ecs/web' });
  const kept = centralizedLogGroupName({ accountId: '444444444443', region: 'eu-central-1', logGroup: '/acme/billing' });
  const outside = ['/aws/lambda/acme-collected-log-retention', '/aws/lambda/orders', 'collected-elsewhere/x', 'Collected/444444444441/eu-west-1/aws/lambda/orders'];

  beforeAll(async () => {
    await createGroup(orders);
    await createGroup(web, 3653);
    await createGroup(kept, 90);
    for (const name of outside) await createGroup(name, name.startsWith('/aws/lambda/acme') ? 30 : undefined);
  });

  test('sets the retention on copies without one and with another, and leaves the rest alone', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 90 });
    expect(report).toMatchObject({ prefix: 'collected/', retentionDays: 90, examined: 3, vanished: [], failed: [], complete: true });
    expect(report.changed).toEqual([
      { logGroupName: 'collected/444444444441/eu-west-1/aws/lambda/orders', previousRetentionDays: null },
      { logGroupName: 'collected/444444444442/us-east-1/ecs/web', previousRetentionDays: 3653 },
    ]);
    const now = await retentions();
    expect([orders, web, kept].map((g) => now[g])).toEqual([90, 90, 90]);
    expect(Object.fromEntries(outside.map((g) => [g, now[g]]))).toEqual({
      '/aws/lambda/acme-collected-log-retention': 30,
      '/aws/lambda/orders': undefined,
      'collected-elsewhere/x': undefined,
      'Collected/444444444441/eu-west-1/aws/lambda/orders': undefined,
    });
    expect(sweepLogLines(report)).toEqual([
      '3 log groups under collected/: 2 set to 90 days',
      'set collected/444444444441/eu-west-1/aws/lambda/orders: no retention -> 90 days',
      'set collected/444444444442/us-east-1/ecs/web: 3653 days -> 90 days',
    ]);
  });

  test('a second run finds nothing to change', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 90 });
    expect(report).toMatchObject({ examined: 3, changed: [] });
  });

  test('reads every page: 55 new copies over two pages of 50, and over pages of 7', async () => {
    const many = Array.from({ length: 55 }, (_, i) => `collected/555555555555/eu-west-1/aws/lambda/fn-${String(i).padStart(2, '0')}`);
    // made at once (the emulator lists log groups by name, as CloudWatch Logs does, whatever their order)
    await Promise.all(many.map((name) => createGroup(name, Number(name.slice(-2)) % 2 === 0 ? undefined : 14)));
    const big = counting(logs);
    const first = await sweepRetention({ logs: big.logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 365 });
    expect(big.pages()).toBe(2);
    expect(first.examined).toBe(58);
    expect(first.changed).toHaveLength(58);
    expect(Object.values(await retentions(CENTRALIZED_LOG_GROUP_PREFIX))).toEqual(Array(58).fill(365));

    const small = counting(logs);
    const second = await sweepRetention({ logs: small.logs, prefix: 'collected/555555555555/', retentionDays: 30, pageSize: 7 });
    expect(small.pages()).toBe(8);
    expect(second).toMatchObject({ examined: 55, complete: true });
    expect(second.changed.map((c) => c.logGroupName)).toEqual(many);
    const now = await retentions();
    expect(many.every((g) => now[g] === 30)).toBe(true);
    expect([orders, web, kept].map((g) => now[g])).toEqual([365, 365, 365]);
    expect(now['/aws/lambda/orders']).toBeUndefined();
  });

  test('stops before a page when the invocation is about to end, and says so', async () => {
    const report = await sweepRetention({ logs, prefix: CENTRALIZED_LOG_GROUP_PREFIX, retentionDays: 7, timeLeftMs: () => 5_000 });
    expect(report).toMatchObject({ examined: 0, changed: [], complete: false });
    expect(sweepLogLines(report)[0]).toMatch(/stopped before the end of the list to end in time; the next run goes on$/);
    expect((await retentions(CENTRALIZED_LOG_GROUP_PREFIX))[orders]).toBe(365);
  });

  test('refuses an empty prefix (every log group of the account) and a page DescribeLogGroups would refuse', async () => {
    await expect(sweepRetention({ logs, prefix: '', retentionDays: 90 })).rejects.toThrow(/the prefix is empty/);
    await expect(sweepRetention({ logs, prefix: 'collected/', retentionDays: 90, pageSize: 51 })).rejects.toThrow(/1-50 log groups a page/);
  });

  test('a copy deleted meanwhile is no failure; a refused call is, and is named', async () => {
    const page = { logGroups: [{ logGroupName: 'collected/a' }, { logGroupName: 'collected/b', retentionInDays: 1 }, { logGroupName: 'collected/c', retentionInDays: 90 }] };
    const named = (name: string, message: string) => Object.assign(new Error(message), { name });
    const stub: SweepOptions['logs'] = {
      send: (async (command: { input: { logGroupName?: string } }) => {
        if (command instanceof DescribeLogGroupsCommand) return page;
        if (command.input.logGroupName === 'collected/a') throw named('ResourceNotFoundException', 'The specified log group does not exist.');
        throw named('AccessDeniedException', 'not authorized to perform: logs:PutRetentionPolicy');
      }) as SweepOptions['logs']['send'],
    };
    const report = await sweepRetention({ logs: stub, prefix: 'collected/', retentionDays: 90 });
    expect(report).toMatchObject({ examined: 3, changed: [], vanished: ['collected/a'], failed: [{ logGroupName: 'collected/b', error: 'AccessDeniedException: not authorized to perform: logs:PutRetentionPolicy' }] });
    expect(sweepLogLines(report)).toEqual(['3 log groups under collected/: 0 set to 90 days; 1 deleted meanwhile; 1 failed', 'failed collected/b: AccessDeniedException: not authorized to perform: logs:PutRetentionPolicy']);
  });

  test('the bundle, run as Lambda runs it (the SDK from outside the bundle), sets the retention from its environment', () => {
    const dir = path.join(workDir, 'bundle');
    const unzip = spawnSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.namelist()); z.extractall(sys.argv[2])', bundleFunction('centralized-log-retention'), dir], { encoding: 'utf8' });
    expect(unzip.stdout.trim()).toBe("['index.js']");
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    expect(code).toContain('require("@aws-sdk/client-cloudwatch-logs")');
    expect(code).not.toMatch(/require\("\.\/sweep"\)/);
    const invoke = "require(process.argv[1]).handler({}, { getRemainingTimeInMillis: () => 900000 }).then((r) => console.log('REPORT ' + JSON.stringify({ examined: r.examined, changed: r.changed.length })), (e) => { console.error(e); process.exit(1); })";
    const run = spawnSync(process.execPath, ['-e', invoke, path.join(dir, 'index.js')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        // Lambda's runtime provides the SDK; here it comes from the repository's node_modules
        NODE_PATH: path.join(REPOSITORY_ROOT, 'node_modules'),
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_GROUP_PREFIX: 'collected/444444444441/',
        RETENTION_DAYS: '180',
      },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 log groups under collected/444444444441/: 1 set to 180 days');
    expect(run.stdout).toContain('set collected/444444444441/eu-west-1/aws/lambda/orders: 365 days -> 180 days');
    expect(run.stdout).toContain('REPORT {"examined":1,"changed":1}');
  });
});
