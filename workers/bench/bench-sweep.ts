/**
 * `npm run bench:sweep`: one day's sweep over a synthetic province (1,000,000 journeys: ~15%
 * pregnancies, ~85% children 0–6) with 300 published rules, against local PostgreSQL and Redis;
 * the naive approach (every rule through json-rules-engine for every journey) on a 20,000-journey
 * sample, extrapolated; delivery throughput to a local sink server. Its own schema and queue prefix.
 *
 * BENCH_JOURNEYS, BENCH_RULES, BENCH_SAMPLE, BENCH_NAIVE_BUDGET_MS and BENCH_DELIVERY_SECONDS scale it down for a
 * quick run; BENCH_DELIVERY_CONCURRENCY / BENCH_DELIVERY_BATCH_SIZE override the workers' defaults.
 */
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { Engine } from 'json-rules-engine';
import Redis from 'ioredis';
import type { Knex } from 'knex';
import { Client } from 'pg';
import { CUSTOM_OPERATORS, addDays, anchorDateOf, computeFacts, diffDays, instantAt, localDay, stagesOf, type ReminderRule } from '@mch/rules';
import { ManualClock } from '../src/clock';
import { parseConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startWorkers } from '../src/workers';

const CMS_DIR = path.resolve(__dirname, '../../cms');
const DB_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'bench_sweep';
const JOURNEYS = Number(process.env.BENCH_JOURNEYS ?? 1_000_000);
const RULES = Number(process.env.BENCH_RULES ?? 300);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 20_000);
const DELIVERY_SECONDS = Number(process.env.BENCH_DELIVERY_SECONDS ?? 30);
/** Worker processes (as `npm run workers` starts them) for the sweep and for delivery; 0 = all in this process. */
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 1);
const ROOT = path.resolve(__dirname, '../..');
const TZ = 'Asia/Shanghai';
const DAY = '2026-11-23';
const CATEGORIES = ['checkup', 'vaccine', 'screening', 'supplement', 'nutrition', 'follow-up', 'education'];

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** The push sink: counts POSTs, answers 204; GET returns the count. */
const SINK = `const http = require('node:http'); let n = 0;
const s = http.createServer((q, r) => { if (q.method === 'GET') return r.end(String(n)); q.resume(); q.on('end', () => { n += 1; r.writeHead(204).end(); }); });
s.keepAliveTimeout = 30000; s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;

/** As in package.json's `workers` script; BENCH_WORKER_NODE_FLAGS overrides (space-separated). */
const WORKER_NODE_FLAGS = (process.env.BENCH_WORKER_NODE_FLAGS ?? '--max-old-space-size=384').split(' ').filter((f) => f !== '');

/** A worker process as `npm run workers` starts it; resolves once it reports it has started. */
function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...WORKER_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', 'workers/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-3000)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < 100_000) out += c.toString();
      if (out.includes('"workers.started"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${err}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** Resident set now and its peak (VmHWM) of a process, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Statement time by kind (its first words), from knex's query events: where a phase waits on the database. */
function profileStatements(knex: Knex) {
  const started = new Map<string, { at: number; kind: string }>();
  const totals = new Map<string, { n: number; ms: number }>();
  const kindOf = (text: string) => text.replace(/\s+/g, ' ').replace(/"/g, '').slice(0, 60);
  const onQuery = (q: { __knexQueryUid: string; sql: string }) => void started.set(q.__knexQueryUid, { at: performance.now(), kind: kindOf(q.sql) });
  const onDone = (_r: unknown, q: { __knexQueryUid: string }) => {
    const s = started.get(q.__knexQueryUid);
    if (!s) return;
    started.delete(q.__knexQueryUid);
    const t = totals.get(s.kind) ?? { n: 0, ms: 0 };
    t.n += 1;
    t.ms += performance.now() - s.at;
    totals.set(s.kind, t);
  };
  knex.on('query', onQuery);
  knex.on('query-response', onDone);
  return {
    report: () => {
      knex.removeListener('query', onQuery);
      knex.removeListener('query-response', onDone);
      for (const [kind, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) console.log(`  sql ${t.ms.toFixed(0).padStart(7)} ms ${String(t.n).padStart(6)}× ${kind}`);
    },
  };
}

/** A CPU profile of this process from now until stop(file) (open the file in Chrome DevTools). */
async function startCpuProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  const post = (method: string) => new Promise<unknown>((resolve, reject) => session.post(method, (e, r) => (e ? reject(e) : resolve(r))));
  session.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    stop: async (file) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function sql(text: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: DB_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${SCHEMA}`);
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

