/**
 * npm run bench:api — the host-app feed under load, against Strapi's stock content endpoint with an
 * equivalent window filter, in the same run. 10,000 members, 2,000 published articles, PostgreSQL.
 * The server runs in a child process; autocannon loads it from this one, over loopback.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Client } from 'pg';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'bench_api';
const PORT = Number(process.env.BENCH_PORT ?? 1399);
const MEMBERS = 10_000;
const ARTICLES = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const BASE = `http://127.0.0.1:${PORT}`;
const CMS = path.resolve(__dirname, '..');

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => iso(new Date(Date.now() + 8 * 3600_000 - n * 86_400_000));
const secret = () => randomBytes(18).toString('base64');

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function startServer() {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'server.ts')], {
    cwd: CMS,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL,
      DATABASE_SCHEMA: SCHEMA,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      APP_KEYS: `${secret()},${secret()}`,
      API_TOKEN_SALT: secret(),
      ADMIN_JWT_SECRET: secret(),
      JWT_SECRET: secret(),
      TRANSFER_TOKEN_SALT: secret(),
      ENCRYPTION_KEY: secret(),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise<{ hostToken: string; contentToken: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as { hostToken: string; contentToken: string });
    });
  });
  return { child, ...ready };
}

async function publishArticles(token: string): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ARTICLES) {
      const i = next++;
      const pregnancy = i % 2 === 0;
      const from = pregnancy ? 4 + (i % 38) : i % 72;
      const windows = [pregnancy ? { stage: 'pregnancy', from, to: from + (i % 3), unit: 'weeks' } : { stage: 'child', from, to: from + (i % 4), unit: 'months' }];
      const res = await fetch(`${BASE}/api/articles`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          data: {
            slug: `bench-${i}`,
            title: `基准文章 ${i}`,
            summary: '基准测试摘要。',
            body: '正文。',
            category: pregnancy ? 'pregnancy-weekly' : 'child-development',
            priority: i % 100,
            regionCodes: i % 5 === 0 ? ['350100'] : [],
            sources: [{ title: '基准', issuer: '基准', year: 2026 }],
            reviewer: '基准',
            windows,
          },
        }),
      });
      if (res.status !== 201) throw new Error(`article ${i}: HTTP ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function insertMembers(): Promise<string[]> {
  const ids: string[] = [];
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${SCHEMA}`);
    for (let start = 0; start < MEMBERS; start += 1000) {
      const members: string[] = [];
      const journeys: string[] = [];
      for (let i = start; i < start + 1000; i += 1) {
        const id = `bench-member-${i}`;
        ids.push(id);
        members.push(`('${id}', '350102', 'zh-Hans', 'Asia/Shanghai', '${daysAgo(30)}')`);
        const journeyId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        if (i % 100 < 15) {
          const lmp = daysAgo(28 + (i % 260));
          journeys.push(`('${journeyId}', (SELECT id FROM hb_members WHERE external_id='${id}'), 'pregnancy', 'active', '${daysAgo(10)}', '${lmp}', '${lmp}', NULL, NULL)`);
        } else {
          const birth = daysAgo(i % 2190);
          journeys.push(`('${journeyId}', (SELECT id FROM hb_members WHERE external_id='${id}'), 'child', 'active', '${daysAgo(10)}', NULL, NULL, '${birth}', '${birth}')`);
        }
      }
      await client.query(`INSERT INTO hb_members (external_id, region_code, locale, time_zone, enrolled_on) VALUES ${members.join(',')}`);
      await client.query(
        `INSERT INTO hb_journeys (id, member_id, kind, status, enrolled_on, lmp, effective_lmp, birth_date, corrected_birth_date) VALUES ${journeys.join(',')}`,
      );
    }
  } finally {
    await client.end();
  }
  return ids;
}

async function load(title: string, token: string, pathFor: () => string) {
  const result = await autocannon({
    url: BASE,
    connections: 32,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathFor() }) }],
  });
  const non2xx = result.non2xx + result.errors;
  return { title, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx };
}

async function main(): Promise<void> {
  await sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await sql(`CREATE SCHEMA ${SCHEMA}`);
  const server = await startServer();
  try {
    process.stdout.write(`server up (pid ${server.child.pid}); publishing ${ARTICLES} articles…\n`);
    await publishArticles(server.contentToken);
    process.stdout.write(`inserting ${MEMBERS} members…\n`);
    const ids = await insertMembers();
    await new Promise((r) => setTimeout(r, 2000)); // let the catalogue settle after the last publish
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    await load('warm-up', server.hostToken, () => `/api/handbook/members/${pick()}/feed?limit=20`);
    const feed = await load('handbook feed', server.hostToken, () => `/api/handbook/members/${pick()}/feed?limit=20`);
    const stock = await load('stock GET /api/articles', server.contentToken, () => {
      const day = 28 + Math.floor(Math.random() * 260);
      return `/api/articles?filters[windows][stage][$eq]=pregnancy&filters[windows][fromDays][$lte]=${day}&filters[windows][toDays][$gte]=${day}&pagination[pageSize]=20&sort=priority:desc`;
    });
    const memory = rssOf(server.child.pid!);
    const rows = [feed, stock].map((r) => `| ${r.title} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
    process.stdout.write(
      [
        '',
        `| load (${SECONDS} s, 32 connections) | req/s | p50 ms | p99 ms | non-2xx+errors |`,
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `feed / stock throughput ratio: ${(feed.rps / stock.rps).toFixed(1)}×`,
        `API process RSS after the run: ${memory.rssMb.toFixed(0)} MB (peak ${memory.peakMb.toFixed(0)} MB)`,
        `targets: feed ≥ 1,500 req/s, p99 ≤ 50 ms, ≥ 3× stock, RSS ≤ 400 MB`,
        '',
      ].join('\n'),
    );
  } finally {
    server.child.kill('SIGKILL');
    await sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:api failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
