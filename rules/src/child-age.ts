import { addDays, assertIsoDate, completedMonths, diffDays } from './dates';
import type { IsoDate } from './domain';
import { RulesError } from './errors';
import { TERM_DAYS } from './dating';

/** Born before 37+0 weeks. */
export const PRETERM_BEFORE_DAYS = 37 * 7;
/** Corrected age is used until 24 months of chronological age (mch-domain §8). */
export const CORRECTED_UNTIL_MONTHS = 24;
/** Plausible gestational ages at birth: 20+0 to 45+0 weeks; anything else is an entry error. */
const MIN_GA_AT_BIRTH = 20 * 7;
const MAX_GA_AT_BIRTH = 45 * 7;

export function assertGestationalAgeAtBirth(days: unknown, field = 'gestationalAgeAtBirthDays'): void {
  if (days === null || days === undefined) return;
  if (!Number.isInteger(days) || (days as number) < MIN_GA_AT_BIRTH || (days as number) > MAX_GA_AT_BIRTH) {
    throw new RulesError(
      'INVALID_GESTATIONAL_AGE',
      field,
      `${field} must be whole days from ${MIN_GA_AT_BIRTH} (20+0) to ${MAX_GA_AT_BIRTH} (45+0), got ${JSON.stringify(days)}`,
    );
  }
}

export function isPretermBirth(gestationalAgeAtBirthDays: number | null | undefined): boolean {
  return typeof gestationalAgeAtBirthDays === 'number' && gestationalAgeAtBirthDays < PRETERM_BEFORE_DAYS;
}

/** Birth date shifted by (280 − GA at birth) for preterm babies; the birth date itself otherwise (unknown GA = term). */
export function correctedBirthDate(birthDate: IsoDate, gestationalAgeAtBirthDays: number | null | undefined): IsoDate {
  if (typeof gestationalAgeAtBirthDays !== 'number' || !isPretermBirth(gestationalAgeAtBirthDays)) return birthDate;
  return addDays(birthDate, TERM_DAYS - gestationalAgeAtBirthDays);
}

export interface ChildAge {
  days: number;
  weeks: number;
  /** Completed calendar months: born 31 Jan completes 1 month on 28 (29) Feb; born 29 Feb completes 12 months on 28 Feb. */
  months: number;
  years: number;
  isPreterm: boolean;
  /** Only for preterm babies under 24 months chronological; negative before term-equivalent age. */
  correctedAgeDays: number | null;
  /** Completed months since the corrected birth date; 0 before term-equivalent age. */
  correctedAgeMonths: number | null;
}

/**
 * A child's age on a day. Vaccines and public-health checks go by chronological age; growth,
 * development and feeding by corrected age (birth + (280 − GA) days) while under 24 months (C13).
 */
export function childAge(input: {
  birthDate: IsoDate;
  on: IsoDate;
  gestationalAgeAtBirthDays?: number | null;
}): ChildAge {
  const birth = assertIsoDate(input.birthDate, 'birthDate');
  const on = assertIsoDate(input.on, 'on');
  assertGestationalAgeAtBirth(input.gestationalAgeAtBirthDays);
  if (birth > on) throw new RulesError('BIRTH_IN_FUTURE', 'birthDate', `the birth date (${birth}) is after ${on}`);
  const days = diffDays(on, birth);
  const months = completedMonths(birth, on);
  const preterm = isPretermBirth(input.gestationalAgeAtBirthDays);
  let correctedAgeDays: number | null = null;
  let correctedAgeMonths: number | null = null;
  if (preterm && months < CORRECTED_UNTIL_MONTHS) {
    const corrected = correctedBirthDate(birth, input.gestationalAgeAtBirthDays);
    correctedAgeDays = diffDays(on, corrected);
    correctedAgeMonths = correctedAgeDays < 0 ? 0 : completedMonths(corrected, on);
  }
  return {
    days,
    weeks: Math.floor(days / 7),
    months,
    years: Math.floor(months / 12),
    isPreterm: preterm,
    correctedAgeDays,
    correctedAgeMonths,
  };
}
