/** @mch/rules — the public API. Everything else in this folder is internal. */
export * from './domain';
export { RulesError } from './errors';
export type { RulesErrorCode } from './errors';
export {
  addDays,
  addMonths,
  diffDays,
  completedMonths,
  isIsoDate,
  isValidTimeZone,
  localDay,
  localHour,
  instantAt,
} from './dates';
export {
  pregnancyDating,
  pregnancyCalculator,
  trimesterOf,
  termStatusOf,
  gaLabel,
  TERM_DAYS,
  MAX_GESTATION_DAYS,
} from './dating';
export type { Dating, PregnancyCalculation, Trimester, TermStatus } from './dating';
export { childAge, correctedBirthDate, isPretermBirth, PRETERM_BEFORE_DAYS, CORRECTED_UNTIL_MONTHS } from './child-age';
export type { ChildAge } from './child-age';
export { stagesOf, POSTPARTUM_DAYS, CHILD_MONTHS } from './stages';
export type { StageOnDay } from './stages';
export { FACT_CATALOGUE, computeFacts } from './facts';
export type { FactDefinition, FactType, Facts } from './facts';
export { OPERATORS, CUSTOM_OPERATORS, compileConditions } from './conditions';
export type { CompiledConditions, ConditionResult } from './conditions';
export { TEMPLATE_HELPERS, renderTemplates, formatDate } from './templates';
export { validateRule } from './validate-rule';
export { validateConditions } from './validate-conditions';
export { validateTemplate } from './validate-template';
export { normaliseWindow, validateWindowInput, DAYS_PER_MONTH, STAGE_MAX_DAYS } from './windows';
export type { Problem } from './problems';
export { buildContentIndex, regionCovers } from './content-index';
export type { ContentIndex, ContentQuery, IndexEntry } from './content-index';
export { ANCHOR_STAGE, anchorDateOf } from './anchors';
export { occurrenceDates } from './occurrences';
export { dueAnchorRanges } from './due-anchor-ranges';
export type { AnchorRange } from './due-anchor-ranges';
export { checkOccurrence } from './check-occurrence';
export type { Explanation, Occurrence } from './check-occurrence';
export { evaluate, contentScore } from './evaluate';
export type { ContentMatch, Evaluation } from './evaluate';
export { plan } from './plan';
export type { PlannedOccurrence } from './plan';
