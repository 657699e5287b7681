import { anchorDateOf } from './anchors';
import { applicableStage, confirmOccurrence, type Occurrence } from './check-occurrence';
import type { ContentIndex } from './content-index';
import { localDay } from './dates';
import type { AudienceWindow, ContentItem, IsoDate, Journey, Member, ReminderRule, StageKind } from './domain';
import { computeFacts, type Facts } from './facts';
import { dueInGroup, indexRules, type AnchorGroup } from './rule-index';
import { stagesOf } from './stages';

export interface ContentMatch {
  item: ContentItem;
  journeyId: string;
  stage: StageKind;
  window: AudienceWindow;
  score: number;
  reason: { dayIndex: number; window: AudienceWindow; why: string };
}

export interface Evaluation {
  day: IsoDate;
  stages: Array<{ journeyId: string; stage: StageKind; dayIndex: number; facts: Facts }>;
  /** The ranked content: all of it, or the requested page of it (`page`). */
  content: ContentMatch[];
  /** How many items qualify in all (content.length when no page was asked for). */
  contentTotal: number;
  reminders: Occurrence[];
}

const CAP = 9999;

/**
 * Rank: priority first; then the narrower window (the more specific to today); then the window that
 * started most recently (the closer to today). The score encodes that order in one number for
 * clients that sort or page: priority × 10^8 + (9999 − width) × 10^4 + (9999 − days since start).
 */
export function contentScore(priority: number, window: AudienceWindow, dayIndex: number): number {
  const width = Math.min(window.toDays - window.fromDays, CAP);
  const since = Math.min(dayIndex - window.fromDays, CAP);
  return priority * 1e8 + (CAP - width) * 1e4 + (CAP - since);
}

/** The rule index is built once per rules array (callers keep the published list as one value). */
const indexes = new WeakMap<readonly ReminderRule[], AnchorGroup[]>();
function indexOf(rules: readonly ReminderRule[]): AnchorGroup[] {
  let groups = indexes.get(rules);
  if (!groups) indexes.set(rules, (groups = indexRules(rules)));
  return groups;
}

/**
 * What qualifies for a member at an instant: each journey's stage on the member's local day, the
 * content for those stages (ranked, one entry per item with its best reason) and the reminders due
 * that day with their explanations. Cost grows with the anchors and the rules actually due, not
 * with the number of rules.
 */
export function evaluate({
  member,
  journeys,
  rules,
  contentIndex,
  at,
  page,
}: {
  member: Member;
  journeys: readonly Journey[];
  rules: readonly ReminderRule[];
  contentIndex: ContentIndex;
  at: Date;
  /** Only this slice of the ranked content is returned with its reasons (a feed page); all of it when omitted. */
  page?: { offset: number; limit: number };
}): Evaluation {
  const day = localDay(at, member.timeZone);
  const groups = indexOf(rules);
  const stages: Evaluation['stages'] = [];
  const best = new Map<string, Omit<ContentMatch, 'reason'> & { dayIndex: number }>();
  const reminders: Occurrence[] = [];

  for (const journey of journeys) {
    const journeyStages = stagesOf({ journey, on: day });
    const factsOf = new Map<StageKind, Facts>();
    for (const { stage, dayIndex } of journeyStages) {
      const facts = computeFacts({ member, journey, on: day, stage });
      factsOf.set(stage, facts);
      stages.push({ journeyId: journey.id, stage, dayIndex, facts });
      for (const { item, window } of contentIndex.select({
        stage,
        dayIndex,
        on: day,
        regionCode: member.regionCode,
        locale: member.locale,
      })) {
        const score = contentScore(item.priority, window, dayIndex);
        const current = best.get(item.id);
        if (!current || score > current.score)
          best.set(item.id, { item, journeyId: journey.id, stage, window, score, dayIndex });
      }
    }
    if (journeyStages.length === 0) continue;
    for (const group of groups) {
      const stage = applicableStage(group.anchor, journeyStages);
      if (!stage) continue;
      const anchorDate = anchorDateOf({ journey, anchor: group.anchor, corrected: group.corrected });
      if (!anchorDate) continue;
      for (const { compiled, occurrence } of dueInGroup(group, anchorDate, day)) {
        const facts = factsOf.get(stage.stage)!;
        const due = confirmOccurrence({
          compiled,
          member,
          journey,
          day,
          anchorDate,
          occurrence,
          stage: stage.stage,
          facts,
        });
        if (due) reminders.push(due);
      }
    }
  }
  // Reasons are written for the winners only (most candidates lose to another window or journey), and
  // only for the page asked for: a feed shows 20 of the dozens that qualify.
  const ranked = [...best.values()].sort(
    (a, b) => b.score - a.score || (a.item.slug < b.item.slug ? -1 : a.item.slug > b.item.slug ? 1 : 0),
  );
  const content = (page ? ranked.slice(page.offset, page.offset + page.limit) : ranked).map(
    ({ item, journeyId, stage, window, score, dayIndex }): ContentMatch => ({
      item,
      journeyId,
      stage,
      window,
      score,
      reason: { dayIndex, window, why: `${stage} day ${dayIndex} is within ${window.fromDays}–${window.toDays}` },
    }),
  );
  reminders.sort(
    (a, b) => b.priority - a.priority || a.ruleKey.localeCompare(b.ruleKey) || a.journeyId.localeCompare(b.journeyId),
  );
  return { day, stages, content, contentTotal: ranked.length, reminders };
}
