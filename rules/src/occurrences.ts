import { addDays, addDuration, diffDays } from './dates';
import type { IsoDate, ReminderRule } from './domain';

/** Every occurrence date of a rule for an anchor date, in order (occurrence 0 first). */
export function occurrenceDates({
  rule,
  anchorDate,
}: {
  rule: Pick<ReminderRule, 'trigger'>;
  anchorDate: IsoDate;
}): IsoDate[] {
  const first = addDuration(anchorDate, rule.trigger.offset, rule.trigger.unit);
  const repeat = rule.trigger.repeat;
  if (!repeat) return [first];
  return Array.from({ length: repeat.count }, (_, k) => addDays(first, k * repeat.everyDays));
}

/** Which occurrence (0-based) of the rule falls on `day` for this anchor date, or null. */
export function occurrenceOn(rule: Pick<ReminderRule, 'trigger'>, anchorDate: IsoDate, day: IsoDate): number | null {
  const since = diffDays(day, addDuration(anchorDate, rule.trigger.offset, rule.trigger.unit));
  const repeat = rule.trigger.repeat;
  if (!repeat) return since === 0 ? 0 : null;
  if (since < 0 || since % repeat.everyDays !== 0) return null;
  const k = since / repeat.everyDays;
  return k < repeat.count ? k : null;
}
