import { anchorDateOf } from './anchors';
import { checkOccurrence, type Explanation } from './check-occurrence';
import { addDays, assertIsoDate } from './dates';
import type { IsoDate, Journey, Member, ReminderRule, RuleTemplates } from './domain';
import { RulesError } from './errors';
import { occurrenceDates } from './occurrences';

export interface PlannedOccurrence {
  /** Stable key: (journey, rule key, scheduled date) — the notification's unique key. */
  key: string;
  journeyId: string;
  ruleKey: string;
  ruleVersion: number;
  scheduledOn: IsoDate;
  category: string;
  priority: number;
  explanation: Explanation;
  rendered: RuleTemplates;
}

/** Ten years: far beyond any view, small enough that a typo cannot ask for a century of work. */
const MAX_PLAN_DAYS = 3660;

/**
 * Every reminder occurrence in `days` days from `from`, sorted by date (then priority, then key).
 * Occurrence dates come from each rule's trigger and each is confirmed by checkOccurrence, so the
 * timeline agrees with evaluating each day in turn.
 */
export function plan({
  member,
  journeys,
  rules,
  from,
  days,
}: {
  member: Member;
  journeys: readonly Journey[];
  rules: readonly ReminderRule[];
  from: IsoDate;
  days: number;
}): PlannedOccurrence[] {
  if (!Number.isInteger(days) || days < 0 || days > MAX_PLAN_DAYS) {
    throw new RulesError(
      'INVALID_DAYS',
      'days',
      `days must be a whole number from 0 to ${MAX_PLAN_DAYS}, got ${JSON.stringify(days)}`,
    );
  }
  const to = addDays(assertIsoDate(from, 'from'), days - 1);
  const out: PlannedOccurrence[] = [];
  for (const journey of journeys) {
    for (const rule of rules) {
      if (!rule.active) continue;
      const anchorDate = anchorDateOf({
        journey,
        anchor: rule.trigger.anchor,
        corrected: rule.trigger.corrected ?? false,
      });
      if (!anchorDate) continue;
      for (const day of occurrenceDates({ rule, anchorDate })) {
        if (day < from || day > to) continue;
        const o = checkOccurrence({ rule, member, journey, day });
        if (!o) continue;
        out.push({
          key: `${journey.id}:${rule.key}:${day}`,
          journeyId: journey.id,
          ruleKey: rule.key,
          ruleVersion: rule.version,
          scheduledOn: day,
          category: rule.category,
          priority: rule.priority,
          explanation: o.explanation,
          rendered: o.rendered,
        });
      }
    }
  }
  return out.sort(
    (a, b) => a.scheduledOn.localeCompare(b.scheduledOn) || b.priority - a.priority || a.key.localeCompare(b.key),
  );
}
