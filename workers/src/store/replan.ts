import { checkOccurrence, type ReminderRule } from '@mch/rules';
import { NOTIFICATIONS, PENDING, deliveryJobId, type WorkerContext } from '../context';
import { journeyWithMember } from './candidates';
import { notificationColumns } from './schedule';
import { typed } from './typed';

const PAGE = 500;

/**
 * Pending notifications written under an older version of their rule (or of a rule no longer
 * published) are re-planned: re-checked with the current version on their day, then re-rendered and
 * re-timed, or cancelled. Guarded by status, so a row a delivery has claimed is left alone.
 */
export async function replanChangedRules(ctx: WorkerContext): Promise<{ updated: number; cancelled: number }> {
  const knex = ctx.kernel.knex;
  const rules = new Map<string, ReminderRule>(ctx.kernel.rules().map((r) => [r.key, r]));
  let updated = 0;
  let cancelled = 0;
  let afterId = 0;
  for (;;) {
    const q = knex(`${NOTIFICATIONS} as n`)
      .whereIn('n.status', PENDING)
      .where('n.id', '>', afterId)
      .orderBy('n.id')
      .limit(PAGE)
      .select('n.id', 'n.rule_key', 'n.rule_version', 'n.scheduled_on', 'n.journey_id', 'n.deliver_after');
    if (rules.size > 0) {
      void q.where((w) => {
        void w.whereNotIn('n.rule_key', [...rules.keys()]);
        for (const r of rules.values()) void w.orWhere((x) => void x.where('n.rule_key', r.key).whereNot('n.rule_version', r.version));
      });
    }
    const rows = await typed<Array<{ id: string | number; rule_key: string; rule_version: number; scheduled_on: unknown; journey_id: string; deliver_after: Date | string }>>(q);
    if (rows.length === 0) break;
    afterId = Number(rows[rows.length - 1]!.id);
    for (const row of rows) {
      const now = ctx.clock.now();
      const rule = rules.get(row.rule_key);
      const cancel = async (reason: string) => {
        cancelled += await knex(NOTIFICATIONS).where({ id: row.id }).whereIn('status', PENDING).update({ status: 'cancelled', reason, updated_at: now });
      };
      if (!rule) {
        await cancel('rule-withdrawn');
        continue;
      }
      const joined = await journeyWithMember(knex, row.journey_id);
      if (!joined) continue;
      const { member: memberRow, journey: journeyRow } = joined;
      const day = String(row.scheduled_on instanceof Date ? row.scheduled_on.toISOString() : row.scheduled_on).slice(0, 10);
      const occurrence = checkOccurrence({ rule, member: ctx.kernel.toMember(memberRow), journey: ctx.kernel.toJourney(journeyRow), day });
      if (!occurrence) {
        await cancel('rule-changed');
        continue;
      }
      const columns = notificationColumns({ rule, occurrence, member: memberRow, now });
      const n = await knex(NOTIFICATIONS)
        .where({ id: row.id })
        .whereIn('status', PENDING)
        .update({
          rule_version: rule.version,
          title: columns.title,
          body: columns.body,
          category: columns.category,
          priority: columns.priority,
          push: columns.push,
          inbox: columns.inbox,
          deliver_after: columns.deliver_after,
          updated_at: now,
        });
      updated += n;
      if (n > 0 && new Date(columns.deliver_after as Date).getTime() !== new Date(row.deliver_after).getTime()) {
        await ctx.queues.reschedule(ctx.jobs.deliver, { notificationIds: [String(row.id)] }, {
          jobId: deliveryJobId(row.id),
          delayMs: new Date(columns.deliver_after as Date).getTime() - now.getTime(),
        });
      }
    }
  }
  if (updated + cancelled > 0) ctx.log.info('replan.rules', { updated, cancelled });
  ctx.metrics.inc('mch_notifications_total', { outcome: 'cancelled' }, cancelled);
  return { updated, cancelled };
}
