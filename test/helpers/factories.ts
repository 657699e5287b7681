import { randomBytes } from 'node:crypto';

/** Test data with overrides: each test arranges exactly what it needs. */
type Data = Record<string, unknown>;

export const uniqueSlug = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

const source = { title: '孕前和孕期保健指南（2018）', issuer: '中华医学会妇产科学分会产科学组', year: 2018 };

function contentBase(prefix: string): Data {
  return {
    slug: uniqueSlug(prefix),
    title: '孕12周：胎儿器官基本形成',
    summary: '本周要做的事和需要及时就医的情况。',
    body: '## 宝宝的发育\n\n测试正文。',
    category: 'pregnancy-weekly',
    priority: 50,
    sources: [source],
    reviewer: '测试审核人',
    regionCodes: [],
    windows: [{ stage: 'pregnancy', from: 12, to: 12, unit: 'weeks' }],
  };
}

export const articleData = (overrides: Data = {}): Data => ({ ...contentBase('article'), ...overrides });

export const policyData = (overrides: Data = {}): Data => ({
  ...contentBase('policy'),
  category: 'policy',
  issuingBody: '福建省卫生健康委员会',
  documentNumber: null,
  publicationDate: '2026-05-29',
  validFrom: '2026-06-10',
  validTo: null,
  regionCodes: ['350000'],
  windows: [{ stage: 'pregnancy', from: 0, to: 44, unit: 'weeks' }],
  ...overrides,
});

export const nutritionGuideData = (overrides: Data = {}): Data => ({
  ...contentBase('guide'),
  category: 'nutrition',
  guideKind: 'complementary-feeding',
  windows: [{ stage: 'child', from: 6, to: 6, unit: 'months' }],
  mealPlans: [{ name: '6月龄一日安排', meals: [{ meal: '上午', foods: '强化铁米粉 1 次' }] }],
  recipes: [
    {
      name: '强化铁米粉',
      ageFrom: 6,
      ageTo: 6,
      ageUnit: 'months',
      ingredients: [{ name: '婴儿强化铁米粉', amount: '15 g' }],
      steps: ['用温水调成稀糊状。'],
      allergens: [],
    },
  ],
  ...overrides,
});

export const institutionData = (overrides: Data = {}): Data => ({
  name: '测试妇幼保健院（示例）',
  code: `T-${randomBytes(3).toString('hex').toUpperCase()}`,
  type: 'mch-hospital',
  regionCode: '350102',
  sample: true,
  ...overrides,
});

export const reminderRuleData = (overrides: Data = {}): Data => ({
  key: uniqueSlug('rule'),
  name: '孕24周 OGTT 提醒',
  trigger: { anchor: 'lmp', offset: 24, unit: 'weeks' },
  conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'pregnancy' }] },
  titleTemplate: '{{gaWeeks gestationalDays}}：请预约糖耐量检查',
  bodyTemplate: '24–28 周做 75 g OGTT。预约日期：{{formatDate dueDate "zh-Hans"}}。',
  titleTemplateEn: 'Time to book your glucose tolerance test',
  bodyTemplateEn: 'The 75 g OGTT is done at 24–28 weeks.',
  channels: ['push', 'inbox'],
  deliveryHour: 9,
  category: 'screening',
  priority: 75,
  active: true,
  ...overrides,
});
