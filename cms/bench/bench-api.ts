/**
 * npm run bench:api — the host-app feed under load, against Strapi's stock content endpoint with an
 * equivalent window filter, in the same run. 10,000 members, 2,000 published articles, PostgreSQL.
 * The server runs in a child process; autocannon loads it from this one, over loopback.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { benchServerEnv } from './bench-env';
import { openLoop, type LoadResult } from './open-loop';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = process.env.BENCH_SCHEMA ?? 'bench_api';
const PORT = Number(process.env.BENCH_PORT ?? 1399);
const MEMBERS = 10_000;
const ARTICLES = 2_000;
/** A positive number from the environment, or the default; anything else stops the bench naming the variable. */
function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got ${JSON.stringify(raw)}`);
  return value;
}
/** Each closed-loop run (full load, stock endpoint). */
const SECONDS = positive('BENCH_SECONDS', 15);
/**
 * The steady-rate run: long enough to hold several of the API's major GC cycles (one every ~10-15 s
 * at this rate), so that its p99 charges them at their real frequency instead of depending on whether
 * a 15-s window happens to hold one cycle or two (BENCHMARKS.md, sixth and seventh sessions).
 */
const STEADY_SECONDS = positive('BENCH_STEADY_SECONDS', 60);
/** The fixed rate of the second feed run (the throughput target). */
const RATE = positive('BENCH_RATE', 1500);
const BASE = `http://127.0.0.1:${PORT}`;
const CMS = path.resolve(__dirname, '..');
/**
 * The server's V8 flags as `npm start` sets them (cms/package.json: heap API_HEAP_MB, default 384, no
 * allocation-site pretenuring, one concurrent marking thread; docs/decisions/007), then extra node
 * flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it.
 */
const SERVER_NODE_ARGS = [
  `--max-old-space-size=${process.env.API_HEAP_MB ?? '384'}`,
  '--no-allocation-site-pretenuring',
  '--concurrent-marking-max-worker-num=1',
  ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
];
const CLOCK_TICKS_PER_S = 100;

