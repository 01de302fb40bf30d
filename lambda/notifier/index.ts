/**
 * Lambda entry point: publishes to the topic named by `TOPIC_ARN` with the AWS SDK v3 that the
 * Node.js runtime provides (it is not bundled), with the detail and look-up places of
 * `NOTIFICATION_OPTIONS` (JSON, written by modules/detection/notifier.ts).
 */
import type { NotificationOptions } from './format';
import { createHandler } from './handler';

/** The slice of `@aws-sdk/client-sns` used here. */
interface SnsModule {
  SNSClient: new (config: object) => { send(command: unknown): Promise<unknown> };
  PublishCommand: new (input: { TopicArn: string; Subject: string; Message: string }) => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns') as SnsModule;
const sns = new SNSClient({});
const topicArn = process.env.TOPIC_ARN ?? '';
const options = JSON.parse(process.env.NOTIFICATION_OPTIONS ?? '{}') as NotificationOptions;
if (options.detail !== 'minimal' && options.detail !== 'full') throw new Error('NOTIFICATION_OPTIONS must name detail "minimal" or "full"');

export const handler = createHandler(async ({ subject, message }) => {
  await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: message }));
}, options);
