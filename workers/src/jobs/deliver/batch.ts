import type { Knex } from 'knex';
import { checkOccurrence, diffDays, localDay } from '@mch/rules';
import { ATTEMPTS, MEMBERS, NOTIFICATIONS, PENDING, retryJobId, type WorkerContext } from '../../context';
import { errorText } from '../../log';
import type { PushClient, PushResult } from '../../push/push-client';
import { journeysWithMembers } from '../../store/candidates';
import { isPostgres } from '../../store/dialect';
import { parseList } from '../../store/schedule';
import { typed } from '../../store/typed';

interface Row {
  id: string | number;
  member_id: string | number;
  journey_id: string;
  rule_key: string;
  scheduled_on: unknown;
  deliver_after: Date | string;
  status: string;
  push: boolean;
  category: string;
  priority: number;
  title: string;
  body: string;
  updated_at: Date | string;
  external_id: string;
  time_zone: string;
  consent_version: string | null;
  muted_categories: string;
}

interface Final {
  id: string;
  status: 'sent' | 'skipped' | 'cancelled' | 'failed';
  reason: string | null;
}

/** A push early by more than this is left for the reconciler to re-time (a re-planned window). */
const EARLY_TOLERANCE_MS = 60_000;
const isPending = (status: string) => (PENDING as readonly string[]).includes(status);
const day = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value)).slice(0, 10);

/**
 * Delivers a batch of notifications (one delivery job: docs/decisions/009) in a few statements for
 * the whole batch: one read of the rows with their members, one of their journeys (the re-check), one
 * transaction that takes the daily cap's places under the members' row locks and claims the rows with
 * a status-guarded update, the pushes (concurrent, keep-alive), one insert of the attempts, one update
 * of the final statuses. A row claimed by another delivery, erased, already final or re-timed is left
 * alone; a job that runs twice pushes once.
 *
 * A push that fails with a retryable error is retried alone: its row goes back to `queued` and is
 * queued again in a retry job (`r…-a<attempt>`, exponential backoff), until the row's `attempts`
 * (pushes made) reach DELIVERY_ATTEMPTS. Throws only when nothing was pushed (the claim failed): bull
 * then retries the whole job.
 */