/** The diagnostic variables, checked before the minutes of setup: a typo must not silently turn one off. */
function checkDiagnosticsEnv(env: NodeJS.ProcessEnv): void {
  const trace = env.BENCH_SERVER_TRACE_MS;
  if (trace !== undefined && !(trace.trim() !== '' && Number(trace) >= 0)) {
    throw new Error(`BENCH_SERVER_TRACE_MS: expected a number of milliseconds ≥ 0, got ${JSON.stringify(trace)}`);
  }
  if (Number(trace ?? 0) > 0 && !env.BENCH_SERVER_LOG) {
    throw new Error('BENCH_SERVER_TRACE_MS: the trace goes to the server log; set BENCH_SERVER_LOG to a file as well');
  }
  const survivors = env.BENCH_HEAP_PROFILE_SURVIVORS;
  if (survivors !== undefined && survivors !== '0' && survivors !== '1') {
    throw new Error(`BENCH_HEAP_PROFILE_SURVIVORS: expected 0 or 1, got ${JSON.stringify(survivors)}`);
  }
  if (survivors === '1' && !env.BENCH_HEAP_PROFILE) {
    throw new Error('BENCH_HEAP_PROFILE_SURVIVORS: applies to the heap profile; set BENCH_HEAP_PROFILE to a file as well');
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const daysAgo = (n: number) => iso(new Date(Date.now() + 8 * 3600_000 - n * 86_400_000));

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

/** CPU seconds (user + system) the process has used so far. */
function cpuSecondsOf(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
}

/** CPU seconds used so far by each PostgreSQL process (the backends serving the API's pool among them), by pid. */
function postgresCpu(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') byPid.set(Number(entry), cpuSecondsOf(Number(entry)));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return byPid;
}

/** CPU seconds PostgreSQL used between two snapshots: processes alive at the end (one that ended in between is not counted). */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** The machine's busy and total CPU time so far (/proc/stat, all cores), to report how busy it was. */
function machineCpu(): { busy: number; total: number } {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { busy: user + nice + system + irq + softirq + steal, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

interface ServerReport {
  queries: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  gcCount: number;
  gcMajor: number;
  gcTotalMs: number;
  gcMaxMs: number;
  servedP50Ms: number;
  servedP99Ms: number;
  servedMaxMs: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
}

async function startServer() {
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'server.ts')], {
    cwd: CMS,
    env: { ...process.env, ...benchServerEnv({ databaseUrl: DATABASE_URL, schema: SCHEMA, port: PORT }) },
    // stdin: `heap-profile start|stop` around the steady-rate run when BENCH_HEAP_PROFILE is set (server.ts).
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const counts: Array<(report: ServerReport) => void> = [];
  // BENCH_SERVER_LOG=<file>: the server's other output (e.g. --trace-gc from BENCH_SERVER_NODE_ARGS) is appended there.
  const log = process.env.BENCH_SERVER_LOG;
  lines.on('line', (line) => {
    if (line.startsWith('{"queries"')) counts.shift()?.(JSON.parse(line) as ServerReport);
    else if (log && !line.startsWith('{"ready"')) appendFileSync(log, `${line}\n`);
  });
  const ready = await new Promise<{ hostToken: string; contentToken: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    lines.on('line', (line) => {
      if (line.startsWith('{"ready"')) resolve(JSON.parse(line) as { hostToken: string; contentToken: string });
    });
  });
  /** SQL statements the server ran since the previous call, and its heap (server.ts answers SIGUSR2). */
  const queries = () =>
    new Promise<ServerReport>((resolve) => {
      counts.push(resolve);
      child.kill('SIGUSR2');
    });
  /** SIGINT lets Strapi shut down (and --cpu-prof write its profile); SIGKILL if it hangs. */
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  /** Commands to the server (server.ts reads them from its stdin). */
  child.stdin.on('error', () => undefined); // a server that has exited fails the bench through `exit`, not here
  const tell = (command: string) => child.stdin.write(`${command}\n`);
  return { child, queries, stop, tell, ...ready };
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

/** As many requests as 32 connections get answered (closed loop: each sends its next request when answered). */
async function closedLoop(token: string, pathFor: () => string): Promise<LoadResult> {
  const result = await autocannon({
    url: BASE,
    connections: 32,
    duration: SECONDS,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathFor() }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    max: result.latency.max,
    non2xx: result.non2xx + result.errors,
    total: result.requests.total,
  };
}

async function load(title: string, server: { child: { pid?: number }; queries: () => Promise<ServerReport> }, drive: () => Promise<LoadResult>) {
  const pid = server.child.pid!;
  await server.queries();
  const serverCpu0 = cpuSecondsOf(pid);
  const postgresCpu0 = postgresCpu();
  const machine0 = machineCpu();
  const ownCpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  const result = await drive();
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const own = process.cpuUsage(ownCpu0);
  const serverCpu = cpuSecondsOf(pid) - serverCpu0;
  const postgresCpuUsed = postgresCpuSince(postgresCpu0);
  const machine1 = machineCpu();
  const machineBusy = (100 * (machine1.busy - machine0.busy)) / Math.max(1, machine1.total - machine0.total);
  const { queries, gcCount, gcMajor, gcTotalMs, gcMaxMs, servedP50Ms, servedP99Ms, servedMaxMs, loopDelayP99Ms, loopDelayMaxMs } = await server.queries();
  // Shares of the machine's cores (100 % = all of them) used by the API server and by this load generator.
  const share = (seconds: number) => (100 * seconds) / wall / os.cpus().length;
  return {
    title,
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    p999: result.p999,
    max: result.max,
    gc: `${gcCount} (${gcMajor} major) / ${gcTotalMs} / ${gcMaxMs}`,
    served: `${servedP50Ms} / ${servedP99Ms} / ${servedMaxMs}`,
    loopDelay: `${loopDelayP99Ms} / ${loopDelayMaxMs}`,
    non2xx: result.non2xx,
    queriesPerRequest: queries / Math.max(1, result.total),
    serverCpu: share(serverCpu),
    // What one request costs the API process, whatever else the machine runs: 1,000 / this = req/s per free core.
    serverCpuMsPerRequest: (1000 * serverCpu) / Math.max(1, result.total),
    loaderCpu: share((own.user + own.system) / 1e6),
    postgresCpu: share(postgresCpuUsed),
    machineBusy,
    load1: os.loadavg()[0] ?? 0,
    slowest: result.slowest,
    loaderStallMs: result.loaderStallMs,
  };
}

async function main(): Promise<void> {
  checkDiagnosticsEnv(process.env);
  await sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await sql(`CREATE SCHEMA ${SCHEMA}`);
  const server = await startServer();
  try {
    process.stdout.write(`server up (pid ${server.child.pid}); publishing ${ARTICLES} articles…\n`);
    await publishArticles(server.contentToken);
    process.stdout.write(`inserting ${MEMBERS} members…\n`);
    const ids = await insertMembers();
    await new Promise((r) => setTimeout(r, 2000)); // let the catalogue settle after the last publish
    const idle = rssOf(server.child.pid!);
    const idleHeap = await server.queries();
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    const feedPath = () => `/api/handbook/members/${pick()}/feed?limit=20`;
    await load('warm-up', server, () => closedLoop(server.hostToken, feedPath));
    const feed = await load('handbook feed, as fast as it answers (32 connections, closed loop)', server, () => closedLoop(server.hostToken, feedPath));
    // The latency target at the throughput target: requests due at RATE per second, evenly spaced, each
    // timed from when it was due (open loop).
    const profiling = Boolean(process.env.BENCH_HEAP_PROFILE);
    const atRate = await load(`handbook feed, ${RATE} req/s arriving at a steady rate (open loop, ${STEADY_SECONDS} s)`, server, async () => {
      if (profiling) server.tell('heap-profile start');
      try {
        return await openLoop({ port: PORT, rate: RATE, seconds: STEADY_SECONDS, headers: { authorization: `Bearer ${server.hostToken}` }, pathFor: feedPath });
      } finally {
        if (profiling) server.tell('heap-profile stop');
      }
    });
    const afterFeed = rssOf(server.child.pid!);
    const afterFeedHeap = await server.queries();
    const stock = await load('stock GET /api/articles (32 connections, closed loop)', server, () =>
      closedLoop(server.contentToken, () => {
        const day = 28 + Math.floor(Math.random() * 260);
        return `/api/articles?filters[windows][stage][$eq]=pregnancy&filters[windows][fromDays][$lte]=${day}&filters[windows][toDays][$gte]=${day}&pagination[pageSize]=20&sort=priority:desc`;
      }),
    );
    const memory = rssOf(server.child.pid!);
    const rows = [feed, atRate, stock].map(
      (r) =>
        `| ${r.title} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.p999} / ${r.max} | ${r.non2xx} | ${r.queriesPerRequest.toFixed(2)} | ${r.serverCpuMsPerRequest.toFixed(2)} | ${r.serverCpu.toFixed(0)} % | ${r.postgresCpu.toFixed(0)} % | ${r.loaderCpu.toFixed(0)} % | ${r.machineBusy.toFixed(0)} % | ${r.served} | ${r.loopDelay} | ${r.gc} | ${r.load1.toFixed(1)} |`,
    );
    process.stdout.write(
      [
        '',
        `| load (closed loop: ${SECONDS} s) | req/s | p50 ms | p99 ms | p99.9 / max ms | non-2xx+errors | SQL/request | API CPU ms/request | API server CPU | PostgreSQL CPU | load generator CPU | machine busy | in the server, arrival → response written: p50 / p99 / max ms | API event-loop delay p99 / max ms | API GC pauses: count / total ms / longest ms | load avg (1 min, at end) |`,
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        ...rows,
        '',
        `CPU shares are of all ${os.cpus().length} cores.`,
        `steady-rate run, seconds with the most requests over 50 ms (count, slowest): ${atRate.slowest || 'none'}; the load generator's own longest event-loop stall: ${atRate.loaderStallMs} ms`,
        `feed / stock throughput ratio: ${(feed.rps / stock.rps).toFixed(1)}×`,
        `API process RSS idle (catalogue loaded, before any load): ${idle.rssMb.toFixed(0)} MB (V8 heap used ${idleHeap.heapUsedMb} of ${idleHeap.heapTotalMb} MB)`,
        `API process RSS after the feed runs: ${afterFeed.rssMb.toFixed(0)} MB (peak ${afterFeed.peakMb.toFixed(0)} MB; V8 heap used ${afterFeedHeap.heapUsedMb} of ${afterFeedHeap.heapTotalMb} MB)`,
        `API process RSS after the stock run too: ${memory.rssMb.toFixed(0)} MB (peak ${memory.peakMb.toFixed(0)} MB)`,
        `targets: feed ≥ 1,500 req/s, p99 ≤ 50 ms, ≥ 3× stock, RSS ≤ 400 MB`,
        `(the steady-rate run is open loop: each request's latency counts from when it was due, so a stall is charged to every request due during it)`,
        '',
      ].join('\n'),
    );
  } finally {
    await server.stop();
    await sql(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  }
}

main().catch((error: Error) => {
  process.stderr.write(`bench:api failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
