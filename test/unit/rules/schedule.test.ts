import { anchorDateOf, checkOccurrence, dueAnchorRanges, occurrenceDates, plan, type ReminderRule } from '@mch/rules';
import { child, member, pregnancy, rule, seedRules } from './fixtures';

const seeds = seedRules();
const seed = (key: string): ReminderRule => {
  const found = seeds.find((r) => r.key === key);
  if (!found) throw new Error(`no seed rule ${key}`);
  return found;
};
const dueDates = (
  journey: Parameters<typeof plan>[0]['journeys'][number],
  keys: string[],
  from: string,
  days: number,
) =>
  plan({ member: member(), journeys: [journey], rules: keys.map(seed), from, days }).map((o) => [
    o.ruleKey,
    o.scheduledOn,
  ]);

describe('known schedule facts come out exact (child born 2026-03-15)', () => {
  it.each([
    ['child-vaccine-hepb-1', '2026-03-15'],
    ['child-vaccine-bcg', '2026-03-15'],
    ['child-vaccine-hepb-2', '2026-04-15'],
    ['child-vaccine-ipv-1', '2026-05-15'],
    ['child-vaccine-dtap-1-born-from-2025', '2026-05-15'],
    ['child-vaccine-hepb-3', '2026-09-15'],
    ['child-vaccine-mmr-1', '2026-11-15'],
    ['child-vaccine-je-l-1', '2026-11-15'],
    ['child-vaccine-mmr-2', '2027-09-15'],
    ['child-vaccine-bopv-2', '2030-03-15'],
    ['child-checkup-3-months', '2026-06-15'],
    ['child-checkup-6-months', '2026-09-15'],
    ['child-checkup-8-months', '2026-11-15'],
    ['child-checkup-12-months', '2027-03-15'],
    ['child-checkup-18-months', '2027-09-15'],
    ['child-checkup-24-months', '2028-03-15'],
    ['child-checkup-30-months', '2028-09-15'],
    ['child-checkup-36-months', '2029-03-15'],
    ['child-checkup-4-years', '2030-03-15'],
    ['child-checkup-5-years', '2031-03-15'],
    ['child-checkup-6-years', '2032-03-15'],
  ])('%s is due on %s', (key, day) => {
    expect(dueDates(child(), [key], '2026-03-15', 7 * 366)).toEqual([[key, day]]);
  });

  it('the 1-month checkup (满月, 28–30 days) opens its window at day 28, 2026-04-12; the postpartum visits follow delivery', () => {
    expect(dueDates(child(), ['child-checkup-1-month', 'child-newborn-home-visit'], '2026-03-15', 60)).toEqual([
      ['child-newborn-home-visit', '2026-03-18'],
      ['child-checkup-1-month', '2026-04-12'],
    ]);
    const delivered = pregnancy({ status: 'delivered', outcomeOn: '2026-03-15' });
    expect(dueDates(delivered, ['postpartum-home-visit', 'postpartum-42-day-check'], '2026-03-15', 60)).toEqual([
      ['postpartum-home-visit', '2026-03-18'],
      ['postpartum-42-day-check', '2026-04-22'],
    ]);
  });

  it('MMR dose 1 says so in its text and explains the trigger', () => {
    const due = checkOccurrence({
      rule: seed('child-vaccine-mmr-1'),
      member: member(),
      journey: child(),
      day: '2026-11-15',
    });
    expect(due?.explanation).toEqual({
      trigger: {
        anchor: 'birth',
        anchorDate: '2026-03-15',
        offset: 8,
        unit: 'months',
        corrected: false,
        occurrence: 0,
      },
      stage: 'child',
      conditions: [{ fact: 'stage', operator: 'equal', value: 'child', actual: 'child', result: true }],
    });
    expect(due?.rendered.title).toContain('8月龄');
    expect(due?.render('en').title).toMatch(/8 months/);
    expect(
      checkOccurrence({ rule: seed('child-vaccine-mmr-1'), member: member(), journey: child(), day: '2026-11-14' }),
    ).toBeNull();
  });

  it('picks the DTaP schedule by birth cohort (2025-01-01)', () => {
    const keys = seeds
      .filter((r) => r.key.startsWith('child-vaccine-dtap-') || r.key.startsWith('child-vaccine-dt-'))
      .map((r) => r.key);
    const cohort = (birthDate: string) => dueDates(child({ birthDate }), keys, birthDate, 7 * 366).map(([key]) => key);
    expect(cohort('2024-12-31').every((k) => k?.endsWith('born-before-2025'))).toBe(true);
    expect(cohort('2024-12-31')).toHaveLength(5);
    expect(cohort('2025-01-01').every((k) => k?.endsWith('born-from-2025'))).toBe(true);
    expect(cohort('2025-01-01')).toHaveLength(5);
  });

  it('gives complementary feeding at corrected 6 months to a baby born at 30 weeks, vaccines by chronological age', () => {
    const preterm = child({ gestationalAgeAtBirthDays: 210 });
    expect(anchorDateOf({ journey: preterm, anchor: 'birth', corrected: true })).toBe('2026-05-24');
    expect(dueDates(preterm, ['child-complementary-feeding-start', 'child-vaccine-mmr-1'], '2026-03-15', 400)).toEqual([
      ['child-vaccine-mmr-1', '2026-11-15'],
      ['child-complementary-feeding-start', '2026-11-24'],
    ]);
    expect(dueDates(child(), ['child-complementary-feeding-start'], '2026-03-15', 400)).toEqual([
      ['child-complementary-feeding-start', '2026-09-15'],
    ]);
  });

  it('month-end births: born 31 Jan, HepB dose 2 on 28 Feb; born 29 Feb 2024, the 12-month checkup on 28 Feb 2025', () => {
    expect(dueDates(child({ birthDate: '2026-01-31' }), ['child-vaccine-hepb-2'], '2026-01-31', 60)).toEqual([
      ['child-vaccine-hepb-2', '2026-02-28'],
    ]);
    expect(dueDates(child({ birthDate: '2024-02-29' }), ['child-checkup-12-months'], '2024-02-29', 400)).toEqual([
      ['child-checkup-12-months', '2025-02-28'],
    ]);
  });
});

