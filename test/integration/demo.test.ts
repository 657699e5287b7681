import { rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT, freePort, spawnScript } from '../helpers/processes';

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawnScript('scripts/demo.ts', args, env);
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

/** The row of one member in the demo's summary table, as cells. */
function row(out: string, member: string): string[] {
  const line = out.split('\n').find((l) => l.startsWith(`${member} `));
  if (!line) throw new Error(`no table row for ${member} in:\n${out}`);
  return line.split('│').map((cell) => cell.trim());
}

/** The details block of one member. */
function block(out: string, member: string): string {
  const start = out.indexOf(`■ ${member} `);
  if (start < 0) throw new Error(`no details for ${member}`);
  const end = out.indexOf('■ ', start + 2);
  return out.slice(start, end < 0 ? undefined : end);
}

describe('npm run demo (the README’s first command) on the embedded SQLite and local Redis', () => {
  const dbFile = `.tmp/demo-test-${process.pid}.db`;
  afterAll(() => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path.join(ROOT, 'cms', `${dbFile}${suffix}`), { force: true });
  });

  it('seeds, enrolls the sample families, sweeps today, pushes to the sink and prints what each gets and why', async () => {
    const { code, out, err } = await run(['--once'], { PORT: String(await freePort()), DEMO_DATABASE_FILENAME: dbFile, DATABASE_URL: 'postgres://ignored' });
    if (code !== 0) throw new Error(`demo exited ${code}\n${out}\n${err}`);
    expect(out).toContain('enrolled 11 sample families');
    const sink = /push sink accepted (\d+), rejected (\d+)/.exec(out);
    expect(Number(sink?.[1])).toBeGreaterThan(0);
    expect(sink?.[2]).toBe('0');

    // A loss: no pregnancy content, no reminders.
    expect(row(out, 'demo-loss').slice(1, 6)).toEqual(['—', '0', '0', '0', '0']);
    // Twins born last week: postpartum and child content.
    expect(row(out, 'demo-twins')[1]).toBe('postpartum+child');
    // 24+0 weeks: the OGTT window opens today and its push went out.
    expect(block(out, 'demo-week-24')).toContain('reminder pregnancy-screening-ogtt-24w: push sent');
    // An orange pregnancy whose checkup is a week overdue gets the follow-up.
    expect(block(out, 'demo-orange-missed')).toContain('reminder pregnancy-high-risk-overdue-28-35w: push sent');
    // A preterm baby's vitamin D reminder follows its own rule.
    expect(block(out, 'demo-preterm')).toContain('child-vitamin-d-preterm-3-months: push sent');
    // No consent: recorded, not sent.
    expect(block(out, 'demo-no-consent')).toContain('skipped: no-consent');
    // Every pushed reminder reached the sink once: the table's pushes add up to what the sink accepted.
    const members = out.split('\n').filter((l) => l.startsWith('demo-'));
    const pushed = members.reduce((sum, l) => sum + Number(l.split('│')[3]?.trim()), 0);
    expect(pushed).toBe(Number(sink?.[1]));
  }, 300_000);

  it('says how to start Redis when it is not reachable', async () => {
    const { code, err } = await run(['--once'], { REDIS_URL: `redis://127.0.0.1:${await freePort()}`, DEMO_DATABASE_FILENAME: dbFile });
    expect(code).toBe(1);
    expect(err).toContain('Redis is not reachable');
    expect(err).toContain('redis-server --daemonize yes');
  }, 60_000);
});
