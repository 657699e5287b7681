/**
 * `npm run demo [-- --once]`: the whole platform on the embedded SQLite and a local Redis, with no
 * configuration. Builds if needed (the npm script), imports the seed corpus, enrolls about ten sample
 * families through the real host-app HTTP API, runs one sweep for today, delivers the pushes to a
 * local push sink that checks signatures, and prints what each family sees and gets, and why.
 * Then it keeps serving /admin, /api and the workers until Ctrl-C; `--once` exits after the table.
 *
 * The demo has its own database file, recreated on every run (cms/.tmp/demo.db; DATABASE_URL is
 * ignored) and its own queue prefix, so it never touches another database or queue.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { createStrapi, type Core } from '@strapi/strapi';
import { instantAt, localDay, type IsoDate } from '@mch/rules';
import { readSeeds } from '../content-seed/src/files';
import { upsertSeeds } from '../content-seed/src/upsert';
import { ManualClock, systemClock } from '../workers/src/clock';
import { parseConfig } from '../workers/src/config';
import { createLogger } from '../workers/src/log';
import { typed } from '../workers/src/store/typed';
import { startWorkers, type Workers } from '../workers/src/workers';
import { PushSink } from './demo/sink';
import { scenarios, type Scenario } from './demo/scenarios';
import { printReport, type MemberReport } from './demo/report';

const CMS_DIR = path.resolve(__dirname, '../cms');
const ZONE = 'Asia/Shanghai';
const HOST_APP_ACTIONS = ['upsertMember', 'getMember', 'createJourney', 'addEvent', 'feed', 'upcoming', 'inbox'];

class DemoError extends Error {}

function option(name: string, fallback: string): string {
  const value = process.env[name]?.trim();
  return value ? value : fallback;
}

async function redisReachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function seed(strapi: Core.Strapi): Promise<string> {
  const { seeds, problems } = readSeeds(path.resolve(__dirname, '../content-seed/data'));
  if (problems.length > 0) throw new DemoError(`the seed files are invalid: ${problems.map((p) => `${p.file}: ${p.field}`).join('; ')}`);
  const results = await upsertSeeds(strapi, seeds, { dryRun: false });
  const failed = results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) throw new DemoError(`seeding failed: ${failed.map((r) => `${r.seed.file}: ${r.error ?? ''}`).join('; ')}`);
  const count = (kind: string) => results.filter((r) => r.seed.kind === kind).length;
  return `${count('institution')} institutions, ${count('content')} articles/policies/guides, ${count('rule')} reminder rules`;
}

async function hostAppToken(strapi: Core.Strapi): Promise<string> {
  const service = strapi.service('admin::api-token-content-api') as unknown as { create(attrs: Record<string, unknown>): Promise<{ accessKey: string }> };
  const token = await service.create({
    name: `demo host app ${randomBytes(3).toString('hex')}`,
    description: 'npm run demo: the sample host app',
    type: 'custom',
    lifespan: null,
    permissions: HOST_APP_ACTIONS.map((a) => `api::handbook.handbook.${a}`),
  });
  return token.accessKey;
}

/** The host app's side: real HTTP calls to the running platform. */
function hostApp(baseUrl: string, token: string) {
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}/api/handbook${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new DemoError(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
    return (text ? (JSON.parse(text) as { data: T }).data : (undefined as T));
  };
}

async function enroll(call: ReturnType<typeof hostApp>, scenario: Scenario): Promise<void> {
  const base = `/members/${scenario.externalId}`;
  await call('PUT', base, scenario.member);
  let last = '';
  for (const step of scenario.steps) {
    const url = step.path === 'journeys' ? `${base}/journeys` : `${base}/journeys/${last}/events`;
    const result = await call<{ id?: string }>(step.method, url, step.body);
    if (step.path === 'journeys' && result.id) last = result.id;
  }
}

interface NotificationRow {
  id: number | string;
  external_id: string;
  rule_key: string;
  status: string;
  reason: string | null;
  push: boolean | number;
  title: string;
}

async function report(strapi: Core.Strapi, call: ReturnType<typeof hostApp>, list: Scenario[], today: IsoDate, sink: PushSink): Promise<MemberReport[]> {
  const knex = strapi.db.connection;
  const rows = await typed<NotificationRow[]>(
    knex('hb_notifications as n')
      .join('hb_members as m', 'm.id', 'n.member_id')
      .where('n.scheduled_on', today)
      .orderBy('n.priority', 'desc')
      .select('n.id', 'm.external_id', 'n.rule_key', 'n.status', 'n.reason', 'n.push', 'n.title'),
  );
  const reports: MemberReport[] = [];
  for (const s of list) {
    const feed = await call<{ items: Array<{ title: string; reason: { stage: string } }>; total: number }>('GET', `/members/${s.externalId}/feed?limit=3`);
    const upcoming = await call<{ items: Array<{ scheduledOn: string; title: string }> }>('GET', `/members/${s.externalId}/upcoming?days=120`);
    const next = upcoming.items.find((i) => i.scheduledOn > today);
    const feedAll = await call<{ items: Array<{ reason: { stage: string } }> }>('GET', `/members/${s.externalId}/feed?limit=100`);
    reports.push({
      externalId: s.externalId,
      label: s.label,
      stages: [...new Set(feedAll.items.map((i) => i.reason.stage))],
      feedTotal: feed.total,
      feedTop: feed.items.map((i) => i.title),
      reminders: rows
        .filter((r) => r.external_id === s.externalId)
        .map((r) => ({
          ruleKey: r.rule_key,
          title: r.title,
          outcome: outcomeOf(r, sink),
        })),
      next: next ? `${next.scheduledOn} ${next.title}` : null,
    });
  }
  return reports;
}

