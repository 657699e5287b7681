import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { validateRule, validateWindowInput } from '@mch/rules';
import { INSTITUTION_TYPES, articleFront, institution, nutritionFront, policyFront, ruleFile } from './schema';

export type ContentUid = 'api::article.article' | 'api::policy.policy' | 'api::nutrition-guide.nutrition-guide';
type Data = Record<string, unknown>;

export interface FileProblem {
  file: string;
  field: string;
  message: string;
}

export interface ContentSeed {
  kind: 'content';
  uid: ContentUid;
  file: string;
  key: string;
  data: Data;
  en: { title: string; summary: string; body?: string } | null;
}
export interface RuleSeed {
  kind: 'rule';
  file: string;
  key: string;
  data: Data;
}
export interface InstitutionSeed {
  kind: 'institution';
  file: string;
  key: string;
  data: Data;
}
export type Seed = ContentSeed | RuleSeed | InstitutionSeed;

const CONTENT_FOLDERS: Array<{ folder: string; uid: ContentUid; schema: z.ZodType<Data> }> = [
  { folder: 'articles', uid: 'api::article.article', schema: articleFront },
  { folder: 'policies', uid: 'api::policy.policy', schema: policyFront },
  { folder: 'nutrition-guides', uid: 'api::nutrition-guide.nutrition-guide', schema: nutritionFront },
];

function zodProblems(file: string, error: z.ZodError, prefix = ''): FileProblem[] {
  return error.issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ file, field: base ? `${base}.${k}` : k, message: 'is not a known field' }));
    }
    return [{ file, field: base || '(file)', message: issue.message }];
  });
}

function listFiles(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Splits `---\nYAML\n---\nbody`; the body is the zh-Hans Markdown. */
export function splitFrontMatter(text: string): { front: unknown; body: string } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  if (!normalised.startsWith('---\n')) throw new Error('must start with YAML front matter between --- lines');
  const end = normalised.indexOf('\n---', 4);
  if (end < 0) throw new Error('front matter is not closed by a --- line');
  const after = normalised.indexOf('\n', end + 4);
  return { front: parseYaml(normalised.slice(4, end)) as unknown, body: after < 0 ? '' : normalised.slice(after + 1).trim() };
}

