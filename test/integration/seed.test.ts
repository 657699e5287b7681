import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { addDays, buildContentIndex, normaliseWindow, plan, type ContentItem, type Journey, type Member, type ReminderRule } from '@mch/rules';
import { readSeeds, type RuleSeed } from '../../content-seed/src/files';
import { upsertSeeds } from '../../content-seed/src/upsert';
import { bootApp, type TestApp } from '../helpers/app';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const DATA = path.join(ROOT, 'content-seed/data');

const ARTICLE = `---
slug: seed-test-week-12
title: 孕12周：测试
summary: 测试摘要。
category: pregnancy-weekly
priority: 50
windows:
  - stage: pregnancy
    from: 12
    to: 12
    unit: weeks
regionCodes: []
sources:
  - title: 孕前和孕期保健指南（2018）
    issuer: 中华医学会妇产科学分会产科学组
    year: 2018
    url: null
reviewer: 测试审核
en:
  title: "Week 12: test"
  summary: Test summary.
---
## 宝宝的发育

正文。
`;

const RULE = {
  key: 'seed-test-ogtt',
  name: '糖耐量检查提醒',
  trigger: { anchor: 'lmp', offset: 24, unit: 'weeks' },
  conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'pregnancy' }] },
  templates: { 'zh-Hans': { title: '请预约糖耐量检查', body: '24–28周做75 g OGTT。' }, en: { title: 'Book your OGTT', body: 'At 24–28 weeks.' } },
  channels: ['push', 'inbox'],
  deliveryHour: 9,
  category: 'screening',
  priority: 75,
  sources: [{ title: '孕前和孕期保健指南（2018）', issuer: '中华医学会妇产科学分会产科学组', year: 2018, url: null }],
};

function fixtureDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'seed-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('seed importer (real PostgreSQL)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootApp();
  });
  afterAll(async () => {
    await app.close();
  });

  const count = (uid: string, where: Record<string, unknown>) => app.strapi.db.query(uid).count({ where });

  it('creates, then reports unchanged, then updated after an edit', async () => {
    const dir = fixtureDir({
      'articles/seed-test-week-12.md': ARTICLE,
      'rules/seed-test-ogtt.json': JSON.stringify(RULE),
      'institutions/institutions.json': JSON.stringify([{ code: 'FJ-TEST-001', name: '测试机构（示例）', type: '妇幼保健院', regionCode: '350102', sample: true }]),
    });
    const first = readSeeds(dir);
    expect(first.problems).toEqual([]);
    const created = await upsertSeeds(app.strapi, first.seeds, { dryRun: false });
    expect(created.map((r) => [r.seed.key, r.outcome])).toEqual([
      ['FJ-TEST-001', 'created'],
      ['seed-test-week-12', 'created'],
      ['seed-test-ogtt', 'created'],
    ]);
    const again = await upsertSeeds(app.strapi, readSeeds(dir).seeds, { dryRun: false });
    expect(again.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    // Published in both locales, rule at version 1.
    expect(await count('api::article.article', { slug: 'seed-test-week-12', publishedAt: { $notNull: true } })).toBe(2);
    const rule = await app.strapi.documents('api::reminder-rule.reminder-rule').findFirst({ filters: { key: 'seed-test-ogtt' }, status: 'published' });
    expect(rule?.version).toBe(1);

    writeFileSync(path.join(dir, 'rules/seed-test-ogtt.json'), JSON.stringify({ ...RULE, priority: 80 }));
    const dry = await upsertSeeds(app.strapi, readSeeds(dir).seeds, { dryRun: true });
    expect(dry.find((r) => r.seed.key === 'seed-test-ogtt')?.outcome).toBe('updated');
    const stillV1 = await app.strapi.documents('api::reminder-rule.reminder-rule').findFirst({ filters: { key: 'seed-test-ogtt' }, status: 'published' });
    expect(stillV1?.priority).toBe(75);

    const edited = await upsertSeeds(app.strapi, readSeeds(dir).seeds, { dryRun: false });
    expect(edited.find((r) => r.seed.key === 'seed-test-ogtt')?.outcome).toBe('updated');
    const v2 = await app.strapi.documents('api::reminder-rule.reminder-rule').findFirst({ filters: { key: 'seed-test-ogtt' }, status: 'published' });
    expect(v2).toMatchObject({ version: 2, priority: 80 });
  });

  it.each([
    ['a window whose from exceeds to', { 'articles/bad-window.md': ARTICLE.replace('seed-test-week-12', 'bad-window').replace('from: 12', 'from: 13') }, 'bad-window.md', 'windows[0]'],
    ['a slug that differs from the file name', { 'articles/other-name.md': ARTICLE }, 'other-name.md', 'slug'],
    ['a misspelt field', { 'articles/typo.md': ARTICLE.replace('seed-test-week-12', 'typo').replace('reviewer:', 'reviewr:') }, 'typo.md', 'reviewr'],
    [
      'a rule with an unknown fact',
      { 'rules/bad-fact.json': JSON.stringify({ ...RULE, key: 'bad-fact', conditions: { all: [{ fact: 'gestationalWeek', operator: 'equal', value: 3 }] } }) },
      'bad-fact.json',
      'conditions.all[0].fact',
    ],
    ['a rule that is not JSON', { 'rules/broken.json': '{"key": ' }, 'broken.json', '(file)'],
  ])('rejects %s naming file and field, and the CLI writes nothing', async (_label, files, file, field) => {
    const dir = fixtureDir({ ...files, 'articles/seed-good-one.md': ARTICLE.replace('seed-test-week-12', 'seed-good-one') });
    const { problems } = readSeeds(dir);
    expect(problems.some((p) => p.file.endsWith(file) && p.field.startsWith(field))).toBe(true);

    const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: app.schema };
    const cli = await run('node', ['-r', 'ts-node/register/transpile-only', 'content-seed/src/cli.ts', '--data', dir], { cwd: ROOT, env }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(file);
    expect(cli.stderr).toContain(field);
    expect(await count('api::article.article', { slug: 'seed-good-one' })).toBe(0);
  });

  describe('the shipped corpus', () => {
    const { seeds, problems } = readSeeds(DATA);

    it('has no invalid file and every rule validates', () => {
      expect(problems).toEqual([]);
      expect(seeds.filter((s) => s.kind === 'rule').length).toBeGreaterThanOrEqual(40);
    });

    it('imports, and a second run reports everything unchanged', async () => {
      const first = await upsertSeeds(app.strapi, seeds, { dryRun: false });
      expect(first.filter((r) => r.outcome === 'failed')).toEqual([]);
      const second = await upsertSeeds(app.strapi, seeds, { dryRun: false });
      expect(second.filter((r) => r.outcome !== 'unchanged').map((r) => `${r.seed.file}: ${r.outcome}`)).toEqual([]);
    }, 300_000);

    it('reaches the feed in zh-Hans for every pregnancy week 4–42 and every child month 0–72', () => {
      const items: ContentItem[] = seeds.flatMap((s) =>
        s.kind === 'content'
          ? [
              {
                id: s.key,
                type: 'article',
                slug: s.key,
                locale: 'zh-Hans',
                title: String(s.data.title),
                summary: String(s.data.summary),
                category: String(s.data.category),
                priority: Number(s.data.priority),
                regionCodes: s.data.regionCodes as string[],
                validFrom: (s.data.validFrom as string | null | undefined) ?? null,
                validTo: (s.data.validTo as string | null | undefined) ?? null,
                windows: (s.data.windows as Array<Parameters<typeof normaliseWindow>[0]>).map(normaliseWindow),
              },
            ]
          : [],
      );
      const index = buildContentIndex(items);
      const on = '2026-11-23';
      const missingWeeks = [];
      for (let week = 4; week <= 42; week += 1) {
        for (const day of [0, 6]) {
          if (index.select({ stage: 'pregnancy', dayIndex: week * 7 + day, on, regionCode: '350102', locale: 'zh-Hans' }).length === 0) missingWeeks.push(`${week}+${day}`);
        }
      }
      const missingMonths = [];
      for (let month = 0; month <= 72; month += 1) {
        const dayIndex = Math.floor(month * 30.4375) + 1;
        if (index.select({ stage: 'child', dayIndex, on, regionCode: '350102', locale: 'zh-Hans' }).length === 0) missingMonths.push(month);
      }
      expect({ missingWeeks, missingMonths }).toEqual({ missingWeeks: [], missingMonths: [] });
    });

    describe('reference cases come out exact from the seeded rules', () => {
      const rules: ReminderRule[] = seeds
        .filter((s): s is RuleSeed => s.kind === 'rule')
        .map((s) => ({
          key: s.key,
          name: String(s.data.name),
          institutionCode: null,
          trigger: (() => {
            const t = s.data.trigger as { anchor: ReminderRule['trigger']['anchor']; offset: number; unit: ReminderRule['trigger']['unit']; corrected: boolean; repeatEveryDays: number | null; repeatCount: number | null };
            return { anchor: t.anchor, offset: t.offset, unit: t.unit, corrected: t.corrected, repeat: t.repeatEveryDays ? { everyDays: t.repeatEveryDays, count: t.repeatCount ?? 2 } : null };
          })(),
          conditions: s.data.conditions as ReminderRule['conditions'],
          templates: { 'zh-Hans': { title: String(s.data.titleTemplate), body: String(s.data.bodyTemplate) } },
          channels: s.data.channels as ReminderRule['channels'],
          deliveryHour: Number(s.data.deliveryHour),
          category: String(s.data.category),
          priority: Number(s.data.priority),
          active: true,
          version: 1,
        }));
      const member: Member = { externalId: 'ref', regionCode: '350102', institutionCode: null, locale: 'zh-Hans', timeZone: 'Asia/Shanghai', enrolledOn: '2024-01-01' };
      const dueDates = (journey: Journey, from: string, days: number, keyPart: string) =>
        plan({ member, journeys: [journey], rules, from, days })
          .filter((o) => o.ruleKey.includes(keyPart))
          .map((o) => o.scheduledOn);

      it('child born 2026-03-15: MMR dose 1 on 2026-11-15', () => {
        const child: Journey = { id: 'c1', kind: 'child', status: 'active', enrolledOn: '2026-03-15', birthDate: '2026-03-15' };
        expect(dueDates(child, '2026-11-01', 30, 'mmr')).toContain('2026-11-15');
      });

      it('child born 2026-01-31: HepB dose 2 on 2026-02-28 (calendar month clamps)', () => {
        const child: Journey = { id: 'c2', kind: 'child', status: 'active', enrolledOn: '2026-01-31', birthDate: '2026-01-31' };
        expect(dueDates(child, '2026-02-01', 60, 'hepb')).toContain('2026-02-28');
      });

      it('LMP 2026-01-01: OGTT reminder at 24+0 weeks, 2026-06-18', () => {
        const pregnancy: Journey = { id: 'p1', kind: 'pregnancy', status: 'active', enrolledOn: '2026-01-20', lmp: '2026-01-01' };
        expect(dueDates(pregnancy, '2026-06-01', 60, 'ogtt')).toContain('2026-06-18');
      });

      it('DTaP by birth cohort: dose 1 at 3 months for 2024 births, at 2 months for 2025 births', () => {
        const born2024: Journey = { id: 'c3', kind: 'child', status: 'active', enrolledOn: '2024-06-10', birthDate: '2024-06-10' };
        const born2025: Journey = { id: 'c4', kind: 'child', status: 'active', enrolledOn: '2025-06-10', birthDate: '2025-06-10' };
        expect(dueDates(born2024, '2024-06-10', 120, 'dtap')).toContain('2024-09-10');
        expect(dueDates(born2024, '2024-06-10', 120, 'dtap')).not.toContain('2024-08-10');
        expect(dueDates(born2025, '2025-06-10', 120, 'dtap')).toContain('2025-08-10');
        expect(dueDates(born2025, '2025-06-10', 120, 'dtap')).not.toContain('2025-09-10');
      });

      it('a baby born at 32 weeks: complementary feeding at corrected 6 months, MMR at chronological 8 months', () => {
        const preterm: Journey = { id: 'c5', kind: 'child', status: 'active', enrolledOn: '2026-08-01', birthDate: '2026-08-01', gestationalAgeAtBirthDays: 224 };
        expect(dueDates(preterm, '2027-01-01', 120, 'complementary')).toContain('2027-03-26');
        expect(dueDates(preterm, '2027-03-01', 60, 'mmr')).toContain('2027-04-01');
      });

      it('no pregnancy reminder after a loss', () => {
        const active: Journey = { id: 'p2', kind: 'pregnancy', status: 'active', enrolledOn: '2026-01-10', lmp: '2026-01-01' };
        const lost: Journey = { ...active, status: 'loss', outcomeOn: '2026-03-01' };
        // The same pregnancy, still going on, has reminders from that day (e.g. the booking visit at 10+0).
        const wouldHave = plan({ member, journeys: [active], rules, from: '2026-03-01', days: 300 });
        expect(wouldHave.map((o) => o.ruleKey)).toContain('pregnancy-public-health-visit-1-before-13w');
        expect(plan({ member, journeys: [lost], rules, from: '2026-03-01', days: 300 })).toEqual([]);
        expect(plan({ member, journeys: [lost], rules, from: addDays('2026-03-01', 1), days: 30 })).toEqual([]);
      });
    });

    it('the reference-case document exists', () => {
      expect(readFileSync(path.join(ROOT, 'content-seed/REFERENCE-CASES.md'), 'utf8')).toContain('2026-11-15');
    });
  });
});
