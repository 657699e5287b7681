import { compileRule, type CompiledRule } from './compiled-rule';
import { addMonths, dayNumber } from './dates';
import type { IsoDate, ReminderRule, TriggerAnchor } from './domain';
import { occurrenceOn } from './occurrences';

/** Active rules sharing an anchor (and the corrected flag), indexed by where their trigger lands. */
export interface AnchorGroup {
  anchor: TriggerAnchor;
  corrected: boolean;
  /** Single-occurrence rules by offset in days (weeks × 7). */
  byDays: Map<number, CompiledRule[]>;
  /** Single-occurrence rules by offset in calendar months. */
  byMonths: Map<number, CompiledRule[]>;
  /** Repeating rules, checked one by one (few in practice). */
  repeating: Repeating[];
}

interface Repeating {
  compiled: CompiledRule;
  /** Offset in days for day and week units; null for calendar months. */
  offsetDays: number | null;
  everyDays: number;
  count: number;
}

export interface Due {
  compiled: CompiledRule;
  occurrence: number;
}

function push<K>(map: Map<K, CompiledRule[]>, key: K, value: CompiledRule): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Rules grouped so that, for one journey on one day, finding the due ones costs one map lookup per
 * anchor instead of a date computation per rule: with anchor date A and day D, a day rule is due
 * when its offset is D − A, a month rule when its offset is the one whole-month step from A to D.
 */
export function indexRules(rules: readonly ReminderRule[]): AnchorGroup[] {
  const groups = new Map<string, AnchorGroup>();
  for (const rule of rules) {
    if (!rule.active) continue;
    const { anchor, corrected = false, offset, unit, repeat } = rule.trigger;
    const key = `${anchor}|${corrected}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { anchor, corrected, byDays: new Map(), byMonths: new Map(), repeating: [] }));
    const compiled = compileRule(rule);
    if (repeat)
      group.repeating.push({
        compiled,
        offsetDays: unit === 'months' ? null : unit === 'weeks' ? offset * 7 : offset,
        everyDays: repeat.everyDays,
        count: repeat.count,
      });
    else if (unit === 'months') push(group.byMonths, offset, compiled);
    else push(group.byDays, unit === 'weeks' ? offset * 7 : offset, compiled);
  }
  return [...groups.values()];
}

/** The group's rules whose trigger falls on `day` for this anchor date, with the occurrence index. */
export function dueInGroup(group: AnchorGroup, anchorDate: IsoDate, day: IsoDate): Due[] {
  const due: Due[] = [];
  const sinceAnchor = dayNumber(day) - dayNumber(anchorDate);
  for (const compiled of group.byDays.get(sinceAnchor) ?? []) due.push({ compiled, occurrence: 0 });
  if (group.byMonths.size > 0) {
    const months =
      (Number(day.slice(0, 4)) - Number(anchorDate.slice(0, 4))) * 12 +
      (Number(day.slice(5, 7)) - Number(anchorDate.slice(5, 7)));
    const list = group.byMonths.get(months);
    if (list && addMonths(anchorDate, months) === day)
      for (const compiled of list) due.push({ compiled, occurrence: 0 });
  }
  for (const { compiled, offsetDays, everyDays, count } of group.repeating) {
    if (offsetDays === null) {
      const occurrence = occurrenceOn(compiled.rule, anchorDate, day);
      if (occurrence !== null) due.push({ compiled, occurrence });
      continue;
    }
    const since = sinceAnchor - offsetDays;
    if (since >= 0 && since % everyDays === 0 && since / everyDays < count)
      due.push({ compiled, occurrence: since / everyDays });
  }
  return due;
}
