import { ChartPie } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';

/** The statistics page in the admin menu, shown to roles holding plugin::stats.read. */
export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: 'plugins/stats',
      icon: ChartPie,
      intlLabel: { id: 'stats.menu', defaultMessage: '统计 Statistics' },
      permissions: [{ action: 'plugin::stats.read', subject: null }],
      Component: () => import('./pages/stats-page'),
    });
    app.registerPlugin({ id: 'stats', name: 'stats' });
  },
};
