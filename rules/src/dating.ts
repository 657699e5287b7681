import { addDays, assertIsoDate, diffDays } from './dates';
import type { EddBasis, IsoDate, Locale } from './domain';
import { RulesError } from './errors';

export const TERM_DAYS = 280;
/**
 * An active pregnancy is followed to 44+6 (44 completed weeks, the top of the content windows'
 * 0–44-week range). Later dates are taken as entry errors: post-term pregnancies are induced well before.
 */
export const MAX_GESTATION_DAYS = 44 * 7 + 6;

export interface Dating {
  lmp: IsoDate;
  edd: IsoDate;
  basis: EddBasis;
}

/**
 * The best dating of a pregnancy (mch-domain §1): EDD = LMP + 280 days (never the month rule of
 * thumb, C2). An EDD set by ultrasound, a clinician or ART wins over the LMP, and then the LMP used
 * for gestational age is EDD − 280 days. An EDD alone (no LMP) is used as it is.
 */
export function pregnancyDating(input: {
  lmp?: IsoDate | null;
  edd?: IsoDate | null;
  eddBasis?: EddBasis | null;
}): Dating {
  const lmp = input.lmp ? assertIsoDate(input.lmp, 'lmp') : null;
  const edd = input.edd ? assertIsoDate(input.edd, 'edd') : null;
  const corrected = input.eddBasis !== undefined && input.eddBasis !== null && input.eddBasis !== 'lmp';
  if (edd && (!lmp || corrected)) return { lmp: addDays(edd, -TERM_DAYS), edd, basis: input.eddBasis ?? 'lmp' };
  if (lmp) return { lmp, edd: addDays(lmp, TERM_DAYS), basis: 'lmp' };
  throw new RulesError('DATING_MISSING', 'lmp', 'a pregnancy needs its LMP or its EDD');
}

export type Trimester = 1 | 2 | 3;

/**
 * Trimesters by the 9th-edition textbook (《妇产科学》第9版): first < 14+0, second 14+0–27+6, third
 * ≥ 28+0. It is the clinical standard the obstetric content is written against (mch-domain C1). The
 * public-health first visit (before 13+0) and the nutrition documents' 13-week step are deadlines
 * of their own, expressed by the rules and content windows that need them, not by this label.
 */
export function trimesterOf(gestationalDays: number): Trimester {
  if (gestationalDays < 14 * 7) return 1;
  if (gestationalDays < 28 * 7) return 2;
  return 3;
}

/**
 * What a birth today would be called (mch-domain §1.3): preterm 28+0–36+6 (早产), term 37+0–41+6
 * (足月), post-term ≥ 42+0 (过期). Before 28+0 a pregnancy ending in China is classed 流产, not 早产,
 * so it gets its own value `early` rather than a misleading "preterm".
 */
export type TermStatus = 'early' | 'preterm' | 'term' | 'post-term';

export function termStatusOf(gestationalDays: number): TermStatus {
  if (gestationalDays < 28 * 7) return 'early';
  if (gestationalDays < 37 * 7) return 'preterm';
  if (gestationalDays < 42 * 7) return 'term';
  return 'post-term';
}

/** 孕12+3周 / 12+3 weeks. */
export function gaLabel(gestationalDays: number, locale: Locale = 'zh-Hans'): string {
  const w = Math.floor(gestationalDays / 7);
  const d = gestationalDays - w * 7;
  return locale === 'en' ? `${w}+${d} weeks` : `孕${w}+${d}周`;
}

export interface PregnancyCalculation extends Dating {
  gestationalDays: number;
  weeks: number;
  days: number;
  label: string;
  labelEn: string;
  trimester: Trimester;
  daysUntilEdd: number;
  termStatus: TermStatus;
}

/**
 * The handbook's calculator on a given day. Impossible input raises a RulesError naming the field
 * the dating came from: an LMP in the future or more than 44 completed weeks ago; an EDD that puts
 * the start of the pregnancy after today (more than 280 days ahead) or more than 44 weeks back.
 */
export function pregnancyCalculator(input: {
  lmp?: IsoDate | null;
  edd?: IsoDate | null;
  eddBasis?: EddBasis | null;
  today: IsoDate;
}): PregnancyCalculation {
  const today = assertIsoDate(input.today, 'today');
  if (input.lmp && assertIsoDate(input.lmp, 'lmp') > today) {
    throw new RulesError('LMP_IN_FUTURE', 'lmp', `the LMP (${input.lmp}) is after today (${today})`);
  }
  const dating = pregnancyDating(input);
  const gestationalDays = diffDays(today, dating.lmp);
  const fromEdd = dating.lmp !== input.lmp;
  if (gestationalDays < 0) {
    throw new RulesError(
      'EDD_TOO_FAR',
      'edd',
      `the EDD (${dating.edd}) is more than 40 weeks after today (${today}): the pregnancy would not have begun`,
    );
  }
  if (gestationalDays > MAX_GESTATION_DAYS) {
    const [code, field] = fromEdd ? (['EDD_TOO_OLD', 'edd'] as const) : (['LMP_TOO_OLD', 'lmp'] as const);
    throw new RulesError(
      code,
      field,
      `the pregnancy would be ${gaLabel(gestationalDays, 'en')} along on ${today}: more than 44 weeks`,
    );
  }
  const weeks = Math.floor(gestationalDays / 7);
  return Object.assign({}, dating, {
    gestationalDays,
    weeks,
    days: gestationalDays - weeks * 7,
    label: gaLabel(gestationalDays),
    labelEn: gaLabel(gestationalDays, 'en'),
    trimester: trimesterOf(gestationalDays),
    daysUntilEdd: diffDays(dating.edd, today),
    termStatus: termStatusOf(gestationalDays),
  });
}
