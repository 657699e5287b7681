import type { Knex } from 'knex';
import { type Period, wholeQuarterStarts } from './period';
import { type MemberFilter, whereMembers } from './scope-filter';

/** The three populations of the quarterly form: 计划怀孕妇女, 孕妇, 儿童 (journey kinds preconception, pregnancy, child). */
export const POPULATIONS = ['planning', 'pregnant', 'child'] as const;
export type Population = (typeof POPULATIONS)[number];

const POPULATION_OF_KIND: Partial<Record<string, Population>> = { preconception: 'planning', pregnancy: 'pregnant', child: 'child' };

/**
 * 发放 (enrolled): members with a journey of the population enrolled in the period.
 * 使用 (used): those of them who read their feed or inbox at least once in the period.
 * 使用率 = used / enrolled, null when nothing was enrolled (never NaN). docs/decisions/005.
 */
export interface Figures {
  enrolled: number;
  used: number;
  rate: number | null;
}

/** One aggregated cell: a county (the member's region code), an issuing institution, a population. */
export interface CoverageGroup {
  regionCode: string | null;
  institutionCode: string | null;
  population: Population;
  enrolled: number;
  used: number;
}

export type ByPopulation = Record<Population, Figures>;

export function rateOf(used: number, enrolled: number): number | null {
  return enrolled === 0 ? null : Math.round((used / enrolled) * 10_000) / 10_000;
}

export function emptyByPopulation(): ByPopulation {
  return { planning: { enrolled: 0, used: 0, rate: null }, pregnant: { enrolled: 0, used: 0, rate: null }, child: { enrolled: 0, used: 0, rate: null } };
}

/** Which table says whether a cohort member was active in the period (decision 011). */
type ActivitySource = { table: 'quarters'; quarterStarts: string[] } | { table: 'days' };

function activitySource(period: Period, options: { byDay?: boolean }): ActivitySource {
  const quarterStarts = options.byDay ? null : wholeQuarterStarts(period);
  return quarterStarts ? { table: 'quarters', quarterStarts } : { table: 'days' };
}

/**
 * One grouped query: the cohort enrolled in the period (distinct member × journey kind, from the
 * index hb_journeys_stats_enrolled_idx), merged with its members' region and institution (covering
 * index hb_members_stats_idx), each tested for activity in the period. The result has one row per
 * county × institution × population — a few thousand at most for a province — and only those rows
 * are folded in JS.
 *
 * Activity (decision 011): a period of whole quarters reads hb_member_active_quarters, one row per
 * member and quarter — for one quarter a left join (at most one row per member, by its primary key),
 * which PostgreSQL merges with the cohort in member order; for several an EXISTS. Any other range
 * reads the day table hb_member_activity (index hb_member_activity_stats_idx). Both say the same: a
 * quarter row exists exactly when an activity day in that quarter does; the integration test checks
 * them against each other, for which `byDay` forces the day table.
 */
export function coverageQuery(knex: Knex, period: Period, filter: MemberFilter, options: { byDay?: boolean } = {}): Knex.QueryBuilder {
  const cohort = knex({ j: 'hb_journeys' }).distinct('j.member_id', 'j.kind').whereBetween('j.enrolled_on', [period.from, period.to]).as('c');
  const query = knex
    .from(cohort)
    .join({ m: 'hb_members' }, 'm.id', 'c.member_id')
    .select({ region_code: 'm.region_code', institution_code: 'm.institution_code', kind: 'c.kind' })
    .count({ enrolled: '*' })
    .groupBy('m.region_code', 'm.institution_code', 'c.kind');
  const source = activitySource(period, options);
  const oneQuarter = source.table === 'quarters' && source.quarterStarts.length === 1 ? source.quarterStarts[0] : undefined;
  if (oneQuarter !== undefined) {
    query
      .leftJoin({ a: 'hb_member_active_quarters' }, (on) => {
        on.on('a.member_id', '=', 'c.member_id').andOnVal('a.quarter_start', '=', oneQuarter);
      })
      .count({ used: 'a.member_id' });
  } else {
    const active =
      source.table === 'quarters'
        ? knex({ a: 'hb_member_active_quarters' }).whereIn('a.quarter_start', source.quarterStarts)
        : knex({ a: 'hb_member_activity' }).whereBetween('a.day', [period.from, period.to]);
    active.select(knex.raw('1')).whereRaw('?? = ??', ['a.member_id', 'c.member_id']);
    query.select(knex.raw('SUM(CASE WHEN EXISTS ? THEN 1 ELSE 0 END) AS ??', [active, 'used']));
  }
  return whereMembers(query, filter);
}

export async function coverageGroups(knex: Knex, period: Period, filter: MemberFilter, options: { byDay?: boolean } = {}): Promise<CoverageGroup[]> {
  type Row = { region_code: string | null; institution_code: string | null; kind: string; enrolled: number | string; used: number | string | null };
  const rows = (await coverageQuery(knex, period, filter, options)) as Row[];
  return rows.flatMap((r): CoverageGroup[] => {
    const population = POPULATION_OF_KIND[r.kind];
    if (!population) return [];
    return [{ regionCode: r.region_code, institutionCode: r.institution_code, population, enrolled: Number(r.enrolled), used: Number(r.used ?? 0) }];
  });
}

/** Sums groups into figures per population, keyed by `keyOf` (null key = one total). */
export function foldGroups(groups: CoverageGroup[], keyOf: (g: CoverageGroup) => string): Map<string, ByPopulation> {
  const out = new Map<string, ByPopulation>();
  for (const g of groups) {
    const k = keyOf(g);
    let row = out.get(k);
    if (!row) out.set(k, (row = emptyByPopulation()));
    row[g.population].enrolled += g.enrolled;
    row[g.population].used += g.used;
  }
  for (const row of out.values()) for (const p of POPULATIONS) row[p].rate = rateOf(row[p].used, row[p].enrolled);
  return out;
}

export function totalOf(groups: CoverageGroup[]): ByPopulation {
  return foldGroups(groups, () => 'all').get('all') ?? emptyByPopulation();
}

/** The city code (GB/T 2260) of a county code: '350102' → '350100'. */
export const cityOf = (regionCode: string | null): string => (regionCode && /^\d{6}$/.test(regionCode) ? `${regionCode.slice(0, 4)}00` : '');
