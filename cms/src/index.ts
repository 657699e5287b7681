import type { Core } from '@strapi/strapi';
import { registerOwnInstitutionCondition } from './admin-scope/condition';
import { registerRuleScopeEnforcement } from './admin-scope/enforce-rules';
import { ensureAdminRoles } from './bootstrap/admin-roles';
import { ensureLocales } from './bootstrap/locales';
import { registerDocumentMiddlewares } from './document-middlewares';
import { catalogueOf } from './handbook/catalogue';
import { installFeedListener } from './handbook/feed-listener';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    registerDocumentMiddlewares(strapi);
    registerRuleScopeEnforcement(strapi);
  },

  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await ensureLocales(strapi);
    await registerOwnInstitutionCondition(strapi);
    await ensureAdminRoles(strapi);
    await catalogueOf(strapi).start({ redisUrl: process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379' });
    // The host app's feed reads answered below Koa when they succeed (docs/decisions/007).
    installFeedListener(strapi);
  },

  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await catalogueOf(strapi).stop();
  },
};
