import http from 'node:http';
import https from 'node:https';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, sign } from './sign';

export interface PushMessage {
  externalId: string;
  title: string;
  body: string;
  deepLink: string;
  notificationId: string;
}

export type PushResult =
  | { kind: 'sent'; statusCode: number; durationMs: number }
  | { kind: 'retryable'; statusCode: number | null; error: string; durationMs: number }
  | { kind: 'permanent'; statusCode: number; error: string; durationMs: number };

export interface PushClient {
  post(input: { message: PushMessage; nowMs: number }): Promise<PushResult>;
  close(): void;
}

/**
 * The host app's push gateway over keep-alive connections (at most `maxSockets` at once): a new TCP
 * connection per push cost more than the push itself. 2xx = sent; 5xx, 408, 429, timeouts and
 * connection errors = retryable; other 4xx = permanent. Never returns or logs the request body.
 */
export function createPushClient(options: { url: string; secret: string; timeoutMs: number; maxSockets: number }): PushClient {
  const target = new URL(options.url);
  const lib = target.protocol === 'https:' ? https : http;
  const agent = new lib.Agent({ keepAlive: true, maxSockets: options.maxSockets, keepAliveMsecs: 10_000 });
  // Parsed once: a URL passed to request() is converted to options again on every push.
  const base = {
    protocol: target.protocol,
    hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
    port: target.port || undefined,
    path: `${target.pathname}${target.search}`,
    auth: target.username ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}` : undefined,
    method: 'POST',
    agent,
  };

  const post = ({ message, nowMs }: { message: PushMessage; nowMs: number }): Promise<PushResult> => {
    const body = JSON.stringify(message);
    const timestamp = Math.floor(nowMs / 1000);
    const started = Date.now();
    const elapsed = () => Date.now() - started;
    return new Promise<PushResult>((resolve) => {
      let settled = false;
      const done = (result: PushResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = lib.request(
        Object.assign({}, base, {
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: sign({ secret: options.secret, timestamp, body }),
          },
        }),
      );
      // The whole exchange (connect, send, answer), not an idle timeout: a slow gateway is retried.
      const timer = setTimeout(() => {
        done({ kind: 'retryable', statusCode: null, error: `timeout after ${options.timeoutMs} ms`, durationMs: elapsed() });
        req.destroy();
      }, options.timeoutMs);
      req.on('response', (res) => {
        // Drained, never read into logs: the gateway's answer may echo the message.
        res.resume();
        res.on('error', () => undefined);
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const durationMs = elapsed();
          if (status >= 200 && status < 300) done({ kind: 'sent', statusCode: status, durationMs });
          else if (status >= 500 || status === 408 || status === 429) done({ kind: 'retryable', statusCode: status, error: `HTTP ${status}`, durationMs });
          else done({ kind: 'permanent', statusCode: status, error: `HTTP ${status}`, durationMs });
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        done({ kind: 'retryable', statusCode: null, error: `${error.name}: ${error.code ?? error.message}`.slice(0, 300), durationMs: elapsed() });
      });
      req.end(body);
    });
  };

  return { post, close: () => agent.destroy() };
}
