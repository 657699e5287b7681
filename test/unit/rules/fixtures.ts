import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  RulesError,
  validateRule,
  type RulesErrorCode,
  type ChildJourney,
  type ContentItem,
  type Member,
  type PregnancyJourney,
  type PreconceptionJourney,
  type ReminderRule,
} from '@mch/rules';

/** Test data with overrides: each test arranges exactly what it needs. */
export const member = (overrides: Partial<Member> = {}): Member => ({
  externalId: 'member-1',
  regionCode: '350102',
  institutionCode: 'FJ-SAMPLE-001',
  locale: 'zh-Hans',
  timeZone: 'Asia/Shanghai',
  enrolledOn: '2026-01-20',
  ...overrides,
});

export const pregnancy = (overrides: Partial<PregnancyJourney> = {}): PregnancyJourney => ({
  id: 'pregnancy-1',
  kind: 'pregnancy',
  status: 'active',
  enrolledOn: '2026-02-01',
  lmp: '2026-01-01',
  edd: null,
  eddBasis: null,
  riskColour: 'green',
  outcomeOn: null,
  lastVisitOn: null,
  ...overrides,
});

export const child = (overrides: Partial<ChildJourney> = {}): ChildJourney => ({
  id: 'child-1',
  kind: 'child',
  status: 'active',
  enrolledOn: '2026-03-15',
  birthDate: '2026-03-15',
  sex: 'female',
  gestationalAgeAtBirthDays: null,
  ...overrides,
});

export const preconception = (overrides: Partial<PreconceptionJourney> = {}): PreconceptionJourney => ({
  id: 'preconception-1',
  kind: 'preconception',
  status: 'active',
  enrolledOn: '2026-01-10',
  startedOn: '2026-01-10',
  ...overrides,
});

export const rule = (overrides: Partial<ReminderRule> = {}): ReminderRule => ({
  key: 'test-rule',
  name: '测试规则',
  institutionCode: null,
  trigger: { anchor: 'birth', offset: 1, unit: 'months' },
  conditions: null,
  templates: {
    'zh-Hans': { title: '提醒 {{formatDate dueDate}}', body: '正文' },
    en: { title: 'Reminder {{formatDate dueDate}}', body: 'Body' },
  },
  channels: ['push', 'inbox'],
  deliveryHour: 9,
  category: 'checkup',
  priority: 50,
  active: true,
  version: 1,
  ...overrides,
});

let itemSeq = 0;
export const item = (overrides: Partial<ContentItem> = {}): ContentItem => {
  itemSeq += 1;
  return {
    id: `item-${itemSeq}`,
    type: 'article',
    slug: `item-${itemSeq}`,
    locale: 'zh-Hans',
    title: `文章 ${itemSeq}`,
    summary: '摘要',
    category: 'pregnancy-weekly',
    priority: 50,
    regionCodes: [],
    validFrom: null,
    validTo: null,
    windows: [{ stage: 'pregnancy', fromDays: 84, toDays: 90 }],
    ...overrides,
  };
};

const SEED_RULES = path.join(__dirname, '../../../content-seed/data/rules');

/** The province's seed rules as the importer would publish them (validated by this library). */
export function seedRules(): ReminderRule[] {
  return readdirSync(SEED_RULES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const checked = validateRule(JSON.parse(readFileSync(path.join(SEED_RULES, f), 'utf8')));
      if (!checked.rule) throw new Error(`${f}: ${JSON.stringify(checked.problems)}`);
      return { ...checked.rule, version: 1 };
    });
}

export const seedRuleFiles = (): string[] =>
  readdirSync(SEED_RULES)
    .filter((f) => f.endsWith('.json'))
    .sort();
export const readSeedRule = (file: string): unknown => JSON.parse(readFileSync(path.join(SEED_RULES, file), 'utf8'));

/** Asserts that the call throws a RulesError with this code (and field, when given). */
export function expectRulesError(fn: () => unknown, expected: { code: RulesErrorCode; field?: string }): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RulesError);
  expect(error).toMatchObject(expected);
}
