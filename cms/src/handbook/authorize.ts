import { errors } from '@strapi/utils';
import type { TokenCache } from './token-cache';

/**
 * The host-app API's own authentication, shared by the routed middleware (host-app-auth) and the
 * feed's fast path. No token or an unknown one → 401. A valid token without `action` — a read-only
 * or full-access content token, or a custom token made for something else — → 403: member data is
 * reached only with a token granted the handbook scope.
 */
export async function authorizeHostApp(tokens: TokenCache, authorization: string | undefined, action: string, now = Date.now()): Promise<void> {
  const accessKey = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (!accessKey) throw new errors.UnauthorizedError('Missing or malformed bearer token (Authorization: Bearer <host-app token>)');
  const token = await tokens.get(accessKey, now);
  if (!token) throw new errors.UnauthorizedError('Invalid token');
  if (token.expiresAt && new Date(token.expiresAt).getTime() < now) throw new errors.UnauthorizedError('Token expired');
  const isHostAppToken = (token.kind ?? 'content-api') === 'content-api' && token.type === 'custom';
  if (!isHostAppToken || !token.permissions?.includes(action)) {
    throw new errors.ForbiddenError(`This token lacks the host-app permission ${action}`);
  }
}
