import { buildContentIndex, evaluate, plan, type ContentItem, type Journey } from '@mch/rules';
import { child, item, member, pregnancy, rule, seedRules, expectRulesError } from './fixtures';

const rules = seedRules();
const items: ContentItem[] = [
  item({
    id: 'week-24',
    slug: 'pregnancy-week-24',
    priority: 50,
    windows: [{ stage: 'pregnancy', fromDays: 168, toDays: 174 }],
  }),
  item({
    id: 'second-trimester',
    slug: 'second-trimester',
    priority: 50,
    windows: [{ stage: 'pregnancy', fromDays: 98, toDays: 195 }],
  }),
  item({
    id: 'ogtt-policy',
    slug: 'ogtt-policy',
    priority: 90,
    windows: [{ stage: 'pregnancy', fromDays: 168, toDays: 195 }],
  }),
  item({ id: 'week-11', slug: 'pregnancy-week-11', windows: [{ stage: 'pregnancy', fromDays: 77, toDays: 83 }] }),
  item({ id: 'month-8', slug: 'child-month-8', windows: [{ stage: 'child', fromDays: 243, toDays: 273 }] }),
  item({
    id: 'first-year',
    slug: 'child-first-year',
    priority: 40,
    windows: [{ stage: 'child', fromDays: 0, toDays: 364 }],
  }),
  item({ id: 'newborn', slug: 'newborn', windows: [{ stage: 'child', fromDays: 0, toDays: 27 }] }),
  item({
    id: 'postpartum-recovery',
    slug: 'postpartum-recovery',
    windows: [{ stage: 'postpartum', fromDays: 0, toDays: 42 }],
  }),
  // Shown to a pregnant mother and to the parent of a young child: it must appear once.
  item({
    id: 'family-safety',
    slug: 'family-safety',
    priority: 30,
    windows: [
      { stage: 'pregnancy', fromDays: 0, toDays: 314 },
      { stage: 'child', fromDays: 240, toDays: 250 },
    ],
  }),
];
const contentIndex = buildContentIndex(items);
const run = (journeys: Journey[], at: string, overrides: Parameters<typeof member>[0] = {}) =>
  evaluate({ member: member(overrides), journeys, rules, contentIndex, at: new Date(at) });
const reminderKeys = (r: ReturnType<typeof run>) => r.reminders.map((x) => `${x.journeyId}:${x.ruleKey}`);

