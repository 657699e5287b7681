/**
 * npm run bench:stats — coverage statistics for a province-wide quarter over 2.5 M members
 * (issue 8). Synthetic data generated in SQL (generate_series) in a dedicated PostgreSQL schema, kept
 * between runs (regenerated when the member count differs). The app runs in this process; each
 * measure is asked for over HTTP as an admin would, so auth, scope and CSV rendering are included.
 * Baseline, in the same run: the same coverage SQL on a plain connection with the server's default
 * planner settings (work_mem 4 MB, random_page_cost 4, JIT on), i.e. without the report session.
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStrapi } from '@strapi/strapi';
import { Client } from 'pg';
import { benchServerEnv } from './bench-env';
import { backfillActiveQuartersSql } from '../database/migrations/2026.11.23T16.00.00.member-active-quarters';
import { coverageQuery } from '../src/plugins/stats/server/coverage';
import { quarterPeriod } from '../src/plugins/stats/server/period';
import { COVERAGE_SETTINGS } from '../src/plugins/stats/server/statistics';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'bench_stats';
const PORT = Number(process.env.BENCH_PORT ?? 1398);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 2_500_000);
const INSTITUTIONS = 900;
const RUNS = 5;
const QUARTER = '2026Q4';
const TARGET_MS = 2000;
const CMS = path.resolve(__dirname, '..');

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${SCHEMA}`);
    return await fn(client);
  } finally {
    await client.end();
  }
}

// Institution i: city 1–9, county 02–11 (90 counties), types in turn.
const REGION_OF = (i: string) => `'35' || lpad((1 + (${i}) % 9)::text, 2, '0') || lpad((2 + ((${i}) / 9) % 10)::text, 2, '0')`;
// Members are created when they enrol, so ids rise with the enrolment day (the rollout year: 2026-06-10 … 2027-06-29).
const ENROLLED_ON = (i: string) => `(DATE '2026-06-10' + ((${i})::bigint * 385 / ${MEMBERS})::int)`;
/**
 * Data layout version: a run regenerates when it differs from the stored one. 3 = with
 * hb_member_active_quarters; version 2 data is upgraded in place by the migration's backfill statement.
 */
const DATA_VERSION = 3;
const JOURNEY_ID = (i: string, variant = '8000') => `format('00000000-0000-4000-${variant}-%s', lpad((${i})::text, 12, '0'))`;

/**
 * ~2.5 M members with one journey each (15 % pregnancies, 5 % planning, 80 % children); two thirds of
 * the pregnancies also get the baby's journey 150–210 days later; ~3 active days per member; a
 * notification for every second member. Rows are inserted in the order the platform writes them
 * (members and journeys as they enrol, activity and notifications by day).
 */
