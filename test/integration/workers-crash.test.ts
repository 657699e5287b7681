import type { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { addDays, instantAt, localDay } from '@mch/rules';
import type { Workers } from '../../workers/src/workers';
import { bootApp, createFullAccessToken, type TestApp } from '../helpers/app';
import { TEST_DATABASE_URL } from '../helpers/database';
import { reminderRuleData } from '../helpers/factories';
import { TestGateway } from '../helpers/gateway';
import { spawnScript } from '../helpers/processes';
import { TEST_PUSH_SECRET, startTestWorkers, testQueuePrefix } from '../helpers/workers';
import { typed } from '../../workers/src/store/typed';

const JOURNEYS = 20_000;

/** A worker process as `npm run workers` starts it; resolves once it reports it has started. */
function spawnWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawnScript('workers/src/main.ts', [], env);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env.WORKERS_TEST_LOG) appendFileSync(process.env.WORKERS_TEST_LOG, chunk);
      if (out.includes('"workers.started"')) resolve(child);
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString()).slice(-5_000);
      if (process.env.WORKERS_TEST_LOG) appendFileSync(process.env.WORKERS_TEST_LOG, chunk);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before starting: ${err}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('workers: a process killed mid-sweep, then restarted', () => {
  let app: TestApp;
  let gateway: TestGateway;
  let producer: Workers;
  const children: ChildProcess[] = [];
  const prefix = testQueuePrefix('crash');
  const S = addDays(localDay(new Date(), 'Asia/Shanghai'), 1);

  beforeAll(async () => {
    app = await bootApp();
    gateway = new TestGateway(TEST_PUSH_SECRET);
    await gateway.start();
    const token = await createFullAccessToken(app.strapi);
    const res = await app
      .http()
      .post('/api/reminder-rules')
      .set({ Authorization: `Bearer ${token}` })
      .send({ data: reminderRuleData({ conditions: null, trigger: { anchor: 'birth', offset: 60, unit: 'days' } }) });
    expect(res.status).toBe(201);
    // 20,000 members, each with a child due today: written with SQL, as fast as the database allows.
    const knex = app.strapi.db.connection;
    await knex.raw(
      `INSERT INTO hb_members (external_id, time_zone, consent_version, consent_at, enrolled_on)
       SELECT 'crash-' || g, 'Asia/Shanghai', 'v1', now(), ?::date - 100 FROM generate_series(1, ?) g`,
      [S, JOURNEYS],
    );
    await knex.raw(
      `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, birth_date, corrected_birth_date)
       SELECT md5(m.external_id)::uuid::text, m.id, 'child', 'active', ?::date - 50, ?::date - 60, ?::date - 60 FROM hb_members m
       WHERE m.external_id LIKE 'crash-%'`,
      [S, S, S],
    );
    producer = await startTestWorkers({ strapi: app.strapi, prefix, gatewayUrl: gateway.url, consume: [] });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await producer?.context.queues.deleteAllKeys();
    await producer?.stop();
    await gateway?.stop();
    await app?.close();
  });

  it('delivers every due notification exactly once at the gateway', async () => {
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: app.schema,
      DATABASE_POOL_MAX: '10',
      QUEUE_PREFIX: prefix,
      PUSH_GATEWAY_URL: gateway.url,
      PUSH_GATEWAY_SECRET: TEST_PUSH_SECRET,
      WORKERS_CLOCK_START: instantAt(S, 10, 0, 'Asia/Shanghai').toISOString(),
      JOB_LOCK_MS: '3000',
      RECONCILE_EVERY_MS: '5000',
      RECONCILE_GRACE_MS: '20000',
      // Longer than any live push on a loaded machine: only a killed worker's rows outlive their lease.
      SENDING_LEASE_MS: '30000',
      PUSH_TIMEOUT_MS: '2000',
      SWEEP_PAGE_SIZE: '200',
      SWEEP_CONCURRENCY: '1',
      SWEEP_EVERY_MINUTES: '1440',
      // Batches small enough that a kill lands in the middle of some: 2 jobs of up to 25 at once per process.
      DELIVERY_CONCURRENCY: '2',
      DELIVERY_BATCH_SIZE: '25',
      DELIVERY_BACKOFF_MS: '100',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
    };
    const first = await spawnWorker(env);
    children.push(first);
    const sweep = producer.runSweep();
    // Killed once the sweep has written part of the day's notifications, while its chunks still run.
    const written = async () => Number((await typed<{ n: string }>(app.strapi.db.connection('hb_notifications').count({ n: '*' }).first())).n);
    const deadline = Date.now() + 120_000;
    while ((await written()) < JOURNEYS / 10) {
      if (Date.now() > deadline) throw new Error('the sweep wrote nothing in 120 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    first.kill('SIGKILL');
    await exited(first);
    const countAtKill = await written();
    expect(countAtKill).toBeLessThan(JOURNEYS);
    // The pushes the killed worker had claimed: the only ones that may reach the gateway twice.
    const sendingAtKill = new Set(
      (await typed<Array<{ id: number | string }>>(app.strapi.db.connection('hb_notifications').where('status', 'sending').select('id'))).map((r) => String(r.id)),
    );

    // Restarted as two processes sharing the queues.
    const second = await spawnWorker(env);
    const third = await spawnWorker(env);
    children.push(second, third);
    await sweep;
    await gateway.waitForDeliveries(JOURNEYS, 540_000);

    // The gateway has them all; wait for the last in-flight jobs to record their outcome.
    const unsent = async () => typed<Array<{ id: number }>>(app.strapi.db.connection('hb_notifications').whereNot('status', 'sent').select('id'));
    // A push the killed worker made but could not record stays 'sending' until its lease (30 s) runs
    // out; the worker processes' reconciler then re-queues it and it is pushed again (a repeat the
    // gateway drops). Its batch job, re-run after the kill, had left it alone (claimed, lease not out):
    // waiting on the jobs each row records, then on the reconciler's, covers that.
    const pendingAtGateway = await unsent();
    await producer.delivered(pendingAtGateway.map((r) => r.id), { timeoutMs: 180_000 }).catch((error: unknown) => {
      process.stdout.write(`crash test: ${error instanceof Error ? error.message : String(error)}\n`);
    });
    const left = await unsent();
    expect(left.filter((r) => !sendingAtKill.has(String(r.id)))).toEqual([]);
    expect(left).toEqual([]);
    const rows = await typed<Array<{ id: number; status: string }>>(app.strapi.db.connection('hb_notifications').select('id', 'status'));
    expect(rows).toHaveLength(JOURNEYS);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    const ids = new Set(gateway.deliveries.map((d) => d.notificationId));
    expect(ids.size).toBe(JOURNEYS);
    expect(gateway.deliveries).toHaveLength(JOURNEYS);
    expect([...ids].sort()).toEqual(rows.map((r) => String(r.id)).sort());
    // Only pushes in flight at the kill can reach the gateway twice; it drops them by notificationId.
    expect(gateway.repeats.filter((id) => !sendingAtKill.has(id))).toEqual([]);
    process.stdout.write(`crash test: ${countAtKill} rows written at the kill, ${gateway.repeats.length} repeated POSTs\n`);

    // Graceful shutdown: SIGTERM lets in-flight jobs finish, closes the queues, then Strapi; exit 0.
    second.kill('SIGTERM');
    third.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    expect(await exited(third)).toBe(0);
  }, 720_000);
});
