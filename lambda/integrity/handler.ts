/**
 * The scheduled check, apart from the AWS SDK: EventBridge Scheduler starts the planner every day;
 * it finds every account and region of the trail and queues one message per account and region
 * for the previous UTC day. The queue feeds the verifier function (bounded by the event source
 * mapping's maximum concurrency), which verifies one account and region per message, puts the
 * counts as CloudWatch metrics and, on a failure, publishes a message naming the objects.
 */
import type { Metric } from './aws';
import { isoSeconds, startOfDay, type TrailLocation } from './layout';
import { createLimiter } from './limit';
import type { PublicKeySource } from './public-keys';
import { notificationOf, type Notification } from './report';
import type { ObjectStore } from './store';
import { findTargets, isTampering, verifyAccountRegion, type VerificationTarget } from './verify';

/** One queued unit of work. */
export interface VerificationRequest extends VerificationTarget {
  readonly start: string;
  readonly end: string;
}

/** What the schedule sends (`{}`); `date` re-runs one UTC day by hand, e.g. `{"date": "2026-03-01"}`. */
export interface PlanEvent {
  readonly date?: string;
}

/** The UTC day to verify: the one given, or the one before today. */
export function dayToVerify(event: PlanEvent, now: Date): { readonly start: Date; readonly end: Date } {
  if (event.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(event.date)) throw new Error(`date must be a UTC day written YYYY-MM-DD, not ${JSON.stringify(event.date)}`);
  const start = event.date ? new Date(`${event.date}T00:00:00Z`) : new Date(startOfDay(now).getTime() - 86_400_000);
  if (Number.isNaN(start.getTime())) throw new Error(`date ${event.date} is not a day`);
  return { start, end: new Date(start.getTime() + 86_400_000) };
}

export interface PlannerDependencies {
  readonly store: ObjectStore;
  readonly location: TrailLocation;
  /** Accounts whose digests must exist in the expected regions (management, Log Archive, Audit). */
  readonly expectedAccounts: readonly string[];
  /** The governed regions. */
  readonly expectedRegions: readonly string[];
  readonly enqueue: (bodies: readonly string[]) => Promise<void>;
  readonly now?: () => Date;
}

export function createPlanner(deps: PlannerDependencies): (event: PlanEvent) => Promise<{ readonly start: string; readonly end: string; readonly queued: number }> {
  return async (event) => {
    const { start, end } = dayToVerify(event ?? {}, deps.now?.() ?? new Date());
    const targets = await findTargets(deps.store, deps.location, { expectedAccounts: deps.expectedAccounts, expectedRegions: deps.expectedRegions }, createLimiter(16));
    const requests: VerificationRequest[] = targets.map((t) => ({ ...t, start: isoSeconds(start), end: isoSeconds(end) }));
    await deps.enqueue(requests.map((r) => JSON.stringify(r)));
    return { start: isoSeconds(start), end: isoSeconds(end), queued: requests.length };
  };
}

/** The part of an SQS event the verifier reads. */
export interface QueueEvent {
  readonly Records: ReadonlyArray<{ readonly messageId: string; readonly body: string }>;
}

export interface VerifierDependencies {
  readonly store: ObjectStore;
  readonly location: TrailLocation;
  readonly publicKeys: PublicKeySource;
  readonly putMetrics: (metrics: readonly Metric[]) => Promise<void>;
  readonly notify: (notification: Notification) => Promise<void>;
  /** Also notify periods without digests (config `integrity.alarm.onGaps`). */
  readonly notifyGaps: boolean;
  /** Objects read at once within one invocation. @default 16 */
  readonly concurrency?: number;
  readonly now?: () => Date;
}

function parseRequest(body: string): VerificationRequest {
  const request = JSON.parse(body) as Partial<VerificationRequest>;
  const ok =
    typeof request.accountId === 'string' && /^\d{12}$/.test(request.accountId) &&
    typeof request.region === 'string' && typeof request.expected === 'boolean' &&
    typeof request.start === 'string' && !Number.isNaN(Date.parse(request.start)) &&
    typeof request.end === 'string' && !Number.isNaN(Date.parse(request.end));
  if (!ok) throw new Error(`not a verification request: ${body.slice(0, 200)}`);
  return request as VerificationRequest;
}

/**
 * A handler for SQS batches (with ReportBatchItemFailures): a message whose account and region
 * could not be read is returned as failed, so SQS delivers it again and finally dead-letters it,
 * where the "unverified" alarm sees it. Tampering is a result, not a failure of the message.
 */
export function createVerifier(deps: VerifierDependencies): (event: QueueEvent) => Promise<{ readonly batchItemFailures: ReadonlyArray<{ readonly itemIdentifier: string }> }> {
  return async (event) => {
    const failures: Array<{ itemIdentifier: string }> = [];
    for (const record of event.Records) {
      try {
        const request = parseRequest(record.body);
        const start = new Date(request.start);
        const end = new Date(request.end);
        const result = await verifyAccountRegion(request, {
          store: deps.store,
          location: deps.location,
          publicKeys: deps.publicKeys,
          start,
          end,
          now: deps.now?.(),
          limit: createLimiter(deps.concurrency ?? 16),
        });
        if (result.status === 'unreadable') throw new Error(result.findings.filter((f) => f.kind === 'unreadable').map((f) => `${f.object ?? ''} ${f.message}`).join('; '));
        const failed = result.findings.filter(isTampering).length;
        const gaps = result.findings.filter((f) => f.kind === 'gap').length;
        await deps.putMetrics([
          { name: 'AccountRegionsVerified', value: 1, unit: 'Count' },
          { name: 'DigestsVerified', value: result.digests + result.backfillDigests, unit: 'Count' },
          { name: 'LogFilesVerified', value: result.logFiles, unit: 'Count' },
          { name: 'BytesVerified', value: result.inflatedBytes, unit: 'Bytes' },
          { name: 'Failures', value: failed, unit: 'Count' },
          { name: 'Gaps', value: gaps, unit: 'Count' },
        ]);
        if (failed > 0 || (gaps > 0 && deps.notifyGaps)) {
          const archive = `s3://${deps.location.bucket}/${deps.location.prefix ? `${deps.location.prefix}/` : ''}`;
          await deps.notify(notificationOf(result, { start: request.start, end: request.end }, archive));
        }
        console.log(JSON.stringify({ accountId: result.accountId, region: result.region, status: result.status, digests: result.digests, logFiles: result.logFiles, findings: result.findings.length }));
      } catch (error) {
        console.error(`message ${record.messageId}: ${error instanceof Error ? error.message : String(error)}`);
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}
