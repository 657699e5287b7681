import { OPERATORS, TEMPLATE_HELPERS, validateRule, validateTemplate } from '@mch/rules';
import { readSeedRule, seedRuleFiles } from './fixtures';

const valid = () => ({
  key: 'child-vaccine-mmr-1',
  name: '麻腮风疫苗第1剂（8月龄）',
  trigger: { anchor: 'birth', offset: 8, unit: 'months' },
  conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'child' }] },
  templates: {
    'zh-Hans': { title: '宝宝今天满8月龄', body: '{{formatDate dueDate "zh-Hans"}}可以接种麻腮风疫苗第1剂。' },
    en: { title: 'MMR dose 1', body: 'Due on {{formatDate dueDate "en"}}.' },
  },
  channels: ['push', 'inbox'],
  deliveryHour: 9,
  category: 'vaccine',
  priority: 80,
});

type Data = Record<string, unknown>;
const paths = (input: unknown) => validateRule(input).problems.map((p) => p.path);

describe('validateRule', () => {
  it('accepts a correct rule and returns it normalised', () => {
    const result = validateRule(valid());
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.rule).toMatchObject({
      key: 'child-vaccine-mmr-1',
      institutionCode: null,
      active: true,
      trigger: { anchor: 'birth', offset: 8, unit: 'months', corrected: false, repeat: null },
    });
  });

  it.each(seedRuleFiles())('accepts the seed rule %s', (file) => {
    expect(validateRule(readSeedRule(file)).problems).toEqual([]);
  });

  it('names an unknown fact with a suggestion, in English and Chinese', () => {
    const input = valid();
    input.conditions.all.push({ fact: 'gestationalWeek', operator: 'greaterThan', value: 12 } as never);
    const result = validateRule(input);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      {
        path: 'conditions.all[1].fact',
        message: 'unknown fact "gestationalWeek" — did you mean "gestationalWeeks"?',
        messageZh: '未知事实 "gestationalWeek"，您是否想用 "gestationalWeeks"？',
      },
    ]);
  });

  it.each<[string, (r: Data) => void, string[]]>([
    ['a bad key', (r) => (r.key = 'MMR_1'), ['key']],
    ['a short key', (r) => (r.key = 'ab'), ['key']],
    ['an 81-character key', (r) => (r.key = 'a'.repeat(81)), ['key']],
    ['no name', (r) => delete r.name, ['name']],
    ['no trigger', (r) => delete r.trigger, ['trigger']],
    ['an unknown anchor', (r) => (r.trigger = { anchor: 'birthday', offset: 1, unit: 'days' }), ['trigger.anchor']],
    ['a fractional offset', (r) => (r.trigger = { anchor: 'birth', offset: 1.5, unit: 'days' }), ['trigger.offset']],
    ['an unknown unit', (r) => (r.trigger = { anchor: 'birth', offset: 1, unit: 'years' }), ['trigger.unit']],
    [
      'corrected on the LMP',
      (r) => (r.trigger = { anchor: 'lmp', offset: 1, unit: 'weeks', corrected: true }),
      ['trigger.corrected'],
    ],
    [
      'a zero repeat interval',
      (r) => (r.trigger = { anchor: 'birth', offset: 1, unit: 'days', repeat: { everyDays: 0, count: 3 } }),
      ['trigger.repeat.everyDays'],
    ],
    [
      'a repeat of one',
      (r) => (r.trigger = { anchor: 'birth', offset: 1, unit: 'days', repeat: { everyDays: 7, count: 1 } }),
      ['trigger.repeat.count'],
    ],
    [
      'a repeat of 367',
      (r) => (r.trigger = { anchor: 'birth', offset: 1, unit: 'days', repeat: { everyDays: 7, count: 367 } }),
      ['trigger.repeat.count'],
    ],
    [
      'a leaf at the top level',
      (r) => (r.conditions = { fact: 'stage', operator: 'equal', value: 'child' }),
      ['conditions'],
    ],
    ['all and any in one object', (r) => (r.conditions = { all: [], any: [] }), ['conditions']],
    [
      'an unknown operator',
      (r) => (r.conditions = { all: [{ fact: 'stage', operator: 'equals', value: 'child' }] }),
      ['conditions.all[0].operator'],
    ],
    [
      'a missing value',
      (r) => (r.conditions = { all: [{ fact: 'stage', operator: 'equal' }] }),
      ['conditions.all[0].value'],
    ],
    [
      'a value outside the enum',
      (r) => (r.conditions = { all: [{ fact: 'riskColour', operator: 'in', value: ['orange', 'pink'] }] }),
      ['conditions.all[0].value[1]'],
    ],
    [
      'a string for a number fact',
      (r) => (r.conditions = { any: [{ fact: 'gestationalWeeks', operator: 'greaterThan', value: '12' }] }),
      ['conditions.any[0].value'],
    ],
    [
      'a number operator on a string fact',
      (r) => (r.conditions = { all: [{ fact: 'stage', operator: 'lessThan', value: 3 }] }),
      ['conditions.all[0].operator'],
    ],
    [
      'a date operator on a number',
      (r) => (r.conditions = { all: [{ fact: 'childAgeDays', operator: 'dateBefore', value: '2025-01-01' }] }),
      ['conditions.all[0].operator'],
    ],
    [
      'an impossible cohort date',
      (r) => (r.conditions = { all: [{ fact: 'birthDate', operator: 'dateOnOrAfter', value: '2025-02-30' }] }),
      ['conditions.all[0].value'],
    ],
    [
      'contains on a single value',
      (r) => (r.conditions = { all: [{ fact: 'stage', operator: 'contains', value: 'child' }] }),
      ['conditions.all[0].operator'],
    ],
    [
      'an empty in-list',
      (r) => (r.conditions = { all: [{ fact: 'sex', operator: 'in', value: [] }] }),
      ['conditions.all[0].value'],
    ],
    [
      'a JSON path into a fact',
      (r) => (r.conditions = { all: [{ fact: 'stage', operator: 'equal', value: 'child', path: '$.x' }] }),
      ['conditions.all[0].path'],
    ],
    [
      'a template-only fact in a condition',
      (r) => (r.conditions = { all: [{ fact: 'dueDate', operator: 'dateBefore', value: '2027-01-01' }] }),
      ['conditions.all[0].fact'],
    ],
    [
      'a nested unknown fact',
      (r) =>
        (r.conditions = {
          any: [
            {
              not: {
                all: [
                  { fact: 'isPreterm', operator: 'equal', value: true },
                  { fact: 'age', operator: 'equal', value: 1 },
                ],
              },
            },
          ],
        }),
      ['conditions.any[0].not.all[1].fact'],
    ],
    ['no zh-Hans template', (r) => (r.templates = { en: { title: 'x', body: 'y' } }), ['templates.zh-Hans']],
    [
      'a broken template',
      (r) => ((r.templates as Data)['zh-Hans'] = { title: '{{#if isPreterm}}早产', body: 'x' }),
      ['templates.zh-Hans.title'],
    ],
    [
      'an unknown variable',
      (r) => ((r.templates as Data)['zh-Hans'] = { title: '{{babyName}}', body: 'x' }),
      ['templates.zh-Hans.title'],
    ],
    [
      'an unknown helper',
      (r) => ((r.templates as Data).en = { title: 'x', body: '{{formatDay dueDate "en"}}' }),
      ['templates.en.body'],
    ],
    ['an empty body', (r) => ((r.templates as Data)['zh-Hans'] = { title: 'x', body: '' }), ['templates.zh-Hans.body']],
    ['no channels', (r) => (r.channels = []), ['channels']],
    ['an unknown channel', (r) => (r.channels = ['sms']), ['channels']],
    ['hour 24', (r) => (r.deliveryHour = 24), ['deliveryHour']],
    ['hour 9.5', (r) => (r.deliveryHour = 9.5), ['deliveryHour']],
    ['priority 101', (r) => (r.priority = 101), ['priority']],
    ['no category', (r) => (r.category = ' '), ['category']],
  ])('rejects %s', (_label, change, expected) => {
    const input = valid() as unknown as Data;
    change(input);
    expect(paths(input)).toEqual(expected);
  });

  it('lists every problem at once, each with an English and a Chinese message', () => {
    const result = validateRule({
      key: 'X',
      trigger: { anchor: 'x', offset: 'a', unit: 'y' },
      templates: {},
      channels: [],
      deliveryHour: -1,
      priority: 'high',
    });
    expect(result.problems.map((p) => p.path)).toEqual([
      'key',
      'name',
      'trigger.anchor',
      'trigger.offset',
      'trigger.unit',
      'templates.zh-Hans',
      'channels',
      'deliveryHour',
      'category',
      'priority',
    ]);
    for (const p of result.problems) expect(p.message.length > 0 && p.messageZh.length > 0).toBe(true);
  });

  it('rejects something that is not an object', () => {
    expect(validateRule('rule')).toEqual({
      ok: false,
      problems: [{ path: '(rule)', message: 'must be an object', messageZh: '规则须为对象' }],
    });
  });
});

