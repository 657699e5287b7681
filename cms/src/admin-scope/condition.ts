import type { Core } from '@strapi/strapi';
import { resolveAdminScope } from './index';

/** The id Strapi gives the condition below (`api::` + name, as it has no plugin). */
export const OWN_INSTITUTION_CONDITION = 'api::own-institution-rules';

interface ConditionProvider {
  has(id: string): boolean;
  register(condition: {
    displayName: string;
    name: string;
    category?: string;
    handler: (user: { id: number }) => Promise<unknown>;
  }): Promise<unknown>;
}

/**
 * "Own institution's rules": lists and edits in the Content Manager are limited to the rules of the
 * user's institution. Strapi does not check conditions on create, so the Document Service middleware
 * (./enforce-rules.ts) holds the same line for every write.
 */
export async function registerOwnInstitutionCondition(strapi: Core.Strapi): Promise<void> {
  const provider = (strapi.service('admin::permission') as unknown as { conditionProvider: ConditionProvider })
    .conditionProvider;
  if (provider.has(OWN_INSTITUTION_CONDITION)) return;
  await provider.register({
    displayName: 'Own institution’s rules 仅本机构的规则',
    name: 'own-institution-rules',
    category: 'institution',
    handler: async (user) => {
      const scope = await resolveAdminScope(strapi, user.id);
      if (scope.kind === 'province') return true;
      if (scope.kind === 'institution') return { 'institution.id': { $eq: scope.institutionId } };
      return false;
    },
  });
}
