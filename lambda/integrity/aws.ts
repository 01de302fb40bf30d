/**
 * The AWS clients behind the verifier (the command, the Lambda functions and the generator of
 * rehearsal deliveries share them): S3 with path-style addressing whenever `AWS_ENDPOINT_URL`
 * points at an emulator, CloudTrail per region for its public keys, and the scheduled check's
 * queue, metrics and notifications.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createLimiter } from './limit';
import { cloudTrailPublicKeys, type PublicKeySource } from './public-keys';

/** Whether the SDK is pointed at an emulator (its own `AWS_ENDPOINT_URL` setting). */
export function usesEmulator(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.AWS_ENDPOINT_URL);
}

/**
 * An S3 client for the archive: keep-alive sockets as many as reads in flight, path-style behind
 * an emulator (which serves no bucket host names), and redirects to the bucket's region followed.
 */
export function s3Client(region: string, sockets: number, env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({
    region: env.AWS_REGION ?? region,
    // an environment given explicitly (not the process's, which the SDK reads itself) says where and as whom
    ...(env === process.env ? {} : explicitEndpoint(env)),
    forcePathStyle: usesEmulator(env),
    followRegionRedirects: true,
    requestHandler: {
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: sockets }),
    },
  });
}

function explicitEndpoint(env: NodeJS.ProcessEnv) {
  const { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, sessionToken } } : {}),
  };
}

/** Public keys from ListPublicKeys in each region (CloudTrail's keys are regional). */
export function listedPublicKeys(): PublicKeySource {
  const clients = new Map<string, CloudTrailClient>();
  return cloudTrailPublicKeys((region) => {
    let client = clients.get(region);
    if (!client) {
      client = new CloudTrailClient({ region });
      clients.set(region, client);
    }
    return client;
  });
}

/**
 * Sends messages to a queue, ten to a batch (SendMessageBatch's limit), ten batches at once; fails
 * on any entry SQS refuses.
 */
export function queueSender(sqs: SQSClient, queueUrl: string): (bodies: readonly string[]) => Promise<void> {
  return async (bodies) => {
    const limit = createLimiter(10);
    const batches = Array.from({ length: Math.ceil(bodies.length / 10) }, (_, i) => bodies.slice(i * 10, i * 10 + 10));
    await Promise.all(
      batches.map((batch) =>
        limit(async () => {
          const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch.map((body, j) => ({ Id: String(j), MessageBody: body })) }));
          if (result.Failed?.length) throw new Error(`SQS refused ${result.Failed.length} messages: ${result.Failed.map((f) => f.Message ?? f.Code).join('; ')}`);
        }),
      ),
    );
  };
}

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: StandardUnit;
}

/** Puts metrics without dimensions into the namespace (the alarms watch the sums). */
export function metricPutter(cloudwatch: CloudWatchClient, namespace: string): (metrics: readonly Metric[]) => Promise<void> {
  return async (metrics) => {
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: metrics.map((m) => ({ MetricName: m.name, Value: m.value, Unit: m.unit })) }));
  };
}

export function topicPublisher(sns: SNSClient, topicArn: string): (notification: { readonly subject: string; readonly message: string }) => Promise<void> {
  return async ({ subject, message }) => {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
  };
}

export { CloudWatchClient, SNSClient, SQSClient };