/** A realistic mix: pregnancy weeks, EDD countdown, postpartum days, child ages in days, weeks and months, with repeats. */
function ruleData(i: number): Record<string, unknown> {
  const kind = i % 10;
  let trigger: Record<string, unknown>;
  if (kind < 3) trigger = { anchor: 'lmp', offset: 6 + (i % 35), unit: 'weeks' };
  else if (kind === 3) trigger = { anchor: 'edd', offset: -(i % 60), unit: 'days' };
  else if (kind === 4) trigger = { anchor: 'delivery', offset: 1 + (i % 42), unit: 'days' };
  else if (kind === 5) trigger = { anchor: 'birth', offset: i % 52, unit: 'weeks', repeat: i % 4 === 0 ? { everyDays: 7, count: 3 } : null };
  else if (kind === 6) trigger = { anchor: 'birth', offset: 1 + (i % 72), unit: 'months', corrected: i % 3 === 0 };
  else if (kind === 7) trigger = { anchor: 'enrolment', offset: 1 + (i % 90), unit: 'days' };
  else trigger = { anchor: 'birth', offset: i % 365, unit: 'days' };
  const stage = trigger.anchor === 'lmp' || trigger.anchor === 'edd' ? 'pregnancy' : trigger.anchor === 'delivery' ? 'postpartum' : trigger.anchor === 'birth' ? 'child' : null;
  return {
    key: `bench-rule-${i}`,
    name: `bench rule ${i}`,
    trigger,
    conditions: stage ? { all: [{ fact: 'stage', operator: 'equal', value: stage }] } : null,
    titleTemplate: `提醒 ${i}`,
    bodyTemplate: `第 ${i} 条提醒：请按时就诊。`,
    titleTemplateEn: `Reminder ${i}`,
    bodyTemplateEn: `Reminder ${i}.`,
    channels: ['push', 'inbox'],
    deliveryHour: 8 + (i % 4),
    category: CATEGORIES[i % CATEGORIES.length],
    priority: i % 100,
    active: true,
  };
}

