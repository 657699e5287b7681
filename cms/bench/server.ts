import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';

/**
 * The API server for the benchmark, in its own process (the load comes from another one). Prints one
 * JSON line when it listens: the tokens the load generator needs.
 */
async function main(): Promise<void> {
  const appDir = path.resolve(__dirname, '..');
  const app = createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false });
  await app.start();
  const tokens = app.service('admin::api-token-content-api') as unknown as { create(a: Record<string, unknown>): Promise<{ accessKey: string }> };
  const actions = ['feed', 'upsertMember'].map((a) => `api::handbook.handbook.${a}`);
  const host = await tokens.create({ name: `bench-host-${randomBytes(3).toString('hex')}`, kind: 'content-api', type: 'custom', lifespan: null, permissions: actions });
  const content = await tokens.create({ name: `bench-content-${randomBytes(3).toString('hex')}`, kind: 'content-api', type: 'full-access', lifespan: null });
  process.stdout.write(`${JSON.stringify({ ready: true, hostToken: host.accessKey, contentToken: content.accessKey })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench server: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
