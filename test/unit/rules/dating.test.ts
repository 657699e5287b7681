import {
  gaLabel,
  pregnancyCalculator,
  pregnancyDating,
  termStatusOf,
  trimesterOf,
  type RulesErrorCode,
} from '@mch/rules';
import { expectRulesError } from './fixtures';

describe('pregnancyDating (mch-domain §1)', () => {
  it.each([
    ['2026-01-01', '2026-10-08'],
    ['2024-02-29', '2024-12-05'],
    ['2023-05-31', '2024-03-06'],
    ['2025-12-25', '2026-10-01'],
    ['2027-03-01', '2027-12-06'],
  ])('LMP %s → EDD %s (LMP + 280 days, never the month rule)', (lmp, edd) => {
    expect(pregnancyDating({ lmp })).toEqual({ lmp, edd, basis: 'lmp' });
  });

  it('takes LMP = EDD − 280 days when only the EDD is known', () => {
    expect(pregnancyDating({ edd: '2026-10-08' })).toEqual({ lmp: '2026-01-01', edd: '2026-10-08', basis: 'lmp' });
    expect(pregnancyDating({ edd: '2024-12-05' }).lmp).toBe('2024-02-29');
  });

  it.each([['ultrasound'], ['clinician'], ['art']] as const)(
    'lets an EDD corrected by %s win over the LMP',
    (eddBasis) => {
      expect(pregnancyDating({ lmp: '2026-01-01', edd: '2026-10-15', eddBasis })).toEqual({
        lmp: '2026-01-08',
        edd: '2026-10-15',
        basis: eddBasis,
      });
    },
  );

  it('keeps the LMP when the EDD was itself derived from it', () => {
    expect(pregnancyDating({ lmp: '2026-01-01', edd: '2026-10-15', eddBasis: 'lmp' })).toEqual({
      lmp: '2026-01-01',
      edd: '2026-10-08',
      basis: 'lmp',
    });
  });

  it('needs an LMP or an EDD', () => {
    expectRulesError(() => pregnancyDating({}), { code: 'DATING_MISSING', field: 'lmp' });
  });

  it.each([
    [{ lmp: '2026-02-30' }, 'lmp'],
    [{ edd: '2026-13-01' }, 'edd'],
  ])('rejects an impossible date %p with INVALID_DATE on %s', (input, field) => {
    expectRulesError(() => pregnancyDating(input), { code: 'INVALID_DATE', field });
  });
});

