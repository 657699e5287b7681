import { validateRule } from '@mch/rules';
import type { FieldProblem } from './problems';

type Data = Record<string, unknown>;

const RULE_FIELDS = [
  'key', 'name', 'trigger', 'conditions', 'titleTemplate', 'bodyTemplate', 'titleTemplateEn', 'bodyTemplateEn',
  'channels', 'deliveryHour', 'category', 'priority', 'active', 'version',
] as const;

function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

/** The CMS stores a rule in flat fields; rules/ validates the domain shape. */
export function toDomainRule(data: Data): { rule: Data; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let conditions: unknown = data.conditions ?? null;
  if (typeof conditions === 'string') {
    try {
      conditions = conditions.trim() === '' ? null : (JSON.parse(conditions) as unknown);
    } catch (error) {
      problems.push({ path: 'conditions', message: `is not valid JSON (${(error as Error).message})`, messageZh: '不是有效的 JSON' });
      conditions = null;
    }
  }
  const trigger = isRecord(data.trigger) ? data.trigger : {};
  const repeatGiven = !blank(trigger.repeatEveryDays) || !blank(trigger.repeatCount);
  const enGiven = !blank(data.titleTemplateEn) || !blank(data.bodyTemplateEn);
  const rule: Data = {
    key: data.key,
    name: data.name,
    institutionCode: null,
    trigger: {
      anchor: trigger.anchor,
      offset: trigger.offset,
      unit: trigger.unit,
      corrected: trigger.corrected === true,
      repeat: repeatGiven ? { everyDays: trigger.repeatEveryDays, count: trigger.repeatCount } : null,
    },
    conditions,
    templates: {
      'zh-Hans': { title: data.titleTemplate, body: data.bodyTemplate },
      en: enGiven ? { title: data.titleTemplateEn ?? '', body: data.bodyTemplateEn ?? '' } : null,
    },
    channels: data.channels,
    deliveryHour: data.deliveryHour,
    category: data.category,
    priority: data.priority,
    active: data.active ?? true,
    version: data.version ?? 0,
  };
  return { rule, problems };
}

/** Maps a rules/ problem path back onto the CMS field that holds it. */
export function toCmsPath(path: string): string {
  return path
    .replace(/^trigger\.repeat\.everyDays/, 'trigger.repeatEveryDays')
    .replace(/^trigger\.repeat\.count/, 'trigger.repeatCount')
    .replace(/^trigger\.repeat$/, 'trigger.repeatEveryDays')
    .replace(/^templates(?:\.zh-Hans|\["zh-Hans"\])\.title/, 'titleTemplate')
    .replace(/^templates(?:\.zh-Hans|\["zh-Hans"\])\.body/, 'bodyTemplate')
    .replace(/^templates(?:\.zh-Hans|\["zh-Hans"\])$/, 'titleTemplate')
    .replace(/^templates(?:\.en|\["en"\])\.title/, 'titleTemplateEn')
    .replace(/^templates(?:\.en|\["en"\])\.body/, 'bodyTemplateEn')
    .replace(/^templates(?:\.en|\["en"\])$/, 'titleTemplateEn');
}

/** Keeps only the rule's own fields from a stored row, so a partial update can be checked as a whole rule. */
export function pickRuleFields(row: Data | null | undefined): Data {
  const picked: Data = {};
  if (!row) return picked;
  for (const field of RULE_FIELDS) if (field in row) picked[field] = row[field];
  return picked;
}

/** Validates the rule that results from applying `data` over `existing` (a create has no existing). */
export function validateRuleData(data: Data, existing: Data = {}): FieldProblem[] {
  const merged: Data = { ...existing, ...data };
  if (isRecord(existing.trigger) && isRecord(data.trigger)) merged.trigger = { ...existing.trigger, ...data.trigger };
  const { rule, problems } = toDomainRule(merged);
  const result = validateRule(rule);
  return [...problems, ...result.problems.map((p) => Object.assign({}, p, { path: toCmsPath(p.path) }))];
}
