import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { regionPrefix, resolveAdminScope, type AdminScope } from './index';

const RULE_UID = 'api::reminder-rule.reminder-rule';
const READS = new Set(['findMany', 'findFirst', 'count']);
const WRITES_ON_EXISTING = new Set(['update', 'delete', 'publish', 'unpublish', 'discardDraft', 'clone']);

interface AdminState {
  auth?: { strategy?: { name?: string } };
  user?: { id?: number };
  mchAdminScope?: AdminScope;
}

type Params = { data?: Record<string, unknown>; documentId?: string; filters?: Record<string, unknown> };

/** The scope of the admin user behind the current request, or null when the caller is not an admin user (API token, script, worker). */
export async function currentAdminScope(strapi: Core.Strapi): Promise<AdminScope | null> {
  const ctx = strapi.requestContext.get() as { state?: AdminState } | undefined;
  const state = ctx?.state;
  if (!state || state.auth?.strategy?.name !== 'admin' || typeof state.user?.id !== 'number') return null;
  state.mchAdminScope ??= await resolveAdminScope(strapi, state.user.id);
  return state.mchAdminScope;
}

function forbidden(action: string): never {
  throw new errors.ForbiddenError(
    `institution: you may ${action} only your own institution's reminder rules (仅能${action === 'create' ? '创建' : '修改'}本机构的提醒规则)`,
    { field: 'institution' },
  );
}

/** Narrows a rule query to what the scope may see. */
function scopeFilter(scope: AdminScope): Record<string, unknown> | null {
  switch (scope.kind) {
    case 'province':
      return null;
    case 'institution':
      return { institution: { id: { $eq: scope.institutionId } } };
    case 'region':
      return { institution: { regionCode: { $startsWith: regionPrefix(scope.regionCode) } } };
    default:
      return { id: { $lt: 0 } };
  }
}

async function belongsToInstitution(
  strapi: Core.Strapi,
  documentId: string,
  institutionId: number,
): Promise<boolean | null> {
  const rows = (await strapi.db.query(RULE_UID).findMany({
    where: { documentId },
    select: ['id'],
    populate: { institution: { select: ['id'] } },
  })) as Array<{ institution?: { id: number } | null }>;
  if (rows.length === 0) return null;
  return rows.every((row) => row.institution?.id === institutionId);
}

/**
 * Holds admin users to their scope on reminder rules, whatever the RBAC conditions say (Strapi does
 * not check conditions on create). Province scope passes; an institution's editor has the
 * institution forced on create and update and is refused other institutions' rules; region and
 * `none` scopes may read what they cover and write nothing. Calls next() once or throws before it.
 */
export function registerRuleScopeEnforcement(strapi: Core.Strapi): void {
  strapi.documents.use(async (context, next) => {
    if (context.uid !== RULE_UID) return next();
    const scope = await currentAdminScope(strapi);
    if (!scope || scope.kind === 'province') return next();
    const params = context.params as Params;
    const { action } = context;

    if (READS.has(action)) {
      const filter = scopeFilter(scope);
      if (filter) params.filters = params.filters ? { $and: [params.filters, filter] } : filter;
      return next();
    }
    if (action === 'findOne') {
      if (
        scope.kind === 'institution' &&
        params.documentId &&
        (await belongsToInstitution(strapi, params.documentId, scope.institutionId)) === false
      ) {
        return null;
      }
      if (scope.kind !== 'institution') {
        const filter = scopeFilter(scope);
        if (filter) params.filters = params.filters ? { $and: [params.filters, filter] } : filter;
      }
      return next();
    }
    if (scope.kind !== 'institution') forbidden(action);

    if (WRITES_ON_EXISTING.has(action) && params.documentId) {
      if ((await belongsToInstitution(strapi, params.documentId, scope.institutionId)) === false) forbidden(action);
    }
    if ((action === 'create' || action === 'clone' || action === 'update') && params.data) {
      if (action !== 'update' || 'institution' in params.data) {
        params.data.institution = { set: [{ documentId: scope.institutionDocumentId }] };
      }
    } else if (action === 'create') {
      params.data = { institution: { set: [{ documentId: scope.institutionDocumentId }] } };
    }
    return next();
  });
}
