import { NOTIFICATIONS, deliveryJobId, type WorkerContext } from '../../context';
import { typed } from '../../store/typed';

const FINAL = ['sent', 'failed', 'skipped', 'cancelled'];
/** A re-check at least this often while a pending row has no live job (its retry being queued, say). */
const RECHECK_MS = 1000;

/**
 * Resolves once every one of these notifications is final and no delivery job that holds them is
 * live: `n<id>` and the job each row records (its batch, then any retry it was queued in). Waits on
 * the queue's events, never sleeps; throws after `timeoutMs`. For tests, the demo and scripts.
 */
export async function waitForDeliveries(ctx: WorkerContext, notificationIds: Array<string | number>, options: { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const ids = [...new Set(notificationIds.map(String))];
  const queue = ctx.jobs.deliver.name;
  for (;;) {
    const rows: Array<{ id: string | number; status: string; delivery_job: string | null }> = [];
    for (let i = 0; i < ids.length; i += 5000) {
      rows.push(...(await typed<typeof rows>(ctx.kernel.knex(NOTIFICATIONS).whereIn('id', ids.slice(i, i + 5000)).select('id', 'status', 'delivery_job'))));
    }
    const holders = [...new Set(rows.flatMap((r) => (r.delivery_job ? [deliveryJobId(r.id), r.delivery_job] : [deliveryJobId(r.id)])))];
    const live = await ctx.queues.live(queue, holders);
    const left = deadline - Date.now();
    const pending = rows.filter((r) => !FINAL.includes(r.status));
    if (live.length === 0 && pending.length === 0) return;
    if (left <= 0) throw new Error(`deliveries not settled after ${timeoutMs} ms: ${live.length} live job(s), pending ${pending.slice(0, 5).map((r) => String(r.id)).join(', ')}`);
    if (live.length > 0) await ctx.queues.waitFor(queue, live, { timeoutMs: left });
    else await ctx.queues.nextFinished(queue, Math.min(RECHECK_MS, left));
  }
}
