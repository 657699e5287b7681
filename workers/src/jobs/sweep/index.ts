import { addDays, dueAnchorRanges, localDay, type IsoDate } from '@mch/rules';
import { MEMBERS, type WorkerContext } from '../../context';
import type { JobDefinition } from '../../queue';
import { chunkBoundaries } from '../../store/candidates';
import { replanChangedRules } from '../../store/replan';
import type { SweepChunkPayload } from '../sweep-chunk/payload';
import { parseSweepPayload, type SweepPayload } from './payload';
import { typed } from '../../store/typed';

const LAST_SWEPT = 'last-swept-day';

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
      const chunks: Array<{ payload: SweepChunkPayload; jobId: string }> = [];
      for (const [day, zones] of byDay) {
        const zoneFilter = zones.length === allZones.size ? null : zones;
        for (const rule of ctx.kernel.rules()) {
          const ranges = dueAnchorRanges({ rule, day });
          if (ranges.length === 0) continue;
          const bounds = await chunkBoundaries(ctx.kernel.knex, { rule, anchor: ctx.kernel.anchorColumn(rule.trigger), day, ranges, zones: zoneFilter, afterId: null, upToId: null }, ctx.config.sweepPageSize);
          const edges: Array<string | null> = [null, ...bounds, null];
          for (let i = 0; i + 1 < edges.length; i += 1) {
            chunks.push({
              payload: { sweepId: job.jobId, day, ruleKey: rule.key, zones: zoneFilter, afterId: edges[i] ?? null, upToId: edges[i + 1] ?? null },
              jobId: `${job.jobId}.${day}.${rule.key}.${i}`,
            });
          }
        }
      }
      await ctx.queues.addBulk(ctx.jobs.sweepChunk, chunks);
      await ctx.queues.waitFor(
        ctx.jobs.sweepChunk.name,
        chunks.map((c) => c.jobId),
      );
      for (const [day, zones] of byDay) {
        for (const zone of zones) {
          const last = await ctx.queues.getField(LAST_SWEPT, zone);
          if (!last || last < day) await ctx.queues.setField(LAST_SWEPT, zone, day);
        }
      }
      const seconds = (Date.now() - started) / 1000;
      ctx.metrics.lastSweepSeconds = seconds;
      ctx.metrics.sweeps += 1;
      ctx.log.info('sweep.done', { sweepId: job.jobId, days: byDay.size, chunks: chunks.length, seconds });
    },
  };
}
