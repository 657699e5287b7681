import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '../../workers/src/push/sign';

export interface Delivery {
  notificationId: string;
  externalId: string;
  title: string;
}

/**
 * A real push gateway for the tests: verifies the signature and timestamp like the host app's would,
 * answers what the test scripts (default 200), counts accepted deliveries and treats notificationId
 * as an idempotency key (a repeat is answered 200 and counted apart).
 */
export class TestGateway {
  readonly deliveries: Delivery[] = [];
  readonly repeats: string[] = [];
  readonly rejected: string[] = [];
  /** Every request, in order, with the status it got. */
  readonly requests: Array<{ notificationId: string; externalId: string; status: number }> = [];
  private readonly seen = new Set<string>();
  private readonly scripted = new Map<string, number[]>();
  private readonly events = new EventEmitter();
  private server: http.Server | null = null;
  url = '';

  constructor(readonly secret: string) {
    this.events.setMaxListeners(100);
  }

  /** The next answers for one member's pushes (e.g. [500] then the default 200). */
  script(externalId: string, statuses: number[]): void {
    this.scripted.set(externalId, [...statuses]);
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const ok = verify({
          secret: this.secret,
          timestamp: req.headers['x-mch-timestamp'] as string | undefined,
          signature: req.headers['x-mch-signature'] as string | undefined,
          body: raw,
          nowSeconds: Math.floor(Date.now() / 1000),
        });
        if (!ok) {
          this.rejected.push(raw.length.toString());
          res.writeHead(401).end();
          return;
        }
        const message = JSON.parse(raw) as Delivery;
        const id = message.notificationId;
        const next = this.scripted.get(message.externalId)?.shift();
        const status = next ?? 200;
        this.requests.push({ notificationId: id, externalId: message.externalId, status });
        if (status >= 200 && status < 300) {
          if (this.seen.has(id)) this.repeats.push(id);
          else {
            this.seen.add(id);
            this.deliveries.push({ notificationId: id, externalId: message.externalId, title: message.title });
          }
        }
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
        this.events.emit('request');
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/push`;
  }

  /** Resolves once the condition holds, re-checked on each request (no polling). */
  until(condition: () => boolean, { timeoutMs = 30_000, what = 'gateway condition' } = {}): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', check);
        reject(new Error(`timed out waiting for ${what} (${this.deliveries.length} delivered, ${this.requests.length} requests)`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.events.off('request', check);
        resolve();
      };
      this.events.on('request', check);
    });
  }

  waitForDeliveries(n: number, timeoutMs = 30_000): Promise<void> {
    return this.until(() => this.deliveries.length >= n, { timeoutMs, what: `${n} deliveries` });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
