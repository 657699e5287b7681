import { ANCHOR_STAGE, anchorDateOf } from './anchors';
import { compileRule, type CompiledRule } from './compiled-rule';
import type { ConditionResult } from './conditions';
import type {
  DurationUnit,
  IsoDate,
  Journey,
  Locale,
  Member,
  ReminderRule,
  RuleTemplates,
  StageKind,
  TriggerAnchor,
} from './domain';
import { computeFacts, type Facts } from './facts';
import { occurrenceOn } from './occurrences';
import { stagesOf, type StageOnDay } from './stages';
import { renderTemplates } from './templates';

export interface Explanation {
  trigger: {
    anchor: TriggerAnchor;
    anchorDate: IsoDate;
    offset: number;
    unit: DurationUnit;
    corrected: boolean;
    occurrence: number;
  };
  stage: StageKind;
  /** Every leaf condition with the fact value it was given and its result. */
  conditions: ConditionResult[];
}

export interface Occurrence {
  ruleKey: string;
  ruleVersion: number;
  journeyId: string;
  scheduledOn: IsoDate;
  /** 0-based index among the rule's repeats. */
  occurrence: number;
  category: string;
  priority: number;
  facts: Facts;
  explanation: Explanation;
  /** Rendered in the member's locale. */
  rendered: RuleTemplates;
  /** Renders in another locale (falls back to zh-Hans). */
  render: (locale: Locale) => RuleTemplates;
}

/** The stage a rule with this anchor can be due in, among the journey's stages that day. */
export function applicableStage(anchor: TriggerAnchor, stages: readonly StageOnDay[]): StageOnDay | undefined {
  const wanted = ANCHOR_STAGE[anchor];
  return stages.find((s) => wanted === null || s.stage === wanted);
}

/**
 * The last step shared by checkOccurrence, evaluate and plan, so all three give the same answer:
 * given a trigger match in an applicable stage, test the conditions on that day's facts.
 */
export function confirmOccurrence(input: {
  compiled: CompiledRule;
  member: Member;
  journey: Journey;
  day: IsoDate;
  anchorDate: IsoDate;
  occurrence: number;
  stage: StageKind;
  facts: Facts;
}): Occurrence | null {
  const { compiled, member, journey, day, anchorDate, occurrence, stage, facts } = input;
  const { rule } = compiled;
  if (!compiled.conditions.test(facts)) return null;
  const { anchor, offset, unit, corrected = false } = rule.trigger;
  const render = (locale: Locale) => renderTemplates({ rule, facts, locale });
  return {
    ruleKey: rule.key,
    ruleVersion: rule.version,
    journeyId: journey.id,
    scheduledOn: day,
    occurrence,
    category: rule.category,
    priority: rule.priority,
    facts,
    explanation: {
      trigger: { anchor, anchorDate, offset, unit, corrected, occurrence },
      stage,
      conditions: compiled.conditions.explain(facts).conditions,
    },
    rendered: render(member.locale),
    render,
  };
}

/**
 * Is this rule due for this journey on `day`? The trigger must fall on the day, the journey must be
 * in the stage the anchor belongs to, and the conditions must hold on that day's facts. Workers call
 * it for each candidate journey `dueAnchorRanges` selected, and again before sending.
 */
export function checkOccurrence({
  rule,
  member,
  journey,
  day,
}: {
  rule: ReminderRule;
  member: Member;
  journey: Journey;
  day: IsoDate;
}): Occurrence | null {
  if (!rule.active) return null;
  const { anchor, corrected = false } = rule.trigger;
  const anchorDate = anchorDateOf({ journey, anchor, corrected });
  if (!anchorDate) return null;
  const occurrence = occurrenceOn(rule, anchorDate, day);
  if (occurrence === null) return null;
  const stage = applicableStage(anchor, stagesOf({ journey, on: day }));
  if (!stage) return null;
  const facts = computeFacts({ member, journey, on: day, stage: stage.stage });
  return confirmOccurrence({
    compiled: compileRule(rule),
    member,
    journey,
    day,
    anchorDate,
    occurrence,
    stage: stage.stage,
    facts,
  });
}
