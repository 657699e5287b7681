import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { createStrapi } from '@strapi/strapi';

export const CMS_DIR = path.resolve(__dirname, '../../cms');

/**
 * Loads the built app without its HTTP server, for scripts: the same code, configuration and database
 * as the API. cms/.env is read explicitly because scripts start from the repository root.
 */
export async function loadApp(): Promise<Core.Strapi> {
  // Variables already set in the environment win; cms/.env fills in the rest (the generated secrets).
  const envFile = path.join(CMS_DIR, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  process.env.CRON_ENABLED = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  return createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: false }).load();
}
