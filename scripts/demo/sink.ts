import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../workers/src/push/sign';

export interface SinkMessage {
  notificationId: string;
  externalId: string;
  title: string;
}

/**
 * The demo's stand-in for the host app's push gateway: a local HTTP server that checks the signature
 * and timestamp the way the real gateway must, answers 204, and keeps what it accepted (deduplicated
 * by notificationId, as the gateway contract requires).
 */
export class PushSink {
  readonly accepted = new Map<string, SinkMessage>();
  rejected = 0;
  private server: http.Server | null = null;
  url = '';

  constructor(private readonly secret: string) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const ok = verify({
          secret: this.secret,
          timestamp: req.headers[TIMESTAMP_HEADER] as string | undefined,
          signature: req.headers[SIGNATURE_HEADER] as string | undefined,
          body,
          nowSeconds: Math.floor(Date.now() / 1000),
        });
        if (!ok) {
          this.rejected += 1;
          res.writeHead(401).end();
          return;
        }
        const message = JSON.parse(body) as SinkMessage;
        if (!this.accepted.has(message.notificationId)) this.accepted.set(message.notificationId, message);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/push`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = null;
  }
}
