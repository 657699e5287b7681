import type { Core } from '@strapi/strapi';

type KoaContext = { method: string; path: string; status: number };

/** Logs method, path (never the query string or body), status and duration. */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const start = Date.now();
    try {
      await next();
    } finally {
      strapi.log.http(`${ctx.method} ${ctx.path} (${Date.now() - start} ms) ${ctx.status}`);
    }
  };
};
