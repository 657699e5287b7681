import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, parseConfig } from '../../workers/src/config';
import type { Workers } from '../../workers/src/workers';
import { bootApp, type TestApp } from '../helpers/app';
import { TestGateway } from '../helpers/gateway';
import { startTestWorkers, testQueuePrefix } from '../helpers/workers';

/** A port free right now on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('workers: the queue dashboard (bull-board) for admins only', () => {
  let app: TestApp;
  let gateway: TestGateway;
  let workers: Workers;
  let base: string;
  const prefix = testQueuePrefix('dashboard');
  const user = 'ops-admin';
  const password = randomBytes(18).toString('hex');
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  beforeAll(async () => {
    app = await bootApp();
    gateway = new TestGateway(randomBytes(16).toString('hex'));
    await gateway.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    workers = await startTestWorkers({
      strapi: app.strapi,
      prefix,
      gatewayUrl: gateway.url,
      consume: [],
      env: { QUEUE_DASHBOARD_PORT: String(port), QUEUE_DASHBOARD_USER: user, QUEUE_DASHBOARD_PASSWORD: password },
    });
  });

  afterAll(async () => {
    await workers?.context.queues.deleteAllKeys();
    await workers?.stop();
    await gateway?.stop();
    await app?.close();
  });

  it('answers 401 without credentials or with wrong ones, on the page and the API', async () => {
    for (const path of ['/', '/api/queues']) {
      const none = await fetch(`${base}${path}`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Basic /);
      expect(await none.text()).not.toContain('deliver');
      expect((await fetch(`${base}${path}`, { headers: { authorization: basic(user, `${password}x`) } })).status).toBe(401);
      expect((await fetch(`${base}${path}`, { headers: { authorization: basic('someone', password) } })).status).toBe(401);
    }
  });

  it('serves the dashboard and its API with the credentials: every queue, with its jobs', async () => {
    await workers.context.queues.add(workers.context.jobs.deliver, { notificationIds: ['424242', '424243'] }, { jobId: 'b424242-2', delayMs: 3_600_000 });
    const auth = { authorization: basic(user, password) };
    const page = await fetch(`${base}/`, { headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    // The UI's own scripts are served too (behind the same credentials).
    const script = /src="\/?(static\/js\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${base}/${script}`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/${script}`)).status).toBe(401);
    const api = await fetch(`${base}/api/queues`, { headers: auth });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: Array<{ name: string; counts: Record<string, number> }> };
    expect(body.queues.map((q) => q.name).sort()).toEqual(['deliver', 'reconcile', 'sweep', 'sweep-chunk']);
    expect(body.queues.find((q) => q.name === 'deliver')!.counts.delayed).toBe(1);
  });

  it('does not start without credentials from the environment (no fallback)', () => {
    expect(() => parseConfig({ QUEUE_DASHBOARD_PORT: '9999' })).toThrow(new ConfigError('QUEUE_DASHBOARD_USER', 'required when QUEUE_DASHBOARD_PORT is set (no fallback)'));
    expect(() => parseConfig({ QUEUE_DASHBOARD_PORT: '9999', QUEUE_DASHBOARD_USER: 'ops' })).toThrow(/^QUEUE_DASHBOARD_PASSWORD: required/);
    expect(() => parseConfig({ QUEUE_DASHBOARD_PORT: '9999', QUEUE_DASHBOARD_USER: 'ops', QUEUE_DASHBOARD_PASSWORD: 'short' })).toThrow(/^QUEUE_DASHBOARD_PASSWORD: must be at least 16/);
    expect(parseConfig({}).dashboard).toBeNull();
  });
});
