import type { Core } from '@strapi/strapi';
import { validateContentData, validateInstitutionData } from '../validation/content';
import { assertNoProblems } from '../validation/problems';
import { pickRuleFields, validateRuleData } from '../validation/rule';

export const CONTENT_UIDS = new Set(['api::article.article', 'api::policy.policy', 'api::nutrition-guide.nutrition-guide']);
export const RULE_UID = 'api::reminder-rule.reminder-rule';
const INSTITUTION_UID = 'api::institution.institution';

type Params = { data?: Record<string, unknown>; documentId?: string; locale?: string; status?: string };

/**
 * Validation that holds for every client — admin panel, REST and scripts — because it runs in the
 * Document Service. Every path calls next() exactly once, after validation, or throws before it.
 */
export function registerDocumentMiddlewares(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    const { uid, action } = context;
    const params = context.params as Params;
    const writes = action === 'create' || action === 'update';

    if (writes && params.data && CONTENT_UIDS.has(uid)) {
      assertNoProblems(validateContentData(uid, params.data));
    } else if (writes && params.data && uid === INSTITUTION_UID) {
      assertNoProblems(validateInstitutionData(params.data));
    } else if (writes && params.data && uid === RULE_UID) {
      const existing: Record<string, unknown> | null =
        action === 'update' && params.documentId
          ? ((await strapi.db.query(RULE_UID).findOne({
              where: { documentId: params.documentId, publishedAt: null },
              populate: ['trigger'],
            })) as Record<string, unknown> | null)
          : null;
      assertNoProblems(validateRuleData(params.data, pickRuleFields(existing)));
      // The version is the system's, never the client's. A create or update that publishes at once
      // (REST `?status=published`) publishes inside the Document Service, past this middleware, so
      // the new version is written here, with the draft it publishes.
      const data = { ...params.data };
      delete data.version;
      if (params.status === 'published') {
        data.version = action === 'update' && params.documentId ? (await highestRuleVersion(strapi, params.documentId)) + 1 : 1;
      }
      params.data = data;
    } else if (action === 'publish' && uid === RULE_UID && params.documentId) {
      await bumpRuleVersion(strapi, params.documentId);
    }
    return next();
  });
}

/**
 * Every publish of a rule carries a higher version than the last: the draft's version is raised
 * before the publish copies it, so workers can tell which occurrences were planned by an older text.
 */
async function bumpRuleVersion(strapi: Core.Strapi, documentId: string): Promise<void> {
  const rows = (await strapi.db.query(RULE_UID).findMany({ where: { documentId }, select: ['id', 'version', 'publishedAt'] })) as Array<{
    id: number;
    version: number | null;
    publishedAt: string | null;
  }>;
  const draft = rows.find((r) => r.publishedAt === null);
  if (!draft) return;
  const highest = Math.max(0, ...rows.map((r) => r.version ?? 0));
  await strapi.db.query(RULE_UID).update({ where: { id: draft.id }, data: { version: highest + 1 } });
}

async function highestRuleVersion(strapi: Core.Strapi, documentId: string): Promise<number> {
  const rows = (await strapi.db.query(RULE_UID).findMany({ where: { documentId }, select: ['version'] })) as Array<{ version: number | null }>;
  return Math.max(0, ...rows.map((r) => r.version ?? 0));
}
