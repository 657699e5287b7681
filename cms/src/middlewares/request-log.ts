import type { Core } from '@strapi/strapi';

type KoaContext = { method: string; path: string; status: number };

/** Logs method, path (never the query string or body), status and duration. */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  // Below the configured level the line is not even built: winston would format and drop it per request.
  const enabled = () => strapi.log.isLevelEnabled('http');
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    if (!enabled()) return next();
    const start = Date.now();
    try {
      await next();
    } finally {
      strapi.log.http(`${ctx.method} ${ctx.path} (${Date.now() - start} ms) ${ctx.status}`);
    }
  };
};
