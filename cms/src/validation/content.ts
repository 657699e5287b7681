import { normaliseWindow, validateWindowInput, type AudienceWindowInput } from '@mch/rules';
import type { FieldProblem } from './problems';

export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const REGION_CODE_PATTERN = /^\d{6}$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

type Data = Record<string, unknown>;

function isRecord(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkSlug(value: unknown, field: string, problems: FieldProblem[]): void {
  if (typeof value !== 'string' || value.length < 3 || value.length > 80 || !SLUG_PATTERN.test(value)) {
    problems.push({
      path: field,
      message: `must be 3–80 lower-case letters, digits and single hyphens (e.g. "pregnancy-week-12"), got ${JSON.stringify(value)}`,
      messageZh: `须为 3–80 个小写字母、数字和单个连字符（如 "pregnancy-week-12"）`,
    });
  }
}

export function checkRegionCodes(value: unknown, problems: FieldProblem[]): void {
  if (value === null || value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push({ path: 'regionCodes', message: 'must be a list of six-digit GB/T 2260 region codes ([] = everywhere)' });
    return;
  }
  value.forEach((code, i) => {
    if (typeof code !== 'string' || !REGION_CODE_PATTERN.test(code)) {
      problems.push({
        path: `regionCodes[${i}]`,
        message: `must be a six-digit GB/T 2260 region code (e.g. "350100"), got ${JSON.stringify(code)}`,
        messageZh: '须为六位 GB/T 2260 行政区划代码（如 "350100"）',
      });
    }
  });
}

/**
 * Checks the audience windows and writes their normalised day range (fromDays/toDays) into the data,
 * so matching never depends on the unit an editor chose.
 */
function checkWindows(value: unknown, problems: FieldProblem[]): void {
  if (!Array.isArray(value)) {
    problems.push({ path: 'windows', message: 'must be a list of audience windows' });
    return;
  }
  if (value.length === 0) {
    problems.push({ path: 'windows', message: 'needs at least one audience window', messageZh: '至少需要一个受众窗口' });
  }
  value.forEach((raw, i) => {
    const path = `windows[${i}]`;
    if (!isRecord(raw)) {
      problems.push({ path, message: 'must be an object with stage, from, to and unit' });
      return;
    }
    const input = { stage: raw.stage, from: raw.from, to: raw.to, unit: raw.unit ?? 'weeks' } as AudienceWindowInput;
    const found = validateWindowInput(input, path);
    problems.push(...found);
    if (found.length === 0) {
      const normalised = normaliseWindow(input);
      raw.fromDays = normalised.fromDays;
      raw.toDays = normalised.toDays;
    }
  });
}

function checkDate(data: Data, field: string, problems: FieldProblem[]): void {
  const value = data[field];
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !DATE_PATTERN.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    problems.push({ path: field, message: `must be a date YYYY-MM-DD, got ${JSON.stringify(value)}` });
  }
}

function checkRecipes(value: unknown, problems: FieldProblem[]): void {
  if (!Array.isArray(value)) return;
  value.forEach((recipe, i) => {
    if (!isRecord(recipe)) return;
    const { ageFrom, ageTo } = recipe;
    if (typeof ageFrom === 'number' && typeof ageTo === 'number' && ageFrom > ageTo) {
      problems.push({ path: `recipes[${i}].ageFrom`, message: `age band from (${ageFrom}) must not exceed to (${ageTo})` });
    }
    for (const field of ['steps', 'allergens'] as const) {
      const list = recipe[field];
      if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((s) => typeof s !== 'string'))) {
        problems.push({ path: `recipes[${i}].${field}`, message: 'must be a list of strings' });
      }
    }
  });
}

/** Validates the fields present in a create/update of an article, policy or nutrition guide. */
export function validateContentData(uid: string, data: Data): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ('slug' in data) checkSlug(data.slug, 'slug', problems);
  if ('windows' in data) checkWindows(data.windows, problems);
  if ('regionCodes' in data) checkRegionCodes(data.regionCodes, problems);
  if (uid === 'api::policy.policy') {
    for (const field of ['publicationDate', 'validFrom', 'validTo']) checkDate(data, field, problems);
    if (typeof data.validFrom === 'string' && typeof data.validTo === 'string' && data.validFrom > data.validTo) {
      problems.push({ path: 'validTo', message: `must be on or after validFrom (${data.validFrom})` });
    }
  }
  if (uid === 'api::nutrition-guide.nutrition-guide' && 'recipes' in data) checkRecipes(data.recipes, problems);
  return problems;
}

export function validateInstitutionData(data: Data): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if ('code' in data && (typeof data.code !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/.test(data.code))) {
    problems.push({ path: 'code', message: `must be 2–40 letters, digits and hyphens, got ${JSON.stringify(data.code)}` });
  }
  if ('regionCode' in data && (typeof data.regionCode !== 'string' || !REGION_CODE_PATTERN.test(data.regionCode))) {
    problems.push({ path: 'regionCode', message: `must be a six-digit GB/T 2260 region code, got ${JSON.stringify(data.regionCode)}` });
  }
  return problems;
}