function contentSeed(file: string, uid: ContentUid, schema: z.ZodType<Data>, problems: FileProblem[]): ContentSeed | null {
  const rel = path.relative(process.cwd(), file);
  let parsed: { front: unknown; body: string };
  try {
    parsed = splitFrontMatter(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push({ file: rel, field: '(front matter)', message: (error as Error).message });
    return null;
  }
  const result = schema.safeParse(parsed.front);
  if (!result.success) {
    problems.push(...zodProblems(rel, result.error));
    return null;
  }
  const front = result.data;
  const found: FileProblem[] = [];
  const slug = String(front.slug);
  if (slug !== path.basename(file, '.md')) found.push({ file: rel, field: 'slug', message: `must equal the file name (${path.basename(file, '.md')})` });
  if (parsed.body === '') found.push({ file: rel, field: 'body', message: 'the Markdown body after the front matter is empty' });
  (front.windows as Data[]).forEach((w, i) => {
    for (const p of validateWindowInput(w as never, `windows[${i}]`)) found.push({ file: rel, field: p.path, message: p.message });
  });
  ((front.recipes as Data[] | undefined) ?? []).forEach((r, i) => {
    const band = r.ageBand as { from: number; to: number };
    if (band.from > band.to) found.push({ file: rel, field: `recipes[${i}].ageBand`, message: `from (${band.from}) exceeds to (${band.to})` });
  });
  if (typeof front.validFrom === 'string' && typeof front.validTo === 'string' && front.validFrom > front.validTo) {
    found.push({ file: rel, field: 'validTo', message: 'is before validFrom' });
  }
  if (found.length > 0) {
    problems.push(...found);
    return null;
  }
  const { en, recipes, ...rest } = front;
  const data: Data = { ...rest, body: parsed.body, sources: (front.sources as Data[]).map((s) => ({ ...s, url: s.url ?? null })) };
  if (recipes) {
    data.recipes = (recipes as Data[]).map((r) => {
      const band = r.ageBand as { from: number; to: number; unit: string };
      return { name: r.name, ageFrom: band.from, ageTo: band.to, ageUnit: band.unit, ingredients: r.ingredients, steps: r.steps, allergens: r.allergens };
    });
  }
  if (uid === 'api::policy.policy') {
    data.validFrom = front.validFrom ?? null;
    data.validTo = front.validTo ?? null;
  }
  return { kind: 'content', uid, file: rel, key: slug, data, en: (en as ContentSeed['en']) ?? null };
}

/** The parsed JSON of a file, or `invalid` (with the problem recorded) when it does not parse. */
const INVALID = Symbol('invalid JSON');
function readJson(file: string, rel: string, problems: FileProblem[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    problems.push({ file: rel, field: '(file)', message: `is not valid JSON: ${(error as Error).message}` });
    return INVALID;
  }
}

function ruleSeed(file: string, problems: FileProblem[]): RuleSeed | null {
  const rel = path.relative(process.cwd(), file);
  const raw = readJson(file, rel, problems);
  if (raw === INVALID) return null;
  const result = ruleFile.safeParse(raw);
  if (!result.success) {
    problems.push(...zodProblems(rel, result.error));
    return null;
  }
  const seed = result.data;
  const checked = validateRule({ ...seed, sources: undefined, institutionCode: null, active: true, version: 0 });
  const found: FileProblem[] = checked.problems.map((p) => ({ file: rel, field: p.path, message: p.message }));
  if (seed.key !== path.basename(file, '.json')) found.push({ file: rel, field: 'key', message: `must equal the file name (${path.basename(file, '.json')})` });
  if (found.length > 0 || !checked.rule) {
    problems.push(...found);
    return null;
  }
  const rule = checked.rule;
  return {
    kind: 'rule',
    file: rel,
    key: rule.key,
    data: {
      key: rule.key,
      name: rule.name,
      trigger: {
        anchor: rule.trigger.anchor,
        offset: rule.trigger.offset,
        unit: rule.trigger.unit,
        corrected: rule.trigger.corrected === true,
        repeatEveryDays: rule.trigger.repeat?.everyDays ?? null,
        repeatCount: rule.trigger.repeat?.count ?? null,
      },
      conditions: rule.conditions,
      titleTemplate: rule.templates['zh-Hans'].title,
      bodyTemplate: rule.templates['zh-Hans'].body,
      titleTemplateEn: rule.templates.en?.title ?? null,
      bodyTemplateEn: rule.templates.en?.body ?? null,
      channels: rule.channels,
      deliveryHour: rule.deliveryHour,
      category: rule.category,
      priority: rule.priority,
      active: true,
      sources: seed.sources.map((s) => ({ ...s, url: s.url ?? null })),
    },
  };
}

function institutionSeeds(file: string, problems: FileProblem[]): InstitutionSeed[] {
  const rel = path.relative(process.cwd(), file);
  const raw = readJson(file, rel, problems);
  if (raw === INVALID) return [];
  if (!Array.isArray(raw)) {
    problems.push({ file: rel, field: '(file)', message: 'must be an array of institutions' });
    return [];
  }
  const seeds: InstitutionSeed[] = [];
  raw.forEach((entry, i) => {
    const result = institution.safeParse(entry);
    if (!result.success) {
      problems.push(...zodProblems(rel, result.error, `[${i}]`));
      return;
    }
    const { type, ...rest } = result.data;
    seeds.push({ kind: 'institution', file: rel, key: rest.code, data: { ...rest, type: INSTITUTION_TYPES[type] } });
  });
  return seeds;
}

/** Reads and validates every seed file under `dataDir`. Nothing is returned for a file that fails. */
export function readSeeds(dataDir: string): { seeds: Seed[]; problems: FileProblem[] } {
  const problems: FileProblem[] = [];
  const seeds: Seed[] = [];
  for (const { folder, uid, schema } of CONTENT_FOLDERS) {
    for (const file of listFiles(path.join(dataDir, folder), '.md')) {
      const seed = contentSeed(file, uid, schema, problems);
      if (seed) seeds.push(seed);
    }
  }
  for (const file of listFiles(path.join(dataDir, 'rules'), '.json')) {
    const seed = ruleSeed(file, problems);
    if (seed) seeds.push(seed);
  }
  for (const file of listFiles(path.join(dataDir, 'institutions'), '.json')) seeds.push(...institutionSeeds(file, problems));

  const seen = new Map<string, string>();
  for (const seed of seeds) {
    const id = `${seed.kind === 'content' ? 'content' : seed.kind}:${seed.key}`;
    const previous = seen.get(id);
    if (previous) problems.push({ file: seed.file, field: seed.kind === 'content' ? 'slug' : seed.kind === 'rule' ? 'key' : 'code', message: `"${seed.key}" is also used by ${previous}` });
    else seen.set(id, seed.file);
  }
  const failed = new Set(problems.map((p) => p.file));
  return { seeds: seeds.filter((s) => !failed.has(s.file)), problems };
}
