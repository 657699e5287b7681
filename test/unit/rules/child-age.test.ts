import { childAge, correctedBirthDate, type RulesErrorCode } from '@mch/rules';
import { expectRulesError } from './fixtures';

describe('childAge', () => {
  it.each([
    ['2026-03-15', '2026-03-15', 0, 0, 0, 0],
    ['2026-03-15', '2026-04-14', 30, 4, 0, 0],
    ['2026-03-15', '2026-04-15', 31, 4, 1, 0],
    ['2026-03-15', '2026-11-15', 245, 35, 8, 0],
    ['2026-03-15', '2027-03-15', 365, 52, 12, 1],
    ['2026-03-15', '2033-03-14', 2556, 365, 83, 6],
    // Month-end births: the day of month clamps, so 31 Jan completes a month on 28 Feb.
    ['2026-01-31', '2026-02-27', 27, 3, 0, 0],
    ['2026-01-31', '2026-02-28', 28, 4, 1, 0],
    ['2028-01-31', '2028-02-29', 29, 4, 1, 0],
    ['2026-01-31', '2026-04-30', 89, 12, 3, 0],
    // Born 29 Feb: 12 months on 28 Feb of a common year, 48 months on 29 Feb.
    ['2024-02-29', '2025-02-28', 365, 52, 12, 1],
    ['2024-02-29', '2025-02-27', 364, 52, 11, 0],
    ['2024-02-29', '2028-02-28', 1460, 208, 47, 3],
    ['2024-02-29', '2028-02-29', 1461, 208, 48, 4],
  ])('born %s, on %s: %i days, %i weeks, %i months, %i years', (birthDate, on, days, weeks, months, years) => {
    expect(childAge({ birthDate, on })).toEqual({
      days,
      weeks,
      months,
      years,
      isPreterm: false,
      correctedAgeDays: null,
      correctedAgeMonths: null,
    });
  });

  it('a baby born at 30+0 weeks: corrected age = chronological − 10 weeks, until 24 months', () => {
    const ga = 30 * 7;
    expect(correctedBirthDate('2026-03-15', ga)).toBe('2026-05-24');
    expect(childAge({ birthDate: '2026-03-15', on: '2026-04-15', gestationalAgeAtBirthDays: ga })).toMatchObject({
      months: 1,
      isPreterm: true,
      correctedAgeDays: -39,
      correctedAgeMonths: 0,
    });
    expect(childAge({ birthDate: '2026-03-15', on: '2026-09-15', gestationalAgeAtBirthDays: ga })).toMatchObject({
      months: 6,
      correctedAgeDays: 114,
      correctedAgeMonths: 3,
    });
    expect(childAge({ birthDate: '2026-03-15', on: '2026-11-24', gestationalAgeAtBirthDays: ga })).toMatchObject({
      months: 8,
      correctedAgeMonths: 6,
    });
    expect(childAge({ birthDate: '2026-03-15', on: '2028-03-14', gestationalAgeAtBirthDays: ga })).toMatchObject({
      months: 23,
      correctedAgeMonths: 21,
    });
    expect(childAge({ birthDate: '2026-03-15', on: '2028-03-15', gestationalAgeAtBirthDays: ga })).toMatchObject({
      months: 24,
      isPreterm: true,
      correctedAgeDays: null,
      correctedAgeMonths: null,
    });
  });

  it.each([
    [36 * 7 + 6, true],
    [37 * 7, false],
    [null, false],
  ])('GA at birth %p days is preterm: %p (unknown GA counts as term)', (ga, preterm) => {
    const age = childAge({ birthDate: '2026-03-15', on: '2026-06-15', gestationalAgeAtBirthDays: ga });
    expect(age.isPreterm).toBe(preterm);
    expect(age.correctedAgeMonths === null).toBe(!preterm);
  });

  it.each<[Parameters<typeof childAge>[0], RulesErrorCode, string]>([
    [{ birthDate: '2026-03-16', on: '2026-03-15' }, 'BIRTH_IN_FUTURE', 'birthDate'],
    [{ birthDate: '2026-02-29', on: '2026-03-15' }, 'INVALID_DATE', 'birthDate'],
    [{ birthDate: '2026-03-15', on: 'today' }, 'INVALID_DATE', 'on'],
    [
      { birthDate: '2026-03-15', on: '2026-04-15', gestationalAgeAtBirthDays: 100 },
      'INVALID_GESTATIONAL_AGE',
      'gestationalAgeAtBirthDays',
    ],
    [
      { birthDate: '2026-03-15', on: '2026-04-15', gestationalAgeAtBirthDays: 230.5 },
      'INVALID_GESTATIONAL_AGE',
      'gestationalAgeAtBirthDays',
    ],
  ])('rejects %p with %s on %s', (input, code, field) => {
    expectRulesError(() => childAge(input), { code, field });
  });
});
