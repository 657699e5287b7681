import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { parse } from '../../../handbook/requests';
import { isPostgres } from '../../../handbook/tables';
import { type AdminScope, resolveAdminScope } from '../../../admin-scope';
import { completeness } from './completeness';
import { type ByPopulation, cityOf, coverageGroups, foldGroups, totalOf } from './coverage';
import { funnel } from './funnel';
import { type Period, measureQuery, periodOf, quarterPeriod, quartersBetween, trendQuery } from './period';
import { quarterlyReportCsv } from './quarterly-report';
import { type MemberFilter, memberFilter } from './scope-filter';

interface Institution {
  code: string;
  name: string;
  type: string;
}

interface Request {
  knex: Knex;
  scope: AdminScope;
  filter: MemberFilter;
}

/**
 * Planner settings for a report's read-only transaction (PostgreSQL only; SET LOCAL ends with it, so
 * the host-app API's connections keep the server's settings):
 * - work_mem 64 MB: a province-wide quarter aggregates in memory instead of spilling to disk;
 * - random_page_cost 1.1, the usual value for SSD storage: with the default 4 the planner hashes all
 *   2.5 M members instead of merging the sorted cohort with the covering index hb_members_stats_idx
 *   (3–4× slower on the benchmark);
 * - jit off: compiling these queries cost ~200 ms, more than it saved.
 * docs/decisions/005; BENCHMARKS.md (stats).
 */
export const REPORT_SETTINGS = ["SET LOCAL work_mem = '64MB'", 'SET LOCAL random_page_cost = 1.1', 'SET LOCAL jit = off'];

/**
 * Coverage also turns hash joins off: for one quarter the cohort, already sorted by member for the
 * merge with hb_members, is left-joined to the quarter's rows of hb_member_active_quarters, and
 * merging them in member order took 1.1–1.2 s where the planner's choice, hashing the quarter's
 * 0.78 M rows, took 1.65 s (benchmark, decision 011). No other join in that query is a hash join.
 */
export const COVERAGE_SETTINGS = [...REPORT_SETTINGS, 'SET LOCAL enable_hashjoin = off'];

/**
 * Completeness reads the quarter's journeys (heap: LMP, EDD, risk colour) and their members. The
 * planner's choice, a parallel hash join over all 2.5 M members' index entries, took 2.1–2.8 s on the
 * shared 2-core machine; one process merging the journeys, sorted by member, with the members'
 * covering index took 0.77–0.80 s (benchmark, decision 011).
 */
export const COMPLETENESS_SETTINGS = [...COVERAGE_SETTINGS, 'SET LOCAL max_parallel_workers_per_gather = 0'];

function inReportSession<T>(knex: Knex, fn: (k: Knex) => Promise<T>, settings: string[] = REPORT_SETTINGS): Promise<T> {
  if (!isPostgres(knex)) return fn(knex);
  return knex.transaction(async (trx) => {
    for (const setting of settings) await trx.raw(setting);
    return fn(trx);
  });
}

const coverageInReportSession = (knex: Knex, period: Period, filter: MemberFilter) =>
  inReportSession(knex, (k) => coverageGroups(k, period, filter), COVERAGE_SETTINGS);

/** The caller's scope (fail closed) and the request's narrowing. */
async function requestOf(strapi: Core.Strapi, adminUserId: number, asked: { region?: string; institution?: string }): Promise<Request> {
  const scope = await resolveAdminScope(strapi, adminUserId);
  return { knex: strapi.db.connection, scope, filter: memberFilter(scope, asked) };
}

async function institutions(strapi: Core.Strapi): Promise<Map<string, Institution>> {
  const rows = (await strapi.db.query('api::institution.institution').findMany({ select: ['code', 'name', 'type'] })) as Institution[];
  return new Map(rows.map((r) => [r.code, r]));
}

const periodView = (p: Period) => ({ from: p.from, to: p.to, quarter: p.quarter });

/** Today in China Standard Time (the form's 填表时间). */
const todayInChina = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function statistics(strapi: Core.Strapi) {
  return {
    async coverage(adminUserId: number, query: unknown) {
      const q = parse(measureQuery, query);
      const period = periodOf(q);
      const { knex, scope, filter } = await requestOf(strapi, adminUserId, q);
      const [groups, known] = await Promise.all([coverageInReportSession(knex, period, filter), institutions(strapi)]);
      const rows = <K extends string>(name: K, map: Map<string, ByPopulation>) =>
        [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, figures]) => ({ [name]: key || null, ...figures }) as Record<K, string | null> & ByPopulation);
      return {
        period: periodView(period),
        scope,
        totals: totalOf(groups),
        byCounty: rows('regionCode', foldGroups(groups, (g) => g.regionCode ?? '')),
        byCity: rows('cityCode', foldGroups(groups, (g) => cityOf(g.regionCode))),
        byInstitution: rows('institutionCode', foldGroups(groups, (g) => g.institutionCode ?? '')).map((row) => {
          const institution = row.institutionCode ? known.get(row.institutionCode) : undefined;
          return Object.assign({}, row, { name: institution?.name ?? null, type: institution?.type ?? null });
        }),
      };
    },

    async trend(adminUserId: number, query: unknown) {
      const q = parse(trendQuery, query);
      const { knex, scope, filter } = await requestOf(strapi, adminUserId, q);
      const quarters = [];
      for (const quarter of quartersBetween(q.fromQuarter, q.toQuarter)) {
        quarters.push({ quarter, ...totalOf(await coverageInReportSession(knex, quarterPeriod(quarter), filter)) });
      }
      return { scope, quarters };
    },

    async completeness(adminUserId: number, query: unknown) {
      const q = parse(measureQuery, query);
      const period = periodOf(q);
      const { knex, scope, filter } = await requestOf(strapi, adminUserId, q);
      return { period: periodView(period), scope, populations: await inReportSession(knex, (k) => completeness(k, period, filter), COMPLETENESS_SETTINGS) };
    },

    async funnel(adminUserId: number, query: unknown) {
      const q = parse(measureQuery, query);
      const period = periodOf(q);
      const { knex, scope, filter } = await requestOf(strapi, adminUserId, q);
      return { period: periodView(period), scope, rows: await inReportSession(knex, (k) => funnel(k, period, filter)) };
    },

    async quarterlyReport(adminUserId: number, query: unknown): Promise<{ filename: string; csv: string }> {
      const q = parse(measureQuery, query);
      const period = periodOf(q);
      const { knex, filter } = await requestOf(strapi, adminUserId, q);
      const [groups, known] = await Promise.all([coverageInReportSession(knex, period, filter), institutions(strapi)]);
      const institutionTypes = new Map([...known.values()].map((i) => [i.code, i.type]));
      const csv = quarterlyReportCsv({ period, groups, institutionTypes, filledOn: todayInChina() });
      return { filename: `quarterly-report-${period.quarter ?? `${period.from}_${period.to}`}.csv`, csv };
    },
  };
}
