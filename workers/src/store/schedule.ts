import type { Knex } from 'knex';
import type { Occurrence, ReminderRule } from '@mch/rules';
import { deliverAfter, type WindowInput } from '../delivery-window';
import { NOTIFICATIONS, batchJobId, type WorkerContext } from '../context';
import { isPostgres } from './dialect';
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
  /** deliverAfter, or a memo of it (a sweep page: memoDeliverAfter). */
  window?: (input: WindowInput) => Date;
}): Record<string, unknown> {
  const { rule, occurrence, member, now, window = deliverAfter } = input;
  const memberChannels = parseList(member.channels);
  const push = rule.channels.includes('push') && memberChannels.includes('push');
  const inbox = rule.channels.includes('inbox') && memberChannels.includes('inbox');
  const timeZone = String(member.time_zone);
  const at = window({
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

/** Rows per INSERT statement (18 columns each: well under PostgreSQL's 65,535 bind parameters). */
const INSERT_ROWS = 500;

/**
 * Insert-or-ignore on (journey, rule, day): a re-run never duplicates. The rows are committed before
 * their jobs are queued. All the rows given (a sweep's candidate page) are queued together, so the
 * delivery jobs are as full as DELIVERY_BATCH_SIZE allows, not cut at each INSERT statement.
 *
 * PostgreSQL: the pending rows take their ids from the table's sequence first, so their batches and
 * job ids are known before the insert and each row is written `queued` with the job that will hold
 * it (`delivery_job`): one write per row instead of an insert and then an update. A crash between
 * the commit and the enqueue leaves `queued` rows whose job does not exist: the reconciler re-queues
 * them once due (docs/decisions/010). Elsewhere (SQLite): insert `scheduled`, queue, then mark
 * `queued` (enqueueDeliveries).
 */
export async function scheduleNotifications(ctx: WorkerContext, rows: Array<Record<string, unknown>>): Promise<number> {
  if (rows.length === 0) return 0;
  const knex = ctx.kernel.knex;
  const pg = isPostgres(knex);
  const pendingRows = rows.filter((r) => r.status === 'scheduled');
  let batches: DeliveryBatch[] = [];
  let toInsert = rows;
  if (pg && pendingRows.length > 0) {
    const ids = await nextNotificationIds(knex, pendingRows.length);
    const numbered = pendingRows.map((row, i) => ({ row, id: ids[i]! }));
    batches = deliveryBatches(numbered.map(({ row, id }) => ({ id, deliver_after: row.deliver_after as Date })), ctx.config.deliveryBatchSize);
    const jobOf = new Map(batches.flatMap((b) => b.ids.map((id) => [id, b.jobId] as const)));
    const queued = new Map(numbered.map(({ row, id }) => [row, Object.assign({}, row, { id, status: 'queued', delivery_job: jobOf.get(id)! })]));
    toInsert = rows.map((row) => queued.get(row) ?? row);
  }
  const inserted: Inserted[] = [];
  for (let i = 0; i < toInsert.length; i += INSERT_ROWS) {
    inserted.push(...(await typed<Inserted[]>(knex(NOTIFICATIONS)
      .insert(toInsert.slice(i, i + INSERT_ROWS))
      .onConflict(['journey_id', 'rule_key', 'scheduled_on'])
      .ignore()
      .returning(['id', 'deliver_after', 'status']))));
  }
  if (pg) {
    // Only the rows written (not those another run wrote first) go into the jobs.
    const written = new Set(inserted.map((r) => String(r.id)));
    const now = ctx.clock.now();
    await ctx.queues.addBulk(
      ctx.jobs.deliver,
      batches
        .map((b) => Object.assign({}, b, { ids: b.ids.filter((id) => written.has(id)) }))
        .filter((b) => b.ids.length > 0)
        .map((b) => ({ payload: { notificationIds: b.ids }, jobId: b.jobId, delayMs: b.at.getTime() - now.getTime() })),
    );
  } else {
    await enqueueDeliveries(ctx, inserted.filter((r) => r.status === 'scheduled'));
  }
  for (const r of inserted) ctx.metrics.inc('mch_notifications_total', { outcome: r.status === 'skipped' ? 'skipped-no-channel' : 'created' });
  return inserted.length;
}

/** `count` ids from hb_notifications' own sequence (one statement), ascending. */
async function nextNotificationIds(knex: Knex, count: number): Promise<string[]> {
  const result = await typed<{ rows: Array<{ id: string }> }>(knex.raw(
    `SELECT nextval(pg_get_serial_sequence(?, 'id'))::text AS id FROM generate_series(1, ?)`,
    [NOTIFICATIONS, count],
  ));
  return result.rows.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
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