export async function deliverBatch(input: { ctx: WorkerContext; push: PushClient | null; notificationIds: string[] }): Promise<void> {
  const { ctx, push } = input;
  const { knex } = ctx.kernel;
  const config = ctx.config;
  // The same notification twice in a batch: handled once.
  const ids = [...new Set(input.notificationIds)];

  const rows = await typed<Row[]>(knex(`${NOTIFICATIONS} as n`)
    .join(`${MEMBERS} as m`, 'm.id', 'n.member_id')
    .whereIn('n.id', ids)
    .select(
      'n.id', 'n.member_id', 'n.journey_id', 'n.rule_key', 'n.scheduled_on', 'n.deliver_after', 'n.status', 'n.push', 'n.category',
      'n.priority', 'n.title', 'n.body', 'n.updated_at', 'm.external_id', 'm.time_zone', 'm.consent_version', 'm.muted_categories',
    ));
  const now = ctx.clock.now();
  const rules = new Map(ctx.kernel.rules().map((r) => [r.key, r]));
  const finals: Final[] = [];
  const checked: Array<{ row: Row; muted: string[] }> = [];
  for (const row of rows) {
    const id = String(row.id);
    if (row.status === 'sending') {
      // Being sent by another delivery, which finishes it; if that worker died, the reconciler
      // re-queues the row once its lease has run out, and then it is claimable again.
      if (new Date(row.updated_at).getTime() >= now.getTime() - config.sendingLeaseMs) continue;
    } else if (!isPending(row.status)) {
      continue; // already sent, failed, skipped or cancelled
    }
    if (row.push && new Date(row.deliver_after).getTime() > now.getTime() + EARLY_TOLERANCE_MS) {
      ctx.log.info('deliver.early', { notificationId: id });
      continue;
    }
    const muted = parseList(row.muted_categories);
    if (diffDays(localDay(now, row.time_zone), day(row.scheduled_on)) > config.staleAfterDays) finals.push({ id, status: 'skipped', reason: 'stale' });
    else if (!row.consent_version) finals.push({ id, status: 'skipped', reason: 'no-consent' });
    else if (muted.includes(row.category)) finals.push({ id, status: 'skipped', reason: 'muted' });
    else if (!rules.has(row.rule_key)) finals.push({ id, status: 'cancelled', reason: 'rule-withdrawn' });
    else checked.push({ row, muted });
  }

  // Checked again before sending: a loss, a birth or a corrected EDD since the sweep stops it here.
  const subjects = await journeysWithMembers(knex, [...new Set(checked.map((c) => c.row.journey_id))]);
  const candidates: Array<{ row: Row; muted: string[] }> = [];
  for (const c of checked) {
    const id = String(c.row.id);
    const subject = subjects.get(c.row.journey_id);
    if (!subject) continue; // erased with the member
    const rule = rules.get(c.row.rule_key)!;
    let still: boolean;
    try {
      still = Boolean(checkOccurrence({ rule, member: ctx.kernel.toMember(subject.member), journey: ctx.kernel.toJourney(subject.journey), day: day(c.row.scheduled_on) }));
    } catch (error) {
      // Bad stored data: left pending (the reconciler tries again after its grace), never pushed unchecked.
      ctx.log.error('deliver.check-failed', { notificationId: id, error: errorText(error) });
      continue;
    }
    if (!still) finals.push({ id, status: 'cancelled', reason: 'no-longer-due' });
    else if (!c.row.push) finals.push({ id, status: 'sent', reason: null });
    else if (!push) finals.push({ id, status: 'failed', reason: 'push-not-configured' });
    else candidates.push(c);
  }

  let claimed: Array<{ row: Row; attempts: number }> = [];
  if (candidates.length > 0) {
    // Throws with nothing claimed (the transaction rolled back): the whole job is retried by bull.
    const { pushed, cappedIds } = await claim(ctx, candidates, now);
    claimed = candidates.filter((c) => pushed.has(String(c.row.id))).map((c) => ({ row: c.row, attempts: pushed.get(String(c.row.id))! }));
    if (cappedIds.length > 0) ctx.metrics.inc('mch_notifications_total', { outcome: 'sent', reason: 'daily-cap' }, cappedIds.length);
  }

  // The one step that cannot be undone: the gateway dedupes on notificationId.
  const nowMs = Date.now();
  const results: PushResult[] = await Promise.all(
    claimed.map(({ row }) =>
      push!.post({
        nowMs,
        message: { externalId: row.external_id, title: row.title, body: row.body, deepLink: `mch://inbox/${row.id}`, notificationId: String(row.id) },
      }),
    ),
  );
  if (claimed.length > 0) {
    const attemptedAt = ctx.clock.now();
    await knex(ATTEMPTS)
      .insert(claimed.map(({ row }, i) => {
        const r = results[i]!;
        return { notification_id: row.id, channel: 'push', attempted_at: attemptedAt, status_code: r.statusCode, outcome: r.kind, error: r.kind === 'sent' ? null : r.error, duration_ms: r.durationMs };
      }))
      .catch((error: unknown) => ctx.log.error('deliver.attempts-not-recorded', { rows: claimed.length, error: errorText(error) }));
  }
  const retries: Array<{ id: string; attempts: number }> = [];
  claimed.forEach(({ row, attempts }, i) => {
    const id = String(row.id);
    const r = results[i]!;
    if (r.kind === 'sent') finals.push({ id, status: 'sent', reason: null });
    else if (r.kind === 'permanent') finals.push({ id, status: 'failed', reason: `http-${r.statusCode}` });
    else if (attempts >= config.deliveryAttempts) finals.push({ id, status: 'failed', reason: 'retries-exhausted' });
    else retries.push({ id, attempts });
  });

  await finish(ctx, finals);
  await queueRetries(ctx, retries);
}

/**
 * Pushes that failed with a retryable error, retried without the rest of their batch: grouped by the
 * push they will make (same attempt, same backoff), each group's rows go back to `queued` recording
 * their retry job, then the job is queued with the delay (DELIVERY_BACKOFF_MS × 2^(pushes made − 1)).
 * A crash in between leaves `queued` rows whose recorded job does not exist: the reconciler's case.
 */
async function queueRetries(ctx: WorkerContext, retries: Array<{ id: string; attempts: number }>): Promise<void> {
  if (retries.length === 0) return;
  const byAttempts = new Map<number, string[]>();
  for (const r of retries) byAttempts.set(r.attempts, [...(byAttempts.get(r.attempts) ?? []), r.id]);
  const now = ctx.clock.now();
  const jobs: Array<{ payload: { notificationIds: string[] }; jobId: string; delayMs: number }> = [];
  for (const [attempts, ids] of byAttempts) {
    const jobId = retryJobId(ids[0]!, ids.length, attempts + 1);
    // Back to queued, so that the retry can claim it again.
    await ctx.kernel.knex(NOTIFICATIONS).whereIn('id', ids).where('status', 'sending').update({ status: 'queued', delivery_job: jobId, updated_at: now });
    jobs.push({ payload: { notificationIds: ids }, jobId, delayMs: ctx.config.deliveryBackoffMs * 2 ** (attempts - 1) });
  }
  await ctx.queues.ensureBulk(ctx.jobs.deliver, jobs);
  ctx.metrics.inc('mch_delivery_retries_total', {}, retries.length);
  for (const r of retries) ctx.log.info('deliver.retry', { notificationId: r.id, attempt: r.attempts + 1 });
}