describe('evaluate', () => {
  it('a page of the ranked content: the same entries and reasons as that slice of the whole, with the total', () => {
    const journeys = [pregnancy()];
    const at = new Date('2026-06-18T01:00:00Z');
    const whole = evaluate({ member: member(), journeys, rules, contentIndex, at });
    expect(whole.content.length).toBeGreaterThanOrEqual(3);
    expect(whole.contentTotal).toBe(whole.content.length);
    for (const page of [{ offset: 0, limit: 2 }, { offset: 1, limit: 1 }, { offset: 2, limit: 20 }, { offset: 50, limit: 20 }]) {
      const paged = evaluate({ member: member(), journeys, rules, contentIndex, at, page });
      expect(paged.content).toEqual(whole.content.slice(page.offset, page.offset + page.limit));
      expect(paged.contentTotal).toBe(whole.content.length);
      // The page changes what is returned, not the reminders or stages.
      const due = (r: typeof whole) => r.reminders.map((x) => [x.journeyId, x.ruleKey, x.scheduledOn, x.rendered]);
      expect(due(paged)).toEqual(due(whole));
      expect(paged.stages).toEqual(whole.stages);
    }
  });

  it('at 24+0: stage, facts, ranked content (priority, then the narrower window) and the OGTT reminder', () => {
    const r = run([pregnancy()], '2026-06-18T01:00:00Z');
    expect(r.day).toBe('2026-06-18');
    expect(
      r.stages.map((s) => [s.journeyId, s.stage, s.dayIndex, s.facts.gestationalWeeks, s.facts.trimester]),
    ).toEqual([['pregnancy-1', 'pregnancy', 168, 24, 2]]);
    expect(r.content.map((c) => c.item.id)).toEqual(['ogtt-policy', 'week-24', 'second-trimester', 'family-safety']);
    expect(r.content[1]?.reason).toEqual({
      dayIndex: 168,
      window: { stage: 'pregnancy', fromDays: 168, toDays: 174 },
      why: 'pregnancy day 168 is within 168–174',
    });
    expect(reminderKeys(r)).toEqual(['pregnancy-1:pregnancy-screening-ogtt-24w']);
    expect(r.reminders[0]?.explanation.trigger).toEqual({
      anchor: 'lmp',
      anchorDate: '2026-01-01',
      offset: 24,
      unit: 'weeks',
      corrected: false,
      occurrence: 0,
    });
    expect(r.reminders[0]?.rendered.title.length).toBeGreaterThan(0);
  });

  it('uses the member’s zone: 16:30 UTC on 14 March is already 15 March in Shanghai, still 14 March in New York', () => {
    const shanghai = run([child()], '2026-03-14T16:30:00Z');
    expect(shanghai.day).toBe('2026-03-15');
    expect(shanghai.stages.map((s) => s.dayIndex)).toEqual([0]);
    expect(reminderKeys(shanghai)).toEqual(
      expect.arrayContaining(['child-1:child-vaccine-hepb-1', 'child-1:child-vaccine-bcg']),
    );
    const newYork = run([child()], '2026-03-14T16:30:00Z', { timeZone: 'America/New_York' });
    expect(newYork.day).toBe('2026-03-14');
    expect(newYork.stages).toEqual([]);
    expect(newYork.reminders).toEqual([]);
    expect(run([child()], '2026-03-15T03:59:00Z', { timeZone: 'America/New_York' }).day).toBe('2026-03-14');
    expect(run([child()], '2026-03-15T04:00:00Z', { timeZone: 'America/New_York' }).day).toBe('2026-03-15');
  });

  it('on the MMR day of a child born 2026-03-15: the 8-month reminders and content', () => {
    const r = run([child()], '2026-11-15T02:00:00Z');
    expect(reminderKeys(r).sort()).toEqual([
      'child-1:child-checkup-8-months',
      'child-1:child-vaccine-je-l-1',
      'child-1:child-vaccine-mmr-1',
    ]);
    expect(r.content.map((c) => c.item.id)).toEqual(['month-8', 'first-year', 'family-safety']);
  });

  it('twins are two journeys with their own answers', () => {
    const twins = [child({ id: 'twin-a' }), child({ id: 'twin-b', sex: 'male' })];
    const r = run(twins, '2026-11-15T02:00:00Z');
    expect(r.stages.map((s) => s.journeyId)).toEqual(['twin-a', 'twin-b']);
    expect(r.reminders.filter((x) => x.ruleKey === 'child-vaccine-mmr-1').map((x) => x.journeyId)).toEqual([
      'twin-a',
      'twin-b',
    ]);
    expect(r.content.map((c) => c.item.id)).toEqual(['month-8', 'first-year', 'family-safety']);
  });

  it('a mother pregnant while raising a toddler gets both, an item shared by both stages once', () => {
    const journeys = [
      pregnancy({ id: 'second', lmp: '2026-09-13' }),
      child({ id: 'toddler', birthDate: '2026-03-15' }),
    ];
    const r = run(journeys, '2026-11-15T02:00:00Z');
    expect(r.stages.map((s) => [s.journeyId, s.stage, s.dayIndex])).toEqual([
      ['second', 'pregnancy', 63],
      ['toddler', 'child', 245],
    ]);
    expect(r.content.filter((c) => c.item.id === 'family-safety')).toHaveLength(1);
    expect(r.content.find((c) => c.item.id === 'family-safety')).toMatchObject({
      journeyId: 'toddler',
      stage: 'child',
    });
    expect(reminderKeys(r)).toEqual(expect.arrayContaining(['toddler:child-vaccine-mmr-1']));
  });

  it('after a loss: no pregnancy content and no pregnancy reminder, from the outcome day on', () => {
    const lost = pregnancy({ status: 'loss', outcomeOn: '2026-03-19' });
    for (const at of ['2026-03-18T02:00:00Z', '2026-03-19T02:00:00Z', '2026-06-18T02:00:00Z']) {
      const r = run([lost], at);
      expect(r.stages).toEqual([]);
      expect(r.content).toEqual([]);
      expect(r.reminders).toEqual([]);
    }
    expect(plan({ member: member(), journeys: [lost], rules, from: '2026-01-01', days: 366 })).toEqual([]);
    expect(run([pregnancy()], '2026-03-19T02:00:00Z').reminders.map((x) => x.ruleKey)).toContain(
      'pregnancy-screening-nt-11w',
    );
  });

  it('a pregnancy at 42+ weeks is still followed, with post-term facts', () => {
    const r = run([pregnancy()], '2026-10-25T02:00:00Z');
    expect(r.stages[0]).toMatchObject({
      stage: 'pregnancy',
      dayIndex: 297,
      facts: { daysUntilEdd: -17, gestationalWeeks: 42 },
    });
  });

  it('checks a rule’s conditions and records each fact used', () => {
    const highRisk = rule({
      key: 'high-risk-week-30',
      trigger: { anchor: 'lmp', offset: 30, unit: 'weeks' },
      conditions: {
        all: [
          { fact: 'riskColour', operator: 'in', value: ['orange', 'red'] },
          { fact: 'regionCode', operator: 'equal', value: '350102' },
        ],
      },
    });
    const at = new Date('2026-07-30T02:00:00Z');
    const orange = evaluate({
      member: member(),
      journeys: [pregnancy({ riskColour: 'orange' })],
      rules: [highRisk],
      contentIndex,
      at,
    });
    expect(orange.reminders.map((x) => x.explanation.conditions)).toEqual([
      [
        { fact: 'riskColour', operator: 'in', value: ['orange', 'red'], actual: 'orange', result: true },
        { fact: 'regionCode', operator: 'equal', value: '350102', actual: '350102', result: true },
      ],
    ]);
    expect(
      evaluate({
        member: member(),
        journeys: [pregnancy({ riskColour: 'green' })],
        rules: [highRisk],
        contentIndex,
        at,
      }).reminders,
    ).toEqual([]);
    expect(
      evaluate({
        member: member(),
        journeys: [pregnancy({ riskColour: 'orange' })],
        rules: [{ ...highRisk, active: false }],
        contentIndex,
        at,
      }).reminders,
    ).toEqual([]);
  });

  it('renders reminders in the member’s locale and shows only content in it', () => {
    const r = run([child()], '2026-11-15T02:00:00Z', { locale: 'en' });
    expect(r.reminders.find((x) => x.ruleKey === 'child-vaccine-mmr-1')?.rendered.title).toMatch(/MMR/);
    expect(r.content).toEqual([]);
  });

  it('refuses an unknown time zone', () => {
    expectRulesError(() => run([child()], '2026-11-15T02:00:00Z', { timeZone: 'China/Beijing' }), {
      code: 'UNKNOWN_TIME_ZONE',
    });
  });
});

