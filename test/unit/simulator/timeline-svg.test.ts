import { escapeXml, timelineSvg, type TimelineItem } from '../../../cms/src/plugins/simulator/server/timeline-svg';
import { sampleStageFor, simulatedMember } from '../../../cms/src/plugins/simulator/server/stage';
import type { ReminderRule } from '@mch/rules';

const item = (overrides: Partial<TimelineItem>): TimelineItem => ({
  ruleKey: 'ogtt-24w',
  scheduledOn: '2026-12-01',
  category: 'screening',
  title: '孕24周：请预约糖耐量检查',
  why: '末次月经 2026-06-16 后 24 周（pregnancy）',
  ...overrides,
});

const circles = (svg: string) =>
  [...svg.matchAll(/<circle cx="([\d.]+)" cy="(\d+)"/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) }));

describe('timelineSvg', () => {
  it('draws one dot per reminder, left to right by day, with the explanation as its tooltip', () => {
    const svg = timelineSvg({
      from: '2026-12-01',
      days: 30,
      items: [item({ ruleKey: 'b', scheduledOn: '2026-12-20' }), item({ ruleKey: 'a', scheduledOn: '2026-12-01' })],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')).toBe(true);
    const [first, second, ...rest] = circles(svg);
    expect(rest).toHaveLength(0);
    expect(first?.cx).toBeLessThan(second?.cx ?? -1);
    expect(svg).toContain(
      '<title>2026-12-01 孕24周：请预约糖耐量检查\n末次月经 2026-06-16 后 24 周（pregnancy）</title>',
    );
    expect(svg).toContain('data-rule-key="a" data-day="2026-12-01"');
  });

  it('puts reminders of the same day in separate lanes', () => {
    const [a, b] = circles(
      timelineSvg({ from: '2026-12-01', days: 30, items: [item({ ruleKey: 'a' }), item({ ruleKey: 'b' })] }),
    );
    expect(a?.cx).toBe(b?.cx);
    expect(a?.cy).not.toBe(b?.cy);
  });

  it('escapes text from rules, so a template cannot inject markup', () => {
    const svg = timelineSvg({
      from: '2026-12-01',
      days: 7,
      items: [item({ title: '<script>alert(1)</script>', ruleKey: 'x"y' })],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('data-rule-key="x&quot;y"');
    expect(escapeXml(`a&b'`)).toBe('a&amp;b&apos;');
  });

  it('says so when there is nothing, and is deterministic', () => {
    const input = { from: '2026-12-01', days: 14, items: [] };
    expect(timelineSvg(input)).toContain('no reminders in this period');
    expect(timelineSvg(input)).toBe(timelineSvg(input));
  });
});

describe('simulated members', () => {
  it('孕12周 has an LMP 84 days back; 32 weeks preterm now 3 months has GA 224 days at birth', () => {
    const pregnant = simulatedMember({
      stage: { kind: 'pregnancy', weeks: 12, days: 0, riskColour: 'orange' },
      today: '2026-11-23',
      regionCode: '350102',
      institutionCode: null,
    });
    expect(pregnant.journeys[0]).toMatchObject({
      kind: 'pregnancy',
      lmp: '2026-08-31',
      riskColour: 'orange',
      status: 'active',
    });
    const preterm = simulatedMember({
      stage: { kind: 'child', months: 3, gestationalWeeksAtBirth: 32 },
      today: '2026-11-23',
      regionCode: null,
      institutionCode: null,
    });
    expect(preterm.journeys[0]).toMatchObject({
      kind: 'child',
      birthDate: '2026-08-23',
      gestationalAgeAtBirthDays: 224,
    });
    const postpartum = simulatedMember({
      stage: { kind: 'postpartum', days: 7 },
      today: '2026-11-23',
      regionCode: null,
      institutionCode: null,
    });
    expect(postpartum.journeys.map((j) => `${j.kind}:${j.status}`)).toEqual(['pregnancy:delivered', 'child:active']);
  });

  it('the preview sample is the stage a rule’s trigger points at', () => {
    const rule = (trigger: ReminderRule['trigger']) => ({ trigger }) as ReminderRule;
    expect(sampleStageFor(rule({ anchor: 'lmp', offset: 24, unit: 'weeks' }))).toEqual({
      kind: 'pregnancy',
      weeks: 24,
      days: 0,
      riskColour: null,
    });
    expect(sampleStageFor(rule({ anchor: 'edd', offset: -14, unit: 'days' }))).toEqual({
      kind: 'pregnancy',
      weeks: 38,
      days: 0,
      riskColour: null,
    });
    expect(sampleStageFor(rule({ anchor: 'birth', offset: 8, unit: 'months' }))).toEqual({
      kind: 'child',
      months: 8,
      gestationalWeeksAtBirth: null,
    });
    expect(sampleStageFor(rule({ anchor: 'delivery', offset: 42, unit: 'days' }))).toEqual({
      kind: 'postpartum',
      days: 42,
    });
  });
});
