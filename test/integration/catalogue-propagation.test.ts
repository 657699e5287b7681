import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { addDays, localDay } from '@mch/rules';
import { bootApp, createFullAccessToken, createHostAppToken, eventually, type TestApp } from '../helpers/app';
import { articleData, uniqueSlug } from '../helpers/factories';
import { freePort, spawnScript } from '../helpers/processes';

/** A second API process on the same database (cms/bench/server.ts): prints its tokens when it listens. */
function startSecondProcess(port: number): Promise<{ child: ChildProcess; hostToken: string }> {
  const child = spawnScript('cms/bench/server.ts', [], { PORT: String(port), HOST: '127.0.0.1' });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"ready":true'));
      if (line) resolve({ child, hostToken: (JSON.parse(line) as { hostToken: string }).hostToken });
    });
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`the second process exited (${code}): ${err}`)));
  });
}

describe('catalogue: a publish in one process reaches the feed of another within 5 s (Redis pub/sub)', () => {
  let app: TestApp;
  let second: ChildProcess | undefined;
  let secondUrl: string;
  let secondHostToken: string;

  beforeAll(async () => {
    app = await bootApp();
    const port = await freePort();
    const started = await startSecondProcess(port);
    second = started.child;
    secondHostToken = started.hostToken;
    secondUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (second && second.exitCode === null) {
      const exited = new Promise((resolve) => second!.once('exit', resolve));
      second.kill('SIGKILL');
      await exited;
    }
    await app?.close();
  });

  it('shows an article published through this process in the other process’s feed', async () => {
    const hostToken = await createHostAppToken(app.strapi);
    const contentToken = await createFullAccessToken(app.strapi);
    const member = uniqueSlug('m');
    const base = `/api/handbook/members/${member}`;
    const consent = { version: 'v1', at: '2026-11-01T08:00:00+08:00' };
    expect((await app.http().put(base).set({ Authorization: `Bearer ${hostToken}` }).send({ consent })).status).toBe(201);
    const lmp = addDays(localDay(new Date(), 'Asia/Shanghai'), -(27 * 7 + 2));
    expect((await app.http().post(`${base}/journeys`).set({ Authorization: `Bearer ${hostToken}` }).send({ kind: 'pregnancy', lmp })).status).toBe(201);

    const otherFeed = async () => {
      const res = await request(secondUrl).get(`${base}/feed`).query({ limit: '100' }).set({ Authorization: `Bearer ${secondHostToken}` });
      expect(res.status).toBe(200);
      return (res.body as { data: { items: Array<{ slug: string }> } }).data.items.map((i) => i.slug);
    };
    const slug = uniqueSlug('week-27');
    expect(await otherFeed()).not.toContain(slug);

    const published = await app
      .http()
      .post('/api/articles')
      .set({ Authorization: `Bearer ${contentToken}` })
      .send({ data: articleData({ slug, windows: [{ stage: 'pregnancy', from: 27, to: 27, unit: 'weeks' }] }) });
    expect(published.status).toBe(201);
    const at = Date.now();
    await eventually(async () => expect(await otherFeed()).toContain(slug), { timeoutMs: 5000, intervalMs: 100 });
    process.stdout.write(`catalogue propagation to the other process: ${Date.now() - at} ms\n`);

    const unpublished = await app.strapi.documents('api::article.article').unpublish({ documentId: (published.body as { data: { documentId: string } }).data.documentId });
    expect(unpublished.entries.length).toBeGreaterThan(0);
    await eventually(async () => expect(await otherFeed()).not.toContain(slug), { timeoutMs: 5000, intervalMs: 100 });
  });
});
