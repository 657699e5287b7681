/**
 * Worker configuration, parsed once at start. Every error names its variable; the push secret has no
 * fallback (a worker that would push unsigned or with a guessable key must not start).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface WorkerConfig {
  redisUrl: string;
  /** bull key prefix: one per deployment (and one per test file). */
  queuePrefix: string;
  push: { url: string; secret: string; timeoutMs: number } | null;
  staleAfterDays: number;
  pushDailyCap: number;
  sweepEveryMinutes: number;
  /** Rows per candidate page (keyset pagination) and per chunk job. */
  sweepPageSize: number;
  deliveryAttempts: number;
  deliveryBackoffMs: number;
  /** Delivery jobs handled at once by a process (bull concurrency); each carries up to `deliveryBatchSize` notifications. */
  deliveryConcurrency: number;
  /** At most this many notifications per delivery job (one claim, one attempts insert, one final update). */
  deliveryBatchSize: number;
  /** Keep-alive connections to the push gateway per process. */
  pushMaxSockets: number;
  chunkConcurrency: number;
  /** A row left in 'sending' longer than this (a worker died mid-push) may be claimed again. */
  sendingLeaseMs: number;
  /** bull lock duration: a job whose worker stops renewing it for this long is stalled and re-run. */
  jobLockMs: number;
  reconcileEveryMs: number;
  /** A pending row overdue by this long without a live job is re-queued. */
  reconcileGraceMs: number;
  metricsPort: number | null;
  /** bull-board on 127.0.0.1:port behind Basic credentials (null = off). */
  dashboard: { port: number; user: string; password: string } | null;
  /** The queues this process consumes (null = all): e.g. dedicated sweep and delivery processes. */
  consume: QueueName[] | null;
  /** Pins the clock's start (replays, tests); refused in production. */
  clockStart: Date | null;
}

type Env = Record<string, string | undefined>;

export const QUEUE_NAMES = ['sweep', 'sweep-chunk', 'deliver', 'reconcile'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

function queueList(env: Env, name: string): QueueName[] | null {
  const raw = text(env, name);
  if (raw === undefined) return null;
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const unknown = names.filter((n) => !(QUEUE_NAMES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) throw new ConfigError(name, `must list queues among ${QUEUE_NAMES.join(', ')} (comma-separated), got "${raw}"`);
  return names as QueueName[];
}

function text(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = text(env, name) ?? fallback;
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a URL');
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  return raw;
}

export function parseConfig(env: Env = process.env): WorkerConfig {
  const pushUrl = url(env, 'PUSH_GATEWAY_URL', undefined, ['http:', 'https:']);
  let push: WorkerConfig['push'] = null;
  if (pushUrl) {
    const secret = text(env, 'PUSH_GATEWAY_SECRET');
    if (!secret) throw new ConfigError('PUSH_GATEWAY_SECRET', 'missing secret: required when PUSH_GATEWAY_URL is set (no fallback)');
    if (secret.length < 16) throw new ConfigError('PUSH_GATEWAY_SECRET', 'must be at least 16 characters');
    push = { url: pushUrl, secret, timeoutMs: int(env, 'PUSH_TIMEOUT_MS', 10_000, 100, 120_000) };
  } else if (text(env, 'NODE_ENV') === 'production') {
    throw new ConfigError('PUSH_GATEWAY_URL', 'required in production');
  }
  const prefix = text(env, 'QUEUE_PREFIX') ?? 'mch';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(prefix)) throw new ConfigError('QUEUE_PREFIX', 'letters, digits, _ . - only (1–64)');
  const metricsPort = int(env, 'METRICS_PORT', 0, 0, 65535);
  const dashboardPort = int(env, 'QUEUE_DASHBOARD_PORT', 0, 0, 65535);
  let dashboard: WorkerConfig['dashboard'] = null;
  if (dashboardPort !== 0) {
    const user = text(env, 'QUEUE_DASHBOARD_USER');
    const password = text(env, 'QUEUE_DASHBOARD_PASSWORD');
    if (!user) throw new ConfigError('QUEUE_DASHBOARD_USER', 'required when QUEUE_DASHBOARD_PORT is set (no fallback)');
    if (user.includes(':')) throw new ConfigError('QUEUE_DASHBOARD_USER', 'must not contain ":"');
    if (!password) throw new ConfigError('QUEUE_DASHBOARD_PASSWORD', 'required when QUEUE_DASHBOARD_PORT is set (no fallback)');
    if (password.length < 16) throw new ConfigError('QUEUE_DASHBOARD_PASSWORD', 'must be at least 16 characters');
    dashboard = { port: dashboardPort, user, password };
  }
  const clockRaw = text(env, 'WORKERS_CLOCK_START');
  let clockStart: Date | null = null;
  if (clockRaw) {
    if (text(env, 'NODE_ENV') === 'production') throw new ConfigError('WORKERS_CLOCK_START', 'must not be set in production');
    clockStart = new Date(clockRaw);
    if (Number.isNaN(clockStart.getTime())) throw new ConfigError('WORKERS_CLOCK_START', 'is not an ISO instant');
  }
  return {
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    queuePrefix: prefix,
    push,
    staleAfterDays: int(env, 'STALE_AFTER_DAYS', 2, 0, 30),
    pushDailyCap: int(env, 'PUSH_DAILY_CAP', 3, 0, 100),
    sweepEveryMinutes: int(env, 'SWEEP_EVERY_MINUTES', 15, 1, 24 * 60),
    sweepPageSize: int(env, 'SWEEP_PAGE_SIZE', 2000, 10, 50_000),
    deliveryAttempts: int(env, 'DELIVERY_ATTEMPTS', 6, 1, 50),
    deliveryBackoffMs: int(env, 'DELIVERY_BACKOFF_MS', 5_000, 1, 3_600_000),
    deliveryConcurrency: int(env, 'DELIVERY_CONCURRENCY', 4, 1, 64),
    deliveryBatchSize: int(env, 'DELIVERY_BATCH_SIZE', 250, 1, 1000),
    pushMaxSockets: int(env, 'PUSH_MAX_SOCKETS', 64, 1, 1024),
    chunkConcurrency: int(env, 'SWEEP_CONCURRENCY', 2, 1, 64),
    sendingLeaseMs: int(env, 'SENDING_LEASE_MS', 120_000, 1_000, 3_600_000),
    jobLockMs: int(env, 'JOB_LOCK_MS', 30_000, 1_000, 600_000),
    reconcileEveryMs: int(env, 'RECONCILE_EVERY_MS', 60_000, 1_000, 3_600_000),
    reconcileGraceMs: int(env, 'RECONCILE_GRACE_MS', 60_000, 0, 3_600_000),
    metricsPort: metricsPort === 0 ? null : metricsPort,
    dashboard,
    consume: queueList(env, 'WORKERS_CONSUME'),
    clockStart,
  };
}
