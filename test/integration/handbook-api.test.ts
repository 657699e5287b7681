import { addDays, localDay } from '@mch/rules';
import { bootApp, createFullAccessToken, createHostAppToken, eventually, HOST_APP_ACTIONS, type TestApp } from '../helpers/app';
import { articleData, reminderRuleData, uniqueSlug } from '../helpers/factories';

type Problem = { field: string; message: string };
type ErrorBody = { error: { status: number; details: { errors: Problem[] } } };
type FeedItem = { slug: string; title: string; reason: { journeyId: string; stage: string } };

const TABLES = ['hb_members', 'hb_journeys', 'hb_journey_events', 'hb_notifications', 'hb_delivery_attempts', 'hb_member_activity'];

describe('host-app API (real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  let hostToken: string;
  let contentToken: string;
  const today = () => localDay(new Date(), 'Asia/Shanghai');
  const host = () => ({ Authorization: `Bearer ${hostToken}` });
  const memberPath = (id: string) => `/api/handbook/members/${id}`;
  const fields = (body: ErrorBody) => body.error.details.errors.map((e) => e.field);

  const putMember = (id: string, body: Record<string, unknown> = {}) =>
    app
      .http()
      .put(memberPath(id))
      .set(host())
      .send({ regionCode: '350102', locale: 'zh-Hans', consent: { version: 'v1', at: '2026-11-01T08:00:00+08:00' }, ...body });

  const newMember = async (body: Record<string, unknown> = {}) => {
    const id = uniqueSlug('m');
    const res = await putMember(id, body);
    expect(res.status).toBe(201);
    return id;
  };

  const startJourney = async (id: string, body: Record<string, unknown>) => {
    const res = await app.http().post(`${memberPath(id)}/journeys`).set(host()).send(body);
    expect(res.status).toBe(201);
    return res.body.data as { id: string; kind: string; status: string };
  };

  /** A pregnancy that is `weeks`+3 days along today, in Asia/Shanghai. */
  const lmpForWeek = (weeks: number) => addDays(today(), -(weeks * 7 + 3));

  const publishArticle = async (overrides: Record<string, unknown>) => {
    const res = await app.http().post('/api/articles').set({ Authorization: `Bearer ${contentToken}` }).send({ data: articleData(overrides) });
    expect(res.status).toBe(201);
    return res.body.data as { documentId: string; slug: string };
  };

  const feed = async (id: string, query: Record<string, string> = {}) => {
    const res = await app.http().get(`${memberPath(id)}/feed`).query({ limit: '100', ...query }).set(host());
    expect(res.status).toBe(200);
    return res.body.data as { items: FeedItem[]; total: number; nextCursor: string | null };
  };

  /** A due notification as the sweep writes it, pending delivery. */
  const insertNotification = async (externalId: string, journeyId: string, overrides: Record<string, unknown> = {}) => {
    const knex = app.strapi.db.connection;
    const member = await knex('hb_members').where({ external_id: externalId }).first('id');
    const [row] = await knex('hb_notifications')
      .insert({
        member_id: member.id,
        journey_id: journeyId,
        rule_key: uniqueSlug('rule'),
        rule_version: 1,
        scheduled_on: today(),
        deliver_after: new Date(),
        status: 'scheduled',
        locale: 'zh-Hans',
        category: 'checkup',
        priority: 70,
        title: '产检提醒',
        body: '请按时产检。',
        ...overrides,
      })
      .returning('id');
    return String(row.id);
  };

  beforeAll(async () => {
    app = await bootApp();
    hostToken = await createHostAppToken(app.strapi);
    contentToken = await createFullAccessToken(app.strapi);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('authentication', () => {
    it('answers 401 without a token and with an unknown one', async () => {
      expect((await app.http().get(memberPath('abc'))).status).toBe(401);
      expect((await app.http().get(memberPath('abc')).set({ Authorization: 'Bearer not-a-token' })).status).toBe(401);
    });

    it('answers 403 to a full-access content token and to a custom token without the route', async () => {
      const id = await newMember();
      expect((await app.http().get(memberPath(id)).set({ Authorization: `Bearer ${contentToken}` })).status).toBe(403);
      const feedOnly = await createHostAppToken(app.strapi, HOST_APP_ACTIONS.filter((a) => a.endsWith('.feed')));
      expect((await app.http().get(memberPath(id)).set({ Authorization: `Bearer ${feedOnly}` })).status).toBe(403);
      expect((await app.http().get(`${memberPath(id)}/feed`).set({ Authorization: `Bearer ${feedOnly}` })).status).toBe(200);
    });

    it('serves the pregnancy calculator and the OpenAPI document publicly', async () => {
      const lmp = addDays(today(), -(12 * 7 + 3));
      const calc = await app.http().get('/api/handbook/tools/pregnancy').query({ lmp });
      expect(calc.status).toBe(200);
      expect(calc.body.data).toMatchObject({ edd: addDays(lmp, 280), weeks: 12, days: 3, label: '孕12+3周', trimester: 1 });
      const tooOld = await app.http().get('/api/handbook/tools/pregnancy').query({ lmp: addDays(today(), -(45 * 7)) });
      expect(tooOld.status).toBe(400);
      expect(fields(tooOld.body as ErrorBody)).toContain('query.lmp');
      expect((await app.http().get('/api/handbook/tools/pregnancy')).status).toBe(400);
      const spec = await app.http().get('/api/handbook/openapi.json');
      expect(spec.status).toBe(200);
      expect(Object.keys(spec.body.paths)).toContain('/handbook/members/{externalId}/feed');
    });
  });

  describe('members', () => {
    it('creates (201), then updates (200) only the fields sent', async () => {
      const id = uniqueSlug('m');
      expect((await putMember(id, { institutionCode: 'FJ-SAMPLE-001' })).status).toBe(201);
      const updated = await app.http().put(memberPath(id)).set(host()).send({ locale: 'en', preferences: { quietHours: { start: '22:00', end: '07:30' } } });
      expect(updated.status).toBe(200);
      expect(updated.body.data).toMatchObject({
        externalId: id,
        regionCode: '350102',
        institutionCode: 'FJ-SAMPLE-001',
        locale: 'en',
        timeZone: 'Asia/Shanghai',
        consent: { version: 'v1' },
        preferences: { quietHours: { start: '22:00', end: '07:30' } },
      });
    });

    it.each([
      ['an unknown field (a name)', { name: '张三' }, 'name'],
      ['a phone number', { phone: '13800000000' }, 'phone'],
      ['a region code of four digits', { regionCode: '3501' }, 'regionCode'],
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
      ['an unknown locale', { locale: 'fr' }, 'locale'],
      ['consent without a time', { consent: { version: 'v1' } }, 'consent.at'],
      ['quiet hours out of range', { preferences: { quietHours: { start: '25:00', end: '07:00' } } }, 'preferences.quietHours.start'],
      ['an unknown muted category', { preferences: { mutedCategories: ['ads'] } }, 'preferences.mutedCategories.0'],
    ])('rejects %s with 400 naming the field, writing nothing', async (_label, body, field) => {
      const id = uniqueSlug('m');
      const res = await app.http().put(memberPath(id)).set(host()).send(body);
      expect(res.status).toBe(400);
      expect(fields(res.body as ErrorBody)).toContain(field);
      expect((await app.http().get(memberPath(id)).set(host())).status).toBe(404);
    });

    it.each([['13800138000'], ['35010219900101123X']])('refuses an externalId that looks like a phone or ID-card number (%s)', async (id) => {
      const res = await putMember(id);
      expect(res.status).toBe(400);
      expect(fields(res.body as ErrorBody)).toContain('externalId');
    });

    it('leaves one member after two concurrent upserts', async () => {
      const id = uniqueSlug('m');
      const [a, b] = await Promise.all([putMember(id, { locale: 'en' }), putMember(id, { locale: 'zh-Hans' })]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      const rows = await app.strapi.db.connection('hb_members').where({ external_id: id }).count({ n: '*' });
      expect(Number(rows[0]?.n)).toBe(1);
    });

    it('erases the member and every row about them; erasing again is fine', async () => {
      const id = await newMember();
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp: lmpForWeek(12) });
      await app.http().post(`${memberPath(id)}/journeys/${pregnancy.id}/events`).set(host()).send({ type: 'visit', date: today() });
      const notificationId = await insertNotification(id, pregnancy.id);
      await app.strapi.db.connection('hb_delivery_attempts').insert({ notification_id: notificationId, channel: 'push', outcome: 'failed', status_code: 503 });
      await feed(id);
      const member = await app.strapi.db.connection('hb_members').where({ external_id: id }).first('id');

      expect((await app.http().delete(memberPath(id)).set(host())).status).toBe(204);
      for (const table of TABLES) {
        const column = table === 'hb_members' ? 'id' : table === 'hb_delivery_attempts' ? 'notification_id' : 'member_id';
        const value = table === 'hb_delivery_attempts' ? notificationId : member.id;
        const rows = await app.strapi.db.connection(table).where(column, value).count({ n: '*' });
        expect([table, Number(rows[0]?.n)]).toEqual([table, 0]);
      }
      expect((await app.http().get(memberPath(id)).set(host())).status).toBe(404);
      expect((await app.http().delete(memberPath(id)).set(host())).status).toBe(204);
    });

    it('returns everything held about the member', async () => {
      const id = await newMember();
      const child = await startJourney(id, { kind: 'child', birthDate: addDays(today(), -100), sex: 'female' });
      const res = await app.http().get(memberPath(id)).set(host());
      expect(res.status).toBe(200);
      expect(res.body.data.member.externalId).toBe(id);
      expect(res.body.data.journeys.map((j: { id: string }) => j.id)).toEqual([child.id]);
      expect(res.body.data).toHaveProperty('events');
      expect(res.body.data).toHaveProperty('notifications');
      expect(res.body.data).toHaveProperty('activeDays');
    });
  });

  describe('journeys and events', () => {
    it.each([
      ['an LMP in the future', { kind: 'pregnancy', lmp: '2099-01-01' }, 'lmp'],
      ['an LMP more than 44 weeks ago', { kind: 'pregnancy', lmp: '2020-01-01' }, 'lmp'],
      ['an EDD more than 44 weeks ahead', { kind: 'pregnancy', edd: '2099-01-01' }, 'edd'],
      ['a pregnancy with neither LMP nor EDD', { kind: 'pregnancy', riskColour: 'green' }, 'lmp'],
      ['an impossible date', { kind: 'pregnancy', lmp: '2026-02-30' }, 'lmp'],
      ['a birth date in the future', { kind: 'child', birthDate: '2099-01-01' }, 'birthDate'],
      ['an unknown risk colour', { kind: 'pregnancy', lmp: '2026-09-01', riskColour: 'blue' }, 'riskColour'],
      ['an unknown kind', { kind: 'adult' }, 'kind'],
      ['an unknown field', { kind: 'child', birthDate: '2026-01-01', name: '小明' }, 'name'],
    ])('rejects %s', async (_label, body, field) => {
      const id = await newMember();
      const res = await app.http().post(`${memberPath(id)}/journeys`).set(host()).send(body);
      expect(res.status).toBe(400);
      expect(fields(res.body as ErrorBody)).toContain(field);
      const rows = await app.strapi.db
        .connection('hb_journeys')
        .whereIn('member_id', app.strapi.db.connection('hb_members').where({ external_id: id }).select('id'))
        .count({ n: '*' });
      expect(Number(rows[0]?.n)).toBe(0);
    });

    it('shows content for the pregnancy week today, with the reason', async () => {
      const article = await publishArticle({ windows: [{ stage: 'pregnancy', from: 20, to: 20, unit: 'weeks' }] });
      const id = await newMember();
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp: lmpForWeek(20) });
      const items = await eventually(async () => {
        const { items } = await feed(id);
        expect(items.map((i) => i.slug)).toContain(article.slug);
        return items;
      });
      const item = items.find((i) => i.slug === article.slug)!;
      expect(item.reason).toMatchObject({ journeyId: pregnancy.id, stage: 'pregnancy' });
    });

    it('makes a newly published article appear in a matching feed', async () => {
      const id = await newMember();
      await startJourney(id, { kind: 'pregnancy', lmp: lmpForWeek(30) });
      const slug = uniqueSlug('week-30');
      expect((await feed(id)).items.map((i) => i.slug)).not.toContain(slug);
      await publishArticle({ slug, windows: [{ stage: 'pregnancy', from: 30, to: 30, unit: 'weeks' }] });
      await eventually(async () => expect((await feed(id)).items.map((i) => i.slug)).toContain(slug), { timeoutMs: 1000 });
    });

    it('on a loss cancels pending notifications at once and removes pregnancy content', async () => {
      const article = await publishArticle({ windows: [{ stage: 'pregnancy', from: 10, to: 10, unit: 'weeks' }] });
      const id = await newMember();
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp: lmpForWeek(10) });
      await eventually(async () => expect((await feed(id)).items.map((i) => i.slug)).toContain(article.slug));
      const pending = await insertNotification(id, pregnancy.id);

      const res = await app.http().post(`${memberPath(id)}/journeys/${pregnancy.id}/events`).set(host()).send({ type: 'loss', date: today() });
      expect(res.status).toBe(201);
      expect(res.body.data.journey.status).toBe('loss');
      expect(res.body.data.cancelledNotifications).toBe(1);
      const row = await app.strapi.db.connection('hb_notifications').where({ id: pending }).first();
      expect(row).toMatchObject({ status: 'cancelled', reason: 'pregnancy-loss' });
      const after = await feed(id);
      expect(after.items.filter((i) => i.reason.stage === 'pregnancy')).toEqual([]);
    });

    it('on the birth of twins creates two child journeys and switches to postpartum and child content', async () => {
      const postpartum = await publishArticle({ windows: [{ stage: 'postpartum', from: 0, to: 10, unit: 'days' }] });
      const newborn = await publishArticle({ windows: [{ stage: 'child', from: 0, to: 7, unit: 'days' }] });
      const late = await publishArticle({ windows: [{ stage: 'pregnancy', from: 38, to: 40, unit: 'weeks' }] });
      const id = await newMember();
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp: addDays(today(), -(38 * 7 + 2)) });
      await eventually(async () => expect((await feed(id)).items.map((i) => i.slug)).toContain(late.slug));

      const birthDay = addDays(today(), -1);
      const res = await app
        .http()
        .post(`${memberPath(id)}/journeys/${pregnancy.id}/events`)
        .set(host())
        .send({ type: 'birth', date: birthDay, babies: [{ sex: 'female' }, { sex: 'male' }] });
      expect(res.status).toBe(201);
      expect(res.body.data.journey.status).toBe('delivered');
      const children = res.body.data.children as Array<{ id: string; birthDate: string; gestationalAgeAtBirthDays: number }>;
      expect(children).toHaveLength(2);
      expect(children.every((c) => c.birthDate === birthDay && c.gestationalAgeAtBirthDays === 38 * 7 + 1)).toBe(true);

      const { items } = await feed(id);
      const slugs = items.map((i) => i.slug);
      expect(slugs).toContain(postpartum.slug);
      expect(slugs).toContain(newborn.slug);
      expect(slugs).not.toContain(late.slug);
      expect(new Set(items.filter((i) => i.reason.stage === 'child').map((i) => i.reason.journeyId)).size).toBeGreaterThanOrEqual(1);
    });

    it('rejects events on a closed pregnancy and events in the future', async () => {
      const id = await newMember();
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp: lmpForWeek(9) });
      const future = await app.http().post(`${memberPath(id)}/journeys/${pregnancy.id}/events`).set(host()).send({ type: 'visit', date: addDays(today(), 2) });
      expect(future.status).toBe(400);
      expect(fields(future.body as ErrorBody)).toContain('date');
      await app.http().post(`${memberPath(id)}/journeys/${pregnancy.id}/events`).set(host()).send({ type: 'loss', date: today() });
      const again = await app.http().post(`${memberPath(id)}/journeys/${pregnancy.id}/events`).set(host()).send({ type: 'visit', date: today() });
      expect(again.status).toBe(400);
    });

    it('moves the upcoming checkups when the EDD is corrected', async () => {
      const rule = reminderRuleData({ trigger: { anchor: 'lmp', offset: 24, unit: 'weeks' } });
      const created = await app.http().post('/api/reminder-rules').set({ Authorization: `Bearer ${contentToken}` }).send({ data: rule });
      expect(created.status).toBe(201);
      const id = await newMember();
      const lmp = lmpForWeek(16);
      const pregnancy = await startJourney(id, { kind: 'pregnancy', lmp });
      const upcomingFor = async () => {
        const res = await app.http().get(`${memberPath(id)}/upcoming`).query({ days: '120' }).set(host());
        expect(res.status).toBe(200);
        return (res.body.data.items as Array<{ ruleKey: string; scheduledOn: string }>).filter((o) => o.ruleKey === rule.key);
      };
      await eventually(async () => expect(await upcomingFor()).toEqual([expect.objectContaining({ scheduledOn: addDays(lmp, 168) })]));

      // Early ultrasound: the pregnancy is 5 days further along than the LMP says.
      const correctedEdd = addDays(lmp, 280 - 5);
      const patched = await app.http().patch(`${memberPath(id)}/journeys/${pregnancy.id}`).set(host()).send({ edd: correctedEdd, eddBasis: 'ultrasound' });
      expect(patched.status).toBe(200);
      expect(await upcomingFor()).toEqual([expect.objectContaining({ scheduledOn: addDays(lmp, 168 - 5) })]);
    });
  });

  describe('inbox', () => {
    it('lists delivered items newest first and marks one read', async () => {
      const id = await newMember();
      const child = await startJourney(id, { kind: 'child', birthDate: addDays(today(), -30) });
      const first = await insertNotification(id, child.id, { status: 'sent', title: '满月体检' });
      const second = await insertNotification(id, child.id, { status: 'sent', title: '乙肝疫苗第2剂' });
      await insertNotification(id, child.id, { status: 'cancelled', title: '已取消' });

      const res = await app.http().get(`${memberPath(id)}/inbox`).set(host());
      expect(res.status).toBe(200);
      expect(res.body.data.items.map((n: { id: string }) => n.id)).toEqual([second, first]);
      expect(res.body.data.unread).toBe(2);

      const read = await app.http().post(`${memberPath(id)}/inbox/${first}/read`).set(host());
      expect(read.status).toBe(200);
      expect(read.body.data.readAt).not.toBeNull();
      expect((await app.http().get(`${memberPath(id)}/inbox`).set(host())).body.data.unread).toBe(1);
      const member = await app.strapi.db.connection('hb_members').where({ external_id: id }).first();
      expect(String(member.last_active_on).slice(0, 10)).toBe(today());
    });

    it("does not reach another member's notification", async () => {
      const owner = await newMember();
      const other = await newMember();
      const child = await startJourney(owner, { kind: 'child', birthDate: addDays(today(), -30) });
      const notification = await insertNotification(owner, child.id, { status: 'sent' });
      expect((await app.http().post(`${memberPath(other)}/inbox/${notification}/read`).set(host())).status).toBe(404);
    });
  });
});