function outcomeOf(row: NotificationRow, sink: PushSink): string {
  const pushed = sink.accepted.has(String(row.id));
  if (row.status === 'sent' && pushed) return 'push sent 已推送';
  if (row.status === 'sent' && row.reason === 'daily-cap') return 'inbox only: daily cap of 3 pushes 超出每日推送上限，仅站内信';
  if (row.status === 'sent') return 'inbox 站内信';
  if (row.status === 'skipped') return `skipped: ${row.reason ?? ''} 未发送`;
  if (row.status === 'cancelled') return `cancelled: ${row.reason ?? ''} 已取消`;
  return `${row.status}${row.reason ? `: ${row.reason}` : ''}`;
}

async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const unknown = process.argv.slice(2).filter((a) => a !== '--once');
  if (unknown.length > 0) throw new DemoError(`unknown argument ${unknown.join(' ')} (use --once)`);

  const redisUrl = option('REDIS_URL', 'redis://127.0.0.1:6379');
  if (!(await redisReachable(redisUrl))) {
    console.error(
      `demo: Redis is not reachable at ${redisUrl}; the workers need it.\n` +
        '  Start a local one:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
        '  (Debian/Ubuntu: apt-get install redis-server), or set REDIS_URL.',
    );
    return 1;
  }

  const envFile = path.join(CMS_DIR, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  delete process.env.DATABASE_URL;
  process.env.DATABASE_FILENAME = option('DEMO_DATABASE_FILENAME', '.tmp/demo.db');
  const dbFile = path.resolve(CMS_DIR, process.env.DATABASE_FILENAME);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbFile}${suffix}`, { force: true });
  process.env.CRON_ENABLED = 'false';
  process.env.LOG_LEVEL = option('LOG_LEVEL', 'warn');
  const port = Number(option('PORT', '1337'));
  process.env.PORT = String(port);
  process.env.HOST = option('HOST', '127.0.0.1');

  const today = localDay(new Date(), ZONE);
  console.log(`MCH Handbook demo — ${today} (${ZONE}); database ${path.relative(process.cwd(), dbFile)} (SQLite, recreated); Redis ${redisUrl}`);

  const strapi = createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: !once });
  const handlersBefore = new Set(['SIGTERM', 'SIGINT'].flatMap((s) => process.listeners(s as NodeJS.Signals)));
  await strapi.load();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) if (!handlersBefore.has(listener)) process.removeListener(signal, listener);
  }
  console.log(`seeded: ${await seed(strapi)}`);
  await strapi.listen();
  const baseUrl = `http://127.0.0.1:${port}`;

  const secret = randomBytes(24).toString('hex');
  const sink = new PushSink(secret);
  await sink.start();
  const prefix = `demo-${process.pid}-${randomBytes(3).toString('hex')}`;
  const config = parseConfig({ ...process.env, NODE_ENV: 'development', QUEUE_PREFIX: prefix, REDIS_URL: redisUrl, PUSH_GATEWAY_URL: sink.url, PUSH_GATEWAY_SECRET: secret });
  const log = createLogger({ quiet: true });
  let workers: Workers | null = null;
  const shutdown = async (code: number) => {
    await workers?.context.queues.deleteAllKeys().catch(() => 0);
    await workers?.stop();
    await sink.stop();
    await strapi.destroy();
    process.exit(code);
  };
  try {
    const call = hostApp(baseUrl, await hostAppToken(strapi));
    const list = scenarios(today);
    for (const s of list) await enroll(call, s);
    console.log(`enrolled ${list.length} sample families through the host-app API at ${baseUrl}/api/handbook`);

    // One sweep for today, at 10:00 local: inside every rule's delivery hour and outside quiet hours.
    const clock = new ManualClock(instantAt(today, 10, 0, ZONE));
    workers = await startWorkers({ strapi, config, clock, log, schedule: false });
    const started = Date.now();
    await workers.runSweep();
    const due = await typed<Array<{ id: number | string }>>(strapi.db.connection('hb_notifications').where('scheduled_on', today).select('id'));
    await workers.delivered(due.map((r) => r.id), { timeoutMs: 120_000 });
    console.log(`sweep + delivery for ${today} at 10:00: ${due.length} reminders in ${((Date.now() - started) / 1000).toFixed(1)} s; push sink accepted ${sink.accepted.size}, rejected ${sink.rejected}\n`);

    printReport(await report(strapi, call, list, today, sink));
    if (once) {
      await shutdown(0);
      return 0;
    }
    await workers.stop();
    workers = await startWorkers({ strapi, config, clock: systemClock, log, schedule: true });
    console.log(`\nThe platform is running: admin ${baseUrl}/admin, API ${baseUrl}/api/handbook (OpenAPI: /api/handbook/openapi.json), workers on Redis prefix ${prefix}. Ctrl-C stops it.`);
    process.on('SIGINT', () => void shutdown(0));
    process.on('SIGTERM', () => void shutdown(0));
    return -1; // keep running
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
    return 1;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
