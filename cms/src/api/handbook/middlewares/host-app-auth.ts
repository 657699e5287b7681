import type { Core } from '@strapi/strapi';
import { authorizeHostApp } from '../../../handbook/authorize';
import { tokenCacheOf } from '../../../handbook/token-cache';

type Ctx = { request: { header: Record<string, string | undefined> }; state: { route?: { handler?: unknown } } };

/**
 * The host-app routes' authentication (handbook/authorize.ts): 401 without a valid token, 403 without
 * the route's host-app permission. Tokens are looked up through a short-lived cache
 * (handbook/token-cache.ts, docs/decisions/007).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const tokens = tokenCacheOf(strapi);
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const route = ctx.state.route?.handler;
    const handler = typeof route === 'string' ? route : '';
    const action = handler.includes('::') ? handler : `api::handbook.${handler}`;
    await authorizeHostApp(tokens, ctx.request.header.authorization, action);
    await next();
  };
};
