import { quarterStart } from '../../../cms/src/handbook/activity';
import { measureQuery, periodOf, quarterOf, quarterPeriod, quartersBetween, wholeQuarterStarts } from '../../../cms/src/plugins/stats/server/period';

describe('quarters', () => {
  it.each([
    ['2026Q1', '2026-01-01', '2026-03-31'],
    ['2026Q2', '2026-04-01', '2026-06-30'],
    ['2026Q3', '2026-07-01', '2026-09-30'],
    ['2026Q4', '2026-10-01', '2026-12-31'],
    ['2028Q1', '2028-01-01', '2028-03-31'],
  ])('%s is %s … %s', (quarter, from, to) => {
    expect(quarterPeriod(quarter)).toEqual({ from, to, quarter });
  });

  it('runs across a year end', () => {
    expect(quartersBetween('2026Q3', '2027Q2')).toEqual(['2026Q3', '2026Q4', '2027Q1', '2027Q2']);
  });

  it('names a from/to range that is exactly one quarter as that quarter', () => {
    expect(periodOf(measureQuery.parse({ from: '2026-10-01', to: '2026-12-31' }))).toEqual({ from: '2026-10-01', to: '2026-12-31', quarter: '2026Q4' });
    expect(periodOf(measureQuery.parse({ from: '2026-10-01', to: '2026-12-30' })).quarter).toBeNull();
  });

  it.each([
    [{ quarter: '2026Q0' }, 'quarter'],
    [{ quarter: '26Q1' }, 'quarter'],
    [{}, 'quarter'],
    [{ to: '2026-01-31' }, 'from'],
    [{ from: '2026-01-01', to: '2030-01-01' }, 'to'],
    [{ from: '2026-13-01', to: '2026-12-31' }, 'from'],
  ])('refuses %j, naming %s', (query, field) => {
    const result = measureQuery.safeParse(query);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  describe('periods of whole quarters (read from hb_member_active_quarters)', () => {
    it.each([
      ['2026-10-01', '2026-12-31', ['2026-10-01']],
      ['2026-07-01', '2027-03-31', ['2026-07-01', '2026-10-01', '2027-01-01']],
      ['2026-01-01', '2028-12-31', quartersBetween('2026Q1', '2028Q4').map((q) => quarterPeriod(q).from)],
    ])('%s … %s covers the quarters starting %j', (from, to, starts) => {
      expect(wholeQuarterStarts({ from, to })).toEqual(starts);
    });

    it.each([
      ['2026-10-01', '2026-12-30'],
      ['2026-10-02', '2026-12-31'],
      ['2026-06-30', '2026-12-31'],
      ['2026-10-01', '2027-01-01'],
      ['2026-11-01', '2026-11-30'],
    ])('%s … %s is not whole quarters, so it reads the day table', (from, to) => {
      expect(wholeQuarterStarts({ from, to })).toBeNull();
    });

    it.each([
      ['2026-01-01', '2026-01-01'],
      ['2026-03-31', '2026-01-01'],
      ['2026-04-01', '2026-04-01'],
      ['2026-09-30', '2026-07-01'],
      ['2026-12-31', '2026-10-01'],
    ])('the activity recorder files %s under the quarter starting %s', (day, start) => {
      expect(quarterStart(day)).toBe(start);
      expect(quarterStart(day)).toBe(quarterPeriod(quarterOf(day)).from);
    });
  });
});
