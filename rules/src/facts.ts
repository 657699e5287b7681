import { childAge } from './child-age';
import { diffDays } from './dates';
import { pregnancyDating, trimesterOf } from './dating';
import type { IsoDate, Journey, Member, StageKind } from './domain';

export type FactType = 'string' | 'number' | 'boolean' | 'date';

export interface FactDefinition {
  name: string;
  type: FactType;
  unit?: string;
  enum?: readonly string[];
  labelZh: string;
  labelEn: string;
  descriptionZh: string;
  descriptionEn: string;
  example: string | number | boolean;
  /** Only available to templates (not conditions). */
  templateOnly?: boolean;
}

const f = (d: FactDefinition) => d;

/** Every fact a rule condition or template may use; exported for validation and the admin panel's help. */
export const FACT_CATALOGUE: readonly FactDefinition[] = [
  f({
    name: 'stage',
    type: 'string',
    enum: ['preconception', 'pregnancy', 'postpartum', 'child'],
    labelZh: '阶段',
    labelEn: 'Stage',
    descriptionZh: '该旅程当天所处阶段：备孕、孕期、产后、儿童期',
    descriptionEn: 'Stage of the journey on the day',
    example: 'pregnancy',
  }),
  f({
    name: 'gestationalDays',
    type: 'number',
    unit: 'days',
    labelZh: '孕天数',
    labelEn: 'Gestational age (days)',
    descriptionZh: '自末次月经（或由校正预产期推算）起的天数',
    descriptionEn: 'Days since the (best) LMP',
    example: 87,
  }),
  f({
    name: 'gestationalWeeks',
    type: 'number',
    unit: 'weeks',
    labelZh: '孕周（整周）',
    labelEn: 'Gestational age (completed weeks)',
    descriptionZh: '孕天数除以7取整，如孕12+3周为12',
    descriptionEn: 'Completed weeks, e.g. 12 at 12+3',
    example: 12,
  }),
  f({
    name: 'trimester',
    type: 'number',
    labelZh: '孕期阶段',
    labelEn: 'Trimester',
    descriptionZh: '1、2或3：早孕期<14周，中孕期14～27+6周，晚孕期≥28周（《妇产科学》第9版）',
    descriptionEn: '1, 2 or 3: first < 14+0, second 14+0–27+6, third ≥ 28+0 weeks (9th-ed. textbook)',
    example: 1,
  }),
  f({
    name: 'daysUntilEdd',
    type: 'number',
    unit: 'days',
    labelZh: '距预产期天数',
    labelEn: 'Days until EDD',
    descriptionZh: '距预产期的天数，过期为负数',
    descriptionEn: 'Days until the EDD (negative when past)',
    example: 193,
  }),
  f({
    name: 'postpartumDays',
    type: 'number',
    unit: 'days',
    labelZh: '产后天数',
    labelEn: 'Days since delivery',
    descriptionZh: '分娩后的天数（分娩当天为0）',
    descriptionEn: 'Days since delivery (0 on the day)',
    example: 7,
  }),
  f({
    name: 'childAgeDays',
    type: 'number',
    unit: 'days',
    labelZh: '日龄',
    labelEn: 'Age (days)',
    descriptionZh: '出生后的天数（出生当天为0）',
    descriptionEn: 'Days since birth',
    example: 30,
  }),
  f({
    name: 'childAgeMonths',
    type: 'number',
    unit: 'months',
    labelZh: '月龄（足月）',
    labelEn: 'Age (completed months)',
    descriptionZh: '已满的日历月数；疫苗按此实际月龄',
    descriptionEn: 'Completed calendar months (vaccines use this)',
    example: 8,
  }),
  f({
    name: 'correctedAgeMonths',
    type: 'number',
    unit: 'months',
    labelZh: '矫正月龄',
    labelEn: 'Corrected age (months)',
    descriptionZh: '早产儿（<37周）在实际月龄24个月前的矫正月龄；生长发育和喂养按此',
    descriptionEn: 'For babies born before 37 weeks, until 24 months chronological; growth and feeding use it',
    example: 4,
  }),
  f({
    name: 'isPreterm',
    type: 'boolean',
    labelZh: '早产儿',
    labelEn: 'Born preterm',
    descriptionZh: '出生胎龄<37周',
    descriptionEn: 'Born before 37+0 weeks',
    example: false,
  }),
  f({
    name: 'riskColour',
    type: 'string',
    enum: ['green', 'yellow', 'orange', 'red', 'purple'],
    labelZh: '妊娠风险颜色',
    labelEn: 'Pregnancy risk colour',
    descriptionZh: '五色管理：绿、黄、橙、红、紫',
    descriptionEn: 'Five-colour risk: green, yellow, orange, red, purple',
    example: 'orange',
  }),
  f({
    name: 'regionCode',
    type: 'string',
    labelZh: '行政区划代码',
    labelEn: 'Region code',
    descriptionZh: '六位 GB/T 2260 代码',
    descriptionEn: 'Six-digit GB/T 2260 code',
    example: '350102',
  }),
  f({
    name: 'institutionCode',
    type: 'string',
    labelZh: '建册机构代码',
    labelEn: 'Institution code',
    descriptionZh: '登记机构代码',
    descriptionEn: 'Registering institution',
    example: 'FJ-SAMPLE-001',
  }),
  f({
    name: 'journeyStatus',
    type: 'string',
    enum: ['active', 'delivered', 'loss', 'closed'],
    labelZh: '旅程状态',
    labelEn: 'Journey status',
    descriptionZh: '进行中、已分娩、妊娠丢失、已关闭',
    descriptionEn: 'active, delivered, loss, closed',
    example: 'active',
  }),
  f({
    name: 'daysSinceLastVisit',
    type: 'number',
    unit: 'days',
    labelZh: '距上次产检天数',
    labelEn: 'Days since last checkup',
    descriptionZh: '距最近一次产检的天数；无记录为空',
    descriptionEn: 'Days since the latest attended checkup; null when none',
    example: 35,
  }),
  f({
    name: 'locale',
    type: 'string',
    enum: ['zh-Hans', 'en'],
    labelZh: '语言',
    labelEn: 'Language',
    descriptionZh: '用户语言',
    descriptionEn: "Member's language",
    example: 'zh-Hans',
  }),
  f({
    name: 'birthDate',
    type: 'date',
    labelZh: '出生日期',
    labelEn: 'Birth date',
    descriptionZh: '儿童出生日期（用于按出生队列区分免疫程序）',
    descriptionEn: 'Birth date (for birth-cohort schedules)',
    example: '2025-03-15',
  }),
  f({
    name: 'sex',
    type: 'string',
    enum: ['female', 'male', 'unknown'],
    labelZh: '性别',
    labelEn: 'Sex',
    descriptionZh: '儿童性别',
    descriptionEn: "Child's sex",
    example: 'female',
  }),
  f({
    name: 'dueDate',
    type: 'date',
    labelZh: '提醒日期',
    labelEn: 'Due date',
    descriptionZh: '本次提醒的日期（仅模板可用）',
    descriptionEn: 'Day of this occurrence (templates only)',
    example: '2026-11-15',
    templateOnly: true,
  }),
];