describe('plan', () => {
  it('lists the occurrences of the period by date with stable keys', () => {
    const occurrences = plan({ member: member(), journeys: [child()], rules, from: '2026-11-01', days: 30 });
    // Same day: priority first (vaccines 85, checkup 70), then the key.
    expect(occurrences.map((o) => o.key)).toEqual([
      'child-1:child-vaccine-je-l-1:2026-11-15',
      'child-1:child-vaccine-mmr-1:2026-11-15',
      'child-1:child-checkup-8-months:2026-11-15',
    ]);
    expect(occurrences[0]).toMatchObject({
      journeyId: 'child-1',
      ruleKey: 'child-vaccine-je-l-1',
      scheduledOn: '2026-11-15',
      ruleVersion: 1,
      category: 'vaccine',
      priority: 85,
    });
    expect(occurrences[0]?.rendered.title).toContain('乙脑');
  });

  it('refuses a negative or fractional number of days and an invalid start', () => {
    expectRulesError(() => plan({ member: member(), journeys: [], rules, from: '2026-11-01', days: -1 }), {
      code: 'INVALID_DAYS',
      field: 'days',
    });
    expectRulesError(() => plan({ member: member(), journeys: [], rules, from: '2026-11-01', days: 1.5 }), {
      code: 'INVALID_DAYS',
    });
    expectRulesError(() => plan({ member: member(), journeys: [], rules, from: '2026-11-31', days: 1 }), {
      code: 'INVALID_DATE',
      field: 'from',
    });
  });
});
