import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { statistics } from './statistics';

/** The permission a role needs to read statistics (granted to the statistics viewer role, issue 7). */
export const READ_ACTION = 'plugin::stats.read';

type Ctx = {
  query: Record<string, unknown>;
  state: { user?: { id: number } };
  status: number;
  body: unknown;
  set: (name: string, value: string) => void;
};

const adminOf = (ctx: Ctx): number => {
  const id = ctx.state.user?.id;
  if (typeof id !== 'number') throw new errors.UnauthorizedError('admin authentication required');
  return id;
};

const policies = ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [READ_ACTION] } }];
const route = (path: string, handler: string) => ({ method: 'GET', path, handler: `stats.${handler}`, config: { policies } });

/**
 * Local plugin `stats`: admin routes under /stats (admin JWT, permission plugin::stats.read, the
 * caller's institution or region scope), the measures as grouped SQL, and the admin page.
 */
export default {
  bootstrap({ strapi }: { strapi: Core.Strapi }) {
    const actionProvider = (strapi.service('admin::permission') as unknown as { actionProvider: { registerMany(actions: unknown[]): Promise<void> } })
      .actionProvider;
    return actionProvider.registerMany([{ section: 'plugins', displayName: 'Read statistics', uid: 'read', pluginName: 'stats' }]);
  },

  routes: {
    admin: {
      type: 'admin',
      routes: [
        route('/coverage', 'coverage'),
        route('/trend', 'trend'),
        route('/completeness', 'completeness'),
        route('/funnel', 'funnel'),
        route('/quarterly-report.csv', 'quarterlyReport'),
      ],
    },
  },

  controllers: {
    stats: ({ strapi }: { strapi: Core.Strapi }) => {
      const service = statistics(strapi);
      return {
        async coverage(ctx: Ctx) {
          ctx.body = await service.coverage(adminOf(ctx), ctx.query);
        },
        async trend(ctx: Ctx) {
          ctx.body = await service.trend(adminOf(ctx), ctx.query);
        },
        async completeness(ctx: Ctx) {
          ctx.body = await service.completeness(adminOf(ctx), ctx.query);
        },
        async funnel(ctx: Ctx) {
          ctx.body = await service.funnel(adminOf(ctx), ctx.query);
        },
        async quarterlyReport(ctx: Ctx) {
          const { filename, csv } = await service.quarterlyReport(adminOf(ctx), ctx.query);
          ctx.set('content-type', 'text/csv; charset=utf-8');
          ctx.set('content-disposition', `attachment; filename="${filename}"`);
          ctx.body = csv;
        },
      };
    },
  },
};
