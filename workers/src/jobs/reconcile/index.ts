import { NOTIFICATIONS, PENDING, deliveryJobId, type WorkerContext } from '../../context';
import type { JobDefinition } from '../../queue';
import { replanChangedRules } from '../../store/replan';
import { deliveryBatches } from '../../store/schedule';
import { parseReconcilePayload, type ReconcilePayload } from './payload';
import { typed } from '../../store/typed';

const PAGE = 1000;
/**
 * Never lost: re-queues, in batches, notifications whose delivery job is missing — written but never queued (a
 * crash between commit and enqueue), queued in a Redis that restarted or was flushed, or left in
 * 'sending' by a worker that died. Looks only at rows that are overdue, so its cost follows the
 * backlog, not the table. Also re-plans rows of changed rules (a publish seen via the catalogue).
 */
export async function reconcile(ctx: WorkerContext, options: { graceMs?: number } = {}): Promise<number> {
  const knex = ctx.kernel.knex;
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - (options.graceMs ?? ctx.config.reconcileGraceMs));
  const leaseCutoff = new Date(now.getTime() - ctx.config.sendingLeaseMs);
  let requeued = 0;
  let afterId = 0;
  for (;;) {
    const rows = await typed<Array<{ id: string | number; deliver_after: Date | string; status: string; delivery_job: string | null }>>(knex(NOTIFICATIONS)
      .where('id', '>', afterId)
      .where((w) => {
        void w
          .where((x) => void x.whereIn('status', PENDING).where('deliver_after', '<', cutoff))
          .orWhere((x) => void x.where('status', 'scheduled').where('updated_at', '<', cutoff))
          .orWhere((x) => void x.where('status', 'sending').where('updated_at', '<', leaseCutoff));
      })
      .orderBy('id')
      .limit(PAGE)
      .select('id', 'deliver_after', 'status', 'delivery_job'));
    if (rows.length === 0) break;
    afterId = Number(rows[rows.length - 1]!.id);
    // A row is held by its own job (`n<id>`) or by the batch or retry job it records.
    const holders = rows.flatMap((r) => (r.delivery_job ? [deliveryJobId(r.id), r.delivery_job] : [deliveryJobId(r.id)]));
    const live = new Set(await ctx.queues.live(ctx.jobs.deliver.name, holders));
    const missing = rows.filter((r) => !live.has(deliveryJobId(r.id)) && !(r.delivery_job !== null && live.has(r.delivery_job)));
    const batches = deliveryBatches(missing, ctx.config.deliveryBatchSize);
    // Recorded before the job exists (a crash in between leaves a job id that is not live: found
    // again next time); updated_at is left alone, or a 'sending' row's lease would start again.
    for (const b of batches) await knex(NOTIFICATIONS).whereIn('id', b.ids).update({ delivery_job: b.jobId });
    const added = new Set(
      await ctx.queues.ensureBulk(
        ctx.jobs.deliver,
        batches.map((b) => ({ payload: { notificationIds: b.ids }, jobId: b.jobId, delayMs: b.at.getTime() - now.getTime() })),
      ),
    );
    for (const b of batches) if (added.has(b.jobId)) requeued += b.ids.length;
    await knex(NOTIFICATIONS)
      .whereIn(
        'id',
        rows.filter((r) => r.status === 'scheduled').map((r) => r.id),
      )
      .where('status', 'scheduled')
      .update({ status: 'queued', updated_at: now });
  }
  if (requeued > 0) {
    ctx.log.warn('reconcile.requeued', { requeued });
    ctx.metrics.inc('mch_reconciled_total', {}, requeued);
  }
  return requeued;
}

export function reconcileJob(ctx: WorkerContext): JobDefinition<ReconcilePayload> {
  return {
    name: 'reconcile',
    parse: parseReconcilePayload,
    attempts: 3,
    backoffMs: 5_000,
    concurrency: 1,
    handle: async () => {
      await replanChangedRules(ctx);
      await reconcile(ctx);
    },
  };
}
