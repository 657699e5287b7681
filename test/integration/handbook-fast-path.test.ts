import { randomBytes } from 'node:crypto';
import { addDays, localDay } from '@mch/rules';
import { ActivityRecorder } from '../../cms/src/handbook/activity';
import { feedListenerCounts } from '../../cms/src/handbook/feed-listener';
import { MemberReader } from '../../cms/src/handbook/journeys';
import type { MemberRow } from '../../cms/src/handbook/tables';
import { TOKEN_CACHE_MS, TOKEN_REFRESH_AHEAD_MS, TokenCache } from '../../cms/src/handbook/token-cache';
import { bootApp, HOST_APP_ACTIONS, type TestApp } from '../helpers/app';
import { uniqueSlug } from '../helpers/factories';

interface TokenService {
  create(attrs: Record<string, unknown>): Promise<{ id: number; accessKey: string }>;
  update(id: number, attrs: Record<string, unknown>): Promise<unknown>;
  revoke(id: number): Promise<unknown>;
  hash(accessKey: string): string;
}

/** Headers whose value depends on the response itself. */
const VARYING = new Set(['content-length', 'date', 'etag', 'connection', 'keep-alive']);
const stableHeaders = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !VARYING.has(name)));

/** The host-app API's fast path (docs/decisions/007) keeps every rule it replaces. */
describe('host-app API fast path (real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  let adminToken: string;
  const today = () => localDay(new Date(), 'Asia/Shanghai');
  const memberPath = (id: string) => `/api/handbook/members/${id}`;
  const tokens = () => app.strapi.service('admin::api-token-content-api') as unknown as TokenService;
  const knex = () => app.strapi.db.connection;

  const newToken = (permissions = HOST_APP_ACTIONS) =>
    tokens().create({ name: `cache-test-${randomBytes(4).toString('hex')}`, kind: 'content-api', type: 'custom', lifespan: null, permissions });

  const newMember = async () => {
    const id = uniqueSlug('m');
    const res = await app.http().put(memberPath(id)).set({ Authorization: `Bearer ${adminToken}` }).send({ consent: { version: 'v1', at: '2026-11-01T08:00:00+08:00' } });
    expect(res.status).toBe(201);
    return id;
  };

  const feedStatus = async (id: string, accessKey: string) =>
    (await app.http().get(`${memberPath(id)}/feed`).set({ Authorization: `Bearer ${accessKey}` })).status;

  const activityRows = async (id: string) =>
    knex()<{ day: string }>('hb_member_activity as a').join('hb_members as m', 'm.id', 'a.member_id').where('m.external_id', id).select('a.day');

  const memberRow = async (id: string) => (await knex()('hb_members').where({ external_id: id }).first()) as MemberRow;

  beforeAll(async () => {
    app = await bootApp();
    adminToken = (await newToken()).accessKey;
  });
  afterAll(async () => {
    await app.close();
  });

  describe('token cache', () => {
    it('refuses a revoked token at once (401), although it was just used', async () => {
      const member = await newMember();
      const token = await newToken();
      expect(await feedStatus(member, token.accessKey)).toBe(200);
      expect(await feedStatus(member, token.accessKey)).toBe(200);
      await tokens().revoke(token.id);
      expect(await feedStatus(member, token.accessKey)).toBe(401);
    });

    it('applies a change of permissions at once (403)', async () => {
      const member = await newMember();
      const token = await newToken();
      expect(await feedStatus(member, token.accessKey)).toBe(200);
      await tokens().update(token.id, { permissions: HOST_APP_ACTIONS.filter((a) => !a.endsWith('.feed')) });
      expect(await feedStatus(member, token.accessKey)).toBe(403);
      await tokens().update(token.id, { permissions: HOST_APP_ACTIONS });
      expect(await feedStatus(member, token.accessKey)).toBe(200);
    });

    it('answers concurrent first requests with a new token alike', async () => {
      const member = await newMember();
      const token = await newToken();
      const statuses = await Promise.all(Array.from({ length: 10 }, () => feedStatus(member, token.accessKey)));
      expect(statuses).toEqual(Array(10).fill(200));
      expect(await feedStatus(member, 'unknown-token')).toBe(401);
    });

    it('keys its entries by a digest, never the access key, and refuses a key one character off a cached one', async () => {
      const member = await newMember();
      const token = await newToken();
      expect(await feedStatus(member, token.accessKey)).toBe(200);
      const cache = new TokenCache(app.strapi);
      expect((await cache.get(token.accessKey))?.permissions).toEqual(expect.arrayContaining(HOST_APP_ACTIONS));
      const keys = [...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()];
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toContain(token.accessKey);
      expect(keys[0]).not.toBe(tokens().hash(token.accessKey));
      const last = token.accessKey.slice(-1);
      const offByOne = `${token.accessKey.slice(0, -1)}${last === 'a' ? 'b' : 'a'}`;
      expect(await cache.get(offByOne)).toBeNull();
      expect(await feedStatus(member, offByOne)).toBe(401);
    });
  });

  describe('token cache refresh ahead of expiry (handbook/token-cache.ts)', () => {
    /** SQL statements reading the token tables while `fn` runs. */
    const tokenReads = async (fn: () => Promise<unknown>) => {
      let n = 0;
      const count = (q: { sql: string }) => {
        if (/strapi_api_token/.test(q.sql)) n += 1;
      };
      knex().on('query', count);
      try {
        await fn();
        await new Promise((r) => setTimeout(r, 200)); // a background refresh, if one was started
      } finally {
        knex().off('query', count);
      }
      return n;
    };

    it('re-reads a token in use before its entry expires, never serves it after, and sees a change then', async () => {
      const cache = new TokenCache(app.strapi);
      const token = await newToken();
      const t0 = Date.now();
      const first = await cache.get(token.accessKey, t0);
      expect(first?.permissions).toEqual(expect.arrayContaining(HOST_APP_ACTIONS));
      // Within the entry's life and before the refresh window: no query.
      expect(await tokenReads(() => cache.get(token.accessKey, t0 + 100))).toBe(0);
      // In the refresh window: answered from the entry at once, and the token is read again behind it.
      // The change is written as another process would (no lifecycle event here to clear the cache).
      await knex()('strapi_api_tokens').where({ id: token.id }).update({ type: 'read-only' });
      let answered: Awaited<ReturnType<TokenCache['get']>> | undefined;
      const inWindow = t0 + TOKEN_CACHE_MS - TOKEN_REFRESH_AHEAD_MS + 100;
      expect(await tokenReads(async () => (answered = await cache.get(token.accessKey, inWindow)))).toBeGreaterThan(0);
      expect(answered?.type).toBe('custom'); // the entry's value: this request did not wait for the query
      // The refreshed entry answers with the change, without another query.
      let after: Awaited<ReturnType<TokenCache['get']>> | undefined;
      expect(await tokenReads(async () => (after = await cache.get(token.accessKey, inWindow + 1)))).toBe(0);
      expect(after?.type).toBe('read-only');
      // Past every entry's life the cache waits for the database: a revoked token is refused.
      await tokens().revoke(token.id);
      expect(await cache.get(token.accessKey, Date.now() + 2 * TOKEN_CACHE_MS)).toBeNull();
    });
  });

  describe('member reads batched within a short window (handbook/journeys.ts MemberReader)', () => {
    it('answers many concurrent reads with few statements, each with its own member, and unknown ids with null', async () => {
      const ids = await Promise.all(Array.from({ length: 12 }, () => newMember()));
      const reader = new MemberReader(knex);
      let statements = 0;
      const count = (q: { sql: string }) => {
        if (/from "hb_members"/i.test(q.sql)) statements += 1;
      };
      knex().on('query', count);
      let found: Array<Awaited<ReturnType<MemberReader['read']>>>;
      try {
        found = await Promise.all([...ids, 'no-such-member', ids[0]!].map((id) => reader.read(id)));
      } finally {
        knex().off('query', count);
      }
      expect(statements).toBe(1);
      expect(found.map((f) => f?.member.external_id ?? null)).toEqual([...ids, null, ids[0]]);
      expect(found.every((f, i) => i === ids.length || Array.isArray(f?.journeys))).toBe(true);
    });

    it('while reads are frequent, lets reads asked in different turns of the event loop share one statement; a lone read waits for none', async () => {
      const [a, b, c, d] = await Promise.all([newMember(), newMember(), newMember(), newMember()]);
      // A window far wider than two turns of the event loop, so that what joins a batch does not depend on timing.
      const reader = new MemberReader(knex, 200);
      let statements = 0;
      const count = (q: { sql: string }) => {
        if (/from "hb_members"/i.test(q.sql)) statements += 1;
      };
      const turn = () => new Promise((r) => setImmediate(r));
      knex().on('query', count);
      let lone: Array<Awaited<ReturnType<MemberReader['read']>>>;
      let found: Array<Awaited<ReturnType<MemberReader['read']>>>;
      try {
        // A lone read (no statement sent lately) goes at the next turn: a read asked two turns later is not in it.
        const first = reader.read(a);
        await turn();
        await turn();
        const started = Date.now();
        const late = reader.read(b);
        lone = await Promise.all([first, late]);
        expect(statements).toBe(2);
        // ...and the read after it (a statement went out just now) waited for the window.
        expect(Date.now() - started).toBeGreaterThanOrEqual(150);
        // Reads are frequent now: reads arriving a little apart, each in a turn of its own, as at a steady rate, share one.
        statements = 0;
        await new Promise((r) => setTimeout(r, 50)); // no statement lately: the primer goes alone, at once
        const primer = reader.read(a);
        await turn(); // the primer's statement goes out
        const second = reader.read(b);
        await turn();
        const third = reader.read(c);
        await turn();
        const fourth = reader.read(d);
        found = await Promise.all([second, third, fourth]);
        await primer;
      } finally {
        knex().off('query', count);
      }
      expect(statements).toBe(2); // the primer's and one for the three
      expect(lone.map((f) => f?.member.external_id)).toEqual([a, b]);
      expect(found.map((f) => f?.member.external_id)).toEqual([b, c, d]);
    });

    it('keeps no answer between statements: a read asked after a loss is recorded sees the loss, and so does the feed', async () => {
      const member = await newMember();
      const auth = { Authorization: `Bearer ${adminToken}` };
      const created = await app.http().post(`${memberPath(member)}/journeys`).set(auth).send({ kind: 'pregnancy', lmp: addDays(today(), -70) });
      expect(created.status).toBe(201);
      const reader = new MemberReader(knex);
      const beforeStatus = (await reader.read(member))?.journeys[0]?.status;
      const loss = await app.http().post(`${memberPath(member)}/journeys/${created.body.data.id}/events`).set(auth).send({ type: 'loss', date: today() });
      expect(loss.status).toBe(201);
      const after = await reader.read(member);
      expect(beforeStatus).toBe('active');
      expect(after?.journeys[0]?.status).toBe('loss');
      const feed = await app.http().get(`${memberPath(member)}/feed`).set(auth);
      expect(feed.status).toBe(200);
      expect(feed.body.data.items.filter((i: { reason: { stage: string } }) => i.reason.stage === 'pregnancy')).toEqual([]);
    });
  });

  describe('the feed answered before the router (middlewares/host-app-fast-path.ts)', () => {

    it('sends the same headers as a routed host-app read (security, powered-by, JSON)', async () => {
      const member = await newMember();
      const auth = { Authorization: `Bearer ${adminToken}` };
      const fed = await app.http().get(`${memberPath(member)}/feed`).set(auth);
      const routed = await app.http().get(`${memberPath(member)}/upcoming`).set(auth);
      expect(fed.status).toBe(200);
      expect(routed.status).toBe(200);
      expect(fed.headers['content-security-policy']).toBeTruthy();
      expect(fed.headers['x-content-type-options']).toBe('nosniff');
      expect(stableHeaders(fed.headers as Record<string, string>)).toEqual(stableHeaders(routed.headers as Record<string, string>));
      // With an Origin, CORS answers on both alike.
      const origin = { ...auth, Origin: 'https://host-app.example' };
      const fedCors = await app.http().get(`${memberPath(member)}/feed`).set(origin);
      const routedCors = await app.http().get(`${memberPath(member)}/upcoming`).set(origin);
      expect(fedCors.headers['access-control-allow-origin']).toBe(routedCors.headers['access-control-allow-origin']);
      expect(fedCors.headers.vary).toBe(routedCors.headers.vary);
    });

    it('answers errors in the shape and with the statuses of the routed API', async () => {
      const member = await newMember();
      const routedNoToken = await app.http().get(`${memberPath(member)}/upcoming`);
      const noToken = await app.http().get(`${memberPath(member)}/feed`);
      expect(noToken.status).toBe(401);
      expect(routedNoToken.status).toBe(401);
      expect(noToken.body).toEqual(routedNoToken.body);
      expect(noToken.body.error).toMatchObject({ status: 401, name: 'UnauthorizedError' });

      const feedOnly = await newToken(['api::handbook.handbook.feed']);
      const upcomingOnly = await newToken(['api::handbook.handbook.upcoming']);
      const routedForbidden = await app.http().get(`${memberPath(member)}/upcoming`).set({ Authorization: `Bearer ${feedOnly.accessKey}` });
      const forbidden = await app.http().get(`${memberPath(member)}/feed`).set({ Authorization: `Bearer ${upcomingOnly.accessKey}` });
      expect(routedForbidden.status).toBe(403);
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toEqual(routedForbidden.body);

      const auth = { Authorization: `Bearer ${adminToken}` };
      const unknown = await app.http().get(`${memberPath('nobody-' + randomBytes(3).toString('hex'))}/feed`).set(auth);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatchObject({ status: 404, name: 'NotFoundError', message: 'member not found' });

      const bad = await app.http().get(`${memberPath(member)}/feed`).query({ limit: 'many', colour: 'red' }).set(auth);
      expect(bad.status).toBe(400);
      expect(bad.body.error.name).toBe('ValidationError');
      const fields = (bad.body.error.details.errors as Array<{ field: string }>).map((e) => e.field).sort();
      expect(fields).toEqual(expect.arrayContaining(['query.limit']));
      expect(fields.some((f) => f.includes('colour') || f === 'query')).toBe(true);
    });

    it('decodes the member id as the router does, trailing slash included', async () => {
      const id = `${uniqueSlug('m')}.é`;
      const res = await app.http().put(memberPath(encodeURIComponent(id))).set({ Authorization: `Bearer ${adminToken}` }).send({ consent: { version: 'v1', at: '2026-11-01T08:00:00+08:00' } });
      if (res.status !== 201) {
        // Ids the schema refuses are refused alike on the feed.
        const feed = await app.http().get(`${memberPath(encodeURIComponent(id))}/feed`).set({ Authorization: `Bearer ${adminToken}` });
        expect(feed.status).toBe(res.status);
        expect(feed.body.error.details).toEqual(res.body.error.details);
        return;
      }
      for (const path of [`${memberPath(encodeURIComponent(id))}/feed`, `${memberPath(encodeURIComponent(id))}/feed/`]) {
        const feed = await app.http().get(path).set({ Authorization: `Bearer ${adminToken}` });
        expect(feed.status).toBe(200);
        expect(feed.body.data.items).toEqual([]);
      }
    });

    it("sends nothing to Strapi's telemetry: request URLs carry member ids and dates", () => {
      // With telemetry on, Strapi counts API requests and posts their URL to its analytics service.
      expect(app.strapi.telemetry.isDisabled).toBe(true);
    });

    it('leaves other methods and paths to the router', async () => {
      const member = await newMember();
      const auth = { Authorization: `Bearer ${adminToken}` };
      expect((await app.http().post(`${memberPath(member)}/feed`).set(auth)).status).toBe(405);
      expect((await app.http().get(`${memberPath(member)}/feed/more`).set(auth)).status).toBe(404);
    });
  });

  describe('the feed answered below Koa when it succeeds (handbook/feed-listener.ts)', () => {
    it('answers a plain read itself, with the body and headers the Koa stack gives the same read', async () => {
      const member = await newMember();
      const auth = { Authorization: `Bearer ${adminToken}` };
      expect((await app.http().get(`${memberPath(member)}/feed`).set(auth)).status).toBe(200); // the route's headers are known
      const before = feedListenerCounts(app.strapi);
      const below = await app.http().get(`${memberPath(member)}/feed?limit=5`).set(auth);
      const after = feedListenerCounts(app.strapi);
      expect(after.answered).toBe(before.answered + 1);
      // The same read with an escaped key: Strapi's qs parser reads it as `limit`, the listener hands it on.
      const viaKoa = await app.http().get(`${memberPath(member)}/feed?%6Cimit=5`).set(auth);
      expect(feedListenerCounts(app.strapi).passedOn).toBe(after.passedOn + 1);
      expect(below.status).toBe(200);
      expect(viaKoa.status).toBe(200);
      expect(below.body).toEqual(viaKoa.body);
      expect(below.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(below.headers['content-security-policy']).toBeTruthy();
      expect(stableHeaders(below.headers as Record<string, string>)).toEqual(stableHeaders(viaKoa.headers as Record<string, string>));
    });

    it('hands every error, an Origin and other methods to the Koa stack, which answers them from the start', async () => {
      const member = await newMember();
      const auth = { Authorization: `Bearer ${adminToken}` };
      expect((await app.http().get(`${memberPath(member)}/feed`).set(auth)).status).toBe(200);
      const before = feedListenerCounts(app.strapi);
      const missing = await app.http().get(`${memberPath('no-such-member')}/feed`).set(auth);
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ status: 404, name: 'NotFoundError' });
      expect((await app.http().get(`${memberPath(member)}/feed`).set({ Authorization: 'Bearer wrong' })).body.error).toMatchObject({ status: 401, message: 'Unauthorized' });
      expect((await app.http().get(`${memberPath(member)}/feed?limit=0`).set(auth)).status).toBe(400);
      const cors = await app.http().get(`${memberPath(member)}/feed`).set({ ...auth, Origin: 'https://host-app.example' });
      expect(cors.status).toBe(200);
      const after = feedListenerCounts(app.strapi);
      expect(after.answered).toBe(before.answered);
      // The three failed reads were tried and handed on; a read with an Origin is not even tried.
      expect(after.passedOn).toBe(before.passedOn + 3);
    });
  });

  describe('activity (daily granularity)', () => {
    it('records one row per member and day, however many requests, concurrent or not', async () => {
      const members = await Promise.all([newMember(), newMember(), newMember()]);
      const statuses = await Promise.all(members.flatMap((m) => Array.from({ length: 8 }, () => feedStatus(m, adminToken))));
      expect(statuses.every((s) => s === 200)).toBe(true);
      for (const m of members) {
        // Recorded before the response: no waiting.
        expect((await activityRows(m)).map((r) => String(r.day).slice(0, 10))).toEqual([today()]);
        expect(String((await memberRow(m)).last_active_on).slice(0, 10)).toBe(today());
      }
      expect(await feedStatus(members[0], adminToken)).toBe(200);
      expect(await activityRows(members[0])).toHaveLength(1);
    });

    it('still holds after a restart and across processes: the database is the record', async () => {
      const member = await newMember();
      const stale = await memberRow(member); // read before today's activity, as another process might hold it
      expect(await feedStatus(member, adminToken)).toBe(200);
      // A fresh recorder has no memory, like a restarted or another process, and holds the stale row.
      const other = new ActivityRecorder(() => knex());
      await Promise.all([other.record(stale, new Date()), other.record(stale, new Date())]);
      expect(await activityRows(member)).toHaveLength(1);
      // A late write for yesterday adds yesterday's row but never moves the last active day backwards.
      const yesterday = new Date(Date.now() - 86_400_000);
      await other.record(stale, yesterday);
      const days = (await activityRows(member)).map((r) => String(r.day).slice(0, 10)).sort();
      expect(days).toEqual([addDays(today(), -1), today()].sort());
      expect(String((await memberRow(member)).last_active_on).slice(0, 10)).toBe(today());
    });

    it('records the inbox reader too', async () => {
      const member = await newMember();
      const res = await app.http().get(`${memberPath(member)}/inbox`).set({ Authorization: `Bearer ${adminToken}` });
      expect(res.status).toBe(200);
      expect(await activityRows(member)).toHaveLength(1);
    });
  });
});