describe('validateTemplate', () => {
  it.each([
    ['孕周：{{gaWeeks gestationalDays}}，{{formatDate dueDate "en"}}'],
    ['{{#if isPreterm}}早产宝宝按矫正月龄{{correctedAgeMonths}}个月{{else}}{{childAgeMonths}}月龄{{/if}}'],
    ['{{#unless riskColour}}无{{/unless}}'],
    ['{{formatDate (formatDate dueDate) "en"}}'],
    ['纯文本'],
  ])('accepts %s', (source) => {
    expect(validateTemplate(source, 't')).toEqual([]);
  });

  it.each([
    ['{{this.name}}', 'is not allowed'],
    ['{{@root.stage}}', 'is not allowed'],
    ['{{#each stage}}x{{/each}}', 'unknown block helper "each"'],
    ['{{> header}}', 'partials'],
    ['{{gestationalDay}}', 'did you mean "gestationalDays"'],
    ['{{gaWeek gestationalDays}}', 'did you mean "gaWeeks"'],
    ['{{formatDate dueDat}}', 'did you mean "dueDate"'],
    ['{{#if}}', 'does not compile'],
  ])('rejects %s (%s)', (source, message) => {
    const problems = validateTemplate(source, 'templates.en.body');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('templates.en.body');
    expect(problems[0]?.message).toContain(message);
  });
});

describe('catalogues', () => {
  it('lists json-rules-engine’s operators plus the date operators, and the two helpers', () => {
    expect(Object.keys(OPERATORS).sort()).toEqual(
      [
        'contains',
        'dateBefore',
        'dateOnOrAfter',
        'doesNotContain',
        'equal',
        'greaterThan',
        'greaterThanInclusive',
        'in',
        'lessThan',
        'lessThanInclusive',
        'notEqual',
        'notIn',
      ].sort(),
    );
    expect(TEMPLATE_HELPERS.map((h) => h.name)).toEqual(['formatDate', 'gaWeeks']);
  });
});