describe('pregnancy schedule (LMP 2026-01-01)', () => {
  it('OGTT at 24+0 on 2026-06-18, NT at 11+0, weekly visits from 37+0 five times', () => {
    expect(
      dueDates(pregnancy(), ['pregnancy-screening-ogtt-24w', 'pregnancy-screening-nt-11w'], '2026-01-01', 300),
    ).toEqual([
      ['pregnancy-screening-nt-11w', '2026-03-19'],
      ['pregnancy-screening-ogtt-24w', '2026-06-18'],
    ]);
    expect(
      dueDates(pregnancy(), ['pregnancy-prenatal-visit-weekly-37-41w'], '2026-01-01', 330).map(([, d]) => d),
    ).toEqual(['2026-09-17', '2026-09-24', '2026-10-01', '2026-10-08', '2026-10-15']);
  });

  it('moves with a corrected EDD', () => {
    const corrected = pregnancy({ edd: '2026-10-15', eddBasis: 'ultrasound' });
    expect(dueDates(corrected, ['pregnancy-screening-ogtt-24w'], '2026-01-01', 300)).toEqual([
      ['pregnancy-screening-ogtt-24w', '2026-06-25'],
    ]);
  });

  it('stops every pregnancy reminder once a loss is recorded, even those scheduled before it', () => {
    const lost = pregnancy({ status: 'loss', outcomeOn: '2026-03-10' });
    const pregnancyKeys = seeds.filter((r) => r.key.startsWith('pregnancy-')).map((r) => r.key);
    expect(dueDates(lost, pregnancyKeys, '2026-01-01', 330)).toEqual([]);
    expect(
      checkOccurrence({ rule: seed('pregnancy-screening-nt-11w'), member: member(), journey: lost, day: '2026-03-19' }),
    ).toBeNull();
    expect(
      checkOccurrence({
        rule: seed('pregnancy-screening-nt-11w'),
        member: member(),
        journey: pregnancy(),
        day: '2026-03-19',
      }),
    ).not.toBeNull();
  });

  it('follows up a high-risk mother who misses her visit: 21 days after a visit at 29 weeks', () => {
    const key = 'pregnancy-high-risk-overdue-28-35w';
    const visited = (riskColour: 'orange' | 'green') => pregnancy({ riskColour, lastVisitOn: '2026-07-23' });
    expect(dueDates(visited('orange'), [key], '2026-07-23', 60)).toEqual([[key, '2026-08-13']]);
    expect(dueDates(visited('green'), [key], '2026-07-23', 60)).toEqual([]);
    const due = checkOccurrence({ rule: seed(key), member: member(), journey: visited('orange'), day: '2026-08-13' });
    expect(due?.rendered.body).toContain('距上次产检已21天');
    expect(due?.explanation.conditions.map((c) => [c.fact, c.actual, c.result])).toEqual([
      ['stage', 'pregnancy', true],
      ['riskColour', 'orange', true],
      ['gestationalWeeks', 32, true],
      ['gestationalWeeks', 32, true],
    ]);
  });

  it('hands a delivered pregnancy over to postpartum reminders', () => {
    const delivered = pregnancy({ status: 'delivered', outcomeOn: '2026-09-20' });
    const keys = seeds
      .filter((r) => r.key.startsWith('postpartum-') || r.key.startsWith('pregnancy-'))
      .map((r) => r.key);
    const due = dueDates(delivered, keys, '2026-01-01', 700);
    expect(due.length).toBeGreaterThan(0);
    expect(due.every(([key, day]) => key?.startsWith('postpartum-') && (day ?? '') >= '2026-09-20')).toBe(true);
  });
});