async function population(): Promise<void> {
  // Members: one per journey (a family with two children is two rows here; it changes nothing measured).
  await sql(
    `INSERT INTO hb_members (external_id, time_zone, consent_version, consent_at, enrolled_on, channels)
     SELECT 'bench-' || g, CASE WHEN g % 50 = 0 THEN 'Asia/Urumqi' ELSE 'Asia/Shanghai' END,
            CASE WHEN g % 20 = 0 THEN NULL ELSE 'v1' END, now(), $1::date - 2600, '["push","inbox"]'
     FROM generate_series(1, $2::int) g`,
    [DAY, JOURNEYS],
  );
  // 15% pregnancies (LMP 4–42 weeks ago; 10% of them delivered in the last 6 weeks), 85% children 0–6.
  await sql(
    `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, lmp, effective_lmp, last_visit_on, outcome_on,
                              birth_date, corrected_birth_date, ga_at_birth_days, risk_colour)
     SELECT md5('j' || m.id)::uuid::text, m.id,
       CASE WHEN r.p < 0.15 THEN 'pregnancy' ELSE 'child' END,
       CASE WHEN r.p < 0.015 THEN 'delivered' ELSE 'active' END,
       $1::date - (r.q * 600)::int,
       CASE WHEN r.p < 0.15 THEN $1::date - (28 + r.q * 266)::int END,
       CASE WHEN r.p < 0.15 THEN $1::date - (28 + r.q * 266)::int END,
       CASE WHEN r.p < 0.15 THEN $1::date - (r.q * 28)::int END,
       CASE WHEN r.p < 0.015 THEN $1::date - (r.q * 42)::int END,
       CASE WHEN r.p >= 0.15 THEN $1::date - (r.q * 2555)::int END,
       CASE WHEN r.p >= 0.15 THEN $1::date - (r.q * 2555)::int + CASE WHEN r.p < 0.2 THEN 28 ELSE 0 END END,
       CASE WHEN r.p >= 0.15 THEN CASE WHEN r.p < 0.2 THEN 252 ELSE 280 END END,
       CASE WHEN r.p < 0.15 THEN (ARRAY['green','yellow','orange','red'])[1 + (m.id % 4)] END
     FROM hb_members m, LATERAL (SELECT random() AS p, random() AS q, m.id AS k) r`,
    [DAY],
  );
  await sql('ANALYZE hb_members; ANALYZE hb_journeys;');
}

/** The naive way: one json-rules-engine run with every rule for every journey, triggers as facts. */
async function naive(rules: ReminderRule[], sample: Array<{ member: Record<string, unknown>; journey: Record<string, unknown> }>, toMember: (r: unknown) => ReturnType<typeof Object>, toJourney: (r: unknown) => ReturnType<typeof Object>, budgetMs: number) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator('dateOnOrAfter', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a >= b);
  engine.addOperator('dateBefore', (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a < b);
  void CUSTOM_OPERATORS;
  for (const rule of rules) {
    const factName = `anchorDays_${rule.trigger.anchor}${rule.trigger.corrected ? '_c' : ''}`;
    const offset = rule.trigger.unit === 'weeks' ? rule.trigger.offset * 7 : rule.trigger.unit === 'months' ? Math.round(rule.trigger.offset * 30.44) : rule.trigger.offset;
    const trigger = { fact: factName, operator: 'equal', value: offset };
    engine.addRule({ name: rule.key, conditions: { all: rule.conditions ? [trigger, rule.conditions as never] : [trigger] }, event: { type: 'due', params: { key: rule.key } } });
  }
  const started = Date.now();
  let done = 0;
  let due = 0;
  for (const c of sample) {
    const member = toMember(c.member) as never;
    const journey = toJourney(c.journey) as never;
    const facts: Record<string, unknown> = {};
    for (const anchor of ['lmp', 'edd', 'birth', 'delivery', 'enrolment', 'last-visit'] as const) {
      for (const corrected of anchor === 'birth' ? [false, true] : [false]) {
        const d = anchorDateOf({ journey, anchor, corrected });
        if (d) facts[`anchorDays_${anchor}${corrected ? '_c' : ''}`] = diffDays(DAY, d);
      }
    }
    for (const stage of stagesOf({ journey, on: DAY })) {
      const result = await engine.run({ ...computeFacts({ member, journey, on: DAY, stage: stage.stage }), ...facts });
      due += result.events.length;
    }
    done += 1;
    if (Date.now() - started > budgetMs) break;
  }
  return { journeys: done, due, ms: Date.now() - started };
}

