import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

interface ApiToken {
  kind?: string;
  type?: string;
  permissions?: string[];
  expiresAt?: string | null;
}
interface ApiTokenService {
  hash(accessKey: string): string;
  getByAccessKey(accessKeyHash: string): Promise<ApiToken | null>;
}
type Ctx = { request: { header: Record<string, string | undefined> }; state: { route?: { handler?: unknown } } };

/** Verified tokens are remembered briefly: the feed must not cost a token query per request. */
const CACHE_MS = 30_000;

/**
 * The host-app API's own authentication. No token or an unknown one → 401. A valid token without the
 * route's host-app permission — a read-only or full-access content token, or a custom token made for
 * something else — → 403: member data is reached only with a token granted the handbook scope.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const cache = new Map<string, { token: ApiToken | null; until: number }>();
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const header = ctx.request.header.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new errors.UnauthorizedError('Missing or malformed bearer token (Authorization: Bearer <host-app token>)');
    const service = strapi.service('admin::api-token-content-api') as unknown as ApiTokenService;
    const hash = service.hash(match[1]);
    const now = Date.now();
    let entry = cache.get(hash);
    if (!entry || entry.until < now) {
      entry = { token: await service.getByAccessKey(hash), until: now + CACHE_MS };
      if (cache.size > 1000) cache.clear();
      cache.set(hash, entry);
    }
    const token = entry.token;
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
