import { requireSecret } from '../src/utils/env';

export default () => ({
  'users-permissions': { config: { jwtSecret: requireSecret('JWT_SECRET') } },
  i18n: { enabled: true },
  simulator: { enabled: true, resolve: './src/plugins/simulator' }, // stage simulator, rule authoring help (issue 7)
  // Coverage statistics and the quarterly report (issue 8); server code compiled into dist, admin page built by strapi build.
  stats: { enabled: true, resolve: './src/plugins/stats' },
});
