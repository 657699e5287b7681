import { addDays, instantAt, localDay } from '@mch/rules';
import { ManualClock } from '../../workers/src/clock';
import { deliveryJobId } from '../../workers/src/context';
import type { Workers } from '../../workers/src/workers';
import { bootApp, createFullAccessToken, createHostAppToken, type TestApp } from '../helpers/app';
import { reminderRuleData, uniqueSlug } from '../helpers/factories';
import { TestGateway } from '../helpers/gateway';
import { TEST_PUSH_SECRET, startTestWorkers, testQueuePrefix } from '../helpers/workers';
import { typed } from '../../workers/src/store/typed';

type Row = Record<string, unknown> & { id: string | number; status: string; reason: string | null; push: boolean; scheduled_on: string };

const SH = 'Asia/Shanghai';
const LA = 'America/Los_Angeles';

describe('workers: sweep → deliver on real PostgreSQL, Redis and HTTP', () => {
  let app: TestApp;
  let gateway: TestGateway;
  let workers: Workers;
  let hostToken: string;
  let contentToken: string;
  const prefix = testQueuePrefix('workers');
  // The app validates dates against the real today; the workers' clock runs on the next Shanghai day.
  const realToday = localDay(new Date(), SH);
  const S = addDays(realToday, 1);
  const clock = new ManualClock(instantAt(S, 10, 0, SH));
  const at = (day: string, hour: number, minute = 0, zone = SH) => instantAt(day, hour, minute, zone);
  const knex = () => app.strapi.db.connection;

  const member = async (body: Record<string, unknown> = {}) => {
    const id = uniqueSlug('m');
    const res = await app
      .http()
      .put(`/api/handbook/members/${id}`)
      .set({ Authorization: `Bearer ${hostToken}` })
      .send({ regionCode: '350102', consent: { version: 'v1', at: '2026-11-01T08:00:00+08:00' }, ...body });
    expect(res.status).toBe(201);
    return id;
  };
  const journey = async (memberId: string, body: Record<string, unknown>) => {
    const res = await app.http().post(`/api/handbook/members/${memberId}/journeys`).set({ Authorization: `Bearer ${hostToken}` }).send(body);
    expect(res.status).toBe(201);
    return (res.body as { data: { id: string } }).data.id;
  };
  const child = async (birthDate: string, body: Record<string, unknown> = {}) => {
    const m = await member(body);
    return { member: m, journey: await journey(m, { kind: 'child', birthDate }) };
  };
  /** Written as a draft, then published: the editor's flow, which raises the rule's version. */
  const publishRule = async (documentId: string) => {
    const published = await app.strapi.documents('api::reminder-rule.reminder-rule').publish({ documentId });
    expect(published.entries).toHaveLength(1);
  };
  const rule = async (overrides: Record<string, unknown>) => {
    const res = await app
      .http()
      .post('/api/reminder-rules')
      .query({ status: 'draft' })
      .set({ Authorization: `Bearer ${contentToken}` })
      .send({ data: reminderRuleData({ conditions: null, ...overrides }) });
    expect(res.status).toBe(201);
    const created = (res.body as { data: { documentId: string; key: string } }).data;
    await publishRule(created.documentId);
    return created;
  };
  const rowsOf = async (memberId: string): Promise<Row[]> =>
    await typed<Row[]>(knex()('hb_notifications as n')
      .join('hb_members as m', 'm.id', 'n.member_id')
      .where('m.external_id', memberId)
      .orderBy('n.id')
      .select('n.*'));
  /** Every job holding these rows (their batch, then any retry) has finished and each row is final. */
  const delivered = async (rows: Row[]) => workers.delivered(rows.map((r) => r.id), { timeoutMs: 30_000 });
  /** The delivery job a row records: the sweep's batch job, a retry, or the reconciler's batch. */
  const jobOf = async (row: Row): Promise<string> =>
    String((await typed<{ delivery_job: string }>(knex()('hb_notifications').where({ id: row.id }).first('delivery_job'))).delivery_job);
  const promote = async (rows: Row[]) => {
    for (const job of new Set(await Promise.all(rows.map(jobOf)))) await workers.context.queues.promote('deliver', job);
  };
  const requestsOf = (memberId: string) => gateway.requests.filter((r) => r.externalId === memberId);

  beforeAll(async () => {
    app = await bootApp();
    hostToken = await createHostAppToken(app.strapi);
    contentToken = await createFullAccessToken(app.strapi);
    gateway = new TestGateway(TEST_PUSH_SECRET);
    await gateway.start();
    workers = await startTestWorkers({ strapi: app.strapi, prefix, gatewayUrl: gateway.url, clock });
  });

  afterAll(async () => {
    await workers?.context.queues.deleteAllKeys();
    await workers?.stop();
    await gateway?.stop();
    await app?.close();
  });

  beforeEach(() => clock.set(at(S, 10)));

  it('finds due reminders on each member’s own local day, in two time zones, and a second sweep adds nothing', async () => {
    // 10:00 in Shanghai on day S is 18:00 of the day before in Los Angeles.
    const L = localDay(clock.now(), LA);
    expect(L).toBe(addDays(S, -1));
    await rule({ trigger: { anchor: 'birth', offset: 30, unit: 'days' }, category: 'checkup' });
    const shanghaiDue = await child(addDays(S, -30), { timeZone: SH });
    const laDue = await child(addDays(L, -30), { timeZone: LA });
    const shanghaiYesterday = await child(addDays(L, -30), { timeZone: SH });
    const laTomorrow = await child(addDays(S, -30), { timeZone: LA });

    await workers.runSweep();
    const sh = await rowsOf(shanghaiDue.member);
    const la = await rowsOf(laDue.member);
    expect(sh.map((r) => r.scheduled_on)).toEqual([S]);
    expect(la.map((r) => r.scheduled_on)).toEqual([L]);
    expect(await rowsOf(shanghaiYesterday.member)).toHaveLength(0);
    expect(await rowsOf(laTomorrow.member)).toHaveLength(0);
    await delivered([...sh, ...la]);
    expect(requestsOf(shanghaiDue.member)).toHaveLength(1);
    expect(requestsOf(laDue.member)).toHaveLength(1);
    expect((await rowsOf(shanghaiDue.member))[0]).toMatchObject({ status: 'sent', push: true });

    const before = Number((await typed<{ n: string }>(knex()('hb_notifications').count({ n: '*' }).first())).n);
    await workers.runSweep();
    const after = Number((await typed<{ n: string }>(knex()('hb_notifications').count({ n: '*' }).first())).n);
    expect(after).toBe(before);
    expect(requestsOf(shanghaiDue.member)).toHaveLength(1);
    expect(gateway.rejected).toHaveLength(0);
  });

  it('holds a push due in quiet hours until they end', async () => {
    clock.set(at(S, 22, 30));
    await rule({ trigger: { anchor: 'birth', offset: 32, unit: 'days' }, deliveryHour: 9 });
    const c = await child(addDays(S, -32));
    await workers.runSweep();
    const [row] = await rowsOf(c.member);
    expect(new Date(row!.deliver_after as string).toISOString()).toBe(at(addDays(S, 1), 8).toISOString());
    expect(await jobOf(row!)).toMatch(/^b\d+-1$/);
    expect(await workers.context.queues.state('deliver', await jobOf(row!))).toBe('delayed');
    expect(requestsOf(c.member)).toHaveLength(0);

    clock.set(at(addDays(S, 1), 8, 1));
    await promote([row!]);
    await delivered([row!]);
    expect(requestsOf(c.member)).toHaveLength(1);
    expect((await rowsOf(c.member))[0]!.status).toBe('sent');
  });

  it('pushes the top three of a member’s day and puts the rest in the inbox', async () => {
    // The first sweep of the day runs in quiet hours, before the delivery hour: the whole day is known.
    clock.set(at(S, 6));
    for (const priority of [10, 20, 30, 40, 50]) {
      await rule({ trigger: { anchor: 'birth', offset: 40, unit: 'days' }, priority, name: `cap ${priority}` });
    }
    const c = await child(addDays(S, -40));
    await workers.runSweep();
    const rows = await rowsOf(c.member);
    expect(rows).toHaveLength(5);
    clock.set(at(S, 9));
    // Five rules, five sweep chunks, five delivery jobs: the cap holds across jobs (member row lock).
    await promote(rows);
    await delivered(rows);
    const after = await rowsOf(c.member);
    const pushed = after.filter((r) => r.push).map((r) => r.priority);
    const capped = after.filter((r) => !r.push);
    expect(pushed.sort()).toEqual([30, 40, 50]);
    expect(capped.map((r) => [r.priority, r.status, r.reason, r.inbox])).toEqual(
      expect.arrayContaining([
        [10, 'sent', 'daily-cap', true],
        [20, 'sent', 'daily-cap', true],
      ]),
    );
    expect(requestsOf(c.member)).toHaveLength(3);
  });

  it('delivers 155 notifications as one job: the daily cap holds inside the batch, and two runs of it push each once', async () => {
    clock.set(at(S, 6));
    await rule({ trigger: { anchor: 'birth', offset: 41, unit: 'days' }, name: 'big batch' });
    const tag = uniqueSlug('big');
    const birth = addDays(S, -41);
    // 151 members; member 0 is a family of five children born that day: five of its notifications in the batch.
    await knex().raw(
      `INSERT INTO hb_members (external_id, time_zone, consent_version, consent_at, enrolled_on)
       SELECT ? || '-' || g, 'Asia/Shanghai', 'v1', now(), ?::date - 100 FROM generate_series(0, 150) g`,
      [tag, S],
    );
    await knex().raw(
      `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, birth_date, corrected_birth_date)
       SELECT md5(m.external_id || '-' || k)::uuid::text, m.id, 'child', 'active', ?::date - 30, ?::date, ?::date
         FROM hb_members m, generate_series(1, CASE WHEN m.external_id = ? THEN 5 ELSE 1 END) k
        WHERE m.external_id LIKE ?`,
      [S, birth, birth, `${tag}-0`, `${tag}-%`],
    );
    const family = `${tag}-0`;
    await workers.runSweep();
    const rows = await typed<Row[]>(knex()('hb_notifications as n').join('hb_members as m', 'm.id', 'n.member_id').where('m.external_id', 'like', `${tag}-%`).orderBy('n.id').select('n.*'));
    expect(rows).toHaveLength(155);
    expect([...new Set(await Promise.all(rows.map(jobOf)))]).toEqual([expect.stringMatching(/^b\d+-155$/)]);

    clock.set(at(S, 9));
    // The same batch twice at once (bull re-running a job another worker still runs): one push each.
    const ids = rows.map((r) => String(r.id));
    const run = () => workers.context.jobs.deliver.handle({ notificationIds: ids }, { jobId: 'direct', attempt: 1, attempts: 4 });
    await Promise.all([run(), run()]);
    await promote(rows);
    await delivered(rows);
    expect(requestsOf(family)).toHaveLength(3);
    for (let g = 1; g <= 150; g += 1) expect(requestsOf(`${tag}-${g}`)).toHaveLength(1);
    const familyRows = await rowsOf(family);
    // Equal priorities: the lowest ids take the three places; the other two are kept in the inbox.
    expect(familyRows.map((r) => [r.status, r.push, r.reason])).toEqual([
      ['sent', true, null],
      ['sent', true, null],
      ['sent', true, null],
      ['sent', false, 'daily-cap'],
      ['sent', false, 'daily-cap'],
    ]);
    const attempts = await typed<Array<{ notification_id: string | number }>>(knex()('hb_delivery_attempts').whereIn('notification_id', ids).select('notification_id'));
    expect(attempts).toHaveLength(153);
    expect(new Set(attempts.map((a) => String(a.notification_id))).size).toBe(153);
  });

  it('retries a gateway 500 with backoff and sends once when it answers 200', async () => {
    await rule({ trigger: { anchor: 'birth', offset: 45, unit: 'days' } });
    const c = await child(addDays(S, -45));
    gateway.script(c.member, [500]);
    await workers.runSweep();
    const rows = await rowsOf(c.member);
    await delivered(rows);
    expect(requestsOf(c.member).map((r) => r.status)).toEqual([500, 200]);
    expect(gateway.deliveries.filter((d) => d.externalId === c.member)).toHaveLength(1);
    const [row] = await rowsOf(c.member);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    const attempts = await typed<Array<Record<string, unknown>>>(knex()('hb_delivery_attempts').where({ notification_id: row!.id }).orderBy('id'));
    expect(attempts.map((a) => [a.status_code, a.outcome])).toEqual([
      [500, 'retryable'],
      [200, 'sent'],
    ]);
  });

  it('fails a gateway 400 at once, without retrying', async () => {
    await rule({ trigger: { anchor: 'birth', offset: 46, unit: 'days' } });
    const c = await child(addDays(S, -46));
    gateway.script(c.member, [400, 200]);
    await workers.runSweep();
    await delivered(await rowsOf(c.member));
    expect(requestsOf(c.member).map((r) => r.status)).toEqual([400]);
    expect((await rowsOf(c.member))[0]).toMatchObject({ status: 'failed', reason: 'http-400', attempts: 1 });
  });

  it('retries only the failed push of a batch: the others are sent once, a 400 fails only its own', async () => {
    await rule({ trigger: { anchor: 'birth', offset: 44, unit: 'days' } });
    const members: string[] = [];
    for (let i = 0; i < 5; i += 1) members.push((await child(addDays(S, -44))).member);
    const [flaky, refused, ...fine] = members as [string, string, ...string[]];
    gateway.script(flaky, [503]);
    gateway.script(refused, [400, 200]);
    await workers.runSweep();
    const rows = (await Promise.all(members.map(rowsOf))).flat();
    expect(rows).toHaveLength(5);
    // All five in one delivery job.
    const jobs = new Set(await Promise.all(rows.map(jobOf)));
    expect([...jobs]).toEqual([expect.stringMatching(/^b\d+-5$/)]);
    await delivered(rows);
    expect(requestsOf(flaky).map((r) => r.status)).toEqual([503, 200]);
    expect(requestsOf(refused).map((r) => r.status)).toEqual([400]);
    for (const m of fine) expect(requestsOf(m).map((r) => r.status)).toEqual([200]);
    expect((await rowsOf(flaky))[0]).toMatchObject({ status: 'sent', attempts: 2, delivery_job: expect.stringMatching(/^r\d+-1-a2$/) });
    expect((await rowsOf(refused))[0]).toMatchObject({ status: 'failed', reason: 'http-400', attempts: 1 });
    for (const m of fine) expect((await rowsOf(m))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(gateway.deliveries.filter((d) => members.includes(d.externalId))).toHaveLength(4);
  });

  it('stops retrying a push after DELIVERY_ATTEMPTS pushes in all', async () => {
    await rule({ trigger: { anchor: 'birth', offset: 43, unit: 'days' } });
    const c = await child(addDays(S, -43));
    // The test workers run with DELIVERY_ATTEMPTS=4.
    gateway.script(c.member, [500, 502, 503, 500, 200]);
    await workers.runSweep();
    await delivered(await rowsOf(c.member));
    expect(requestsOf(c.member).map((r) => r.status)).toEqual([500, 502, 503, 500]);
    expect((await rowsOf(c.member))[0]).toMatchObject({ status: 'failed', reason: 'retries-exhausted', attempts: 4 });
  });

  it('skips an occurrence more than STALE_AFTER_DAYS late instead of sending it', async () => {
    const r = await rule({ trigger: { anchor: 'birth', offset: 50, unit: 'days' } });
    const c = await child(addDays(S, -53));
    const m = await typed<{ id: number }>(knex()('hb_members').where({ external_id: c.member }).first('id'));
    // Written three days ago; its job was lost (e.g. workers down since).
    const [inserted] = await typed<Array<{ id: number }>>(knex()('hb_notifications')
      .insert({
        member_id: m.id,
        journey_id: c.journey,
        rule_key: r.key,
        rule_version: 1,
        scheduled_on: addDays(S, -3),
        deliver_after: at(addDays(S, -3), 9),
        status: 'queued',
        locale: 'zh-Hans',
        category: 'screening',
        priority: 75,
        title: 't',
        body: 'b',
      })
      .returning('id'));
    expect(await workers.reconcile({ graceMs: 0 })).toBeGreaterThanOrEqual(1);
    await workers.delivered([inserted!.id]);
    expect((await rowsOf(c.member))[0]).toMatchObject({ status: 'skipped', reason: 'stale' });
    expect(requestsOf(c.member)).toHaveLength(0);
  });

  it('respects muted categories and missing consent', async () => {
    await rule({ trigger: { anchor: 'birth', offset: 52, unit: 'days' }, category: 'vaccine' });
    const muted = await child(addDays(S, -52), { preferences: { mutedCategories: ['vaccine'] } });
    const noConsent = await child(addDays(S, -52), { consent: null });
    await workers.runSweep();
    const rows = [...(await rowsOf(muted.member)), ...(await rowsOf(noConsent.member))];
    await delivered(rows);
    expect((await rowsOf(muted.member))[0]).toMatchObject({ status: 'skipped', reason: 'muted' });
    expect((await rowsOf(noConsent.member))[0]).toMatchObject({ status: 'skipped', reason: 'no-consent' });
    expect(requestsOf(muted.member)).toHaveLength(0);
    expect(requestsOf(noConsent.member)).toHaveLength(0);
  });

  it('cancels a pregnancy’s pending reminders on a loss, and the delivery job then sends nothing', async () => {
    clock.set(at(S, 22, 30));
    await rule({ trigger: { anchor: 'lmp', offset: 70, unit: 'days' }, conditions: null });
    const m = await member();
    const j = await journey(m, { kind: 'pregnancy', lmp: addDays(S, -70) });
    await workers.runSweep();
    const [row] = await rowsOf(m);
    expect(row).toMatchObject({ status: 'queued' });

    const res = await app
      .http()
      .post(`/api/handbook/members/${m}/journeys/${j}/events`)
      .set({ Authorization: `Bearer ${hostToken}` })
      .send({ type: 'loss', date: realToday });
    expect(res.status).toBe(201);
    expect((await rowsOf(m))[0]).toMatchObject({ status: 'cancelled', reason: 'pregnancy-loss' });

    clock.set(at(addDays(S, 1), 9));
    await promote([row!]);
    await delivered([row!]);
    expect(requestsOf(m)).toHaveLength(0);
    expect((await rowsOf(m))[0]!.status).toBe('cancelled');
    // And the next sweeps never write it again.
    await workers.runSweep();
    expect(await rowsOf(m)).toHaveLength(1);
  });

  it('re-plans on an EDD correction: the old occurrence is cancelled, the new one is found on its new day', async () => {
    clock.set(at(S, 22, 30));
    const r71 = await rule({ trigger: { anchor: 'lmp', offset: 71, unit: 'days' } });
    const m = await member();
    const lmp = addDays(S, -71);
    const j = await journey(m, { kind: 'pregnancy', lmp });
    await workers.runSweep();
    expect((await rowsOf(m)).map((r) => r.status)).toEqual(['queued']);
    expect((await rowsOf(m))[0]!.rule_key).toBe(r71.key);

    // Ultrasound: the pregnancy is 7 days less advanced than the LMP said.
    const res = await app
      .http()
      .patch(`/api/handbook/members/${m}/journeys/${j}`)
      .set({ Authorization: `Bearer ${hostToken}` })
      .send({ edd: addDays(lmp, 280 + 7), eddBasis: 'ultrasound' });
    expect(res.status).toBe(200);
    expect((await rowsOf(m)).map((r) => [r.status, r.reason])).toEqual([['cancelled', 'replanned']]);

    clock.set(at(addDays(S, 7), 10));
    await workers.runSweep();
    const rows = (await rowsOf(m)).filter((r) => r.rule_key === r71.key);
    expect(rows.map((r) => [r.scheduled_on, r.status === 'cancelled' ? 'cancelled' : 'due'])).toEqual([
      [S, 'cancelled'],
      [addDays(S, 7), 'due'],
    ]);
    await delivered(rows.slice(1));
    expect(requestsOf(m).map((q) => q.notificationId)).toContain(String(rows[1]!.id));
  });

  it('re-plans pending occurrences when a new version of their rule is published', async () => {
    clock.set(at(S, 22, 30));
    const r = await rule({ trigger: { anchor: 'birth', offset: 47, unit: 'days' }, titleTemplate: '版本一' });
    const c = await child(addDays(S, -47));
    await workers.runSweep();
    const v1 = workers.context.kernel.rules().find((x) => x.key === r.key)!.version;
    expect((await rowsOf(c.member))[0]).toMatchObject({ title: '版本一', rule_version: v1, status: 'queued' });
    const res = await app
      .http()
      .put(`/api/reminder-rules/${r.documentId}`)
      .query({ status: 'draft' })
      .set({ Authorization: `Bearer ${contentToken}` })
      .send({ data: { titleTemplate: '版本二', priority: 80 } });
    expect(res.status).toBe(200);
    await publishRule(r.documentId);
    await workers.runSweep();
    expect((await rowsOf(c.member))[0]).toMatchObject({ title: '版本二', rule_version: v1 + 1, priority: 80, status: 'queued' });
  });

  it('pushes once when the same delivery runs twice at the same time', async () => {
    clock.set(at(S, 22, 30));
    await rule({ trigger: { anchor: 'birth', offset: 54, unit: 'days' } });
    const c = await child(addDays(S, -54));
    await workers.runSweep();
    const [row] = await rowsOf(c.member);
    clock.set(at(addDays(S, 1), 9));
    const run = () => workers.context.jobs.deliver.handle({ notificationIds: [String(row!.id)] }, { jobId: 'direct', attempt: 1, attempts: 4 });
    await Promise.allSettled([run(), run(), run()]);
    await promote([row!]);
    await delivered([row!]);
    expect(requestsOf(c.member)).toHaveLength(1);
    expect((await rowsOf(c.member))[0]!.status).toBe('sent');
  });

  it('loses nothing when the queue’s Redis keys are deleted mid-run: the reconciler re-queues', async () => {
    clock.set(at(S, 22, 30));
    await rule({ trigger: { anchor: 'birth', offset: 56, unit: 'days' } });
    const members: string[] = [];
    for (let i = 0; i < 12; i += 1) members.push((await child(addDays(S, -56))).member);
    await workers.runSweep();
    const rows = (await Promise.all(members.map(rowsOf))).flat();
    expect(rows).toHaveLength(12);
    // Redis lost everything under our prefix (a flush or a restart without persistence).
    expect(await workers.context.queues.deleteAllKeys()).toBeGreaterThan(0);
    expect(await workers.context.queues.state('deliver', deliveryJobId(rows[0]!.id))).toBe('missing');
    expect(await workers.context.queues.state('deliver', await jobOf(rows[0]!))).toBe('missing');

    clock.set(at(addDays(S, 1), 9));
    expect(await workers.reconcile({ graceMs: 0 })).toBeGreaterThanOrEqual(12);
    await delivered(rows);
    for (const m of members) expect(requestsOf(m)).toHaveLength(1);
    expect((await Promise.all(members.map(rowsOf))).flat().every((r) => r.status === 'sent')).toBe(true);
  });
});
