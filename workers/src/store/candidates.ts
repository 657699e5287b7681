import type { Knex } from 'knex';
import { addDays, type AnchorRange, type IsoDate, type ReminderRule } from '@mch/rules';
import type { AnchorColumn } from '../kernel';
import { typed } from './typed';

/** Member columns the sweep needs, selected with each candidate journey (prefixed m_). */
const MEMBER_COLUMNS = [
  'id',
  'external_id',
  'region_code',
  'institution_code',
  'locale',
  'time_zone',
  'quiet_start',
  'quiet_end',
  'channels',
  'enrolled_on',
  'consent_version',
  'muted_categories',
  'last_active_on',
  'created_at',
  'updated_at',
] as const;

export interface CandidateRow {
  journey: Record<string, unknown>;
  member: Record<string, unknown>;
}

export interface CandidateQuery {
  rule: ReminderRule;
  /** Where the rule's anchor date is stored: `kernel.anchorColumn(rule.trigger)`. */
  anchor: AnchorColumn;
  day: IsoDate;
  ranges: AnchorRange[];
  /** null = every zone. */
  zones: string[] | null;
  afterId: string | null;
  upToId: string | null;
}

/** The journey's anchor date (its column, shifted as the mapping says) in one of the due ranges. */
function inAnchorRanges(q: CandidateQuery): (w: Knex.QueryBuilder) => void {
  const sel = q.anchor;
  return (w) => {
    for (const r of q.ranges) void w.orWhereBetween(`j.${sel.column}`, [addDays(r.from, sel.shift), addDays(r.to, sel.shift)]);
  };
}

/**
 * One indexed range query per (rule, anchor column): journeys whose anchor date falls in one of the
 * ranges, enrolled by the day (no back-fill before enrolment), in the given zones, of the rule's
 * institution, without a notification for this occurrence yet. Keyset-paginated by journey id.
 */
function base(knex: Knex, q: CandidateQuery): Knex.QueryBuilder {
  const sel = q.anchor;
  const query = knex('hb_journeys as j')
    .join('hb_members as m', 'm.id', 'j.member_id')
    .whereIn('j.kind', sel.kinds)
    .where(inAnchorRanges(q))
    .where('j.enrolled_on', '<=', q.day)
    .where('m.enrolled_on', '<=', q.day)
    .whereNotExists(
      knex('hb_notifications as n')
        .select(knex.raw('1'))
        .whereRaw('n.journey_id = j.id')
        .where('n.rule_key', q.rule.key)
        .where('n.scheduled_on', q.day),
    );
  if (sel.status) void query.where('j.status', sel.status);
  if (q.zones) void query.whereIn('m.time_zone', q.zones);
  if (q.rule.institutionCode !== null) void query.where('m.institution_code', q.rule.institutionCode);
  if (q.afterId !== null) void query.where('j.id', '>', q.afterId);
  if (q.upToId !== null) void query.where('j.id', '<=', q.upToId);
  return query;
}

/**
 * Keyset boundaries (the last id of each full chunk) splitting a rule's journeys into chunks of at
 * most `pageSize` candidates. Counted on the anchor-date index alone (kind, status, date ranges, id
 * range): the members, enrolment and "not yet written" tests are left to the chunk's own query, so a
 * chunk holds at most `pageSize` candidates (fewer when some are excluded) and planning costs an
 * index range scan per rule instead of the whole candidate query.
 */
export async function chunkBoundaries(knex: Knex, q: CandidateQuery, pageSize: number): Promise<string[]> {
  const sel = q.anchor;
  const inner = knex('hb_journeys as j')
    .whereIn('j.kind', sel.kinds)
    .where(inAnchorRanges(q))
    .select('j.id', knex.raw('row_number() over (order by j.id) as rn'));
  if (sel.status) void inner.where('j.status', sel.status);
  if (q.afterId !== null) void inner.where('j.id', '>', q.afterId);
  if (q.upToId !== null) void inner.where('j.id', '<=', q.upToId);
  const rows = await typed<Array<{ id: string }>>(knex
    .select('id')
    .from(inner.as('c'))
    .whereRaw('rn % ? = 0', [pageSize])
    .orderBy('id'));
  return rows.map((r) => r.id);
}

export async function candidatePage(knex: Knex, q: CandidateQuery, limit: number): Promise<CandidateRow[]> {
  const rows = await typed<Array<Record<string, unknown>>>(base(knex, q)
    .select('j.*', ...MEMBER_COLUMNS.map((c) => `m.${c} as m_${c}`))
    .orderBy('j.id')
    .limit(limit));
  return rows.map(splitRow);
}

/** A joined row → the journey's columns and the member's (selected with the prefix m_). */
function splitRow(row: Record<string, unknown>): CandidateRow {
  const journey: Record<string, unknown> = {};
  const member: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key.startsWith('m_')) member[key.slice(2)] = value;
    else journey[key] = value;
  }
  return { journey, member };
}

/** One journey with its member, split like a candidate. */
export async function journeyWithMember(knex: Knex, journeyId: string): Promise<CandidateRow | null> {
  const row = await typed<Record<string, unknown> | undefined>(knex('hb_journeys as j')
    .join('hb_members as m', 'm.id', 'j.member_id')
    .where('j.id', journeyId)
    .first('j.*', ...MEMBER_COLUMNS.map((c) => `m.${c} as m_${c}`)));
  return row ? splitRow(row) : null;
}

/** Several journeys with their members, by journey id (the delivery's re-check of a batch). */
export async function journeysWithMembers(knex: Knex, journeyIds: string[]): Promise<Map<string, CandidateRow>> {
  if (journeyIds.length === 0) return new Map();
  const rows = await typed<Array<Record<string, unknown>>>(knex('hb_journeys as j')
    .join('hb_members as m', 'm.id', 'j.member_id')
    .whereIn('j.id', journeyIds)
    .select('j.*', ...MEMBER_COLUMNS.map((c) => `m.${c} as m_${c}`)));
  return new Map(rows.map((row) => {
    const split = splitRow(row);
    return [String(split.journey.id), split];
  }));
}
