import { bootApp, createFullAccessToken, type TestApp } from '../helpers/app';

describe('the app boots on PostgreSQL and serves the content API', () => {
  let app: TestApp;
  let token: string;

  beforeAll(async () => {
    app = await bootApp();
    token = await createFullAccessToken(app.strapi);
  });
  afterAll(async () => {
    await app.close();
  });

  it('runs on PostgreSQL in its own schema', () => {
    expect(app.strapi.db.dialect.client).toBe('postgres');
    expect(app.strapi.config.get('database.connection.connection.schema')).toBe(app.schema);
  });

  it('refuses the content API without a token', async () => {
    const res = await app.http().get('/api/articles');
    expect(res.status).toBe(403);
  });

  it('answers the content API with a token', async () => {
    const res = await app.http().get('/api/articles').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([]);
  });

  it('has zh-Hans as the default locale and en as the second', async () => {
    const locales = app.strapi.plugin('i18n').service('locales') as unknown as {
      find(): Promise<Array<{ code: string }>>;
      getDefaultLocale(): Promise<string>;
    };
    const all = await locales.find();
    expect(all.map((l) => l.code).sort()).toEqual(['en', 'zh-Hans']);
    expect(await locales.getDefaultLocale()).toBe('zh-Hans');
  });
});
