import type { Core } from '@strapi/strapi';
import type { ContentSeed, InstitutionSeed, RuleSeed, Seed } from './files';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'failed';
export interface SeedResult {
  seed: Seed;
  outcome: Outcome;
  error?: string;
}

type Data = Record<string, unknown>;
type Docs = {
  findFirst(params: Data): Promise<Data | null>;
  findOne(params: Data): Promise<Data | null>;
  create(params: Data): Promise<Data>;
  update(params: Data): Promise<Data | null>;
  publish(params: Data): Promise<unknown>;
};

const POPULATE: Record<string, Data> = {
  'api::article.article': { windows: true, sources: true },
  'api::policy.policy': { windows: true, sources: true },
  'api::nutrition-guide.nutrition-guide': { windows: true, sources: true, mealPlans: { populate: ['meals'] }, recipes: { populate: ['ingredients'] } },
  'api::reminder-rule.reminder-rule': { trigger: true, sources: true, institution: true },
};

/**
 * True when the stored value already says what the seed says. Only the seed's own keys are compared:
 * stored rows carry extra derived fields (ids, fromDays/toDays) that the seed does not state.
 */
export function matches(seed: unknown, stored: unknown): boolean {
  if (seed === null || seed === undefined) return stored === null || stored === undefined || stored === '';
  if (Array.isArray(seed)) {
    return Array.isArray(stored) && seed.length === stored.length && seed.every((v, i) => matches(v, stored[i]));
  }
  if (typeof seed === 'object') {
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return false;
    return Object.entries(seed as Data).every(([k, v]) => matches(v, (stored as Data)[k]));
  }
  return seed === stored;
}

function docs(strapi: Core.Strapi, uid: string): Docs {
  return strapi.documents(uid as 'api::article.article');
}

async function upsertContent(strapi: Core.Strapi, seed: ContentSeed, dryRun: boolean): Promise<Outcome> {
  const service = docs(strapi, seed.uid);
  const populate = POPULATE[seed.uid];
  const draft = await service.findFirst({ filters: { slug: seed.key }, locale: 'zh-Hans', status: 'draft', populate });
  if (draft) {
    const documentId = draft.documentId as string;
    const published = await service.findOne({ documentId, locale: 'zh-Hans', status: 'published', fields: ['id'] });
    const enDraft = seed.en ? await service.findOne({ documentId, locale: 'en', status: 'draft', fields: ['title', 'summary', 'body'] }) : null;
    const enPublished = seed.en ? await service.findOne({ documentId, locale: 'en', status: 'published', fields: ['id'] }) : null;
    const enSame = !seed.en || (enDraft !== null && enPublished !== null && matches({ ...seed.en, body: seed.en.body ?? null }, enDraft));
    if (published && matches(seed.data, draft) && enSame) return 'unchanged';
  }
  if (dryRun) return draft ? 'updated' : 'created';
  await strapi.db.transaction(async () => {
    const documentId = draft
      ? (draft.documentId as string)
      : ((await service.create({ locale: 'zh-Hans', data: seed.data })).documentId as string);
    if (draft) await service.update({ documentId, locale: 'zh-Hans', data: seed.data });
    if (seed.en) await service.update({ documentId, locale: 'en', data: { title: seed.en.title, summary: seed.en.summary, body: seed.en.body ?? null } });
    await service.publish({ documentId, locale: '*' });
  });
  return draft ? 'updated' : 'created';
}

async function upsertRule(strapi: Core.Strapi, seed: RuleSeed, dryRun: boolean): Promise<Outcome> {
  const uid = 'api::reminder-rule.reminder-rule';
  const service = docs(strapi, uid);
  const draft = await service.findFirst({ filters: { key: seed.key }, status: 'draft', populate: POPULATE[uid] });
  if (draft) {
    const published = await service.findOne({ documentId: draft.documentId, status: 'published', fields: ['id'] });
    if (published && matches(seed.data, draft) && draft.institution === null) return 'unchanged';
  }
  if (dryRun) return draft ? 'updated' : 'created';
  await strapi.db.transaction(async () => {
    const data = { ...seed.data, institution: null };
    const documentId = draft ? (draft.documentId as string) : ((await service.create({ data })).documentId as string);
    if (draft) await service.update({ documentId, data });
    await service.publish({ documentId });
  });
  return draft ? 'updated' : 'created';
}

async function upsertInstitution(strapi: Core.Strapi, seed: InstitutionSeed, dryRun: boolean): Promise<Outcome> {
  const service = docs(strapi, 'api::institution.institution');
  const existing = await service.findFirst({ filters: { code: seed.key } });
  if (existing && matches(seed.data, existing)) return 'unchanged';
  if (dryRun) return existing ? 'updated' : 'created';
  if (existing) await service.update({ documentId: existing.documentId, data: seed.data });
  else await service.create({ data: seed.data });
  return existing ? 'updated' : 'created';
}

/** Upserts every seed by its natural key and publishes it; each seed is written in its own transaction. */
export async function upsertSeeds(strapi: Core.Strapi, seeds: Seed[], options: { dryRun: boolean }): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  // Institutions first: rules may one day name them.
  const ordered = [...seeds].sort((a, b) => (a.kind === 'institution' ? 0 : 1) - (b.kind === 'institution' ? 0 : 1));
  for (const seed of ordered) {
    try {
      const outcome =
        seed.kind === 'content'
          ? await upsertContent(strapi, seed, options.dryRun)
          : seed.kind === 'rule'
            ? await upsertRule(strapi, seed, options.dryRun)
            : await upsertInstitution(strapi, seed, options.dryRun);
      results.push({ seed, outcome });
    } catch (error) {
      const details = (error as { details?: { errors?: Array<{ message?: string }> } }).details?.errors?.map((e) => e.message).join('; ');
      results.push({ seed, outcome: 'failed', error: details || (error as Error).message });
    }
  }
  return results;
}