describe('occurrenceDates and dueAnchorRanges', () => {
  it('lists repeats', () => {
    const r = rule({ trigger: { anchor: 'lmp', offset: 37, unit: 'weeks', repeat: { everyDays: 7, count: 3 } } });
    expect(occurrenceDates({ rule: r, anchorDate: '2026-01-01' })).toEqual(['2026-09-17', '2026-09-24', '2026-10-01']);
  });

  it.each<[ReminderRule['trigger'], string, Array<{ from: string; to: string; occurrence: number }>]>([
    [
      { anchor: 'birth', offset: 8, unit: 'months' },
      '2026-11-15',
      [{ from: '2026-03-15', to: '2026-03-15', occurrence: 0 }],
    ],
    [
      { anchor: 'birth', offset: 1, unit: 'months' },
      '2026-02-28',
      [{ from: '2026-01-28', to: '2026-01-31', occurrence: 0 }],
    ],
    [
      { anchor: 'birth', offset: 1, unit: 'months' },
      '2028-02-29',
      [{ from: '2028-01-29', to: '2028-01-31', occurrence: 0 }],
    ],
    [
      { anchor: 'birth', offset: 12, unit: 'months' },
      '2025-02-28',
      [{ from: '2024-02-28', to: '2024-02-29', occurrence: 0 }],
    ],
    [{ anchor: 'birth', offset: 1, unit: 'months' }, '2026-03-30', []],
    [{ anchor: 'edd', offset: -1, unit: 'months' }, '2026-01-31', []],
    [
      { anchor: 'lmp', offset: 24, unit: 'weeks' },
      '2026-06-18',
      [{ from: '2026-01-01', to: '2026-01-01', occurrence: 0 }],
    ],
    [
      { anchor: 'edd', offset: -14, unit: 'days' },
      '2026-09-24',
      [{ from: '2026-10-08', to: '2026-10-08', occurrence: 0 }],
    ],
    [
      { anchor: 'enrolment', offset: 0, unit: 'days', repeat: { everyDays: 30, count: 3 } },
      '2026-03-01',
      [
        { from: '2026-03-01', to: '2026-03-01', occurrence: 0 },
        { from: '2026-01-30', to: '2026-01-30', occurrence: 1 },
        { from: '2025-12-31', to: '2025-12-31', occurrence: 2 },
      ],
    ],
  ])('trigger %j is due on %s for anchor dates %j', (trigger, day, ranges) => {
    expect(dueAnchorRanges({ rule: rule({ trigger }), day })).toEqual(ranges);
  });
});
