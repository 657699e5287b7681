import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { authorizeHostApp } from '../handbook/authorize';
import { feedResponse } from '../handbook/reading';
import { tokenCacheOf } from '../handbook/token-cache';
import { decodeParam } from '../handbook/requests';

type KoaContext = {
  method: string;
  path: string;
  query: unknown;
  request: { header: Record<string, string | undefined> };
  body: unknown;
};

const FEED_ACTION = 'api::handbook.handbook.feed';

/**
 * The host app's most frequent call, `GET /api/handbook/members/:externalId/feed`, answered without
 * the router and the middlewares that a bodiless, cookieless server-to-server read does not use
 * (body, session, favicon, public; the router's matching and route middleware chain). It sits after
 * strapi::errors, strapi::security, strapi::cors, strapi::poweredBy and global::request-log, so a
 * response carries the same headers, an error has the same shape, and the request is logged the same
 * way; authentication (handbook/authorize.ts, the same token cache) and the handler
 * (handbook/reading.ts `feedResponse`) are the routed ones. Every other request passes through.
 * docs/decisions/007.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const prefix = strapi.config.get<string>('api.rest.prefix', '/api');
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const feedPath = new RegExp(`^${escaped}/handbook/members/([^/]+)/feed/?$`);
  const tokens = tokenCacheOf(strapi);
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const match = ctx.method === 'GET' ? feedPath.exec(ctx.path) : null;
    if (!match) return next();
    try {
      await authorizeHostApp(tokens, ctx.request.header.authorization, FEED_ACTION);
    } catch (error) {
      // As Strapi's route authorisation answers any 401/403 raised under it (compose-endpoint): the
      // generic message, so a caller learns nothing more about a token here than on other routes.
      if (error instanceof errors.UnauthorizedError) throw new errors.UnauthorizedError('Unauthorized');
      if (error instanceof errors.ForbiddenError) throw new errors.ForbiddenError('Forbidden');
      throw error;
    }
    ctx.body = await feedResponse(strapi, decodeParam(match[1]), ctx.query, new Date());
  };
};
