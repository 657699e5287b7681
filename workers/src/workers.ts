import type { Server } from 'node:http';
import type { Core } from '@strapi/strapi';
import { systemClock, type Clock } from './clock';
import type { QueueName, WorkerConfig } from './config';
import type { Jobs, WorkerContext } from './context';
import { deliverJob } from './jobs/deliver';
import { waitForDeliveries } from './jobs/deliver/settled';
import { reconcile, reconcileJob } from './jobs/reconcile';
import { sweepJob } from './jobs/sweep';
import { sweepChunkJob } from './jobs/sweep-chunk';
import { kernelOf, type Kernel } from './kernel';
import { createLogger, errorText, type Logger } from './log';
import { Metrics, serveMetrics } from './metrics';
import { createPushClient } from './push/push-client';
import { QueueSystem } from './queue';

export interface StartOptions {
  strapi?: Core.Strapi;
  kernel?: Kernel;
  config: WorkerConfig;
  clock?: Clock;
  log?: Logger;
  /** Which job types this process consumes (default: WORKERS_CONSUME, else all). */
  consume?: Array<keyof Jobs>;
  /** Declare the repeatable sweep and reconcile (production); tests trigger them by hand. */
  schedule?: boolean;
}

export interface Workers {
  context: WorkerContext;
  /** Runs one sweep now (as a job, so any process may take its chunks) and waits for it. */
  runSweep(): Promise<void>;
  /** Resolves when these notifications are final and no delivery job holds them (tests, the demo). */
  delivered(notificationIds: Array<string | number>, options?: { timeoutMs?: number }): Promise<void>;
  /** Re-queues what has lost its job; returns how many. */
  reconcile(options?: { graceMs?: number }): Promise<number>;
  stop(): Promise<void>;
}

let manual = 0;

export async function startWorkers(options: StartOptions): Promise<Workers> {
  const log = options.log ?? createLogger();
  const config = options.config;
  const kernel = options.kernel ?? kernelOf(options.strapi!);
  const queues = new QueueSystem({ redisUrl: config.redisUrl, prefix: config.queuePrefix, lockMs: config.jobLockMs, log });
  const push = config.push ? createPushClient(Object.assign({}, config.push, { maxSockets: config.pushMaxSockets })) : null;
  const context = { kernel, queues, config, clock: options.clock ?? systemClock, log, metrics: new Metrics() } as WorkerContext;
  context.jobs = {
    sweep: sweepJob(context),
    sweepChunk: sweepChunkJob(context),
    deliver: deliverJob(context, push),
    reconcile: reconcileJob(context),
  };
  queues.register(context.jobs.sweep);
  queues.register(context.jobs.sweepChunk);
  queues.register(context.jobs.deliver);
  queues.register(context.jobs.reconcile);
  const all = Object.keys(context.jobs) as Array<keyof Jobs>;
  const consume = options.consume ?? all.filter((key) => config.consume === null || config.consume.includes(context.jobs[key].name as QueueName));
  for (const key of consume) queues.process(context.jobs[key].name);

  if (options.schedule) {
    await queues.every(context.jobs.sweep, { trigger: 'repeat' }, config.sweepEveryMinutes * 60_000);
    await queues.every(context.jobs.reconcile, { trigger: 'repeat' }, config.reconcileEveryMs);
    // At start: whatever a crash or a Redis restart left without a job.
    await reconcile(context).catch((error: unknown) => log.error('reconcile.failed', { error: errorText(error) }));
  }

  let metricsServer: Server | null = null;
  if (config.metricsPort !== null) {
    metricsServer = await serveMetrics({ port: config.metricsPort, render: async () => context.metrics.render(await queues.counts()) });
  }

  const dashboardServer = config.dashboard ? await queues.serveDashboard(config.dashboard) : null;
  if (config.dashboard) log.info('dashboard.listening', { port: config.dashboard.port });

  return {
    context,
    runSweep: async () => {
      manual += 1;
      const jobId = `sweep-manual-${process.pid}-${Date.now()}-${manual}`;
      await queues.add(context.jobs.sweep, { trigger: 'manual' }, { jobId });
      await queues.waitFor(context.jobs.sweep.name, [jobId]);
    },
    delivered: (ids, o) => waitForDeliveries(context, ids, o),
    reconcile: (o) => reconcile(context, o),
    stop: async () => {
      for (const server of [metricsServer, dashboardServer]) await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await queues.close();
      push?.close();
    },
  };
}