async function main(): Promise<void> {
  const client = new Client({ connectionString: DB_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.query(`CREATE SCHEMA ${SCHEMA}`);
  await client.end();
  const secret = () => randomBytes(18).toString('base64');
  process.env.APP_KEYS ??= [secret(), secret()].join(',');
  for (const name of ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY']) process.env[name] ??= secret();
  Object.assign(process.env, { DATABASE_URL: DB_URL, DATABASE_SCHEMA: SCHEMA, DATABASE_POOL_MAX: '20', LOG_LEVEL: 'error', CRON_ENABLED: 'false' });
  const strapi = await createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
  // What a worker costs before it does anything: the Strapi kernel alone.
  (global as { gc?: () => void }).gc?.();
  const kernelRss = process.memoryUsage().rss;
  console.log(`Strapi kernel loaded: RSS ${mb(kernelRss)}`);

  let t = Date.now();
  for (let i = 0; i < RULES; i += 1) {
    await strapi.documents('api::reminder-rule.reminder-rule').create({ data: ruleData(i) as never, status: 'published' });
  }
  const rulesMs = Date.now() - t;
  t = Date.now();
  await population();
  const populationMs = Date.now() - t;
  console.log(`generated ${JOURNEYS} journeys in ${seconds(populationMs)} s, ${RULES} rules in ${seconds(rulesMs)} s`);

  // The sink: a push gateway in a process of its own (as the host app's is) that answers 204 at once.
  const sink = spawn(process.execPath, ['-e', SINK], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sinkUrl = `http://127.0.0.1:${await new Promise<number>((resolve) => sink.stdout.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))))}`;
  const pushCount = async () => Number(await (await fetch(`${sinkUrl}/count`)).text());
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const clock = new ManualClock(instantAt(DAY, 12, 0, TZ));
  const env = Object.fromEntries(
    Object.entries({
      QUEUE_PREFIX: prefix,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      PUSH_GATEWAY_URL: `${sinkUrl}/push`,
      PUSH_GATEWAY_SECRET: randomBytes(24).toString('hex'),
      SWEEP_CONCURRENCY: process.env.BENCH_SWEEP_CONCURRENCY ?? '4',
      SWEEP_PAGE_SIZE: process.env.BENCH_SWEEP_PAGE_SIZE ?? '2000',
      // Unset: the workers' defaults (what production gets).
      DELIVERY_CONCURRENCY: process.env.BENCH_DELIVERY_CONCURRENCY,
      DELIVERY_BATCH_SIZE: process.env.BENCH_DELIVERY_BATCH_SIZE,
      // Worker processes: the bench's clock; no scheduled sweep or reconcile during the run.
      WORKERS_CLOCK_START: clock.now().toISOString(),
      SWEEP_EVERY_MINUTES: '1440',
      RECONCILE_EVERY_MS: '3600000',
    }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const config = parseConfig(env);
  const log = createLogger({ quiet: true });
  const inProcess = PROCESSES === 0;
  // In this process: a producer only (it queues the sweep and waits for it), or, with BENCH_PROCESSES=0, the sweeper too.
  const sweeper = await startWorkers({ strapi, config, clock, log, consume: inProcess ? ['sweep', 'sweepChunk'] : [] });
  await sweeper.context.kernel.rebuildCatalogue();
  const rules = sweeper.context.kernel.rules();
  const sweepProcess = inProcess ? null : await spawnWorker({ ...env, WORKERS_CONSUME: 'sweep,sweep-chunk' });
  const workerStartRss = sweepProcess ? memoryOf(sweepProcess.pid!).rss : 0;
  if (sweepProcess) console.log(`worker process started (kernel + queues, idle): RSS ${mb(workerStartRss)}`);

  peakRss = process.memoryUsage().rss;
  // BENCH_SQL_PROFILE=1 (with BENCH_PROCESSES=0): the sweep's statements by kind, count and time (this process only).
  const sqlProfile = inProcess && process.env.BENCH_SQL_PROFILE ? profileStatements(sweeper.context.kernel.knex) : null;
  // BENCH_SWEEP_CPU_PROFILE=file.cpuprofile (with BENCH_PROCESSES=0): a CPU profile of the first sweep.
  const sweepProfile = inProcess && process.env.BENCH_SWEEP_CPU_PROFILE ? await startCpuProfile() : null;
  const sweepStarted = Date.now();
  await sweeper.runSweep();
  const sweepMs = Date.now() - sweepStarted;
  sqlProfile?.report();
  await sweepProfile?.stop(process.env.BENCH_SWEEP_CPU_PROFILE!);
  const knex = sweeper.context.kernel.knex;
  const created = Number(((await knex('hb_notifications').count({ n: '*' }).first()) as { n: string }).n);

  // Second sweep of the same day (every 15 minutes in production): nothing new to write.
  const again = Date.now();
  await sweeper.runSweep();
  const againMs = Date.now() - again;
  const sweepRss = sweepProcess ? memoryOf(sweepProcess.pid!).peak : peakRss;
  console.log(`sweep: ${seconds(sweepMs)} s, ${created} occurrences, peak RSS ${mb(sweepRss)} (${sweepProcess ? 'worker process' : 'bench process'})`);
  console.log(`second sweep of the day: ${seconds(againMs)} s`);
  if (sweepProcess) await stopWorker(sweepProcess);

  // Naive, on a sample.
  const sampleRows = (await knex('hb_journeys as j')
    .join('hb_members as m', 'm.id', 'j.member_id')
    .select('j.*', 'm.id as m_id', 'm.external_id as m_external_id', 'm.region_code as m_region_code', 'm.institution_code as m_institution_code', 'm.locale as m_locale', 'm.time_zone as m_time_zone', 'm.enrolled_on as m_enrolled_on')
    .orderByRaw('random()')
    .limit(SAMPLE)) as Array<Record<string, unknown>>;
  const sample = sampleRows.map((row) => {
    const member: Record<string, unknown> = {};
    const journey: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) (k.startsWith('m_') ? member : journey)[k.startsWith('m_') ? k.slice(2) : k] = v;
    return { member, journey };
  });
  const kernel = sweeper.context.kernel;
  const n = await naive(rules, sample, (r) => kernel.toMember(r as Record<string, unknown>), (r) => kernel.toJourney(r as Record<string, unknown>), Number(process.env.BENCH_NAIVE_BUDGET_MS ?? 120_000));
  const naiveFullMs = (n.ms / n.journeys) * JOURNEYS;
  console.log(`naive: ${n.journeys} journeys in ${seconds(n.ms)} s → ${seconds(naiveFullMs)} s for ${JOURNEYS}; ratio ${(naiveFullMs / sweepMs).toFixed(0)}×`);

  // Delivery: the queued pushes, to the sink, with retries enabled (DELIVERY_ATTEMPTS default).
  peakRss = process.memoryUsage().rss;
  // Cost per push: database statements (knex 'query' events; in this process only) and Redis commands (the whole server).
  let statements = 0;
  knex.on('query', () => (statements += 1));
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const redisCalls = async () =>
    (await redis.info('commandstats')).split('\n').reduce((sum, line) => sum + Number(/calls=(\d+)/.exec(line)?.[1] ?? 0), 0);
  const redisBefore = await redisCalls();
  // BENCH_CPU_PROFILE=file.cpuprofile (with BENCH_PROCESSES=0): a CPU profile of the delivery phase only (open in Chrome DevTools).
  const profiler = inProcess && process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : null;
  const deliverers = inProcess ? [] : await Promise.all(Array.from({ length: PROCESSES }, () => spawnWorker({ ...env, WORKERS_CONSUME: 'deliver' })));
  const inProcessDeliverer = inProcess ? await startWorkers({ strapi, config, clock, log, consume: ['deliver'] }) : null;
  const dueBy = new Date(clock.now().getTime() + 10 * 60_000);
  const pushesBefore = await pushCount();
  const deliveryStarted = Date.now();
  // Until nothing is left to deliver (or the time is up); the bench may poll, tests never do.
  let window = { at: deliveryStarted, pushes: pushesBefore };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    // Whether any is left: one index probe. (Counting them every 250 ms read the whole backlog each
    // time: the bench itself slowed down as the backlog grew.)
    // Due now: the 2% in Asia/Urumqi whose delivery hour is still ahead wait (delayed jobs) and are not counted.
    const unfinished = knex('hb_notifications').whereIn('status', ['queued', 'scheduled', 'sending']).where('deliver_after', '<', dueBy);
    const left = (await unfinished.clone().first('id')) !== undefined;
    if (Date.now() - window.at >= 5000) {
      const count = Number(((await unfinished.clone().count({ n: '*' }).first()) as { n: string }).n);
      const now = await pushCount();
      const rss = inProcess ? process.memoryUsage().rss : Math.max(...deliverers.map((d) => memoryOf(d.pid!).rss));
      console.log(`  delivery: ${((now - window.pushes) / ((Date.now() - window.at) / 1000)).toFixed(0)}/s, ${count} left, RSS ${mb(rss)}`);
      window = { at: Date.now(), pushes: now };
    }
    if (!left || Date.now() - deliveryStarted > DELIVERY_SECONDS * 1000) break;
  }
  const deliveryMs = Date.now() - deliveryStarted;
  const pushes = (await pushCount()) - pushesBefore;
  await profiler?.stop(process.env.BENCH_CPU_PROFILE!);
  const redisPerPush = (((await redisCalls()) - redisBefore) / Math.max(1, pushes)).toFixed(1);
  const statementsPerPush = inProcess ? (statements / Math.max(1, pushes)).toFixed(2) : 'n/a';
  console.log(`delivery cost: ${statementsPerPush} DB statements and ${redisPerPush} Redis commands per push (bench polling included)`);
  redis.disconnect();
  const deliveryRss = inProcess ? peakRss : Math.max(...deliverers.map((d) => memoryOf(d.pid!).peak));
  const finals: Array<{ status: string; n: string }> = await knex('hb_notifications').select('status').count({ n: '*' }).groupBy('status');
  console.log(
    `delivery of the due backlog: ${pushes} pushes in ${seconds(deliveryMs)} s = ${(pushes / (deliveryMs / 1000)).toFixed(0)}/s by ${inProcess ? 'the bench process' : `${PROCESSES} worker process(es)`}; peak RSS ${mb(deliveryRss)}; statuses ${finals.map((f) => `${f.status}=${f.n}`).join(' ')}`,
  );

  await inProcessDeliverer?.stop();
  await Promise.all(deliverers.map(stopWorker));
  // Before stop(): a closed queue system cannot delete (the bench used to leave its keys behind).
  await sweeper.context.queues.deleteAllKeys();
  await sweeper.stop();
  sink.kill();
  clearInterval(sampler);
  console.log(
    JSON.stringify({
      date: DAY,
      journeys: JOURNEYS,
      rules: RULES,
      sweepSeconds: sweepMs / 1000,
      secondSweepSeconds: againMs / 1000,
      occurrences: created,
      sweepPeakRssMb: Math.round(sweepRss / 1048576),
      naiveSampleJourneys: n.journeys,
      naiveSampleSeconds: n.ms / 1000,
      naiveExtrapolatedSeconds: naiveFullMs / 1000,
      ratio: naiveFullMs / sweepMs,
      pushesPerSecond: pushes / (deliveryMs / 1000),
      deliveryPeakRssMb: Math.round(deliveryRss / 1048576),
      deliveryProcesses: PROCESSES,
      kernelRssMb: Math.round(kernelRss / 1048576),
      workerStartRssMb: Math.round(workerStartRss / 1048576),
      dbStatementsPerPush: inProcess ? Number(statementsPerPush) : null,
      redisCommandsPerPush: Number(redisPerPush),
      populationSeconds: populationMs / 1000,
    }),
  );
  await strapi.destroy();
  if (!process.env.BENCH_KEEP) {
    const c = new Client({ connectionString: DB_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await c.end();
  }
  process.exit(0);
}

void addDays;
void localDay;
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
