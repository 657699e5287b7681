import { checkOccurrence, dueAnchorRanges } from '@mch/rules';
import type { WorkerContext } from '../../context';
import { memoDeliverAfter } from '../../delivery-window';
import { errorText } from '../../log';
import type { JobDefinition } from '../../queue';
import { candidatePage } from '../../store/candidates';
import { notificationColumns, scheduleNotifications } from '../../store/schedule';
import { parseSweepChunkPayload, type SweepChunkPayload } from './payload';

/**
 * One chunk of a sweep: the candidates of one rule on one local day (one keyset range of journey
 * ids), checked with checkOccurrence; each due occurrence is written and queued. Idempotent: a
 * re-run finds the written ones excluded by the candidate query.
 */
export function sweepChunkJob(ctx: WorkerContext): JobDefinition<SweepChunkPayload> {
  return {
    name: 'sweep-chunk',
    parse: parseSweepChunkPayload,
    attempts: 5,
    backoffMs: 2000,
    concurrency: ctx.config.chunkConcurrency,
    handle: async (payload) => {
      const rule = ctx.kernel.rules().find((r) => r.key === payload.ruleKey);
      if (!rule) return; // unpublished since the sweep planned it
      const ranges = dueAnchorRanges({ rule, day: payload.day });
      const anchor = ctx.kernel.anchorColumn(rule.trigger);
      if (ranges.length === 0) return;
      const page = ctx.config.sweepPageSize;
      let afterId = payload.afterId;
      for (;;) {
        const candidates = await candidatePage(ctx.kernel.knex, { rule, anchor, day: payload.day, ranges, zones: payload.zones, afterId, upToId: payload.upToId }, page);
        const now = ctx.clock.now();
        const pushWindow = memoDeliverAfter();
        const rows: Array<Record<string, unknown>> = [];
        for (const c of candidates) {
          const member = ctx.kernel.toMember(c.member);
          const journey = ctx.kernel.toJourney(c.journey);
          try {
            const occurrence = checkOccurrence({ rule, member, journey, day: payload.day });
            if (occurrence) rows.push(notificationColumns({ rule, occurrence, member: c.member, now, window: pushWindow }));
          } catch (error) {
            // Bad stored data must not stop the chunk: log the ids, skip the journey.
            ctx.log.error('sweep.check-failed', { journeyId: journey.id, ruleKey: rule.key, error: errorText(error) });
          }
        }
        await scheduleNotifications(ctx, rows);
        if (candidates.length < page) return;
        afterId = String(candidates[candidates.length - 1]!.journey.id);
      }
    },
  };
}
