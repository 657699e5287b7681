import type { Browser, BrowserContext } from 'playwright-core';
import { assignInstitution, createAdminUser } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/app';
import { launchChromium, listen, loginThroughForm, screenshot } from '../helpers/browser';
import { articleData, institutionData, reminderRuleData, uniqueSlug } from '../helpers/factories';

type Doc = { documentId: string; code: string };

describe('admin panel in chromium: simulator and hospital scoping', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let baseUrl: string;
  let hospitalA: Doc;
  const articleTitle = `孕12周浏览器测试 ${uniqueSlug('t')}`;
  const ruleKey = uniqueSlug('browser-rule');
  const ruleNameA = `A院规则 ${uniqueSlug('n')}`;
  const ruleNameB = `B院规则 ${uniqueSlug('n')}`;
  const ruleNameProvince = `省级规则 ${uniqueSlug('n')}`;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await bootApp({ serveAdminPanel: true });
    baseUrl = await listen(app);
    const institution = async (overrides: Record<string, unknown>) =>
      (await app.strapi
        .documents('api::institution.institution')
        .create({ data: institutionData(overrides) as never })) as unknown as Doc;
    hospitalA = await institution({ type: 'mch-hospital' });
    const hospitalB = await institution({ type: 'midwifery', regionCode: '350203' });

    const article = await app.strapi
      .documents('api::article.article')
      .create({ data: articleData({ title: articleTitle }) as never });
    await app.strapi.documents('api::article.article').publish({ documentId: article.documentId });
    const rules = app.strapi.documents('api::reminder-rule.reminder-rule');
    const published = await rules.create({
      data: reminderRuleData({
        key: ruleKey,
        name: ruleNameProvince,
        trigger: { anchor: 'lmp', offset: 13, unit: 'weeks' },
      }) as never,
    });
    await rules.publish({ documentId: published.documentId });
    await rules.create({ data: reminderRuleData({ name: ruleNameA, institution: hospitalA.documentId }) as never });
    await rules.create({ data: reminderRuleData({ name: ruleNameB, institution: hospitalB.documentId }) as never });
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' });
  });
  afterEach(async () => {
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a province editor logs in, simulates 孕12周 and sees the feed and the reminder timeline', async () => {
    const editor = await createAdminUser(app.strapi, 'mch-province-editor');
    const page = await context.newPage();
    await loginThroughForm(page, baseUrl, editor);

    await page.goto(`${baseUrl}/admin/plugins/simulator`);
    const preset = page.locator('[data-testid="preset"]');
    await preset.locator('option[value="pregnancy-12w"]').waitFor({ state: 'attached' });
    await preset.selectOption('pregnancy-12w');
    await page.locator('[data-testid="days"]').fill('30');
    await page.locator('[data-testid="simulate"]').click();

    await page.locator('[data-testid="feed"]').getByText(articleTitle).waitFor();
    const dot = page.locator(`[data-testid="timeline"] svg g.timeline-item[data-rule-key="${ruleKey}"]`);
    await dot.waitFor();
    expect(await dot.locator('title').textContent()).toContain('末次月经');
    expect(await page.locator('[data-testid="reminders"] tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'simulator-pregnancy-12w');

    // Rule authoring help: an unknown fact is named with the right one suggested.
    await page
      .locator('[data-testid="rule-json"]')
      .fill(
        JSON.stringify(
          reminderRuleData({ conditions: { all: [{ fact: 'gestationalWeek', operator: 'equal', value: 24 }] } }),
        ),
      );
    await page.locator('[data-testid="check-rule"]').click();
    await page.locator('[data-testid="problems"]').getByText('did you mean "gestationalWeeks"').waitFor();
    expect(await page.locator('[data-testid="facts"]').getByText('孕周（整周）').count()).toBe(1);
    await screenshot(page, 'simulator-rule-check');
  });

  it('an editor saving a rule with an unknown fact in the Content Manager is told the field, the fact and the right one', async () => {
    const rule = await app.strapi
      .documents('api::reminder-rule.reminder-rule')
      .create({ data: reminderRuleData() as never });
    const editor = await createAdminUser(app.strapi, 'mch-province-editor');
    const page = await context.newPage();
    await loginThroughForm(page, baseUrl, editor);

    await page.goto(
      `${baseUrl}/admin/content-manager/collection-types/api::reminder-rule.reminder-rule/${rule.documentId}`,
    );
    const conditions = page.locator('.cm-content').first();
    await conditions.waitFor();
    expect(await page.locator('[data-testid="rule-help"] a').getAttribute('href')).toBe('/admin/plugins/simulator');
    await conditions.fill('{"all":[{"fact":"gestationalWeek","operator":"equal","value":24}]}');
    await page.getByRole('button', { name: /^(save|保存)$/i }).click();

    const alert = page.getByText('did you mean "gestationalWeeks"');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/conditions\.all\[0\]\.fact: unknown fact "gestationalWeek".*未知事实/);
    await screenshot(page, 'rule-save-unknown-fact');
    const stored = (await app.strapi.db
      .query('api::reminder-rule.reminder-rule')
      .findOne({ where: { documentId: rule.documentId } })) as {
      conditions: unknown;
    };
    expect(JSON.stringify(stored.conditions)).not.toContain('gestationalWeek"');
  });

  it('a hospital rule editor sees only their institution’s rules in the Content Manager', async () => {
    const editor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
    await assignInstitution(app.strapi, editor.email, hospitalA.documentId);
    const page = await context.newPage();
    await loginThroughForm(page, baseUrl, editor);

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/api::reminder-rule.reminder-rule`);
    await page.getByText(ruleNameA).first().waitFor();
    expect(await page.getByText(ruleNameB).count()).toBe(0);
    expect(await page.getByText(ruleNameProvince).count()).toBe(0);
    await screenshot(page, 'hospital-editor-rules');
  });
});
