/**
 * Lambda entry points of the scheduled check (one bundle, two functions): `plan` (started by
 * EventBridge Scheduler) and `verify` (fed by the queue). Their settings come from the
 * environment the construct sets; the AWS SDK v3 is the one the Node.js runtime provides.
 */
import { CloudWatchClient, listedPublicKeys, metricPutter, queueSender, s3Client, SNSClient, SQSClient, topicPublisher } from './aws';
import { createPlanner, createVerifier, type PlanEvent, type QueueEvent } from './handler';
import { parseTrailArn, type TrailLocation } from './layout';
import { S3ObjectStore } from './store';

/** Objects read at once by one verifier invocation (and its S3 sockets). */
const READS_IN_FLIGHT = 16;

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`the function's environment lacks ${name}`);
  return value;
}

function list(name: string): string[] {
  return (process.env[name] ?? '').split(',').filter(Boolean);
}

function trailLocation(): TrailLocation {
  const trail = parseTrailArn(setting('TRAIL_ARN'));
  if (!trail) throw new Error(`TRAIL_ARN is not a trail ARN: ${process.env.TRAIL_ARN}`);
  return { bucket: setting('ARCHIVE_BUCKET'), prefix: process.env.S3_PREFIX ?? '', organizationId: setting('ORGANIZATION_ID'), trailName: trail.name, homeRegion: trail.region };
}

let planner: ((event: PlanEvent) => Promise<unknown>) | undefined;
let verifier: ((event: QueueEvent) => Promise<unknown>) | undefined;

export const plan = (event: PlanEvent) => {
  const location = trailLocation();
  planner ??= createPlanner({
    store: new S3ObjectStore(s3Client(location.homeRegion, 16)),
    location,
    expectedAccounts: list('EXPECTED_ACCOUNTS'),
    expectedRegions: list('EXPECTED_REGIONS'),
    enqueue: queueSender(new SQSClient({}), setting('QUEUE_URL')),
  });
  return planner(event);
};

export const verify = (event: QueueEvent) => {
  const location = trailLocation();
  verifier ??= createVerifier({
    store: new S3ObjectStore(s3Client(location.homeRegion, READS_IN_FLIGHT)),
    location,
    publicKeys: listedPublicKeys(),
    putMetrics: metricPutter(new CloudWatchClient({}), setting('METRIC_NAMESPACE')),
    notify: topicPublisher(new SNSClient({}), setting('TOPIC_ARN')),
    notifyGaps: process.env.NOTIFY_GAPS === 'true',
    concurrency: READS_IN_FLIGHT,
  });
  return verifier(event);
};
