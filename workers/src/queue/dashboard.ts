/**
 * bull-board, the queue dashboard for admins: served by a worker process on an ops port bound to
 * 127.0.0.1 (reach it through an SSH tunnel or a sidecar), behind HTTP Basic credentials from the
 * environment (no fallback). Every request without them gets 401; nothing is logged but counts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type Bull from 'bull';

export interface DashboardOptions {
  port: number;
  user: string;
  password: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => void;

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time whatever the lengths: both sides are hashed first. */
function authorised(header: string | undefined, expected: Buffer): boolean {
  if (!header?.startsWith('Basic ')) return false;
  return timingSafeEqual(digest(Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')), expected);
}

export async function serveDashboard(input: { queues: Bull.Queue[]; options: DashboardOptions }): Promise<http.Server> {
  const adapter = new ExpressAdapter();
  adapter.setBasePath('');
  createBullBoard({ queues: input.queues.map((q) => new BullAdapter(q)), serverAdapter: adapter });
  const app = adapter.getRouter() as Handler;
  const expected = digest(`${input.options.user}:${input.options.password}`);
  const server = http.createServer((req, res) => {
    if (!authorised(req.headers.authorization, expected)) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="mch-queues", charset="UTF-8"', 'content-type': 'text/plain' }).end('401 Unauthorized\n');
      return;
    }
    app(req, res, () => void res.writeHead(404).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.options.port, '127.0.0.1', () => resolve());
  });
  return server;
}