async function generate(): Promise<void> {
  const started = performance.now();
  await withClient(async (c) => {
    const step = async (label: string, sql: string) => {
      const t = performance.now();
      await c.query(sql);
      process.stdout.write(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    };
    await step('truncate', 'DROP TABLE IF EXISTS bench_meta; TRUNCATE hb_delivery_attempts, hb_notifications, hb_member_active_quarters, hb_member_activity, hb_journey_events, hb_journeys, hb_members RESTART IDENTITY CASCADE');
    await step(
      'institutions',
      `DELETE FROM institutions WHERE code LIKE 'BI-%';
       INSERT INTO institutions (document_id, name, code, type, region_code, sample, created_at, updated_at, published_at)
       SELECT md5('bench-institution-' || i), '基准机构 ' || i, 'BI-' || i,
              (ARRAY['midwifery', 'primary-care', 'mch-hospital', 'health-commission'])[1 + i % 4], ${REGION_OF('i')}, false, now(), now(), now()
       FROM generate_series(0, ${INSTITUTIONS - 1}) i`,
    );
    await step(
      'members',
      `INSERT INTO hb_members (id, external_id, region_code, institution_code, enrolled_on)
       SELECT i, 'bench-' || i,
              CASE WHEN i % 97 = 0 THEN NULL ELSE ${REGION_OF(`i % ${INSTITUTIONS}`)} END,
              CASE WHEN i % 89 = 0 THEN NULL ELSE 'BI-' || (i % ${INSTITUTIONS}) END,
              ${ENROLLED_ON('i')}
       FROM generate_series(1, ${MEMBERS}) i;
       SELECT setval(pg_get_serial_sequence('hb_members', 'id'), ${MEMBERS})`,
    );
    await step(
      'journeys',
      `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, started_on, lmp, effective_lmp, risk_colour, birth_date, corrected_birth_date)
       SELECT ${JOURNEY_ID('i')}, i, k.kind, 'active', ${ENROLLED_ON('i')},
              CASE WHEN k.kind = 'preconception' THEN ${ENROLLED_ON('i')} END,
              CASE WHEN k.kind = 'pregnancy' AND i % 50 <> 0 THEN ${ENROLLED_ON('i')} - (i % 200)::int END,
              CASE WHEN k.kind = 'pregnancy' AND i % 50 <> 0 THEN ${ENROLLED_ON('i')} - (i % 200)::int END,
              CASE WHEN k.kind = 'pregnancy' AND i % 10 <> 0 THEN 'green' END,
              CASE WHEN k.kind = 'child' THEN ${ENROLLED_ON('i')} - (i % 2000)::int END,
              CASE WHEN k.kind = 'child' THEN ${ENROLLED_ON('i')} - (i % 2000)::int END
       FROM generate_series(1, ${MEMBERS}) i
       CROSS JOIN LATERAL (SELECT CASE WHEN i % 100 < 15 THEN 'pregnancy' WHEN i % 100 < 20 THEN 'preconception' ELSE 'child' END AS kind) k`,
    );
    await step(
      'activity',
      `INSERT INTO hb_member_activity (member_id, day)
       SELECT i, ${ENROLLED_ON('i')} + ((i * 31 + s * 13) % 120)::int AS day
       FROM generate_series(1, ${MEMBERS}) i, generate_series(0, 5) s
       WHERE s < i % 7
       ORDER BY day`,
    );
    await step('active quarters', backfillActiveQuartersSql('postgresql'));
    await step(
      'notifications',
      `INSERT INTO hb_notifications (member_id, journey_id, rule_key, rule_version, scheduled_on, deliver_after, status, reason, locale, category, priority, title, body, sent_at, read_at)
       SELECT i, ${JOURNEY_ID('i')}, 'rule-' || (i % 40), 1, ${ENROLLED_ON('i')} + (i % 90)::int, (${ENROLLED_ON('i')} + (i % 90)::int)::timestamptz,
              COALESCE((ARRAY['skipped', 'failed', 'cancelled', 'scheduled'])[1 + i % 20 / 2], 'sent'),
              CASE WHEN i % 40 < 2 THEN 'muted' WHEN i % 40 < 4 THEN 'http-503' END,
              'zh-Hans', 'screening', 50, '提醒', '正文',
              CASE WHEN i % 20 >= 8 THEN now() END, CASE WHEN i % 20 >= 8 AND i % 3 = 0 THEN now() END
       FROM generate_series(2, ${MEMBERS}, 2) i
       ORDER BY 5`,
    );
    await step(
      'babies',
      `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, birth_date, corrected_birth_date)
       SELECT ${JOURNEY_ID('i', '9000')}, i, 'child', 'active', d.day, d.day, d.day
       FROM generate_series(1, ${MEMBERS}) i
       CROSS JOIN LATERAL (SELECT ${ENROLLED_ON('i')} + 150 + (i % 61)::int AS day) d
       WHERE i % 100 < 10
       ORDER BY d.day`,
    );
    await step('version', setVersionSql);
  });
  process.stdout.write(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

const setVersionSql = `CREATE TABLE IF NOT EXISTS bench_meta (version int); DELETE FROM bench_meta; INSERT INTO bench_meta VALUES (${DATA_VERSION})`;

/**
 * Version 2 → 3: the same rows plus hb_member_active_quarters, filled by the migration's backfill
 * statement. Skipped when the table already has rows: the migration (run by strapi.start above) filled
 * it from the version 2 data that existed then, and version 2 data generated after the migration left
 * it empty (the generator's TRUNCATE … CASCADE), so a non-empty table is complete.
 */
async function upgradeFromVersion2(): Promise<void> {
  const t = performance.now();
  await withClient(async (c) => {
    const filled = await c.query('SELECT 1 FROM hb_member_active_quarters LIMIT 1');
    if (filled.rowCount === 0) await c.query(backfillActiveQuartersSql('postgresql'));
    await c.query(setVersionSql);
  });
  process.stdout.write(`  active quarters from the activity days: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

/** Visibility map and statistics up to date (index-only scans); quick when nothing changed since the last run. */
async function vacuumAnalyze(): Promise<void> {
  const t = performance.now();
  await withClient(async (c) => {
    for (const table of ['hb_members', 'hb_journeys', 'hb_member_activity', 'hb_member_active_quarters', 'hb_notifications', 'institutions']) await c.query(`VACUUM ANALYZE ${table}`);
  });
  process.stdout.write(`  vacuum analyze: ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
}

async function counts(): Promise<Record<string, number>> {
  return withClient(async (c) => {
    const out: Record<string, number> = {};
    for (const t of ['hb_members', 'hb_journeys', 'hb_member_activity', 'hb_member_active_quarters', 'hb_notifications']) {
      out[t] = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]?.n ?? 0);
    }
    const meta = await c.query<{ version: number }>(`SELECT version FROM bench_meta`).catch(() => ({ rows: [] }));
    out.version = meta.rows[0]?.version ?? 0;
    return out;
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function timed(fn: () => Promise<void>): Promise<{ first: number; median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i += 1) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return { first: times[0] ?? Number.NaN, median: median(times.slice(1)), max: Math.max(...times.slice(1)) };
}

async function main(): Promise<void> {
  const admin = new Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await admin.end();

  Object.assign(process.env, benchServerEnv({ databaseUrl: DATABASE_URL, schema: SCHEMA, port: PORT }));
  const strapi = createStrapi({ appDir: CMS, distDir: path.join(CMS, 'dist'), autoReload: false, serveAdminPanel: false });
  await strapi.start();
  try {
    let rows = await counts();
    // bench_meta is written last: its version means a complete earlier run of this generator.
    if (rows.hb_members === MEMBERS && rows.version === 2) {
      process.stdout.write(`upgrading the data in schema ${SCHEMA} from version 2 to ${DATA_VERSION} …\n`);
      await upgradeFromVersion2();
      rows = await counts();
    }
    if (rows.hb_members !== MEMBERS || rows.version !== DATA_VERSION) {
      process.stdout.write(`generating ${MEMBERS.toLocaleString('en')} members in schema ${SCHEMA} …\n`);
      await generate();
      rows = await counts();
    } else {
      process.stdout.write(`reusing the data in schema ${SCHEMA} (delete the schema to regenerate)\n`);
    }
    await vacuumAnalyze();

    // A super admin (province scope), logged in over HTTP.
    const superRole = (await strapi.db.query('admin::role').findOne({ where: { code: 'strapi-super-admin' } })) as { id: number };
    const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
    const password = `Pw-${randomBytes(6).toString('hex')}-9a`;
    await (strapi.service('admin::user') as unknown as { create(a: Record<string, unknown>): Promise<unknown> }).create({
      email,
      firstname: 'Bench',
      password,
      isActive: true,
      roles: [superRole.id],
    });
    const base = `http://127.0.0.1:${PORT}`;
    const login = (await (await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })).json()) as {
      data: { token: string };
    };
    const get = async (p: string) => {
      const res = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${login.data.token}` } });
      if (res.status !== 200) throw new Error(`${p}: HTTP ${res.status} ${await res.text()}`);
      return res.text();
    };

    const coverageBody = JSON.parse(await get(`/stats/coverage?quarter=${QUARTER}`)) as { totals: Record<string, { enrolled: number; used: number; rate: number | null }>; byCounty: unknown[] };
    const measures: Array<[string, string]> = [
      ['coverage (JSON: totals, counties, cities, institutions)', `/stats/coverage?quarter=${QUARTER}`],
      ['quarterly report CSV', `/stats/quarterly-report.csv?quarter=${QUARTER}`],
      ['data completeness', `/stats/completeness?quarter=${QUARTER}`],
      ['notification funnel', `/stats/funnel?quarter=${QUARTER}`],
      ['coverage, one city (350100)', `/stats/coverage?quarter=${QUARTER}&region=350100`],
      ['trend, 4 quarters', '/stats/trend?fromQuarter=2026Q3&toQuarter=2027Q2'],
    ];
    const loadBefore = loadavg()[0]!;
    const results: Array<[string, Awaited<ReturnType<typeof timed>>]> = [];
    for (const [label, p] of measures) results.push([label, await timed(async () => void (await get(p)))]);

    // Baseline: the same coverage query on a plain connection, the server's default planner settings.
    const everyone = { regionPrefixes: [], institutionCodes: [] };
    const sql = coverageQuery(strapi.db.connection, quarterPeriod(QUARTER), everyone).toQuery();
    const baseline = await withClient((c) => timed(async () => void (await c.query(sql))));
    // The same SQL with the report session's planner settings: the database's share of the coverage request.
    const inReportSession = (text: string) =>
      withClient((c) =>
        timed(async () => {
          await c.query('BEGIN');
          for (const setting of COVERAGE_SETTINGS) await c.query(setting);
          await c.query(text);
          await c.query('COMMIT');
        }),
      );
    const tuned = await inReportSession(sql);
    // The previous path for the same quarter: activity read from the day table (as for any other date range).
    const byDay = await inReportSession(coverageQuery(strapi.db.connection, quarterPeriod(QUARTER), everyone, { byDay: true }).toQuery());


    const ms = (x: number) => `${x.toFixed(0)} ms`;
    process.stdout.write(`\nload average (1 min) before timing ${loadBefore.toFixed(2)}, after ${loadavg()[0]!.toFixed(2)} on this machine's cores\n`);
    const cohort = Object.values(coverageBody.totals).reduce((s, f) => s + f.enrolled, 0);
    process.stdout.write(`\nrows: ${Object.entries(rows).filter(([t]) => t !== 'version').map(([t, n]) => `${t} ${n.toLocaleString('en')}`).join(', ')}\n`);
    process.stdout.write(`quarter ${QUARTER}, province-wide: ${cohort.toLocaleString('en')} handbooks issued in ${coverageBody.byCounty.length} county rows; totals ${JSON.stringify(coverageBody.totals)}\n\n`);
    process.stdout.write(`| measure (${QUARTER}, province-wide unless noted; ${RUNS} runs after one cold) | first | median | max |\n| --- | --- | --- | --- |\n`);
    for (const [label, r] of results) process.stdout.write(`| ${label} | ${ms(r.first)} | ${ms(r.median)} | ${ms(r.max)} |\n`);
    process.stdout.write(`| coverage SQL alone, report session settings | ${ms(tuned.first)} | ${ms(tuned.median)} | ${ms(tuned.max)} |\n`);
    process.stdout.write(`| baseline: the same SQL, server default planner settings | ${ms(baseline.first)} | ${ms(baseline.median)} | ${ms(baseline.max)} |\n`);
    process.stdout.write(`| coverage SQL reading the day table (any other date range), report settings | ${ms(byDay.first)} | ${ms(byDay.median)} | ${ms(byDay.max)} |\n\n`);
    process.stdout.write(`ratio (baseline SQL / tuned SQL, medians): ${(baseline.median / tuned.median).toFixed(1)}×\n`);
    const worst = Math.max(...results.slice(0, 4).map(([, r]) => r.max));
    process.stdout.write(`target: province-wide quarter ≤ ${TARGET_MS} ms (slowest of coverage, CSV, completeness, funnel: ${ms(worst)}) — ${worst <= TARGET_MS ? 'met' : 'MISSED'}\n`);
  } finally {
    await strapi.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:stats: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