/**
 * The daily cap (per member and local day), for a batch: under the members' row locks (taken in id
 * order, so two workers cannot deadlock or both take a member's last place), each candidate's taken
 * places are the pushes already sent or being sent plus the pending due ones that outrank it; then
 * the rows are claimed (`sending`) or kept in the inbox (`daily-cap`) by status-guarded updates.
 * The count must read after the locks are held (a statement reads one snapshot, taken when it
 * starts), so the locks are one statement and the count with the updates another.
 */
async function claim(ctx: WorkerContext, candidates: Candidate[], now: Date): Promise<{ pushed: Map<string, number>; cappedIds: string[] }> {
  const knex = ctx.kernel.knex;
  const leaseCutoff = new Date(now.getTime() - ctx.config.sendingLeaseMs);
  return knex.transaction(async (trx) => {
    const memberIds = [...new Set(candidates.map((c) => Number(c.row.member_id)))].sort((a, b) => a - b);
    await trx(MEMBERS).whereIn('id', memberIds).orderBy('id').forUpdate().select('id');
    if (isPostgres(knex)) return await countAndClaimPg(trx, { candidates, now, leaseCutoff, cap: ctx.config.pushDailyCap });
    const taken = await takenPlacesPortable(trx, candidates, now);
    const claimable = (w: Knex.QueryBuilder) => void w.whereIn('status', PENDING).orWhere((x) => void x.where('status', 'sending').where('updated_at', '<', leaseCutoff));
    const pushIds: string[] = [];
    const cappedIds: string[] = [];
    for (const t of taken) (t.taken >= ctx.config.pushDailyCap ? cappedIds : pushIds).push(String(t.id));
    const claimed = pushIds.length === 0 ? [] : await typed<Array<{ id: string | number; attempts: number }>>(trx(NOTIFICATIONS).whereIn('id', pushIds).where(claimable)
      .update({ status: 'sending', attempts: knex.raw('attempts + 1'), updated_at: now }, ['id', 'attempts']));
    // Over the cap: the reminder is kept in the inbox, not pushed.
    const capped = cappedIds.length === 0 ? [] : await typed<Array<{ id: string | number }>>(trx(NOTIFICATIONS).whereIn('id', cappedIds).where(claimable)
      .update({ status: 'sent', push: false, inbox: true, reason: 'daily-cap', sent_at: now, updated_at: now }, ['id']));
    return { pushed: new Map(claimed.map((r) => [String(r.id), Number(r.attempts)])), cappedIds: capped.map((r) => String(r.id)) };
  });
}

type Candidate = { row: Row; muted: string[] };

/**
 * PostgreSQL, one statement for the batch (unnest over it): each candidate's taken places, then the
 * claim of those under the cap (`sending`, one more push made) and the rest kept in the inbox, not
 * pushed (`sent`, `daily-cap`), both guarded by status (pending, or `sending` past its lease). The
 * two updates touch disjoint rows; both see the count's snapshot, taken after the member locks.
 */
async function countAndClaimPg(
  trx: Knex.Transaction,
  input: { candidates: Candidate[]; now: Date; leaseCutoff: Date; cap: number },
): Promise<{ pushed: Map<string, number>; cappedIds: string[] }> {
  const { candidates, now, leaseCutoff, cap } = input;
  const claimable = `(n.status IN ('scheduled', 'queued') OR (n.status = 'sending' AND n.updated_at < ?))`;
  const result = await typed<{ rows: Array<{ id: string | number; attempts: number | null; capped: boolean }> }>(trx.raw(
    `WITH c AS (
       SELECT c.id, count(o.id)::int AS taken
         FROM unnest(?::bigint[], ?::text[]) AS c(id, muted)
         JOIN ${NOTIFICATIONS} n ON n.id = c.id
         LEFT JOIN ${NOTIFICATIONS} o
           ON o.member_id = n.member_id AND o.scheduled_on = n.scheduled_on AND o.push AND o.id <> n.id
          AND (o.status IN ('sending', 'sent')
               OR (o.status IN ('scheduled', 'queued') AND o.deliver_after <= ?
                   AND (o.priority > n.priority OR (o.priority = n.priority AND o.id < n.id))
                   AND o.category <> ALL (ARRAY(SELECT jsonb_array_elements_text(c.muted::jsonb)))))
        GROUP BY c.id
     ), claimed AS (
       UPDATE ${NOTIFICATIONS} AS n SET status = 'sending', attempts = n.attempts + 1, updated_at = ?
         FROM c WHERE n.id = c.id AND c.taken < ? AND ${claimable}
       RETURNING n.id, n.attempts
     ), capped AS (
       UPDATE ${NOTIFICATIONS} AS n SET status = 'sent', push = false, inbox = true, reason = 'daily-cap', sent_at = ?, updated_at = ?
         FROM c WHERE n.id = c.id AND c.taken >= ? AND ${claimable}
       RETURNING n.id
     )
     SELECT id, attempts, false AS capped FROM claimed
     UNION ALL
     SELECT id, NULL, true FROM capped`,
    [
      candidates.map((c) => String(c.row.id)),
      candidates.map((c) => JSON.stringify(c.muted)),
      now,
      now, cap, leaseCutoff,
      now, now, cap, leaseCutoff,
    ],
  ));
  const pushed = new Map<string, number>();
  const cappedIds: string[] = [];
  for (const r of result.rows) {
    if (r.capped) cappedIds.push(String(r.id));
    else pushed.set(String(r.id), Number(r.attempts));
  }
  return { pushed, cappedIds };
}

