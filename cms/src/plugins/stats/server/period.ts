import { z } from 'zod';

/** A closed range of calendar days (YYYY-MM-DD, both ends included), as stored in DATE columns. */
export interface Period {
  from: string;
  to: string;
  /** '2026Q3' when the period is exactly one quarter. */
  quarter: string | null;
}

const QUARTER = /^(\d{4})Q([1-4])$/;
const MAX_DAYS = 3 * 366;
const MAX_TREND_QUARTERS = 16;

export const quarterCode = z.string().regex(QUARTER, 'must be a quarter such as 2026Q3');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a calendar date');

const pad = (n: number) => String(n).padStart(2, '0');

export function quarterPeriod(code: string): Period {
  const [, year, q] = QUARTER.exec(code)!;
  const firstMonth = (Number(q) - 1) * 3 + 1;
  const lastDay = new Date(Date.UTC(Number(year), firstMonth + 2, 0)).getUTCDate();
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(firstMonth + 2)}-${pad(lastDay)}`, quarter: code };
}

export function quarterOf(isoDay: string): string {
  return `${isoDay.slice(0, 4)}Q${Math.floor((Number(isoDay.slice(5, 7)) - 1) / 3) + 1}`;
}

/**
 * The first days of the quarters a period covers exactly — from the first day of one quarter to the
 * last day of the same or a later one — or null for any other range. Such a period's activity can be
 * read from hb_member_active_quarters (one row per member and quarter) instead of the day table.
 */
export function wholeQuarterStarts(period: Pick<Period, 'from' | 'to'>): string[] | null {
  const first = quarterPeriod(quarterOf(period.from));
  const last = quarterPeriod(quarterOf(period.to));
  if (first.from !== period.from || last.to !== period.to || last.to < first.from) return null;
  return quartersBetween(first.quarter!, last.quarter!).map((q) => quarterPeriod(q).from);
}

function nextQuarter(code: string): string {
  const [, year, q] = QUARTER.exec(code)!;
  return Number(q) === 4 ? `${Number(year) + 1}Q1` : `${year}Q${Number(q) + 1}`;
}

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** Filters every measure accepts: one period (a quarter, or from/to days) and optional narrowing. */
export const measureQuery = z
  .object({
    quarter: quarterCode.optional(),
    from: day.optional(),
    to: day.optional(),
    region: z.string().regex(/^\d{6}$/, 'must be a 6-digit region code (GB/T 2260)').optional(),
    institution: z.string().min(1).max(40).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.quarter && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['quarter'], message: 'give either quarter or from/to, not both' });
    if (!q.quarter && !(q.from && q.to)) {
      ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : q.to ? 'from' : 'quarter'], message: 'is required (a quarter such as 2026Q3, or from and to)' });
    }
    if (q.from && q.to) {
      if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
      else if (daysBetween(q.from, q.to) > MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_DAYS} days after from` });
    }
  });

export type MeasureQuery = z.infer<typeof measureQuery>;

export function periodOf(q: MeasureQuery): Period {
  if (q.quarter) return quarterPeriod(q.quarter);
  const single = quarterPeriod(quarterOf(q.from!));
  const quarter = single.from === q.from && single.to === q.to ? single.quarter : null;
  return { from: q.from!, to: q.to!, quarter };
}

/** Trend: consecutive quarters `fromQuarter`..`toQuarter` (at most 16). */
export const trendQuery = z
  .object({
    fromQuarter: quarterCode,
    toQuarter: quarterCode,
    region: z.string().regex(/^\d{6}$/, 'must be a 6-digit region code (GB/T 2260)').optional(),
    institution: z.string().min(1).max(40).optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (!QUARTER.test(q.fromQuarter) || !QUARTER.test(q.toQuarter)) return;
    const count = quartersBetween(q.fromQuarter, q.toQuarter).length;
    if (q.toQuarter < q.fromQuarter) ctx.addIssue({ code: 'custom', path: ['toQuarter'], message: 'must not be before fromQuarter' });
    else if (count > MAX_TREND_QUARTERS) ctx.addIssue({ code: 'custom', path: ['toQuarter'], message: `at most ${MAX_TREND_QUARTERS} quarters` });
  });

export type TrendQuery = z.infer<typeof trendQuery>;

export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let q = from; q <= to && out.length <= MAX_TREND_QUARTERS; q = nextQuarter(q)) out.push(q);
  return out;
}
