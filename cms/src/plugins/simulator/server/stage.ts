import {
  addDays,
  addMonths,
  DEFAULT_TIME_ZONE,
  type IsoDate,
  type Journey,
  type Member,
  type ReminderRule,
} from '@mch/rules';
import { z } from 'zod';

/** A stage to simulate, as an editor picks it: 孕12周, 8月龄, born at 32 weeks now 3 months old, 产后7天, 备孕. */
export const stageInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preconception') }).strict(),
  z
    .object({
      kind: z.literal('pregnancy'),
      weeks: z.number().int().min(0).max(43),
      days: z.number().int().min(0).max(6).default(0),
      riskColour: z.enum(['green', 'yellow', 'orange', 'red', 'purple']).nullable().default(null),
    })
    .strict(),
  z.object({ kind: z.literal('postpartum'), days: z.number().int().min(0).max(42) }).strict(),
  z
    .object({
      kind: z.literal('child'),
      months: z.number().int().min(0).max(72),
      gestationalWeeksAtBirth: z.number().int().min(22).max(42).nullable().default(null),
    })
    .strict(),
]);
export type StageInput = z.infer<typeof stageInput>;

/** Named stages offered in the simulator's picker (zh labels first). */
export const STAGE_PRESETS: Array<{ id: string; labelZh: string; labelEn: string; stage: StageInput }> = [
  { id: 'preconception', labelZh: '备孕', labelEn: 'Planning a pregnancy', stage: { kind: 'preconception' } },
  {
    id: 'pregnancy-8w',
    labelZh: '孕8周',
    labelEn: '8 weeks pregnant',
    stage: { kind: 'pregnancy', weeks: 8, days: 0, riskColour: null },
  },
  {
    id: 'pregnancy-12w',
    labelZh: '孕12周',
    labelEn: '12 weeks pregnant',
    stage: { kind: 'pregnancy', weeks: 12, days: 0, riskColour: null },
  },
  {
    id: 'pregnancy-24w',
    labelZh: '孕24周',
    labelEn: '24 weeks pregnant',
    stage: { kind: 'pregnancy', weeks: 24, days: 0, riskColour: null },
  },
  {
    id: 'pregnancy-36w-orange',
    labelZh: '孕36周（橙色高危）',
    labelEn: '36 weeks, orange risk',
    stage: { kind: 'pregnancy', weeks: 36, days: 0, riskColour: 'orange' },
  },
  { id: 'postpartum-7d', labelZh: '产后7天', labelEn: '7 days after birth', stage: { kind: 'postpartum', days: 7 } },
  {
    id: 'child-1m',
    labelZh: '1月龄',
    labelEn: '1 month old',
    stage: { kind: 'child', months: 1, gestationalWeeksAtBirth: null },
  },
  {
    id: 'child-8m',
    labelZh: '8月龄',
    labelEn: '8 months old',
    stage: { kind: 'child', months: 8, gestationalWeeksAtBirth: null },
  },
  {
    id: 'child-3m-preterm-32w',
    labelZh: '32周早产，现3月龄',
    labelEn: 'Born at 32 weeks, now 3 months old',
    stage: { kind: 'child', months: 3, gestationalWeeksAtBirth: 32 },
  },
  {
    id: 'child-3y',
    labelZh: '3岁',
    labelEn: '3 years old',
    stage: { kind: 'child', months: 36, gestationalWeeksAtBirth: null },
  },
];

/**
 * A made-up member with one journey in the given stage on `today` (Asia/Shanghai). Nothing is stored.
 * Enrolment is dated at the start of the journey so the planner does not treat the member as new.
 */
export function simulatedMember({
  stage,
  today,
  regionCode,
  institutionCode,
}: {
  stage: StageInput;
  today: IsoDate;
  regionCode: string | null;
  institutionCode: string | null;
}): { member: Member; journeys: Journey[] } {
  const journeys: Journey[] = [];
  let enrolledOn: IsoDate;
  switch (stage.kind) {
    case 'preconception':
      enrolledOn = addDays(today, -30);
      journeys.push({
        id: 'sim-preconception',
        kind: 'preconception',
        status: 'active',
        enrolledOn,
        startedOn: enrolledOn,
      });
      break;
    case 'pregnancy': {
      const lmp = addDays(today, -(stage.weeks * 7 + stage.days));
      enrolledOn = lmp;
      journeys.push({
        id: 'sim-pregnancy',
        kind: 'pregnancy',
        status: 'active',
        enrolledOn,
        lmp,
        riskColour: stage.riskColour,
      });
      break;
    }
    case 'postpartum': {
      const birth = addDays(today, -stage.days);
      const lmp = addDays(birth, -280);
      enrolledOn = lmp;
      journeys.push({ id: 'sim-pregnancy', kind: 'pregnancy', status: 'delivered', enrolledOn, lmp, outcomeOn: birth });
      journeys.push({ id: 'sim-child', kind: 'child', status: 'active', enrolledOn: birth, birthDate: birth });
      break;
    }
    case 'child': {
      const birth = addMonths(today, -stage.months);
      enrolledOn = birth;
      journeys.push({
        id: 'sim-child',
        kind: 'child',
        status: 'active',
        enrolledOn,
        birthDate: birth,
        gestationalAgeAtBirthDays: stage.gestationalWeeksAtBirth === null ? null : stage.gestationalWeeksAtBirth * 7,
      });
      break;
    }
  }
  return {
    member: {
      externalId: 'simulated',
      regionCode,
      institutionCode,
      locale: 'zh-Hans',
      timeZone: DEFAULT_TIME_ZONE,
      enrolledOn,
    },
    journeys,
  };
}

/** A sample member for whom the rule falls due today: the stage its trigger points at. */
export function sampleStageFor(rule: ReminderRule): StageInput {
  const { anchor, offset, unit } = rule.trigger;
  const days = unit === 'days' ? offset : unit === 'weeks' ? offset * 7 : Math.round(offset * 30.44);
  switch (anchor) {
    case 'lmp':
      return {
        kind: 'pregnancy',
        weeks: Math.min(43, Math.max(0, Math.floor(days / 7))),
        days: Math.max(0, days) % 7,
        riskColour: null,
      };
    case 'edd': {
      const ga = Math.min(301, Math.max(0, 280 + days));
      return { kind: 'pregnancy', weeks: Math.floor(ga / 7), days: ga % 7, riskColour: null };
    }
    case 'delivery':
      return { kind: 'postpartum', days: Math.min(42, Math.max(0, days)) };
    case 'birth':
      return {
        kind: 'child',
        months: Math.min(72, Math.max(0, unit === 'months' ? offset : Math.floor(days / 30.44))),
        gestationalWeeksAtBirth: null,
      };
    default:
      return { kind: 'pregnancy', weeks: 20, days: 0, riskColour: null };
  }
}
