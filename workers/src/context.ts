import type { Clock } from './clock';
import type { WorkerConfig } from './config';
import type { Kernel } from './kernel';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import type { JobDefinition, QueueSystem } from './queue';
import type { DeliverPayload } from './jobs/deliver/payload';
import type { SweepChunkPayload } from './jobs/sweep-chunk/payload';
import type { SweepPayload } from './jobs/sweep/payload';
import type { ReconcilePayload } from './jobs/reconcile/payload';

export interface Jobs {
  sweep: JobDefinition<SweepPayload>;
  sweepChunk: JobDefinition<SweepChunkPayload>;
  deliver: JobDefinition<DeliverPayload>;
  reconcile: JobDefinition<ReconcilePayload>;
}

/** What every job handler gets: passed in, never global. */
export interface WorkerContext {
  kernel: Kernel;
  queues: QueueSystem;
  config: WorkerConfig;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  jobs: Jobs;
}

export const NOTIFICATIONS = 'hb_notifications';
export const ATTEMPTS = 'hb_delivery_attempts';
export const MEMBERS = 'hb_members';
export const JOURNEYS = 'hb_journeys';
export const PENDING = ['scheduled', 'queued'] as const;

/**
 * bull job ids of delivery jobs (prefixed: bull's own ids are numbers). Deterministic, so adding one
 * twice is a no-op while the first exists. A notification is held by `n<id>` (one notification:
 * re-plans, operators) or by the job its row records in `delivery_job` (docs/decisions/009).
 */
export const deliveryJobId = (notificationId: string | number): string => `n${notificationId}`;
/** A batch queued by the sweep or the reconciler: its first (lowest) notification id and its size. */
export const batchJobId = (firstId: string | number, count: number): string => `b${firstId}-${count}`;
/** The retry of pushes that failed with a retryable error: `attempt` is the push it will make (2 = first retry). */
export const retryJobId = (firstId: string | number, count: number, attempt: number): string => `r${firstId}-${count}-a${attempt}`;
