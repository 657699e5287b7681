import type { WorkerContext } from '../../context';
import type { PushClient } from '../../push/push-client';
import type { JobDefinition } from '../../queue';
import { deliverBatch } from './batch';
import { parseDeliverPayload, type DeliverPayload } from './payload';

/**
 * Delivers a batch of notifications together (see ./batch.ts; docs/decisions/009): a batch job
 * (`b<first id>-<count>`, queued by the sweep or the reconciler), a retry job (`r…-a<attempt>`, the
 * failed pushes of a batch) or one notification (`n<id>`, a re-plan). bull's own attempts and backoff
 * apply only when a job fails as a whole (nothing was pushed); a push that fails is retried alone.
 */
export function deliverJob(ctx: WorkerContext, push: PushClient | null): JobDefinition<DeliverPayload> {
  return {
    name: 'deliver',
    parse: parseDeliverPayload,
    attempts: ctx.config.deliveryAttempts,
    backoffMs: ctx.config.deliveryBackoffMs,
    concurrency: ctx.config.deliveryConcurrency,
    handle: ({ notificationIds }) => deliverBatch({ ctx, push, notificationIds }),
  };
}
