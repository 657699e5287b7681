import type { Knex } from 'knex';
import type { Period } from './period';
import { type MemberFilter, whereMembers } from './scope-filter';

/**
 * The notification funnel of one rule at one institution (the member's), for notifications
 * scheduled in the period: scheduled (every occurrence planned) → sent → read; skipped and failed by
 * reason; cancelled (loss, birth, corrections) and still pending.
 */
export interface FunnelRow {
  ruleKey: string;
  institutionCode: string | null;
  scheduled: number;
  sent: number;
  read: number;
  /** read / sent, null when nothing was sent. */
  readRate: number | null;
  pending: number;
  cancelled: number;
  skipped: Record<string, number>;
  failed: Record<string, number>;
}

const PENDING = new Set(['scheduled', 'queued', 'sending']);
/** Reason recorded as null: counted under this key. */
export const NO_REASON = 'unspecified';

export async function funnel(knex: Knex, period: Period, filter: MemberFilter): Promise<FunnelRow[]> {
  const query = knex({ n: 'hb_notifications' })
    .join({ m: 'hb_members' }, 'm.id', 'n.member_id')
    .whereBetween('n.scheduled_on', [period.from, period.to])
    .select({ rule_key: 'n.rule_key', institution_code: 'm.institution_code', status: 'n.status', reason: 'n.reason' })
    .count({ total: '*' })
    .select({ read: knex.raw('SUM(CASE WHEN n.read_at IS NOT NULL THEN 1 ELSE 0 END)') })
    .groupBy('n.rule_key', 'm.institution_code', 'n.status', 'n.reason');
  type Row = { rule_key: string; institution_code: string | null; status: string; reason: string | null; total: string | number; read: string | number | null };
  const rows = (await whereMembers(query, filter)) as Row[];

  const byKey = new Map<string, FunnelRow>();
  for (const r of rows) {
    const key = `${r.rule_key}\u0000${r.institution_code ?? ''}`;
    let row = byKey.get(key);
    if (!row) {
      row = { ruleKey: r.rule_key, institutionCode: r.institution_code, scheduled: 0, sent: 0, read: 0, readRate: null, pending: 0, cancelled: 0, skipped: {}, failed: {} };
      byKey.set(key, row);
    }
    const n = Number(r.total);
    row.scheduled += n;
    row.read += Number(r.read ?? 0);
    if (r.status === 'sent') row.sent += n;
    else if (r.status === 'cancelled') row.cancelled += n;
    else if (PENDING.has(r.status)) row.pending += n;
    else if (r.status === 'skipped' || r.status === 'failed') {
      const bucket = r.status === 'skipped' ? row.skipped : row.failed;
      const reason = r.reason ?? NO_REASON;
      bucket[reason] = (bucket[reason] ?? 0) + n;
    }
  }
  const out = [...byKey.values()];
  for (const row of out) row.readRate = row.sent === 0 ? null : Math.round((row.read / row.sent) * 10_000) / 10_000;
  return out.sort((a, b) => a.ruleKey.localeCompare(b.ruleKey) || (a.institutionCode ?? '').localeCompare(b.institutionCode ?? ''));
}
