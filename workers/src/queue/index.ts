/**
 * The only module that knows bull (and owns every Redis connection of the workers): queues, their
 * removal policy, error handlers and shutdown. A move to BullMQ touches this folder only.
 *
 * Policy: completed jobs are removed at once; the last 1,000 failed jobs are kept for inspection.
 * Producers give business-key job ids, so adding a job twice is a no-op while the first exists.
 */
import Bull from 'bull';
import Redis, { type RedisOptions } from 'ioredis';
import { errorText, type Logger } from '../log';
import { PermanentError } from '../errors';
import { serveDashboard, type DashboardOptions } from './dashboard';
import type { Server } from 'node:http';

export interface JobContext {
  jobId: string;
  /** 1-based attempt number. */
  attempt: number;
  attempts: number;
}

export interface JobDefinition<P> {
  /** Queue name: one job type, one queue. */
  name: string;
  /** Validates a payload; producers call it before enqueueing, consumers again before handling. */
  parse(data: unknown): P;
  attempts: number;
  /** First retry delay; doubles each attempt. */
  backoffMs: number;
  concurrency: number;
  handle(payload: P, context: JobContext): Promise<void>;
}

export interface AddOptions {
  jobId: string;
  delayMs?: number;
}

export type JobState = 'waiting' | 'active' | 'delayed' | 'paused' | 'completed' | 'failed' | 'stuck' | 'missing';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export class QueueSystem {
  private readonly queues = new Map<string, Bull.Queue>();
  private readonly definitions = new Map<string, JobDefinition<unknown>>();
  private readonly kvClient: Redis;
  /** Every connection made for bull: bull does not close the clients handed to it by createClient. */
  private readonly clients: Redis[] = [];
  private closing: Promise<void> | null = null;

  constructor(
    private readonly options: { redisUrl: string; prefix: string; lockMs: number; log: Logger },
  ) {
    this.kvClient = this.connect('kv');
  }

  private connect(role: string, extra: RedisOptions = {}): Redis {
    // maxRetriesPerRequest null: commands wait for a reconnect instead of failing a job mid-way.
    const client = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false, ...extra });
    this.clients.push(client);
    let reported = false;
    client.on('error', (error: Error) => {
      if (!reported) this.options.log.warn('redis.error', { role, error: errorText(error) });
      reported = true;
    });
    client.on('ready', () => {
      if (reported) this.options.log.info('redis.ready', { role });
      reported = false;
    });
    return client;
  }

  register<P>(definition: JobDefinition<P>): void {
    if (this.queues.has(definition.name)) return;
    const queue = new Bull(definition.name, {
      prefix: this.options.prefix,
      createClient: (type) => this.connect(`${definition.name}:${type}`),
      settings: {
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(1000, Math.floor(this.options.lockMs / 2)),
        // A job whose worker was killed is re-run; several crashes in a row must not fail it.
        maxStalledCount: 10,
      },
      defaultJobOptions: {
        attempts: definition.attempts,
        backoff: { type: 'exponential', delay: definition.backoffMs },
        removeOnComplete: true,
        removeOnFail: 1000,
      },
    });
    queue.on('error', (error: Error) => this.options.log.warn('queue.error', { queue: definition.name, error: errorText(error) }));
    queue.on('failed', (job, error: Error) =>
      this.options.log.warn('job.failed', { queue: definition.name, jobId: String(job.id), attempt: job.attemptsMade, error: errorText(error) }),
    );
    queue.on('stalled', (job) => this.options.log.warn('job.stalled', { queue: definition.name, jobId: String(job.id) }));
    this.queues.set(definition.name, queue);
    this.definitions.set(definition.name, definition);
  }

  private queue(name: string): Bull.Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`queue ${name} is not registered`);
    return queue;
  }

  /** Starts consuming jobs of this type in this process. */
  process(name: string): void {
    const definition = this.definitions.get(name);
    if (!definition) throw new Error(`queue ${name} is not registered`);
    const queue = this.queue(name);
    queue
      .process(definition.concurrency, async (job: Bull.Job) => {
        const payload = definition.parse(job.data);
        const attempts = job.opts.attempts ?? definition.attempts;
        try {
          await definition.handle(payload, { jobId: String(job.id), attempt: job.attemptsMade + 1, attempts });
        } catch (error) {
          // Permanent: fail now, no further attempts.
          if (error instanceof PermanentError) await job.discard();
          throw error;
        }
      })
      .catch((error: unknown) => this.options.log.error('queue.process-failed', { queue: name, error: errorText(error) }));
  }

  async add<P>(definition: JobDefinition<P>, payload: P, options: AddOptions): Promise<void> {
    const data = definition.parse(payload);
    await this.queue(definition.name).add(data, { jobId: options.jobId, delay: Math.max(0, Math.round(options.delayMs ?? 0)) });
  }

  async addBulk<P>(definition: JobDefinition<P>, items: Array<{ payload: P } & AddOptions>): Promise<void> {
    if (items.length === 0) return;
    const jobs = items.map((item) => ({
      data: definition.parse(item.payload),
      opts: { jobId: item.jobId, delay: Math.max(0, Math.round(item.delayMs ?? 0)) },
    }));
    await this.queue(definition.name).addBulk(jobs);
  }

  /**
   * Whether each job exists and whether it is live (waiting, active, delayed), by its keys: O(1) per
   * job. (bull 4's getState scans the wait list, which is O(backlog) per call.) Completed jobs are
   * removed at once, so a job hash that is neither completed nor failed is live.
   */
  private async jobFlags(name: string, jobIds: string[]): Promise<Array<{ exists: boolean; live: boolean }>> {
    if (jobIds.length === 0) return [];
    const base = `${this.options.prefix}:${name}`;
    const pipe = this.kvClient.pipeline();
    for (const id of jobIds) {
      pipe.exists(`${base}:${id}`);
      pipe.zscore(`${base}:failed`, id);
      pipe.zscore(`${base}:completed`, id);
    }
    const results = (await pipe.exec()) ?? [];
    return jobIds.map((_id, i) => {
      const [existsErr, exists] = results[i * 3] ?? [null, 0];
      const failed = results[i * 3 + 1]?.[1];
      const completed = results[i * 3 + 2]?.[1];
      if (existsErr) throw existsErr;
      return { exists: exists === 1, live: exists === 1 && failed === null && completed === null };
    });
  }

  private async liveFlags(name: string, jobIds: string[]): Promise<boolean[]> {
    return (await this.jobFlags(name, jobIds)).map((f) => f.live);
  }

  /**
   * Adds each job unless a live one (waiting, active, delayed) already has its id; a finished one left
   * behind under the id (the last 1,000 failed are kept) is removed first, or the add would be a
   * no-op. Returns the ids added.
   */
  async ensureBulk<P>(definition: JobDefinition<P>, items: Array<{ payload: P } & AddOptions>): Promise<string[]> {
    const flags = await this.jobFlags(definition.name, items.map((item) => item.jobId));
    const adding = items.filter((_item, i) => !flags[i]!.live);
    const queue = this.queue(definition.name);
    for (const [i, item] of items.entries()) {
      if (flags[i]!.live || !flags[i]!.exists) continue;
      const job = await queue.getJob(item.jobId);
      if (job) await job.remove().catch(() => undefined);
    }
    await this.addBulk(definition, adding);
    return adding.map((item) => item.jobId);
  }

  /** Replaces a waiting or delayed job (new delay); an active one is left to finish. */
  async reschedule<P>(definition: JobDefinition<P>, payload: P, options: AddOptions): Promise<void> {
    const job = await this.queue(definition.name).getJob(options.jobId);
    if (job) {
      if ((await job.isActive()) === true) return;
      await job.remove().catch(() => undefined);
    }
    await this.add(definition, payload, options);
  }

  /** The ids among `jobIds` that have a live job. */
  async live(name: string, jobIds: string[]): Promise<string[]> {
    const flags = await this.liveFlags(name, jobIds);
    return jobIds.filter((_id, i) => flags[i]);
  }

  async state(name: string, jobId: string): Promise<JobState> {
    const job = await this.queue(name).getJob(jobId);
    return job ? ((await job.getState())) : 'missing';
  }

  /** Runs a delayed job now (operators; tests that move the clock). */
  async promote(name: string, jobId: string): Promise<void> {
    const job = await this.queue(name).getJob(jobId);
    if (job && ((await job.getState())) === 'delayed') await job.promote();
  }

  /** A repeatable job; several processes declaring the same one share a single schedule. */
  async every<P>(definition: JobDefinition<P>, payload: P, everyMs: number): Promise<void> {
    await this.queue(definition.name).add(definition.parse(payload), { repeat: { every: everyMs }, jobId: `${definition.name}-repeat` });
  }

  /**
   * Resolves when each of the jobs has finished (completed, failed or gone), listening to the queue's
   * global events; no polling. With `timeoutMs`, rejects when they have not all finished by then.
   */
  async waitFor(name: string, jobIds: string[], options: { timeoutMs?: number } = {}): Promise<void> {
    if (jobIds.length === 0) return;
    const queue = this.queue(name);
    const open = new Set(jobIds.map(String));
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = () => {
        if (timer) clearTimeout(timer);
        queue.removeListener('global:completed', finish);
        queue.removeListener('global:failed', finish);
      };
      function finish(jobId: string | number) {
        open.delete(String(jobId));
        if (open.size === 0) {
          stop();
          resolve();
        }
      }
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          stop();
          reject(new Error(`${name}: ${open.size} job(s) not finished after ${options.timeoutMs} ms (${[...open].slice(0, 5).join(', ')})`));
        }, options.timeoutMs);
      }
      queue.on('global:completed', finish);
      queue.on('global:failed', finish);
      // Jobs that finished before we listened.
      const ids = [...open];
      this.liveFlags(name, ids)
        .then((flags) => ids.forEach((id, i) => !flags[i] && finish(id)))
        .catch((error: unknown) => {
          stop();
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  }

  /** Resolves when any job of the queue next finishes (completed or failed), or after `timeoutMs`. */
  async nextFinished(name: string, timeoutMs: number): Promise<void> {
    const queue = this.queue(name);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        queue.removeListener('global:completed', done);
        queue.removeListener('global:failed', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      queue.on('global:completed', done);
      queue.on('global:failed', done);
    });
  }

  async counts(): Promise<Record<string, QueueCounts>> {
    const result: Record<string, QueueCounts> = {};
    for (const [name, queue] of this.queues) {
      const c = await queue.getJobCounts();
      result[name] = { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed };
    }
    return result;
  }

  /** bull-board over every registered queue (see ./dashboard.ts). */
  serveDashboard(options: DashboardOptions): Promise<Server> {
    return serveDashboard({ queues: [...this.queues.values()], options });
  }

  /** Small shared state (e.g. the last day each zone was swept), under the prefix. */
  async getField(hash: string, field: string): Promise<string | null> {
    return this.kvClient.hget(`${this.options.prefix}:state:${hash}`, field);
  }

  async setField(hash: string, field: string, value: string): Promise<void> {
    await this.kvClient.hset(`${this.options.prefix}:state:${hash}`, field, value);
  }

  /** Every key under this prefix (tests clean up their own prefix; never flushdb). */
  async deleteAllKeys(): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.kvClient.scan(cursor, 'MATCH', `${this.options.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.kvClient.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }

  /** Stops taking jobs, lets the in-flight ones finish, then closes every connection. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
      await Promise.all(
        this.clients.map(async (client) => {
          if (client.status === 'end') return;
          // Blocking clients (bull's bclient) cannot QUIT while blocked: drop them.
          await client.quit().catch(() => client.disconnect());
        }),
      );
    })();
    return this.closing;
  }
}
