import net from 'node:net';
import { PerformanceObserver, createHistogram, monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface LoadResult {
  /** Responses per second over the run. */
  rps: number;
  /** Latency percentiles and maximum, ms. */
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Responses that were not 2xx, plus requests that failed (connection error, unreadable response). */
  non2xx: number;
  /** Responses received. */
  total: number;
  /** The seconds of the run (by when requests were due) with the most requests over 50 ms: `second (UTC clock time): count (max ms)`. */
  slowest?: string;
  /** The load generator's own longest event-loop stall, ms: a stall here delays requests as a server stall would. */
  loaderStallMs?: number;
}

interface Pending {
  /** When the request was due (performance.now()), not when it could be sent. */
  due: number;
  /** When the load generator got to it (performance.now()): later than `due` when its own loop was late. */
  dispatched: number;
}

/** What happened in one second of the run (by due time), to tell a slow server from a late load generator. */
interface Second {
  /** Requests over SLOW_MS, and the largest latency. */
  count: number;
  max: number;
  /** The load generator's largest lateness in dispatching a request, ms. */
  late: number;
  /** The longest a dispatched request waited for a free connection (all busy), ms. */
  waited: number;
  /** The load generator's own GC pauses, ms in total. */
  gc: number;
}

/** The latency target: requests slower than this are located in time (LoadResult.slowest). */
const SLOW_MS = 50;
/**
 * Keep-alive connections, opened before the run as a server-to-server client's pool would be (the
 * closed-loop runs use as many); a request due while all are busy waits for one, and the wait counts
 * in its latency.
 */
const CONNECTIONS = 32;

/**
 * An open-loop load at a fixed rate, as wrk2 does it: request i is due at start + i / rate, whatever
 * the server answered before, and its latency is counted from when it was due (no coordinated
 * omission: a server that stalls for 100 ms is charged for every request due during the stall).
 * autocannon's `overallRate` is a per-second quota that each connection spends as fast as the server
 * answers, then waits for the next second: a fixed rate on average, but a burst at full speed.
 *
 * HTTP/1.1 keep-alive over raw sockets, one request in flight per connection; a response is read by
 * its Content-Length (the API sends one on every JSON response).
 */
export function openLoop({
  port,
  rate,
  seconds,
  headers,
  pathFor,
}: {
  port: number;
  rate: number;
  seconds: number;
  headers: Record<string, string>;
  pathFor: () => string;
}): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const headerLines = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const request = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${headerLines}\r\n`, 'latin1');
  const latency = createHistogram();
  const idle: Connection[] = [];
  const queue: Pending[] = [];
  let open = 0;
  let sent = 0;
  let done = 0;
  let failed = 0;
  let non2xx = 0;
  let start = 0;
  /** Date.now() at `start`: the slow seconds are also given as clock time, to find them in other logs. */
  let startClock = 0;
  let finish: (result: LoadResult) => void = () => undefined;
  /** Per second of the run, by due time. */
  const bySecond = new Map<number, Second>();
  const secondOf = (time: number): Second => {
    const key = Math.floor((time - start) / 1000);
    let entry = bySecond.get(key);
    if (!entry) bySecond.set(key, (entry = { count: 0, max: 0, late: 0, waited: 0, gc: 0 }));
    return entry;
  };
  const ownGc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (start > 0) secondOf(entry.startTime).gc += entry.duration;
  });
  const ownDelay = monitorEventLoopDelay({ resolution: 10 });

  const settle = () => {
    if (done + failed < total) return;
    const wall = (performance.now() - start) / 1000;
    for (const c of idle) c.socket.destroy();
    ownDelay.disable();
    ownGc.disconnect();
    const ms = (percentile: number) => Math.round(latency.percentile(percentile) / 100) / 10;
    finish({
      rps: done / wall,
      p50: ms(50),
      p99: ms(99),
      p999: ms(99.9),
      max: Math.round(latency.max / 100) / 10,
      non2xx: non2xx + failed,
      total: done,
      loaderStallMs: Math.round(ownDelay.max / 1e5) / 10,
      slowest: [...bySecond]
        .filter(([, { count }]) => count > 0)
        .sort((a, b) => b[1].count - a[1].count)
        .slice(0, 5)
        .map(
          ([second, { count, max, late, waited, gc }]) =>
            `${second} s (${new Date(startClock + second * 1000).toISOString().slice(11, 19)}): ${count} (${Math.round(max)} ms; loader late ≤ ${Math.round(late)} ms, waited for a connection ≤ ${Math.round(waited)} ms, loader GC ${Math.round(gc)} ms)`,
        )
        .join(', '),
    });
  };

  class Connection {
    readonly socket: net.Socket;
    private buffer: Buffer = Buffer.alloc(0);
    private current: Pending | null = null;

    constructor() {
      open += 1;
      this.socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
      this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
      this.socket.on('error', () => undefined);
      this.socket.on('close', () => {
        open -= 1;
        const at = idle.indexOf(this);
        if (at >= 0) idle.splice(at, 1);
        if (this.current) {
          this.current = null;
          failed += 1;
        }
        if (open === 0 && start > 0) {
          // Every connection is gone: what is still waiting or not yet due can no longer be sent.
          failed += queue.length + (total - sent);
          queue.length = 0;
          sent = total;
        }
        settle();
      });
    }

    send(pending: Pending): void {
      const second = secondOf(pending.due);
      second.waited = Math.max(second.waited, performance.now() - pending.dispatched);
      this.current = pending;
      this.socket.write(request(pathFor()));
    }

    private onData(chunk: Buffer): void {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = this.buffer.toString('latin1', 0, headEnd);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) {
        this.socket.destroy(); // counted as failed by the close handler
        return;
      }
      const end = headEnd + 4 + Number(length[1]);
      if (this.buffer.length < end) return;
      const status = Number(head.slice(9, 12));
      const pending = this.current;
      this.current = null;
      this.buffer = this.buffer.subarray(end);
      if (pending) {
        const ms = performance.now() - pending.due;
        latency.record(Math.max(1, Math.round(ms * 1000)));
        if (ms > SLOW_MS) {
          const second = secondOf(pending.due);
          second.count += 1;
          second.max = Math.max(second.max, ms);
        }
        done += 1;
        if (status < 200 || status > 299) non2xx += 1;
      }
      const next = queue.shift();
      if (next) this.send(next);
      else idle.push(this);
      settle();
    }
  }

  const dispatch = (pending: Pending) => {
    const connection = idle.pop();
    if (connection) connection.send(pending);
    else queue.push(pending);
  };

  return new Promise<LoadResult>((resolve, reject) => {
    finish = resolve;
    const pool = Array.from({ length: CONNECTIONS }, () => new Connection());
    const ready = (c: Connection) =>
      new Promise((settled) => {
        c.socket.once('connect', settled);
        c.socket.once('error', settled);
      });
    void Promise.all(pool.map(ready)).then(() => {
      if (open < CONNECTIONS) return reject(new Error(`open loop: ${CONNECTIONS - open} of ${CONNECTIONS} connections failed`));
      idle.push(...pool);
      run();
    });
  });

  function run(): void {
    ownDelay.enable();
    ownGc.observe({ entryTypes: ['gc'] });
    start = performance.now();
    startClock = Date.now();
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        const due = start + sent * interval;
        const second = secondOf(due);
        second.late = Math.max(second.late, now - due);
        dispatch({ due, dispatched: now });
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  }
}
