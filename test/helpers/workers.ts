import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { ManualClock, type Clock } from '../../workers/src/clock';
import { parseConfig } from '../../workers/src/config';
import { createLogger } from '../../workers/src/log';
import { startWorkers, type StartOptions, type Workers } from '../../workers/src/workers';

/** A queue prefix of its own for each test file: tests never touch another file's keys, never flushdb. */
export const testQueuePrefix = (name: string): string => `test-${name}-${process.pid}-${randomBytes(3).toString('hex')}`;

export const TEST_PUSH_SECRET = `test-push-secret-${randomBytes(12).toString('hex')}`;

/** Workers in the test process, on the booted app, with a manual clock and fast retries. */
export async function startTestWorkers(input: {
  strapi: Core.Strapi;
  prefix: string;
  gatewayUrl: string;
  clock?: Clock;
  env?: Record<string, string>;
  consume?: StartOptions['consume'];
}): Promise<Workers> {
  const config = parseConfig({
    QUEUE_PREFIX: input.prefix,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    PUSH_GATEWAY_URL: input.gatewayUrl,
    PUSH_GATEWAY_SECRET: TEST_PUSH_SECRET,
    DELIVERY_BACKOFF_MS: '50',
    DELIVERY_ATTEMPTS: '4',
    PUSH_TIMEOUT_MS: '5000',
    ...input.env,
  });
  return startWorkers({
    strapi: input.strapi,
    config,
    clock: input.clock ?? new ManualClock(new Date()),
    log: createLogger({ quiet: true }),
    consume: input.consume,
    schedule: false,
  });
}
