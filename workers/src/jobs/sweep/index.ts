import { addDays, dueAnchorRanges, localDay, type AnchorRange, type IsoDate, type ReminderRule } from '@mch/rules';
import { MEMBERS, type WorkerContext } from '../../context';
import type { JobDefinition } from '../../queue';
import { chunkBoundaries } from '../../store/candidates';
import { replanChangedRules } from '../../store/replan';
import type { SweepChunkPayload } from '../sweep-chunk/payload';
import { parseSweepPayload, type SweepPayload } from './payload';
import { typed } from '../../store/typed';

const LAST_SWEPT = 'last-swept-day';

/** Runs `work` on every item, at most `limit` at a time; after a failure no new item starts, and the first error is thrown once the running ones are done. */
async function eachConcurrently<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (!failed && next < items.length) {
      const item = items[next]!;
      next += 1;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const results = await Promise.allSettled(lanes);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/**
 * The local days to sweep per zone: today, plus the days since the last completed sweep of the zone
 * when the workers were down (never more than STALE_AFTER_DAYS back, never before the first sweep:
 * a new deployment does not back-fill).
 */
async function daysByZone(ctx: WorkerContext, now: Date): Promise<Map<IsoDate, string[]>> {
  const zones = (await typed<Array<{ time_zone: string }>>(ctx.kernel.knex(MEMBERS).distinct('time_zone'))).map((r) => r.time_zone);
  const byDay = new Map<IsoDate, string[]>();
  for (const zone of zones) {
    let today: IsoDate;
    try {
      today = localDay(now, zone);
    } catch {
      ctx.log.error('sweep.bad-time-zone', { zone });
      continue;
    }
    const last = await ctx.queues.getField(LAST_SWEPT, zone);
    const earliest = addDays(today, -ctx.config.staleAfterDays);
    let day = last && last < today ? (last < earliest ? earliest : last) : today;
    for (; day <= today; day = addDays(day, 1)) {
      const list = byDay.get(day) ?? [];
      list.push(zone);
      byDay.set(day, list);
    }
  }
  return byDay;
}

export function sweepJob(ctx: WorkerContext): JobDefinition<SweepPayload> {
  return {
    name: 'sweep',
    parse: parseSweepPayload,
    attempts: 3,
    backoffMs: 10_000,
    concurrency: 1,
    handle: async (_payload, job) => {
      const started = Date.now();
      const now = ctx.clock.now();
      // A newly published rule version re-plans its pending occurrences before new ones are written.
      await ctx.kernel.rebuildCatalogue();
      await replanChangedRules(ctx);
      const byDay = await daysByZone(ctx, now);
      const allZones = new Set([...byDay.values()].flat());
      const plans: Array<{ day: IsoDate; zones: string[] | null; rule: ReminderRule; ranges: AnchorRange[] }> = [];
      for (const [day, zones] of byDay) {
        for (const rule of ctx.kernel.rules()) {
          const ranges = dueAnchorRanges({ rule, day });
          if (ranges.length > 0) plans.push({ day, zones: zones.length === allZones.size ? null : zones, rule, ranges });
        }
      }
      // Each rule's chunks are queued as soon as they are planned, so the chunks run while the
      // other rules are planned; the sweep then waits for all of them.
      const chunkIds: string[] = [];
      await eachConcurrently(plans, ctx.config.chunkConcurrency, async ({ day, zones, rule, ranges }) => {
        const bounds = await chunkBoundaries(ctx.kernel.knex, { rule, anchor: ctx.kernel.anchorColumn(rule.trigger), day, ranges, zones, afterId: null, upToId: null }, ctx.config.sweepPageSize);
        const edges: Array<string | null> = [null, ...bounds, null];
        const chunks: Array<{ payload: SweepChunkPayload; jobId: string }> = [];
        for (let i = 0; i + 1 < edges.length; i += 1) {
          chunks.push({
            payload: { sweepId: job.jobId, day, ruleKey: rule.key, zones, afterId: edges[i] ?? null, upToId: edges[i + 1] ?? null },
            jobId: `${job.jobId}.${day}.${rule.key}.${i}`,
          });
        }
        await ctx.queues.addBulk(ctx.jobs.sweepChunk, chunks);
        chunkIds.push(...chunks.map((c) => c.jobId));
      });
      await ctx.queues.waitFor(ctx.jobs.sweepChunk.name, chunkIds);
      for (const [day, zones] of byDay) {
        for (const zone of zones) {
          const last = await ctx.queues.getField(LAST_SWEPT, zone);
          if (!last || last < day) await ctx.queues.setField(LAST_SWEPT, zone, day);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      ctx.metrics.lastSweepSeconds = seconds;
      ctx.metrics.sweeps += 1;
      ctx.log.info('sweep.done', { sweepId: job.jobId, days: byDay.size, chunks: chunkIds.length, seconds });
    },
  };
}
