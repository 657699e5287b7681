import { addDays, localDay } from '@mch/rules';
import { adminToken, assignInstitution, createAdminUser } from '../helpers/admin';
import { bootApp, createHostAppToken, eventually, type TestApp } from '../helpers/app';
import { articleData, institutionData, reminderRuleData, uniqueSlug } from '../helpers/factories';

type Doc = { id: number; documentId: string; code: string };
type Problem = { field: string; message: string; messageZh: string | null };

describe('stage simulator and rule check (admin routes, real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  let hostToken: string;
  let superToken: string;
  let hospitalToken: string;
  let hospitalA: Doc;
  let hospitalB: Doc;
  let articleTitle: string;
  let ruleKey: string;
  const memberA = uniqueSlug('sim-a');
  const memberB = uniqueSlug('sim-b');
  const today = () => localDay(new Date(), 'Asia/Shanghai');
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** A member of an institution with a pregnancy whose 24-week day is `inDays` from today. */
  async function pregnantMember(externalId: string, institutionCode: string, inDays: number): Promise<void> {
    const put = await app
      .http()
      .put(`/api/handbook/members/${externalId}`)
      .set(as(hostToken))
      .send({ regionCode: '350102', institutionCode });
    expect(put.status).toBe(201);
    const lmp = addDays(today(), inDays - 24 * 7);
    const journey = await app
      .http()
      .post(`/api/handbook/members/${externalId}/journeys`)
      .set(as(hostToken))
      .send({ kind: 'pregnancy', lmp });
    expect(journey.status).toBe(201);
  }

  beforeAll(async () => {
    app = await bootApp();
    hostToken = await createHostAppToken(app.strapi);
    const institution = async (overrides: Record<string, unknown>) =>
      (await app.strapi
        .documents('api::institution.institution')
        .create({ data: institutionData(overrides) as never })) as unknown as Doc;
    hospitalA = await institution({ type: 'mch-hospital', regionCode: '350102' });
    hospitalB = await institution({ type: 'midwifery', regionCode: '350203' });

    articleTitle = `孕12周模拟测试 ${uniqueSlug('t')}`;
    const article = await app.strapi
      .documents('api::article.article')
      .create({ data: articleData({ title: articleTitle }) as never });
    await app.strapi.documents('api::article.article').publish({ documentId: article.documentId });
    ruleKey = uniqueSlug('sim-rule');
    const rule = await app.strapi
      .documents('api::reminder-rule.reminder-rule')
      .create({
        data: reminderRuleData({ key: ruleKey, trigger: { anchor: 'lmp', offset: 13, unit: 'weeks' } }) as never,
      });
    await app.strapi.documents('api::reminder-rule.reminder-rule').publish({ documentId: rule.documentId });

    await pregnantMember(memberA, hospitalA.code, 0);
    await pregnantMember(uniqueSlug('sim-a2'), hospitalA.code, 2);
    await pregnantMember(uniqueSlug('sim-a3'), hospitalA.code, 2);
    await pregnantMember(memberB, hospitalB.code, 0);

    superToken = await adminToken(app.http, await createAdminUser(app.strapi, 'strapi-super-admin'));
    const editor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
    await assignInstitution(app.strapi, editor.email, hospitalA.documentId);
    hospitalToken = await adminToken(app.http, editor);
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the fact catalogue as help, with zh labels, units and examples', async () => {
    const res = await app.http().get('/simulator/help').set(as(superToken));
    expect(res.status).toBe(200);
    const weeks = (res.body.facts as Array<{ name: string; labelZh: string; unit?: string; example: unknown }>).find(
      (f) => f.name === 'gestationalWeeks',
    );
    expect(weeks).toMatchObject({ labelZh: '孕周（整周）', unit: 'weeks', example: 12 });
    expect(res.body.scope).toEqual({ kind: 'province' });
    expect((res.body.presets as Array<{ labelZh: string }>).map((p) => p.labelZh)).toEqual(
      expect.arrayContaining(['孕12周', '8月龄', '32周早产，现3月龄']),
    );
  });

  it('simulates 孕12周: the feed has the 12-week article and the timeline the 13-week reminder, as SVG', async () => {
    const res = await eventually(async () => {
      const r = await app
        .http()
        .post('/simulator/simulate')
        .set(as(superToken))
        .send({ stage: { kind: 'pregnancy', weeks: 12 }, regionCode: '350102', days: 30 });
      expect(r.status).toBe(200);
      expect((r.body.feed as Array<{ title: string }>).map((i) => i.title)).toContain(articleTitle);
      return r;
    });
    const items = res.body.timeline.items as Array<{ ruleKey: string; scheduledOn: string; why: string }>;
    const reminder = items.find((i) => i.ruleKey === ruleKey);
    expect(reminder).toMatchObject({ scheduledOn: addDays(today(), 7) });
    expect(reminder?.why).toContain('末次月经');
    expect(res.body.svg).toMatch(/^<svg [^>]*role="img"/);
    expect(res.body.svg).toContain(`data-rule-key="${ruleKey}"`);
  });

  it('simulates a preterm baby (born at 32 weeks, now 3 months) and a child of 8 months', async () => {
    for (const stage of [
      { kind: 'child', months: 3, gestationalWeeksAtBirth: 32 },
      { kind: 'child', months: 8 },
    ]) {
      const res = await app.http().post('/simulator/simulate').set(as(superToken)).send({ stage, days: 14 });
      expect(res.status).toBe(200);
      expect(res.body.stages[0]).toMatchObject({ stage: 'child' });
      expect(res.body.svg).toContain('<svg');
    }
  });

  it('refuses bad input with 400 naming the field', async () => {
    const res = await app
      .http()
      .post('/simulator/simulate')
      .set(as(superToken))
      .send({ stage: { kind: 'pregnancy', weeks: 50 }, days: 0 });
    expect(res.status).toBe(400);
    const fields = (res.body.error.details.errors as Problem[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['stage.weeks', 'days']));
  });

  it('a hospital editor simulates members of their own institution only', async () => {
    const own = await app
      .http()
      .post('/simulator/simulate')
      .set(as(hospitalToken))
      .send({ externalId: memberA, days: 14 });
    expect(own.status).toBe(200);
    expect(own.body.real).toBe(true);
    expect(own.body.member.institutionCode).toBe(hospitalA.code);
    const other = await app
      .http()
      .post('/simulator/simulate')
      .set(as(hospitalToken))
      .send({ externalId: memberB, days: 14 });
    expect(other.status).toBe(404);
    const province = await app
      .http()
      .post('/simulator/simulate')
      .set(as(superToken))
      .send({ externalId: memberB, days: 14 });
    expect(province.status).toBe(200);
  });

  it('checks a draft rule: an unknown fact is named, with the right one suggested, in zh and en', async () => {
    const rule = reminderRuleData({
      conditions: { all: [{ fact: 'gestationalWeek', operator: 'greaterThanInclusive', value: 24 }] },
    });
    const res = await app.http().post('/simulator/rules/check').set(as(superToken)).send({ rule });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(false);
    const [problem] = res.body.problems as [Problem];
    expect(problem.field).toMatch(/^conditions/);
    expect(problem.message).toContain('gestationalWeek');
    expect(problem.message).toContain('did you mean "gestationalWeeks"');
    expect(problem.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('the same unknown fact, saved in the Content Manager, is refused with 400 naming the field and the suggestion', async () => {
    const editor = await createAdminUser(app.strapi, 'mch-province-editor');
    const token = await adminToken(app.http, editor);
    const res = await app
      .http()
      .post('/content-manager/collection-types/api::reminder-rule.reminder-rule')
      .set(as(token))
      .send(reminderRuleData({ conditions: { all: [{ fact: 'gestationalWeek', operator: 'equal', value: 24 }] } }));
    expect(res.status).toBe(400);
    const [first] = res.body.error.details.errors as [{ path: string[]; message: string; messageZh: string | null }];
    expect(first.path.slice(0, 1)).toEqual(['conditions']);
    expect(first.message).toContain('did you mean "gestationalWeeks"');
    expect(first.messageZh).toMatch(/[\u4e00-\u9fff]/);
  });

  it('previews a valid rule for a sample member and estimates its reach over 7 days, within scope', async () => {
    const rule = reminderRuleData({ key: uniqueSlug('draft') });
    const province = await app.http().post('/simulator/rules/check').set(as(superToken)).send({ rule });
    expect(province.status).toBe(200);
    expect(province.body.ok).toBe(true);
    expect(province.body.preview['zh-Hans'].title).toBe('孕24+0周：请预约糖耐量检查');
    expect(province.body.preview.en.title).toBe('Time to book your glucose tolerance test');
    const counts = (body: { reach: Array<{ members: number }> }) => body.reach.map((r) => r.members);
    expect(counts(province.body)).toEqual([2, 0, 2, 0, 0, 0, 0]);

    const hospital = await app
      .http()
      .post('/simulator/rules/check')
      .set(as(hospitalToken))
      .send({ rule, institutionCode: hospitalB.code });
    expect(hospital.status).toBe(200);
    expect(counts(hospital.body)).toEqual([1, 0, 2, 0, 0, 0, 0]);
  });

  it('is closed to roles without the simulator permission', async () => {
    const viewer = await adminToken(app.http, await createAdminUser(app.strapi, 'mch-statistics-viewer'));
    expect((await app.http().get('/simulator/help').set(as(viewer))).status).toBe(403);
    expect((await app.http().get('/simulator/help')).status).toBe(401);
  });
});
