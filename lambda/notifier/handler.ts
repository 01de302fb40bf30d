/**
 * The notifier's handler, apart from the AWS SDK: decodes a CloudWatch Logs subscription payload
 * (base64 of gzipped JSON whose log events are CloudTrail records) and publishes one notification
 * per record a person or workload made, through the publisher it is given. Calls AWS services
 * make on their own or on someone's behalf are left out: they would flood the topic.
 */
import { gunzipSync } from 'node:zlib';
import { type CloudTrailRecord, isServiceInitiated, type Notification, type NotificationOptions, notificationOf } from './format';

/** What CloudWatch Logs passes to a subscribed function. */
export interface SubscriptionEvent {
  readonly awslogs: { readonly data: string };
}

/** The decoded payload (`messageType` is CONTROL_MESSAGE for the check CloudWatch Logs sends when the filter is created). */
export interface SubscriptionPayload {
  readonly messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  readonly owner: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly subscriptionFilters: readonly string[];
  readonly logEvents: ReadonlyArray<{ readonly id: string; readonly timestamp: number; readonly message: string }>;
}

export type Publish = (notification: Notification) => Promise<void>;

export function decodePayload(event: SubscriptionEvent): SubscriptionPayload {
  return JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as SubscriptionPayload;
}

/** The CloudTrail records of a payload; none for a control message. */
export function recordsOf(payload: SubscriptionPayload): CloudTrailRecord[] {
  if (payload.messageType !== 'DATA_MESSAGE') return [];
  return payload.logEvents.map((e) => JSON.parse(e.message) as CloudTrailRecord);
}

/**
 * A handler that publishes every record of the payload that no AWS service initiated. A failed
 * publish fails the invocation, so Lambda retries it and finally sends it to the dead-letter queue.
 */
export function createHandler(publish: Publish, options: NotificationOptions): (event: SubscriptionEvent) => Promise<{ published: number; serviceInitiated: number }> {
  return async (event) => {
    const records = recordsOf(decodePayload(event));
    const notified = records.filter((r) => !isServiceInitiated(r));
    for (const record of notified) await publish(notificationOf(record, options));
    return { published: notified.length, serviceInitiated: records.length - notified.length };
  };
}