/** The same count, one statement per candidate (SQLite: one process, small batches — the demo). */
async function takenPlacesPortable(trx: Knex.Transaction, candidates: Candidate[], now: Date): Promise<Array<{ id: string | number; taken: number }>> {
  const out: Array<{ id: string | number; taken: number }> = [];
  for (const { row, muted } of candidates) {
    const n = await typed<{ n: string | number } | undefined>(trx(NOTIFICATIONS)
      .where({ member_id: row.member_id, scheduled_on: day(row.scheduled_on), push: true })
      .whereNot('id', row.id)
      .where((w) => {
        void w.whereIn('status', ['sending', 'sent']).orWhere((x) => {
          void x
            .whereIn('status', PENDING)
            .where('deliver_after', '<=', now)
            .where((p) => void p.where('priority', '>', row.priority).orWhere((q) => void q.where('priority', row.priority).where('id', '<', row.id)));
          if (muted.length > 0) void x.whereNotIn('category', muted);
        });
      })
      .count({ n: '*' })
      .first());
    out.push({ id: row.id, taken: Number(n?.n ?? 0) });
  }
  return out;
}

/** Final statuses of a batch in one status-guarded statement; counted and logged (ids only) per row. */
async function finish(ctx: WorkerContext, finals: Final[]): Promise<void> {
  if (finals.length === 0) return;
  const now = ctx.clock.now();
  const knex = ctx.kernel.knex;
  const rows = isPostgres(knex) ? await finishPg(knex, finals, now) : await finishPortable(knex, finals, now);
  for (const row of rows) {
    ctx.metrics.inc('mch_notifications_total', { outcome: row.status, reason: row.reason ?? '' });
    if (row.status !== 'sent') ctx.log.info('deliver.final', { notificationId: String(row.id), status: row.status, reason: row.reason });
  }
}

type Finished = { id: string | number; status: string; reason: string | null };

async function finishPg(knex: Knex, finals: Final[], now: Date): Promise<Finished[]> {
  const done = await typed<{ rows: Finished[] }>(knex.raw(
    `UPDATE ${NOTIFICATIONS} AS n
        SET status = v.status, reason = v.reason, updated_at = ?, sent_at = CASE WHEN v.status = 'sent' THEN ?::timestamptz ELSE n.sent_at END
       FROM unnest(?::bigint[], ?::text[], ?::text[]) AS v(id, status, reason)
      WHERE n.id = v.id AND n.status IN ('scheduled', 'queued', 'sending')
      RETURNING n.id, n.status, n.reason`,
    [now, now, finals.map((f) => f.id), finals.map((f) => f.status), finals.map((f) => f.reason)],
  ));
  return done.rows;
}

/** One status-guarded update per (status, reason) group: the statements knex writes for any database. */
async function finishPortable(knex: Knex, finals: Final[], now: Date): Promise<Finished[]> {
  const groups = new Map<string, Final[]>();
  for (const f of finals) {
    const key = `${f.status}\u0000${f.reason ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out: Finished[] = [];
  for (const group of groups.values()) {
    const { status, reason } = group[0]!;
    const updated = await typed<Array<{ id: string | number }>>(knex(NOTIFICATIONS)
      .whereIn('id', group.map((f) => f.id))
      .whereIn('status', ['scheduled', 'queued', 'sending'])
      .update({ status, reason, updated_at: now, ...(status === 'sent' ? { sent_at: now } : {}) }, ['id']));
    for (const u of updated) out.push({ id: u.id, status, reason });
  }
  return out;
}
