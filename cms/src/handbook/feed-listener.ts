import type { IncomingMessage, OutgoingHttpHeader, Server, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import { authorizeHostApp } from './authorize';
import { feedJson } from './feed-json';
import { readFeed } from './reading';
import { tokenCacheOf } from './token-cache';
import { decodeParam } from './requests';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const FEED_ACTION = 'api::handbook.handbook.feed';
/** The feed's query parameters (requests.ts feedQuery); any other query goes to the Koa stack. */
const FEED_PARAMS = new Set(['at', 'locale', 'limit', 'cursor']);
/** Headers that belong to one response, not to the route: never replayed. */
const OWN_HEADERS = new Set(['content-length', 'content-type', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'etag', 'last-modified']);

/** How many feed reads this process answered below Koa and how many it handed to Koa (tests, diagnosis). */
export interface FeedListenerCounts {
  answered: number;
  passedOn: number;
}
/** Kept on the Strapi instance under a registry symbol, so every copy of this module (built or source) reads the same. */
const COUNTS = Symbol.for('mch.handbook.feedListenerCounts');
type WithCounts = { [COUNTS]?: FeedListenerCounts };

export function feedListenerCounts(strapi: Core.Strapi): FeedListenerCounts {
  return { ...((strapi as unknown as WithCounts)[COUNTS] ?? { answered: 0, passedOn: 0 }) };
}

/**
 * The query string as Strapi's qs parser reads it, for the plain case only: known keys, each once,
 * each with `=`, no brackets or escapes in keys. Anything else (null for "let Koa answer") keeps its
 * qs semantics by going through the full stack.
 */
function plainQuery(search: string): Record<string, string> | null {
  const query: Record<string, string> = {};
  if (search === '') return query;
  for (const pair of search.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    const key = pair.slice(0, eq);
    if (!FEED_PARAMS.has(key) || key in query) return null;
    try {
      query[key] = decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  return query;
}

/** Header names and values, alternating, as `writeHead` accepts them. */
type RouteHeaders = OutgoingHttpHeader[];

/**
 * A feed response's headers: the route's, then its own type and length, as a new flat list. Not
 * `{ ...routeHeaders, type, length }`: a property after a spread (see eslint.config.mjs and
 * `npm run bench:spread`) made most of what reached V8's old space at 1,500 req/s, 3.9 → 1.2–2.2 MB/s
 * when only this literal was changed (BENCHMARKS.md, ninth session).
 */
function responseHeaders(route: RouteHeaders, length: number): OutgoingHttpHeader[] {
  const list: OutgoingHttpHeader[] = [];
  for (const header of route) list.push(header);
  list.push('content-type', 'application/json; charset=utf-8', 'content-length', length);
  return list;
}

/**
 * The host app's most frequent call, `GET /api/handbook/members/:externalId/feed`, answered below Koa
 * when it succeeds (docs/decisions/007). Strapi's global middlewares (errors, security, cors,
 * poweredBy, the request log, session…) cost more per request than the feed itself; what they add
 * to a successful server-to-server read is a fixed set of headers. So:
 * - a feed read goes through the full Koa stack (and its own fast path, host-app-fast-path.ts) until
 *   one has answered 200 without an Origin header; that response's route headers (security, CSP,
 *   powered-by, Vary…) are kept;
 * - after that, a plain feed read (GET, no Origin, known query keys) is authorised and answered here
 *   with the same handler (`readFeed`, the page written by feed-json.ts) and those headers, and logged as
 *   the request log does;
 * - anything else — another path or method, an Origin (CORS), an unusual query, and every error
 *   (401, 403, 404, 400, a database error) — is handed to the Koa stack untouched, which answers it
 *   from scratch (nothing has been written): errors keep Strapi's shape by construction.
 */
export function installFeedListener(strapi: Core.Strapi): void {
  const server = (strapi.server as unknown as { httpServer?: Server }).httpServer;
  if (!server) return;
  const prefix = strapi.config.get<string>('api.rest.prefix', '/api');
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const feedPath = new RegExp(`^${escaped}/handbook/members/([^/?]+)/feed/?(?:\\?(.*))?$`);
  const tokens = tokenCacheOf(strapi);
  const logEnabled = () => strapi.log.isLevelEnabled('http');
  const koa = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  /** The route's headers as a flat [name, value, …] list (responseHeaders). */
  let routeHeaders: RouteHeaders | null = null;
  const count: FeedListenerCounts = { answered: 0, passedOn: 0 };
  (strapi as unknown as WithCounts)[COUNTS] = count;

  const passOn: Listener = (req, res) => {
    for (const listener of koa) listener.call(server, req, res);
  };

  /** The first plain feed read answered 200 by the Koa stack gives the route's headers. */
  const learn: Listener = (req, res) => {
    res.once('finish', () => {
      if (routeHeaders || res.statusCode !== 200) return;
      const headers: RouteHeaders = [];
      for (const [name, value] of Object.entries(res.getHeaders())) if (!OWN_HEADERS.has(name) && value !== undefined) headers.push(name, value);
      routeHeaders = headers;
    });
    passOn(req, res);
  };

  async function answer(req: IncomingMessage, res: ServerResponse, externalId: string, query: Record<string, string>, headers: RouteHeaders): Promise<boolean> {
    const started = Date.now();
    try {
      await authorizeHostApp(tokens, req.headers.authorization, FEED_ACTION);
      // The routed handler's page, written as bytes directly (feed-json.ts: the same bytes as JSON.stringify).
      const body = feedJson(await readFeed(strapi, externalId, query, new Date()));
      res.writeHead(200, responseHeaders(headers, body.length));
      res.end(body);
    } catch {
      return false;
    }
    if (logEnabled()) strapi.log.http(`GET ${req.url?.split('?')[0] ?? ''} (${Date.now() - started} ms) 200`);
    return true;
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = req.method === 'GET' && req.headers.origin === undefined ? feedPath.exec(req.url ?? '') : null;
    if (!match) return passOn(req, res);
    const query = plainQuery(match[2] ?? '');
    count.passedOn += 1; // until answered below
    if (!query) return passOn(req, res);
    if (!routeHeaders) return learn(req, res);
    // Any failure is answered by the Koa stack, from the start: nothing has been written yet.
    void answer(req, res, decodeParam(match[1] ?? ''), query, routeHeaders).then((done) => {
      if (!done) return passOn(req, res);
      count.passedOn -= 1;
      count.answered += 1;
    });
  });
}
