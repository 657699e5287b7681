import {
  RulesError,
  addDays,
  addMonths,
  completedMonths,
  diffDays,
  instantAt,
  isIsoDate,
  isValidTimeZone,
  localDay,
  localHour,
} from '@mch/rules';
import { TZDate } from '@date-fns/tz';
import fc from 'fast-check';
import { expectRulesError } from './fixtures';

describe('localDay: the member’s calendar day, not the server’s', () => {
  it('does not depend on the server’s zone: the same answer with the process in UTC or in Los Angeles', () => {
    const saved = process.env.TZ;
    const at = new Date('2026-03-14T16:30:00Z');
    try {
      process.env.TZ = 'UTC';
      expect(at.getDate()).toBe(14);
      expect(localDay(at, 'Asia/Shanghai')).toBe('2026-03-15');
      process.env.TZ = 'America/Los_Angeles';
      expect(at.getDate()).toBe(14);
      expect(localDay(at, 'Asia/Shanghai')).toBe('2026-03-15');
      expect(addDays('2026-03-07', 1)).toBe('2026-03-08');
      expect(diffDays('2026-03-09', '2026-03-08')).toBe(1);
    } finally {
      process.env.TZ = saved;
    }
  });

  it.each([
    ['2026-03-14T15:59:59.999Z', 'Asia/Shanghai', '2026-03-14'],
    ['2026-03-14T16:00:00.000Z', 'Asia/Shanghai', '2026-03-15'],
    ['2026-03-14T16:30:00Z', 'Asia/Shanghai', '2026-03-15'],
    ['2026-12-31T16:00:00Z', 'Asia/Shanghai', '2027-01-01'],
    ['2026-03-15T03:59:00Z', 'America/New_York', '2026-03-14'],
    ['2026-03-15T04:00:00Z', 'America/New_York', '2026-03-15'],
    ['2026-11-01T04:30:00Z', 'America/New_York', '2026-11-01'],
    ['2026-03-14T16:30:00Z', 'UTC', '2026-03-14'],
  ])('%s in %s is %s', (at, zone, day) => {
    expect(localDay(new Date(at), zone)).toBe(day);
  });

  it('answers as a fresh computation although the last answer per zone is kept (same minute, midnight, DST, back in time)', () => {
    const zones = ['Asia/Shanghai', 'Asia/Urumqi', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];
    const fresh = (ms: number, zone: string) => {
      const local = new TZDate(ms, zone);
      return `${String(local.getFullYear()).padStart(4, '0')}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`;
    };
    // Instants around local midnights and DST changes, asked in any order, each twice.
    const edges = ['2026-03-14T15:59:59.999Z', '2026-03-14T16:00:00.000Z', '2026-03-08T06:59:59.999Z', '2026-03-08T07:00:00Z', '2026-11-01T05:30:00Z', '1975-06-01T16:00:00Z', '1900-01-01T00:00:00Z'];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), fc.constantFrom(...edges.map((e) => Date.parse(e)))), fc.constantFrom(...zones)), { minLength: 1, maxLength: 40 }),
        (asks) => {
          for (const [ms, zone] of asks) {
            for (const probe of [ms, ms + 1, ms - 1]) expect(localDay(new Date(probe), zone)).toBe(fresh(probe, zone));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the local hour and the instant of a local wall-clock time across a DST change', () => {
    expect(localHour(new Date('2026-03-15T01:00:00Z'), 'Asia/Shanghai')).toBe(9);
    expect(instantAt('2026-03-15', 9, 0, 'Asia/Shanghai').toISOString()).toBe('2026-03-15T01:00:00.000Z');
    expect(instantAt('2026-03-07', 9, 0, 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantAt('2026-03-08', 9, 0, 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it.each([['Mars/Olympus'], [''], ['Asia/Shang hai']])('rejects the time zone %p with UNKNOWN_TIME_ZONE', (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    expectRulesError(() => localDay(new Date(), zone), { code: 'UNKNOWN_TIME_ZONE', field: 'timeZone' });
  });

  it('rejects an invalid instant with INVALID_DATE on the field at', () => {
    expectRulesError(() => localDay(new Date('nope'), 'Asia/Shanghai'), { code: 'INVALID_DATE', field: 'at' });
  });

  it('knows real zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
  });
});

describe('calendar arithmetic on ISO dates', () => {
  it.each([
    ['2026-01-01', 280, '2026-10-08'],
    ['2024-02-29', 280, '2024-12-05'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2025-02-28', 1, '2025-03-01'],
    ['2026-03-08', 1, '2026-03-09'],
    ['2026-11-01', 1, '2026-11-02'],
    ['2026-01-01', -1, '2025-12-31'],
  ])('addDays(%s, %i) = %s', (from, n, to) => {
    expect(addDays(from, n)).toBe(to);
    expect(diffDays(to, from)).toBe(n);
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2024-02-29', 12, '2025-02-28'],
    ['2024-02-29', 48, '2028-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-03-15', 8, '2026-11-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2027-01-15', -1, '2026-12-15'],
  ])('addMonths(%s, %i) = %s (the day clamps to a shorter month’s end)', (from, n, to) => {
    expect(addMonths(from, n)).toBe(to);
  });

  it.each([
    ['2026-01-31', '2026-02-27', 0],
    ['2026-01-31', '2026-02-28', 1],
    ['2026-01-31', '2026-03-30', 1],
    ['2026-01-31', '2026-03-31', 2],
    ['2024-02-29', '2025-02-27', 11],
    ['2024-02-29', '2025-02-28', 12],
    ['2026-03-15', '2026-11-14', 7],
    ['2026-03-15', '2026-11-15', 8],
    ['2026-03-15', '2026-03-01', 0],
  ])('completedMonths(%s, %s) = %i', (from, to, months) => {
    expect(completedMonths(from, to)).toBe(months);
  });

  it.each([['2026-02-30'], ['2026-13-01'], ['2026-1-01'], ['20260101'], ['0099-01-01'], [null], [42]])(
    '%p is not a date',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
    },
  );

  it('throws a RulesError INVALID_DATE for impossible dates', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RulesError);
    expectRulesError(() => addMonths('2025-02-29', 1), { code: 'INVALID_DATE' });
  });
});
