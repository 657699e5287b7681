import { addDays, instantAt, localDay, type IsoDate } from '@mch/rules';

const formatters = new Map<string, Intl.DateTimeFormat>();

function localMinutes(at: Date, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return hour * 60 + minute;
}

function parseHhMm(value: string, fallback: number): number {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return fallback;
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * When a push may go out: the rule's delivery hour on the occurrence's day in the member's zone (or
 * now, when that has passed), moved to the end of the member's quiet hours if it falls inside them.
 * Quiet hours wrap midnight when start > end (default 21:00–08:00); start = end means none.
 */
export interface WindowInput {
  day: IsoDate;
  deliveryHour: number;
  timeZone: string;
  quietStart: string;
  quietEnd: string;
  now: Date;
}

export function deliverAfter(input: WindowInput): Date {
  const { day, deliveryHour, timeZone, now } = input;
  let at = instantAt(day, deliveryHour, 0, timeZone);
  if (at.getTime() < now.getTime()) at = new Date(now.getTime());
  const start = parseHhMm(input.quietStart, 21 * 60);
  const end = parseHhMm(input.quietEnd, 8 * 60);
  if (start === end) return at;
  const minutes = localMinutes(at, timeZone);
  const today = localDay(at, timeZone);
  const endOn = (d: IsoDate) => instantAt(d, Math.floor(end / 60), end % 60, timeZone);
  if (start > end) {
    if (minutes >= start) return endOn(addDays(today, 1));
    if (minutes < end) return endOn(today);
    return at;
  }
  if (minutes >= start && minutes < end) return endOn(today);
  return at;
}

/**
 * deliverAfter with its answers kept: a sweep page asks the same question (one rule, one day, one
 * instant) for every member who shares a zone and quiet hours, and each answer costs several
 * time-zone conversions. Exact (a pure function of its input); one per page, so it stays small.
 */
export function memoDeliverAfter(): (input: WindowInput) => Date {
  const answers = new Map<string, number>();
  return (input) => {
    const key = `${input.day}|${input.deliveryHour}|${input.timeZone}|${input.quietStart}|${input.quietEnd}|${input.now.getTime()}`;
    let at = answers.get(key);
    if (at === undefined) {
      at = deliverAfter(input).getTime();
      answers.set(key, at);
    }
    return new Date(at);
  };
}