export const FACTS_BY_NAME: ReadonlyMap<string, FactDefinition> = new Map(FACT_CATALOGUE.map((d) => [d.name, d]));

export type Facts = Record<string, string | number | boolean | null>;

/** Fact values of one journey in one stage on one day; facts that do not apply are null. */
export function computeFacts({
  member,
  journey,
  on,
  stage,
}: {
  member: Member;
  journey: Journey;
  on: IsoDate;
  stage: StageKind;
}): Facts {
  const facts: Facts = {
    stage,
    gestationalDays: null,
    gestationalWeeks: null,
    trimester: null,
    daysUntilEdd: null,
    postpartumDays: null,
    childAgeDays: null,
    childAgeMonths: null,
    correctedAgeMonths: null,
    isPreterm: null,
    riskColour: null,
    regionCode: member.regionCode,
    institutionCode: member.institutionCode,
    journeyStatus: journey.status,
    daysSinceLastVisit: null,
    locale: member.locale,
    birthDate: null,
    sex: null,
    dueDate: on,
  };
  if (journey.kind === 'pregnancy') {
    facts.riskColour = journey.riskColour ?? null;
    facts.daysSinceLastVisit = journey.lastVisitOn ? diffDays(on, journey.lastVisitOn) : null;
    if (stage === 'pregnancy') {
      const dating = pregnancyDating(journey);
      const days = diffDays(on, dating.lmp);
      facts.gestationalDays = days;
      facts.gestationalWeeks = Math.floor(days / 7);
      facts.trimester = trimesterOf(days);
      facts.daysUntilEdd = diffDays(dating.edd, on);
    } else if (stage === 'postpartum' && journey.outcomeOn) {
      facts.postpartumDays = diffDays(on, journey.outcomeOn);
    }
  }
  if (journey.kind === 'child') {
    const age = childAge({
      birthDate: journey.birthDate,
      on,
      gestationalAgeAtBirthDays: journey.gestationalAgeAtBirthDays ?? null,
    });
    facts.childAgeDays = age.days;
    facts.childAgeMonths = age.months;
    facts.correctedAgeMonths = age.correctedAgeMonths;
    facts.isPreterm = age.isPreterm;
    facts.birthDate = journey.birthDate;
    facts.sex = journey.sex ?? null;
  }
  return facts;
}
