import { boolFromEnv, intFromEnv, requireSecretList } from '../src/utils/env';

export default () => ({
  host: process.env.HOST || '0.0.0.0',
  port: intFromEnv('PORT', 1337, { min: 0, max: 65535 }),
  app: { keys: requireSecretList('APP_KEYS') },
  // The workers process loads the same app with cron off (see workers/).
  cron: { enabled: boolFromEnv('CRON_ENABLED', false) },
});
