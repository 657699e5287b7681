import { addDays, addMonths } from './dates';
import type { IsoDate, ReminderRule } from './domain';

export interface AnchorRange {
  from: IsoDate;
  to: IsoDate;
  occurrence: number;
}

/**
 * The anchor dates for which the rule is due on `day`, as inclusive ranges (one per occurrence that
 * can fall on the day), so a store selects candidate journeys with one indexed range query per
 * range and runs `checkOccurrence` only on those. Anchor dates are those of `anchorDateOf` (for a
 * `corrected` birth rule, the corrected birth date).
 *
 * Day and week offsets map one anchor date to one day. Calendar-month offsets clamp at month ends,
 * so several anchor dates can share a day (28–31 Jan + 1 month = 28 Feb) and some days have none
 * (nothing + 1 month is 30 or 31 Mar, since 30 and 31 Feb do not exist): then the list is empty.
 */
export function dueAnchorRanges({ rule, day }: { rule: Pick<ReminderRule, 'trigger'>; day: IsoDate }): AnchorRange[] {
  const { offset, unit, repeat } = rule.trigger;
  const count = repeat?.count ?? 1;
  const ranges: AnchorRange[] = [];
  for (let k = 0; k < count; k += 1) {
    const first = addDays(day, -k * (repeat?.everyDays ?? 0));
    if (unit !== 'months') {
      const anchor = addDays(first, -(unit === 'weeks' ? offset * 7 : offset));
      ranges.push({ from: anchor, to: anchor, occurrence: k });
      continue;
    }
    // addMonths is monotone, so the dates that land on `first` are contiguous; the clamp moves a
    // date by at most 3 days (31 → 28), so they all lie within 3 days of the naive inverse.
    const guess = addMonths(first, -offset);
    let from: IsoDate | null = null;
    let to: IsoDate | null = null;
    for (let d = -3; d <= 3; d += 1) {
      const candidate = addDays(guess, d);
      if (addMonths(candidate, offset) === first) {
        from ??= candidate;
        to = candidate;
      }
    }
    if (from && to) ranges.push({ from, to, occurrence: k });
  }
  return ranges;
}
