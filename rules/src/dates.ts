import { TZDate } from '@date-fns/tz';
import { RulesError } from './errors';
import type { DurationUnit, IsoDate } from './domain';

/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. Days are counted as whole calendar days, with no
 * clock involved, so neither the server's zone nor a daylight-saving change can move a date by one.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

interface Parts {
  year: number;
  month: number;
  day: number;
}

function parts(iso: unknown, field: string): Parts {
  const m = typeof iso === 'string' ? ISO.exec(iso) : null;
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    // Years before 1000 are typing errors here.
    if (year >= 1000 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month - 1))
      return { year, month, day };
  }
  throw new RulesError(
    'INVALID_DATE',
    field,
    `${field} must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(iso)}`,
  );
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function daysInMonth(year: number, monthIndex: number): number {
  return monthIndex === 1 && isLeap(year) ? 29 : MONTH_DAYS[monthIndex]!;
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's civil-date
 * algorithms). Plain integer arithmetic: no Date objects on the hot paths, no time zone involved.
 */
function civilToDays(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysToCivil(n: number): Parts {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const format = (p: Parts): IsoDate => `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;

export function isIsoDate(value: unknown): value is IsoDate {
  try {
    parts(value, 'date');
    return true;
  } catch {
    return false;
  }
}

export function assertIsoDate(value: unknown, field: string): IsoDate {
  parts(value, field);
  return value as IsoDate;
}

/** Days since 1970-01-01: integers make the hot paths (evaluate, the index) cheap to compare. */
export function dayNumber(iso: IsoDate, field = 'date'): number {
  const p = parts(iso, field);
  return civilToDays(p.year, p.month, p.day);
}

export function fromDayNumber(n: number): IsoDate {
  return format(daysToCivil(n));
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(dayNumber(iso) + days);
}

/** Whole days from `b` to `a` (a − b). */
export function diffDays(a: IsoDate, b: IsoDate): number {
  return dayNumber(a) - dayNumber(b);
}

/**
 * Calendar months; the day clamps to the end of a shorter month: 31 Jan + 1 month = 28 (29) Feb,
 * 29 Feb 2024 + 12 months = 28 Feb 2025. Negative months work the same way backwards.
 */
export function addMonths(iso: IsoDate, months: number): IsoDate {
  const p = parts(iso, 'date');
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  return format({ year, month: monthIndex + 1, day: Math.min(p.day, daysInMonth(year, monthIndex)) });
}

export function addDuration(iso: IsoDate, amount: number, unit: DurationUnit): IsoDate {
  if (unit === 'months') return addMonths(iso, amount);
  return addDays(iso, unit === 'weeks' ? amount * 7 : amount);
}

/**
 * Completed calendar months from `from` to `to`: n months are complete on `addMonths(from, n)`, so
 * a child is exactly n months old on the day an "n months after birth" reminder is due.
 * 0 when `to` is before the first month is complete.
 */
export function completedMonths(from: IsoDate, to: IsoDate): number {
  const a = parts(from, 'from');
  const b = parts(to, 'to');
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (addMonths(from, months) > to) months -= 1;
  return Math.max(months, 0);
}

/** Only valid zones are remembered, so a stream of junk names cannot grow the cache. */
const validZones = new Set<string>();

export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  if (validZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  validZones.add(timeZone);
  return true;
}

function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone))
    throw new RulesError('UNKNOWN_TIME_ZONE', 'timeZone', `unknown IANA time zone ${JSON.stringify(timeZone)}`);
}

function assertInstant(at: Date): void {
  if (!(at instanceof Date) || Number.isNaN(at.getTime()))
    throw new RulesError('INVALID_DATE', 'at', 'the instant is not a valid date');
}

/** The calendar day of an instant in the member's IANA time zone (never the server's). */
export function localDay(at: Date, timeZone: string): IsoDate {
  assertTimeZone(timeZone);
  assertInstant(at);
  const ms = at.getTime();
  // Every request asks for "today" in the member's zone; the answer is the same within a minute
  // (UTC offsets since 1980 are whole minutes), so the last answer per zone is kept.
  const minute = Math.floor(ms / 60_000);
  const memo = ms >= MEMO_FROM_MS ? lastLocalDay.get(timeZone) : undefined;
  if (memo && memo.minute === minute) return memo.day;
  const local = new TZDate(ms, timeZone);
  const m = String(local.getMonth() + 1).padStart(2, '0');
  const d = String(local.getDate()).padStart(2, '0');
  const day = `${String(local.getFullYear()).padStart(4, '0')}-${m}-${d}`;
  if (ms >= MEMO_FROM_MS) {
    if (lastLocalDay.size >= 1_000) lastLocalDay.clear();
    lastLocalDay.set(timeZone, { minute, day });
  }
  return day;
}

/** 1980-01-01T00:00Z: from then on no zone has a UTC offset with seconds, so a minute has one local day. */
const MEMO_FROM_MS = Date.UTC(1980, 0, 1);
const lastLocalDay = new Map<string, { minute: number; day: IsoDate }>();

/** The local hour (0–23) of an instant in a time zone (quiet hours, delivery hour). */
export function localHour(at: Date, timeZone: string): number {
  assertTimeZone(timeZone);
  assertInstant(at);
  return new TZDate(at.getTime(), timeZone).getHours();
}

/** The instant at which a local wall-clock time occurs in a zone (e.g. 09:00 on a day in Asia/Shanghai). */
export function instantAt(day: IsoDate, hour: number, minute: number, timeZone: string): Date {
  assertTimeZone(timeZone);
  const p = parts(day, 'day');
  return new Date(new TZDate(p.year, p.month - 1, p.day, hour, minute, 0, timeZone).getTime());
}
