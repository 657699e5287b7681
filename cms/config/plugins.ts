import { requireSecret } from '../src/utils/env';

export default () => ({
  'users-permissions': { config: { jwtSecret: requireSecret('JWT_SECRET') } },
  i18n: { enabled: true },
});
