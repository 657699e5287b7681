import { bootApp, createFullAccessToken, type TestApp } from '../helpers/app';
import {
  articleData,
  institutionData,
  nutritionGuideData,
  policyData,
  reminderRuleData,
  uniqueSlug,
} from '../helpers/factories';

type ErrorBody = { error: { status: number; name: string; details: { errors: Array<{ path: string[]; message: string }> } } };

describe('content model over REST (real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  let token: string;
  const auth = () => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, data: Record<string, unknown>) => app.http().post(path).set(auth()).send({ data });

  beforeAll(async () => {
    app = await bootApp();
    token = await createFullAccessToken(app.strapi);
  });
  afterAll(async () => {
    await app.close();
  });

  const errorPaths = (body: ErrorBody) => body.error.details.errors.map((e) => e.path.join('.'));

  describe.each([
    ['articles', articleData],
    ['policies', policyData],
    ['nutrition-guides', nutritionGuideData],
  ])('%s', (plural, factory) => {
    it('creates, reads, updates and deletes, normalising windows to days', async () => {
      const created = await post(`/api/${plural}`, factory());
      expect(created.status).toBe(201);
      const documentId: string = created.body.data.documentId;

      const read = await app.http().get(`/api/${plural}/${documentId}`).query({ populate: 'windows' }).set(auth());
      expect(read.status).toBe(200);
      expect(read.body.data.windows[0]).toMatchObject({ from: read.body.data.windows[0].from });
      expect(read.body.data.locale).toBe('zh-Hans');

      const updated = await app
        .http()
        .put(`/api/${plural}/${documentId}`)
        .set(auth())
        .send({ data: { title: '已更新的标题', windows: [{ stage: 'pregnancy', from: 20, to: 24, unit: 'weeks' }] } });
      expect(updated.status).toBe(200);
      const reread = await app.http().get(`/api/${plural}/${documentId}`).query({ populate: 'windows' }).set(auth());
      expect(reread.body.data.title).toBe('已更新的标题');
      // 20+0 .. 24+6 weeks, inclusive.
      expect(reread.body.data.windows[0]).toMatchObject({ fromDays: 140, toDays: 174 });

      const removed = await app.http().delete(`/api/${plural}/${documentId}`).set(auth());
      expect(removed.status).toBe(204);
      const gone = await app.http().get(`/api/${plural}/${documentId}`).set(auth());
      expect(gone.status).toBe(404);
    });
  });

  it('keeps drafts out of the content API', async () => {
    const draft = await app.http().post('/api/articles').query({ status: 'draft' }).set(auth()).send({ data: articleData() });
    expect(draft.status).toBe(201);
    const published = await post('/api/articles', articleData());
    expect(published.status).toBe(201);

    const list = await app.http().get('/api/articles').query({ 'pagination[pageSize]': 100 }).set(auth());
    const ids = list.body.data.map((d: { documentId: string }) => d.documentId);
    expect(ids).toContain(published.body.data.documentId);
    expect(ids).not.toContain(draft.body.data.documentId);
  });

  it('serves a zh-Hans document and its en localisation', async () => {
    const zh = await post('/api/articles', articleData());
    const documentId: string = zh.body.data.documentId;
    const en = await app
      .http()
      .put(`/api/articles/${documentId}`)
      .query({ locale: 'en' })
      .set(auth())
      .send({ data: { title: 'Week 12', summary: 'What to do this week.', body: 'Body.' } });
    expect(en.status).toBe(200);
    expect(en.body.data.locale).toBe('en');

    const readEn = await app.http().get(`/api/articles/${documentId}`).query({ locale: 'en' }).set(auth());
    expect(readEn.body.data.title).toBe('Week 12');
    const readZh = await app.http().get(`/api/articles/${documentId}`).set(auth());
    expect(readZh.body.data.title).toBe('孕12周：胎儿器官基本形成');
    // Non-localised fields are shared by both locales.
    expect(readEn.body.data.slug).toBe(readZh.body.data.slug);
  });

  describe('validation on save names the field (400)', () => {
    it.each([
      ['a window whose from exceeds to', { windows: [{ stage: 'pregnancy', from: 20, to: 12, unit: 'weeks' }] }, 'windows.0'],
      ['a pregnancy window beyond 44 weeks', { windows: [{ stage: 'pregnancy', from: 40, to: 46, unit: 'weeks' }] }, 'windows.0'],
      ['a postpartum window beyond one year', { windows: [{ stage: 'postpartum', from: 0, to: 13, unit: 'months' }] }, 'windows.0'],
      ['a child window beyond 7 years', { windows: [{ stage: 'child', from: 0, to: 8 * 12 + 1, unit: 'months' }] }, 'windows.0'],
      ['a region code that is not six digits', { regionCodes: ['3501'] }, 'regionCodes.0'],
      ['a slug with capitals and spaces', { slug: 'Week 12' }, 'slug'],
    ])('rejects %s', async (_label, override, path) => {
      const res = await post('/api/articles', articleData(override));
      expect(res.status).toBe(400);
      const body = res.body as ErrorBody;
      expect(body.error.name).toBe('ValidationError');
      expect(errorPaths(body).some((p) => p.startsWith(path))).toBe(true);
    });

    it('writes nothing when validation fails', async () => {
      const slug = uniqueSlug('rejected');
      const res = await post('/api/articles', articleData({ slug, windows: [{ stage: 'pregnancy', from: 20, to: 12, unit: 'weeks' }] }));
      expect(res.status).toBe(400);
      const rows = await app.strapi.db.query('api::article.article').count({ where: { slug } });
      expect(rows).toBe(0);
    });

    it('rejects a policy valid until before it starts', async () => {
      const res = await post('/api/policies', policyData({ validFrom: '2026-06-10', validTo: '2026-01-01' }));
      expect(res.status).toBe(400);
      expect(errorPaths(res.body as ErrorBody)).toContain('validTo');
    });

    it('rejects an institution with a bad region code', async () => {
      const res = await post('/api/institutions', institutionData({ regionCode: '35010X' }));
      expect(res.status).toBe(400);
      expect(errorPaths(res.body as ErrorBody)).toContain('regionCode');
    });
  });

  describe('reminder rules', () => {
    it('creates a rule and raises its version on every publish', async () => {
      const created = await app.http().post('/api/reminder-rules').query({ status: 'draft' }).set(auth()).send({ data: reminderRuleData() });
      expect(created.status).toBe(201);
      const documentId: string = created.body.data.documentId;
      const publish = async () => {
        const res = await app.strapi.documents('api::reminder-rule.reminder-rule').publish({ documentId });
        expect(res.entries.length).toBe(1);
      };
      await publish();
      const v1 = await app.http().get(`/api/reminder-rules/${documentId}`).set(auth());
      expect(v1.body.data.version).toBe(1);

      await app.http().put(`/api/reminder-rules/${documentId}`).query({ status: 'draft' }).set(auth()).send({ data: { priority: 80 } });
      await publish();
      const v2 = await app.http().get(`/api/reminder-rules/${documentId}`).set(auth());
      expect(v2.body.data.version).toBe(2);
      expect(v2.body.data.priority).toBe(80);
    });

    it('raises the version when a REST create or update publishes directly, and ignores a client version', async () => {
      const created = await app
        .http()
        .post('/api/reminder-rules')
        .query({ status: 'published' })
        .set(auth())
        .send({ data: { ...reminderRuleData(), version: 41 } });
      expect(created.status).toBe(201);
      const documentId: string = created.body.data.documentId;
      expect(created.body.data.version).toBe(1);

      const updated = await app
        .http()
        .put(`/api/reminder-rules/${documentId}`)
        .query({ status: 'published' })
        .set(auth())
        .send({ data: { priority: 70, version: 99 } });
      expect(updated.status).toBe(200);
      const published = await app.strapi.documents('api::reminder-rule.reminder-rule').findOne({ documentId, status: 'published' });
      expect(published?.version).toBe(2);
      expect(published?.priority).toBe(70);

      const draftOnly = await app.http().put(`/api/reminder-rules/${documentId}`).query({ status: 'draft' }).set(auth()).send({ data: { version: 7 } });
      expect(draftOnly.status).toBe(200);
      const after = await app.strapi.documents('api::reminder-rule.reminder-rule').findOne({ documentId, status: 'published' });
      expect(after?.version).toBe(2);
    });

    it.each([
      ['a delivery hour of 24', { deliveryHour: 24 }, 'deliveryHour'],
      ['a key with capitals', { key: 'OGTT Rule' }, 'key'],
      ['conditions that are not JSON', { conditions: '{"all": [' }, 'conditions'],
      [
        'an unknown fact',
        { conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'pregnancy' }, { fact: 'gestationalWeek', operator: 'greaterThan', value: 20 }] } },
        'conditions.all.1.fact',
      ],
      ['a template that does not compile', { bodyTemplate: '{{#if stage}}unclosed' }, 'bodyTemplate'],
      ['a template variable that is not a fact', { titleTemplate: '{{motherName}}，您好' }, 'titleTemplate'],
      ['an unknown trigger anchor', { trigger: { anchor: 'conception', offset: 0, unit: 'days' } }, 'trigger.anchor'],
    ])('rejects %s', async (_label, override, path) => {
      const res = await post('/api/reminder-rules', reminderRuleData(override));
      expect(res.status).toBe(400);
      const body = res.body as ErrorBody;
      expect(errorPaths(body).some((p) => p.startsWith(path))).toBe(true);
    });

    it('suggests the fact the editor meant', async () => {
      const res = await post(
        '/api/reminder-rules',
        reminderRuleData({ conditions: { all: [{ fact: 'gestationalWeek', operator: 'greaterThan', value: 20 }] } }),
      );
      expect(res.status).toBe(400);
      const messages = (res.body as ErrorBody).error.details.errors.map((e) => e.message).join('\n');
      expect(messages).toContain('gestationalWeeks');
    });
  });
});
