/**
 * `npm run workers`: loads the built CMS kernel without its HTTP server (cron off) and runs the queues.
 * Run several of these against the same Redis and PostgreSQL to share the work.
 */
import path from 'node:path';
import { createStrapi } from '@strapi/strapi';
import { clockFrom, systemClock } from './clock';
import { parseConfig } from './config';
import { createLogger, errorText } from './log';
import { startWorkers, type Workers } from './workers';

const CMS_DIR = path.resolve(__dirname, '../../cms');

async function main(): Promise<void> {
  const log = createLogger();
  const config = parseConfig(); // fails here, naming the variable, before anything connects
  process.env.CRON_ENABLED = 'false';
  process.env.ENV_PATH ??= path.join(CMS_DIR, '.env');

  const before = new Set(['SIGTERM', 'SIGINT'].flatMap((s) => process.listeners(s as NodeJS.Signals)));
  const strapi = createStrapi({ appDir: CMS_DIR, distDir: path.join(CMS_DIR, 'dist'), autoReload: false, serveAdminPanel: false });
  // Strapi's own handlers destroy it and exit at once, under running jobs: ours drain the queues first.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    for (const listener of process.listeners(signal)) if (!before.has(listener)) process.removeListener(signal, listener);
  }
  let workers: Workers | null = null;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('workers.stopping', { signal });
    void (async () => {
      try {
        await workers?.stop(); // in-flight jobs finish, queues close
        await strapi.destroy(); // removes every process listener: last
        log.info('workers.stopped', {});
        process.exit(0);
      } catch (error) {
        log.error('workers.stop-failed', { error: errorText(error) });
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (error) => log.error('workers.unhandled-rejection', { error: errorText(error) }));

  await strapi.load();
  workers = await startWorkers({
    strapi,
    config,
    log,
    clock: config.clockStart ? clockFrom(config.clockStart) : systemClock,
    schedule: true,
  });
  log.info('workers.started', { pid: process.pid, prefix: config.queuePrefix });
}

main().catch((error: unknown) => {
  process.stderr.write(`workers failed to start: ${errorText(error)}\n`);
  process.exit(1);
});