describe('pregnancyCalculator', () => {
  it('LMP 2026-01-01: EDD 2026-10-08, and 24+0 (the OGTT window opens) on 2026-06-18', () => {
    const r = pregnancyCalculator({ lmp: '2026-01-01', today: '2026-06-18' });
    expect(r).toMatchObject({
      edd: '2026-10-08',
      gestationalDays: 168,
      weeks: 24,
      days: 0,
      label: '孕24+0周',
      labelEn: '24+0 weeks',
      trimester: 2,
      daysUntilEdd: 112,
      termStatus: 'early',
    });
  });

  it.each([
    ['2026-01-01', '2026-01-01', 0, 0, 1, 'early'],
    ['2026-01-01', '2026-03-26', 12, 0, 1, 'early'],
    ['2026-01-01', '2026-03-29', 12, 3, 1, 'early'],
    ['2026-01-01', '2026-04-08', 13, 6, 1, 'early'],
    ['2026-01-01', '2026-04-09', 14, 0, 2, 'early'],
    ['2026-01-01', '2026-07-15', 27, 6, 2, 'early'],
    ['2026-01-01', '2026-07-16', 28, 0, 3, 'preterm'],
    ['2026-01-01', '2026-09-16', 36, 6, 3, 'preterm'],
    ['2026-01-01', '2026-09-17', 37, 0, 3, 'term'],
    ['2026-01-01', '2026-10-08', 40, 0, 3, 'term'],
    ['2026-01-01', '2026-10-21', 41, 6, 3, 'term'],
    ['2026-01-01', '2026-10-22', 42, 0, 3, 'post-term'],
    ['2026-01-01', '2026-11-11', 44, 6, 3, 'post-term'],
  ])('LMP %s on %s is %i+%i, trimester %i, %s', (lmp, today, weeks, days, trimester, termStatus) => {
    expect(pregnancyCalculator({ lmp, today })).toMatchObject({
      weeks,
      days,
      trimester,
      termStatus,
      label: `孕${weeks}+${days}周`,
    });
  });

  it('handles a leap-day LMP across February', () => {
    expect(pregnancyCalculator({ lmp: '2024-02-29', today: '2024-03-07' })).toMatchObject({
      gestationalDays: 7,
      label: '孕1+0周',
    });
    expect(pregnancyCalculator({ lmp: '2024-02-29', today: '2024-12-05' })).toMatchObject({
      gestationalDays: 280,
      daysUntilEdd: 0,
    });
    expect(pregnancyCalculator({ lmp: '2023-12-20', today: '2024-03-01' }).gestationalDays).toBe(72);
  });

  it('is 42+ weeks and post-term twelve days after the EDD', () => {
    expect(pregnancyCalculator({ lmp: '2026-01-01', today: '2026-10-20' })).toMatchObject({
      label: '孕41+5周',
      daysUntilEdd: -12,
      termStatus: 'term',
    });
    expect(pregnancyCalculator({ lmp: '2026-01-01', today: '2026-10-25' })).toMatchObject({
      label: '孕42+3周',
      daysUntilEdd: -17,
      termStatus: 'post-term',
    });
  });

  it('uses the corrected EDD: an ultrasound EDD a week later means a week less along', () => {
    const byLmp = pregnancyCalculator({ lmp: '2026-01-01', today: '2026-04-01' });
    const byUs = pregnancyCalculator({
      lmp: '2026-01-01',
      edd: '2026-10-15',
      eddBasis: 'ultrasound',
      today: '2026-04-01',
    });
    expect(byLmp.label).toBe('孕12+6周');
    expect(byUs).toMatchObject({ label: '孕11+6周', edd: '2026-10-15', basis: 'ultrasound', daysUntilEdd: 197 });
  });

  it.each<[Parameters<typeof pregnancyCalculator>[0], RulesErrorCode, string]>([
    [{ lmp: '2026-06-19', today: '2026-06-18' }, 'LMP_IN_FUTURE', 'lmp'],
    [{ lmp: '2025-08-19', today: '2026-06-30' }, 'LMP_TOO_OLD', 'lmp'],
    [{ edd: '2027-03-26', today: '2026-06-18' }, 'EDD_TOO_FAR', 'edd'],
    [{ edd: '2028-01-01', today: '2026-06-18' }, 'EDD_TOO_FAR', 'edd'],
    [{ lmp: '2026-01-01', edd: '2026-12-01', eddBasis: 'ultrasound', today: '2026-02-01' }, 'EDD_TOO_FAR', 'edd'],
    [{ edd: '2026-01-01', today: '2026-06-18' }, 'EDD_TOO_OLD', 'edd'],
    [{ today: '2026-06-18' }, 'DATING_MISSING', 'lmp'],
    [{ lmp: '2026-01-01', today: '2026-06-31' }, 'INVALID_DATE', 'today'],
    [{ lmp: '2026/01/01', today: '2026-06-18' }, 'INVALID_DATE', 'lmp'],
  ])('rejects %p with %s on %s', (input, code, field) => {
    expectRulesError(() => pregnancyCalculator(input), { code, field });
  });

  it('accepts the last day of 44 weeks (44+6) and rejects the next', () => {
    expect(pregnancyCalculator({ lmp: '2026-01-01', today: '2026-11-11' }).label).toBe('孕44+6周');
    expectRulesError(() => pregnancyCalculator({ lmp: '2026-01-01', today: '2026-11-12' }), { code: 'LMP_TOO_OLD' });
  });
});

describe('labels', () => {
  it('trimesters follow the 9th-ed. textbook: < 14+0, 14+0–27+6, ≥ 28+0', () => {
    expect([97, 98, 195, 196].map(trimesterOf)).toEqual([1, 2, 2, 3]);
  });
  it('term status: early < 28+0, preterm to 36+6, term to 41+6, post-term from 42+0', () => {
    expect([195, 196, 258, 259, 293, 294].map(termStatusOf)).toEqual([
      'early',
      'preterm',
      'preterm',
      'term',
      'term',
      'post-term',
    ]);
  });
  it('formats 孕W+D周 and W+D weeks', () => {
    expect(gaLabel(87)).toBe('孕12+3周');
    expect(gaLabel(87, 'en')).toBe('12+3 weeks');
  });
});
