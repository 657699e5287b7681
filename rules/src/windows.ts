import type { AudienceWindow, AudienceWindowInput, DurationUnit, StageKind } from './domain';
import { STAGE_KINDS } from './domain';
import type { Problem } from './problems';

/** Days a month counts for content windows: 365.25 / 12. Reminders use calendar months instead. */
export const DAYS_PER_MONTH = 30.4375;

/** Largest day index of each stage: pregnancy 44+6, postpartum one year, child 7 years, preconception 2 years. */
export const STAGE_MAX_DAYS: Readonly<Record<StageKind, number>> = {
  pregnancy: 44 * 7 + 6,
  postpartum: 365,
  child: Math.floor(84 * DAYS_PER_MONTH),
  preconception: Math.floor(24 * DAYS_PER_MONTH),
};
const STAGE_LIMIT_TEXT: Readonly<Record<StageKind, { en: string; zh: string }>> = {
  pregnancy: { en: '0–44 weeks', zh: '0～44周' },
  postpartum: { en: '0–1 year', zh: '0～1年' },
  child: { en: '0–7 years', zh: '0～7岁' },
  preconception: { en: '0–2 years', zh: '0～2年' },
};
const UNITS: readonly DurationUnit[] = ['days', 'weeks', 'months'];

/** The first day index of `n` units: weeks are 7 days, months floor(n × 30.4375) days. */
function startDay(n: number, unit: DurationUnit): number {
  if (unit === 'days') return n;
  if (unit === 'weeks') return n * 7;
  return Math.floor(n * DAYS_PER_MONTH);
}

/**
 * Inclusive windows to inclusive day ranges: days as they are; weeks N..M = N+0 .. M+6; months
 * N..M = floor(N × 30.4375) .. floor((M + 1) × 30.4375) − 1, i.e. from the day N average months are
 * complete to the day before M + 1 are. Content matching on months is approximate at month ends
 * by design (a day or two either way does not matter for an article); reminders, where it does,
 * use calendar months. The end is clamped to the stage's last day.
 */
export function normaliseWindow(w: AudienceWindowInput): AudienceWindow {
  return {
    stage: w.stage,
    fromDays: startDay(w.from, w.unit),
    toDays: Math.min(startDay(w.to + 1, w.unit) - 1, STAGE_MAX_DAYS[w.stage]),
  };
}

/** Problems with an editor's window: stage, unit, whole numbers, from ≤ to, within the stage's bounds. */
export function validateWindowInput(w: AudienceWindowInput, path = 'window'): Problem[] {
  if (typeof w !== 'object' || w === null)
    return [{ path, message: 'must be { stage, from, to, unit }', messageZh: '须为 { stage, from, to, unit }' }];
  const problems: Problem[] = [];
  const raw = w as unknown as Record<string, unknown>;
  if (!STAGE_KINDS.includes(raw.stage as StageKind)) {
    problems.push({
      path: `${path}.stage`,
      message: `must be one of ${STAGE_KINDS.join(', ')}, got ${JSON.stringify(raw.stage)}`,
      messageZh: `须为 ${STAGE_KINDS.join('、')} 之一`,
    });
  }
  if (!UNITS.includes(raw.unit as DurationUnit)) {
    problems.push({
      path: `${path}.unit`,
      message: `must be days, weeks or months, got ${JSON.stringify(raw.unit)}`,
      messageZh: '单位须为 days、weeks 或 months',
    });
  }
  for (const key of ['from', 'to'] as const) {
    if (!Number.isInteger(raw[key]) || (raw[key] as number) < 0) {
      problems.push({
        path: `${path}.${key}`,
        message: `must be a whole number ≥ 0, got ${JSON.stringify(raw[key])}`,
        messageZh: '须为不小于0的整数',
      });
    }
  }
  if (problems.length > 0) return problems;
  if (w.from > w.to) {
    return [
      {
        path: `${path}.from`,
        message: `from (${w.from}) must not exceed to (${w.to})`,
        messageZh: `起始值（${w.from}）不能大于结束值（${w.to}）`,
      },
    ];
  }
  if (startDay(w.to, w.unit) > STAGE_MAX_DAYS[w.stage]) {
    const limit = STAGE_LIMIT_TEXT[w.stage];
    problems.push({
      path: `${path}.to`,
      message: `${w.to} ${w.unit} is beyond the ${w.stage} stage (${limit.en})`,
      messageZh: `${w.to} ${w.unit} 超出该阶段范围（${limit.zh}）`,
    });
  }
  return problems;
}
