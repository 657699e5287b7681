import { computeFacts, formatDate, renderTemplates } from '@mch/rules';
import { member, pregnancy, rule } from './fixtures';

describe('renderTemplates', () => {
  const facts = computeFacts({ member: member(), journey: pregnancy(), on: '2026-03-29', stage: 'pregnancy' });
  const r = rule({
    templates: {
      'zh-Hans': {
        title: '{{gaWeeks gestationalDays}}产检',
        body: '请于{{formatDate dueDate "zh-Hans"}}前预约 & 携带手册。{{#if riskColour}}风险：{{riskColour}}{{/if}}{{childAgeMonths}}',
      },
      en: {
        title: 'Checkup at {{gaWeeks gestationalDays}}',
        body: 'Book by {{formatDate dueDate}} & bring the handbook.',
      },
    },
  });

  it('renders zh-Hans with the helpers, as plain text (nothing HTML-escaped, nulls empty)', () => {
    expect(renderTemplates({ rule: r, facts, locale: 'zh-Hans' })).toEqual({
      title: '孕12+3周产检',
      body: '请于2026年3月29日前预约 & 携带手册。风险：green',
    });
  });

  it('renders en, formatting dates and weeks in the template’s language by default', () => {
    expect(renderTemplates({ rule: r, facts, locale: 'en' })).toEqual({
      title: 'Checkup at 12+3 weeks',
      body: 'Book by 29 Mar 2026 & bring the handbook.',
    });
  });

  it('falls back to zh-Hans when the rule has no English template', () => {
    const zhOnly = rule({ templates: { 'zh-Hans': { title: '{{formatDate dueDate}}', body: 'x' }, en: null } });
    expect(renderTemplates({ rule: zhOnly, facts, locale: 'en' })).toEqual({ title: '2026年3月29日', body: 'x' });
  });

  it('formats dates for both locales', () => {
    expect(formatDate('2026-11-15', 'zh-Hans')).toBe('2026年11月15日');
    expect(formatDate('2026-11-15', 'en')).toBe('15 Nov 2026');
    expect(formatDate(null, 'en')).toBe('');
  });
});
