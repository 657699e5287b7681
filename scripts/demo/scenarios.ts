import { addDays, addMonths, type IsoDate } from '@mch/rules';

/** One call of the host-app API, relative to the member's base path. */
export interface Step {
  method: 'POST';
  /** `journeys`, or `journeys/{last}/events` for an event on the journey created just before. */
  path: 'journeys' | 'journeys/{last}/events';
  body: Record<string, unknown>;
}

export interface Scenario {
  externalId: string;
  /** What the sample stands for, as the issue lists them. */
  label: string;
  member: Record<string, unknown>;
  steps: Step[];
}

const CONSENT = { version: 'demo-2026-11', at: '2026-11-01T09:00:00+08:00' };
const member = (extra: Record<string, unknown> = {}) => ({
  regionCode: '350102',
  institutionCode: 'FJ-SAMPLE-003',
  locale: 'zh-Hans',
  timeZone: 'Asia/Shanghai',
  consent: CONSENT,
  ...extra,
});
const pregnancy = (lmp: IsoDate, extra: Record<string, unknown> = {}): Step => ({
  method: 'POST',
  path: 'journeys',
  body: { kind: 'pregnancy', lmp, riskColour: 'green', ...extra },
});
const child = (birthDate: IsoDate, extra: Record<string, unknown> = {}): Step => ({
  method: 'POST',
  path: 'journeys',
  body: { kind: 'child', birthDate, sex: 'female', ...extra },
});
const event = (body: Record<string, unknown>): Step => ({ method: 'POST', path: 'journeys/{last}/events', body });

/**
 * About ten sample families at the stages the issue names, dated from `today` so that each is at its
 * stage on the day the demo runs (a 2-year-old turns two today, a 24-week pregnancy is 24+0 today).
 */
export function scenarios(today: IsoDate): Scenario[] {
  return [
    {
      externalId: 'demo-planning',
      label: '备孕 planning a pregnancy (30 days)',
      member: member(),
      steps: [{ method: 'POST', path: 'journeys', body: { kind: 'preconception', startedOn: addDays(today, -30) } }],
    },
    { externalId: 'demo-week-8', label: '孕8周 pregnancy, week 8+0', member: member(), steps: [pregnancy(addDays(today, -56))] },
    { externalId: 'demo-week-24', label: '孕24周 pregnancy, week 24+0', member: member(), steps: [pregnancy(addDays(today, -168))] },
    { externalId: 'demo-week-39', label: '孕39周 pregnancy, week 39+0', member: member(), steps: [pregnancy(addDays(today, -273))] },
    {
      externalId: 'demo-orange-missed',
      label: '橙色 high-risk (orange) 32+0, last visit 21 days ago',
      member: member(),
      steps: [pregnancy(addDays(today, -224), { riskColour: 'orange' }), event({ type: 'visit', date: addDays(today, -21) })],
    },
    {
      externalId: 'demo-loss',
      label: '流产 pregnancy loss at 10 weeks, 3 days ago',
      member: member(),
      steps: [pregnancy(addDays(today, -73)), event({ type: 'loss', date: addDays(today, -3) })],
    },
    {
      externalId: 'demo-twins',
      label: '双胎 twins born 7 days ago at 38 weeks',
      member: member(),
      steps: [
        pregnancy(addDays(today, -273)),
        event({ type: 'birth', date: addDays(today, -7), gestationalAgeAtBirthDays: 266, babies: [{ sex: 'female' }, { sex: 'male' }] }),
      ],
    },
    {
      externalId: 'demo-preterm',
      label: '早产 born at 32 weeks, 3 months ago',
      member: member(),
      steps: [child(addMonths(today, -3), { gestationalAgeAtBirthDays: 224 })],
    },
    { externalId: 'demo-age-2', label: '2岁 a 2-year-old (birthday today)', member: member(), steps: [child(addMonths(today, -24))] },
    { externalId: 'demo-age-5', label: '5岁 a 5-year-old (birthday today)', member: member(), steps: [child(addMonths(today, -60), { sex: 'male' })] },
    {
      externalId: 'demo-no-consent',
      label: '未同意 a 42-day-old, no consent to reminders',
      member: member({ consent: null }),
      steps: [child(addDays(today, -42))],
    },
  ];
}
