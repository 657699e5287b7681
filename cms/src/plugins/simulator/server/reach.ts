import type { Core } from '@strapi/strapi';
import { addDays, checkOccurrence, dueAnchorRanges, type IsoDate, type ReminderRule } from '@mch/rules';
import { anchorColumn, knexOf, parseJsonList, toJourney, toMember, type JourneyRow, type MemberRow } from '../../../handbook/tables';

/** Candidates checked per day at most; beyond it the day's count is a lower bound (`capped`). */
export const REACH_CAP = 20_000;

const MEMBER_COLUMNS = [
  'external_id',
  'region_code',
  'institution_code',
  'locale',
  'time_zone',
  'enrolled_on',
  'muted_categories',
] as const;

export interface ReachDay {
  day: IsoDate;
  members: number;
  capped: boolean;
}

/**
 * How many current members a draft rule would send to on each of the next `days` days: one indexed
 * range query per day selects the journeys whose anchor date makes the rule due (dueAnchorRanges),
 * then rules/ checks the conditions on those candidates only. Members who muted the rule's category
 * are not counted; quiet hours only delay a reminder and do not change the count.
 */
export async function reachEstimate(
  strapi: Core.Strapi,
  {
    rule,
    from,
    days,
    institutionCode,
    regionPrefix,
  }: { rule: ReminderRule; from: IsoDate; days: number; institutionCode: string | null; regionPrefix: string | null },
): Promise<ReachDay[]> {
  const knex = knexOf(strapi);
  const sel = anchorColumn(rule.trigger);
  const result: ReachDay[] = [];
  for (let i = 0; i < days; i += 1) {
    const day = addDays(from, i);
    const ranges = dueAnchorRanges({ rule, day });
    if (ranges.length === 0) {
      result.push({ day, members: 0, capped: false });
      continue;
    }
    const query = knex('hb_journeys as j')
      .join('hb_members as m', 'm.id', 'j.member_id')
      .select('j.*', ...MEMBER_COLUMNS.map((c) => `m.${c} as m_${c}`))
      .whereIn('j.kind', sel.kinds)
      .where((w) => {
        for (const r of ranges)
          void w.orWhereBetween(`j.${sel.column}`, [addDays(r.from, sel.shift), addDays(r.to, sel.shift)]);
      })
      .where('j.enrolled_on', '<=', day)
      .where('m.enrolled_on', '<=', day)
      .limit(REACH_CAP + 1);
    if (sel.status) void query.where('j.status', sel.status);
    if (institutionCode !== null) void query.where('m.institution_code', institutionCode);
    if (regionPrefix !== null) void query.where('m.region_code', 'like', `${regionPrefix}%`);
    const rows = (await query) as Array<Record<string, unknown>>;
    const members = new Set<string>();
    for (const row of rows.slice(0, REACH_CAP)) {
      const memberRow = Object.fromEntries(MEMBER_COLUMNS.map((c) => [c, row[`m_${c}`]])) as unknown as MemberRow;
      if (parseJsonList(memberRow.muted_categories).includes(rule.category)) continue;
      const occurrence = checkOccurrence({
        rule,
        member: toMember(memberRow),
        journey: toJourney(row as unknown as JourneyRow),
        day,
      });
      if (occurrence) members.add(memberRow.external_id);
    }
    result.push({ day, members: members.size, capped: rows.length > REACH_CAP });
  }
  return result;
}
