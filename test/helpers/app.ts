import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { createStrapi } from '@strapi/strapi';
import request from 'supertest';
import { TEST_DATABASE_URL, createSchema, dropSchema, newSchemaName } from './database';

const CMS_DIR = path.resolve(__dirname, '../../cms');

export interface TestApp {
  strapi: Core.Strapi;
  /** A supertest agent bound to the app's real HTTP server. */
  http: () => ReturnType<typeof request>;
  schema: string;
  close: () => Promise<void>;
}

const SECRET_NAMES = ['API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY'];

/** Throwaway secrets for the test process; a developer's cms/.env is never needed to run the tests. */
function ensureTestSecrets(): void {
  const secret = () => randomBytes(18).toString('base64');
  process.env.APP_KEYS ??= [secret(), secret()].join(',');
  for (const name of SECRET_NAMES) process.env[name] ??= secret();
}

/**
 * Boots the built app (cms/dist) through the same entry point as production, on a fresh PostgreSQL
 * schema, and mounts its real HTTP server. One app per test file. `serveAdminPanel` for browser tests.
 */
export async function bootApp({ serveAdminPanel = false }: { serveAdminPanel?: boolean } = {}): Promise<TestApp> {
  ensureTestSecrets();
  const schema = newSchemaName();
  await createSchema(schema);
  process.env.DATABASE_URL = TEST_DATABASE_URL;
  process.env.DATABASE_SCHEMA = schema;
  process.env.DATABASE_POOL_MAX ??= '5';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.NODE_ENV = 'test';

  const strapi = await createStrapi({
    appDir: CMS_DIR,
    distDir: path.join(CMS_DIR, 'dist'),
    autoReload: false,
    // The browser tests need the built admin panel (cms/dist/build); the others skip serving it.
    serveAdminPanel,
  }).load();
  strapi.server.mount();

  return {
    strapi,
    schema,
    http: () => request(strapi.server.httpServer),
    close: async () => {
      // strapi.destroy() removes every process listener, jest's included: put them back afterwards.
      const saved = process.eventNames().map((event) => [event, process.rawListeners(event)] as const);
      await strapi.destroy();
      for (const [event, listeners] of saved) {
        for (const listener of listeners) {
          if (!process.rawListeners(event).includes(listener)) process.on(event as string, listener as (...args: unknown[]) => void);
        }
      }
      await dropSchema(schema);
    },
  };
}

/** A full-access API token (Strapi's stock content API), as an editor's script would hold. */
export async function createFullAccessToken(strapi: Core.Strapi): Promise<string> {
  const service = strapi.service('admin::api-token-content-api') as unknown as {
    create(attrs: Record<string, unknown>): Promise<{ accessKey: string }>;
  };
  const token = await service.create({
    name: `test-full-${randomBytes(4).toString('hex')}`,
    description: 'integration tests',
    kind: 'content-api',
    type: 'full-access',
    lifespan: null,
  });
  return token.accessKey;
}

/** Every action of the host-app API: what an administrator ticks for the host app's custom token. */
export const HOST_APP_ACTIONS = [
  'upsertMember',
  'getMember',
  'deleteMember',
  'createJourney',
  'patchJourney',
  'addEvent',
  'feed',
  'upcoming',
  'inbox',
  'markRead',
].map((a) => `api::handbook.handbook.${a}`);

/** A custom content-API token holding the given host-app permissions. */
export async function createHostAppToken(strapi: Core.Strapi, permissions: string[] = HOST_APP_ACTIONS): Promise<string> {
  const service = strapi.service('admin::api-token-content-api') as unknown as {
    create(attrs: Record<string, unknown>): Promise<{ accessKey: string }>;
  };
  const token = await service.create({
    name: `test-host-app-${randomBytes(4).toString('hex')}`,
    description: 'host app (integration tests)',
    kind: 'content-api',
    type: 'custom',
    lifespan: null,
    permissions,
  });
  return token.accessKey;
}

/** Retries an assertion until it passes or the time is up (for effects that land asynchronously). */
export async function eventually<T>(check: () => Promise<T>, { timeoutMs = 3000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
