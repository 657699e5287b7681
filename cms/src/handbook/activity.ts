import type { Knex } from 'knex';
import { localDay } from '@mch/rules';
import { T, isoDate, knexOf, perStrapi, type MemberRow } from './tables';

/** Rows per statement: well under PostgreSQL's and SQLite's bound-parameter limits. */
const MAX_BATCH = 500;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Last active day (daily granularity), for the usage statistics: one `hb_member_activity` row per
 * member and day, and `hb_members.last_active_on`. The member row read by the request already says
 * whether today is recorded, so only a member's first request of the day writes (in any process,
 * after any restart: the database is the record, not this process's memory).
 *
 * Those first requests are written together (group commit): a request waits until its row is
 * stored, but the requests that arrive while one batch is being written share the next batch's
 * transaction instead of issuing their own. The batch also records each member's quarter in
 * `hb_member_active_quarters` (insert-or-ignore), which the quarterly statistics read (decision 011):
 * days, quarters and `last_active_on` are stored in one transaction, so none is without the others.
 */
export class ActivityRecorder {
  private pending = new Map<string, { memberId: number | string; day: string }>();
  private waiters: Waiter[] = [];
  private flushing = false;

  constructor(private readonly knex: () => Knex) {}

  /** Resolves once the member's activity for the day of `now` (in their time zone) is stored. */
  record(member: MemberRow, now: Date): Promise<void> {
    const day = localDay(now, member.time_zone);
    if (isoDate(member.last_active_on) === day) return Promise.resolve();
    this.pending.set(`${member.id}:${day}`, { memberId: member.id, day });
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing || this.pending.size === 0) return;
    this.flushing = true;
    const batch = [...this.pending.values()];
    const waiters = this.waiters;
    this.pending = new Map();
    this.waiters = [];
    this.write(batch).then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    ).finally(() => {
      this.flushing = false;
      this.kick();
    });
  }

  private async write(batch: Array<{ memberId: number | string; day: string }>): Promise<void> {
    for (let start = 0; start < batch.length; start += MAX_BATCH) {
      const rows = batch.slice(start, start + MAX_BATCH);
      // One transaction per chunk: the day, its quarter and last_active_on are stored together or not at all.
      await this.knex().transaction(async (trx) => {
        await trx(T.activity)
          .insert(rows.map((r) => ({ member_id: r.memberId, day: r.day })))
          .onConflict(['member_id', 'day'])
          .ignore();
        // Every row, not only a member's first day of a quarter: insert-or-ignore costs one statement per
        // batch, and holds even when another process (or an older build during a rolling deploy) stored
        // an earlier day of the quarter without its quarter row.
        const quarters = new Map(rows.map((r) => [`${r.memberId}:${quarterStart(r.day)}`, { member_id: r.memberId, quarter_start: quarterStart(r.day) }]));
        await trx(T.activeQuarters).insert([...quarters.values()]).onConflict(['member_id', 'quarter_start']).ignore();
        const byDay = new Map<string, Array<number | string>>();
        for (const r of rows) byDay.set(r.day, [...(byDay.get(r.day) ?? []), r.memberId]);
        for (const [day, ids] of byDay) {
          // Never backwards: another process (or a request across midnight) may have stored a later day.
          await trx(T.members)
            .whereIn('id', ids)
            .where((q) => {
              void q.whereNull('last_active_on').orWhere('last_active_on', '<', day);
            })
            .update({ last_active_on: day });
        }
      });
    }
  }
}

/** '2026-11-23' → '2026-10-01': the first day of the day's quarter (hb_member_active_quarters.quarter_start). */
export function quarterStart(isoDay: string): string {
  const firstMonth = Math.floor((Number(isoDay.slice(5, 7)) - 1) / 3) * 3 + 1;
  return `${isoDay.slice(0, 4)}-${String(firstMonth).padStart(2, '0')}-01`;
}

export const activityOf = perStrapi((strapi) => new ActivityRecorder(() => knexOf(strapi)));
