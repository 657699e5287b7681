import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import type { Server } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PerformanceObserver, constants, createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createStrapi } from '@strapi/strapi';

/**
 * The API server for the benchmark, in its own process (the load comes from another one). Prints one
 * JSON line when it listens: the tokens the load generator needs.
 */
async function main(): Promise<void> {
  const appDir = path.resolve(__dirname, '..');
  const app = createStrapi({ appDir, distDir: path.join(appDir, 'dist'), autoReload: false, serveAdminPanel: false });
  await app.start();
  // The load generator asks (SIGUSR2) how many SQL statements ran since it last asked, and the heap.
  let queries = 0;
  app.db.connection.on('query', () => {
    queries += 1;
  });
  // Garbage-collection pauses since the last report: every pause stops the requests being served.
  const gc = { count: 0, totalMs: 0, maxMs: 0, major: 0 };
  // BENCH_SERVER_TRACE_MS=<ms>: each request slower than that in the server, each event-loop stall
  // longer than it, and each major GC or GC pause over 5 ms, printed with its UTC clock time (with
  // BENCH_SERVER_LOG, to find a slow episode of the steady-rate run in time).
  // (bench-api.ts checked both variables before starting this process.)
  const traceMs = Number(process.env.BENCH_SERVER_TRACE_MS ?? 0);
  const clock = (epochMs = Date.now()) => new Date(epochMs).toISOString().slice(11, 23);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.count += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      const major = (entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
      if (major) gc.major += 1;
      if (traceMs > 0 && (major || entry.duration > 5)) {
        process.stdout.write(`trace ${clock(performance.timeOrigin + entry.startTime)} gc ${major ? 'major' : 'minor'} ${entry.duration.toFixed(1)} ms\n`);
      }
    }
  }).observe({ entryTypes: ['gc'] });
  // Time from a request's arrival at the server to its response's last byte written, and the event
  // loop's delays: what of the client's latency the server itself accounts for.
  const served = createHistogram();
  (app.server.httpServer as unknown as Server).prependListener('request', (_req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const ms = performance.now() - started;
      served.record(Math.max(1, Math.round(ms * 1000)));
      if (traceMs > 0 && ms > traceMs) process.stdout.write(`trace ${clock()} request ${ms.toFixed(1)} ms\n`);
    });
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  if (traceMs > 0) {
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      if (now - last - 5 > traceMs) process.stdout.write(`trace ${clock()} loop stalled ${(now - last - 5).toFixed(1)} ms\n`);
      last = now;
    }, 5).unref();
  }
  process.on('SIGUSR2', () => {
    const mb = (bytes: number) => Math.round(bytes / 1048576);
    const { heapUsed, heapTotal, external } = process.memoryUsage();
    const gcReport = { gcCount: gc.count, gcMajor: gc.major, gcTotalMs: Math.round(gc.totalMs), gcMaxMs: Math.round(gc.maxMs) };
    const ms = (ns: number, per = 1e6) => Math.round((ns / per) * 10) / 10;
    const timing = {
      servedP50Ms: ms(served.percentile(50), 1e3),
      servedP99Ms: ms(served.percentile(99), 1e3),
      servedMaxMs: ms(served.max, 1e3),
      loopDelayP99Ms: ms(loopDelay.percentile(99)),
      loopDelayMaxMs: ms(loopDelay.max),
    };
    served.reset();
    loopDelay.reset();
    process.stdout.write(`${JSON.stringify({ queries, heapUsedMb: mb(heapUsed), heapTotalMb: mb(heapTotal), externalMb: mb(external), ...gcReport, ...timing })}\n`);
    queries = 0;
    Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0, major: 0 });
  });
  // BENCH_HEAP_PROFILE=<file>: the allocations of the steady-rate run, sampled (also those collected
  // since). The load generator writes `heap-profile start` / `heap-profile stop` on stdin around that run.
  const heapProfile = process.env.BENCH_HEAP_PROFILE;
  if (heapProfile) {
    const session = new Session();
    session.connect();
    session.post('HeapProfiler.enable');
    // BENCH_HEAP_PROFILE_SURVIVORS=1: leave out what the young generation's collections freed, i.e. keep
    // only what was promoted to the old space (or is still live): what drives the major collections.
    const survivorsOnly = process.env.BENCH_HEAP_PROFILE_SURVIVORS === '1';
    createInterface({ input: process.stdin }).on('line', (line) => {
      if (line === 'heap-profile start') {
        session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivorsOnly });
      } else if (line === 'heap-profile stop') {
        session.post('HeapProfiler.stopSampling', (error, result) => {
          if (error) process.stderr.write(`bench server: heap profile: ${error.message}\n`);
          else writeFileSync(heapProfile, JSON.stringify(result.profile));
        });
      }
    });
  }
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
