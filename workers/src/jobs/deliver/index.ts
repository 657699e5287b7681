import type { WorkerContext } from '../../context';
import { RetryableError } from '../../errors';
import type { PushClient } from '../../push/push-client';
import type { JobDefinition } from '../../queue';
import { deliverBatch, type DeliverItem, type DeliverOutcome } from './batch';
import { MicroBatcher } from './batcher';
import { parseDeliverPayload, type DeliverPayload } from './payload';

/** How long the first job of a batch waits for others to join it. */
const BATCH_LINGER_MS = 5;

/**
 * Delivers one notification (job id `n<notification id>`). The jobs running at the same time in this
 * process are delivered together by a micro-batcher (see ./batch.ts): the job model, its retries and
 * the reconciler's view of it are those of one job per notification.
 */
export function deliverJob(ctx: WorkerContext, push: PushClient | null): JobDefinition<DeliverPayload> {
  const batcher = new MicroBatcher<DeliverItem, DeliverOutcome>({
    maxSize: ctx.config.deliveryBatchSize,
    lingerMs: BATCH_LINGER_MS,
    run: (items) => deliverBatch({ ctx, push, items }),
  });
  return {
    name: 'deliver',
    parse: parseDeliverPayload,
    attempts: ctx.config.deliveryAttempts,
    backoffMs: ctx.config.deliveryBackoffMs,
    concurrency: ctx.config.deliveryConcurrency,
    handle: async ({ notificationId }, job) => {
      const retry = await batcher.submit({ notificationId, attempt: job.attempt, attempts: job.attempts });
      if (retry !== null) throw new RetryableError(retry);
    },
  };
}
