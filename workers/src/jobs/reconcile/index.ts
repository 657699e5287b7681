import { NOTIFICATIONS, PENDING, deliveryJobId, type WorkerContext } from '../../context';
import type { JobDefinition } from '../../queue';
import { replanChangedRules } from '../../store/replan';
import { parseReconcilePayload, type ReconcilePayload } from './payload';
import { typed } from '../../store/typed';

const PAGE = 1000;
/**
 * Never lost: re-queues notifications whose delivery job is missing — written but never queued (a
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
    const rows = await typed<Array<{ id: string | number; deliver_after: Date | string; status: string }>>(knex(NOTIFICATIONS)
      .where('id', '>', afterId)
      .where((w) => {
        void w
          .where((x) => void x.whereIn('status', PENDING).where('deliver_after', '<', cutoff))
          .orWhere((x) => void x.where('status', 'scheduled').where('updated_at', '<', cutoff))
          .orWhere((x) => void x.where('status', 'sending').where('updated_at', '<', leaseCutoff));
      })
      .orderBy('id')
      .limit(PAGE)
      .select('id', 'deliver_after', 'status'));
    if (rows.length === 0) break;
    afterId = Number(rows[rows.length - 1]!.id);
    const missing = new Set(await ctx.queues.notLive(ctx.jobs.deliver.name, rows.map((r) => deliveryJobId(r.id))));
    for (const row of rows) {
      if (!missing.has(deliveryJobId(row.id))) continue;
      const added = await ctx.queues.ensure(ctx.jobs.deliver, { notificationId: String(row.id) }, {
        jobId: deliveryJobId(row.id),
        delayMs: new Date(row.deliver_after).getTime() - now.getTime(),
      });
      if (added) requeued += 1;
    }
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
