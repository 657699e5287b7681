import { requireSecret } from '../src/utils/env';

export default () => ({
  'users-permissions': { config: { jwtSecret: requireSecret('JWT_SECRET') } },
  i18n: { enabled: true },
  simulator: { enabled: true, resolve: './src/plugins/simulator' }, // stage simulator, rule authoring help (issue 7)
});
