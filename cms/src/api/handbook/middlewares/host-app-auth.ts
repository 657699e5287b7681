import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { tokenCacheOf } from '../../../handbook/token-cache';

type Ctx = { request: { header: Record<string, string | undefined> }; state: { route?: { handler?: unknown } } };

/**
 * The host-app API's own authentication. No token or an unknown one → 401. A valid token without the
 * route's host-app permission — a read-only or full-access content token, or a custom token made for
 * something else — → 403: member data is reached only with a token granted the handbook scope.
 * Tokens are looked up through a short-lived cache (handbook/token-cache.ts, docs/decisions/007).
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const tokens = tokenCacheOf(strapi);
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const header = ctx.request.header.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new errors.UnauthorizedError('Missing or malformed bearer token (Authorization: Bearer <host-app token>)');
    const now = Date.now();
    const token = await tokens.get(match[1], now);
    if (!token) throw new errors.UnauthorizedError('Invalid token');
    if (token.expiresAt && new Date(token.expiresAt).getTime() < now) throw new errors.UnauthorizedError('Token expired');
    const route = ctx.state.route?.handler;
    const handler = typeof route === 'string' ? route : '';
    const action = handler.includes('::') ? handler : `api::handbook.${handler}`;
    const isHostAppToken = (token.kind ?? 'content-api') === 'content-api' && token.type === 'custom';
    if (!isHostAppToken || !token.permissions?.includes(action)) {
      throw new errors.ForbiddenError(`This token lacks the host-app permission ${action}`);
    }
    await next();
  };
};
