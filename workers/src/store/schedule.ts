import type { Occurrence, ReminderRule } from '@mch/rules';
import { deliverAfter } from '../delivery-window';
import { NOTIFICATIONS, batchJobId, type WorkerContext } from '../context';
import { typed } from './typed';

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);

export function parseList(text: unknown): string[] {
  if (typeof text !== 'string' || text === '') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** The columns of a due occurrence as a notification row (rendered text, rule version, window, channels). */
export function notificationColumns(input: {
  rule: ReminderRule;
  occurrence: Occurrence;
  member: Record<string, unknown>;
  now: Date;
}): Record<string, unknown> {
  const { rule, occurrence, member, now } = input;
  const memberChannels = parseList(member.channels);
  const push = rule.channels.includes('push') && memberChannels.includes('push');
  const inbox = rule.channels.includes('inbox') && memberChannels.includes('inbox');
  const timeZone = String(member.time_zone);
  const at = deliverAfter({
    day: occurrence.scheduledOn,
    deliveryHour: rule.deliveryHour,
    timeZone,
    quietStart: text(member.quiet_start, '21:00'),
    quietEnd: text(member.quiet_end, '08:00'),
    now,
  });
  return {
    member_id: member.id,
    journey_id: occurrence.journeyId,
    rule_key: rule.key,
    rule_version: rule.version,
    scheduled_on: occurrence.scheduledOn,
    // Inbox-only rows are visible at once; the window only holds back pushes.
    deliver_after: push ? at : now,
    status: push || inbox ? 'scheduled' : 'skipped',
    reason: push || inbox ? null : 'no-channel',
    push,
    inbox,
    locale: text(member.locale, 'zh-Hans'),
    category: rule.category.slice(0, 24),
    priority: rule.priority,
    title: occurrence.rendered.title.slice(0, 300),
    body: occurrence.rendered.body,
    created_at: now,
    updated_at: now,
  };
}

interface Inserted {
  id: string | number;
  deliver_after: Date | string;
  status: string;
}

/**
 * Insert-or-ignore on (journey, rule, day): a re-run never duplicates. The rows are committed before
 * their jobs are queued; a crash in between leaves 'scheduled' rows that the reconciler queues.
 */
export async function scheduleNotifications(ctx: WorkerContext, rows: Array<Record<string, unknown>>): Promise<number> {
  if (rows.length === 0) return 0;
  const knex = ctx.kernel.knex;
  const inserted = await typed<Inserted[]>(knex(NOTIFICATIONS)
    .insert(rows)
    .onConflict(['journey_id', 'rule_key', 'scheduled_on'])
    .ignore()
    .returning(['id', 'deliver_after', 'status']));
  const pending = inserted.filter((r) => r.status === 'scheduled');
  await enqueueDeliveries(ctx, pending);
  for (const r of inserted) ctx.metrics.inc('mch_notifications_total', { outcome: r.status === 'scheduled' ? 'created' : 'skipped-no-channel' });
  return inserted.length;
}

export interface DeliveryBatch {
  jobId: string;
  ids: string[];
  /** The rows' common deliver_after. */
  at: Date;
}

/**
 * Rows due at the same instant, in id order, cut into delivery jobs of at most `size` notifications.
 * The job id is the first id and the count, so the same group queued twice is one job.
 */
export function deliveryBatches(rows: Array<{ id: string | number; deliver_after: Date | string }>, size: number): DeliveryBatch[] {
  const byInstant = new Map<number, string[]>();
  const sorted = [...rows].sort((a, b) => Number(a.id) - Number(b.id));
  for (const r of sorted) {
    const at = new Date(r.deliver_after).getTime();
    const ids = byInstant.get(at) ?? [];
    if (ids.length === 0) byInstant.set(at, ids);
    ids.push(String(r.id));
  }
  const batches: DeliveryBatch[] = [];
  for (const [at, ids] of byInstant) {
    for (let i = 0; i < ids.length; i += size) {
      const chunk = ids.slice(i, i + size);
      batches.push({ jobId: batchJobId(chunk[0]!, chunk.length), ids: chunk, at: new Date(at) });
    }
  }
  return batches;
}

/**
 * Queues freshly written rows: one delivery job per batch (docs/decisions/009), then each row is
 * marked `queued` with the job that holds it. A crash in between leaves `scheduled` rows (or a
 * recorded job that never existed): the reconciler finds them.
 */
export async function enqueueDeliveries(ctx: WorkerContext, rows: Array<{ id: string | number; deliver_after: Date | string }>): Promise<void> {
  if (rows.length === 0) return;
  const now = ctx.clock.now();
  const batches = deliveryBatches(rows, ctx.config.deliveryBatchSize);
  await ctx.queues.addBulk(
    ctx.jobs.deliver,
    batches.map((b) => ({ payload: { notificationIds: b.ids }, jobId: b.jobId, delayMs: b.at.getTime() - now.getTime() })),
  );
  for (const b of batches) {
    // Guarded by status: a delivery that already ran (sent, or queued for a retry) is not overwritten.
    await ctx.kernel
      .knex(NOTIFICATIONS)
      .whereIn('id', b.ids)
      .where('status', 'scheduled')
      .update({ status: 'queued', delivery_job: b.jobId, updated_at: now });
  }
}
