// npm run bench:spread — why the product's code has no object literal with a property after a spread
// (eslint.config.mjs, BENCHMARKS.md ninth session). Each form builds the same 2,000,000 objects in a
// child process run with --trace-gc-nvp; the table gives its time, what it allocated and what V8's
// scavenges promoted to the old space (what later costs a major collection), with the plain literal
// measured in the same run as the baseline. Re-run it after a Node upgrade: if `{ ...base, kind }`
// is no longer slow and no longer promotes, the lint rule can go.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const N = 2_000_000;

/** The forms compared; `base` is a fresh object of one shape each time, as a row or a view would be. */
const FORMS = {
  'plain literal (baseline)': (base) => ({ id: base.id, status: base.status, on: base.on, last: base.last, kind: 'child' }),
  '{ ...base, kind } (property after the spread)': (base) => ({ ...base, kind: 'child' }),
  '{ kind, ...base } (spread last)': (base) => ({ kind: 'child', ...base }),
  'Object.assign({}, base, { kind })': (base) => Object.assign({}, base, { kind: 'child' }),
};

function child(name) {
  const make = FORMS[name];
  if (!make) throw new Error(`bench:spread: unknown form ${JSON.stringify(name)}; the forms are ${Object.keys(FORMS).map((f) => JSON.stringify(f)).join(', ')}`);
  let sink = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) {
    const object = make({ id: `id${i}`, status: 'active', on: '2026-01-01', last: null });
    sink += object.id.length + object.kind.length;
  }
  process.stdout.write(`${JSON.stringify({ ms: Number(process.hrtime.bigint() - started) / 1e6, sink })}\n`);
}

function measure(name) {
  const run = spawnSync(process.execPath, ['--trace-gc-nvp', fileURLToPath(import.meta.url), name], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`bench:spread: the child for "${name}" failed: ${run.stderr}`);
  let allocated = 0;
  let promoted = 0;
  let majors = 0;
  let result = null;
  for (const line of run.stdout.split('\n')) {
    if (line.startsWith('{')) result = JSON.parse(line);
    if (/ gc=mc /.test(line)) majors += 1;
    if (!/ gc=s /.test(line)) continue;
    allocated += Number(/ allocated=(\d+)/.exec(line)?.[1] ?? 0);
    promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
  }
  if (!result) throw new Error(`bench:spread: the child for "${name}" printed no result`);
  return { name, ms: result.ms, allocatedMb: allocated / 1048576, promotedMb: promoted / 1048576, majors };
}

if (process.argv[2]) {
  child(process.argv[2]);
} else {
  const rows = Object.keys(FORMS).map(measure);
  const base = rows[0];
  process.stdout.write(
    [
      `node ${process.version}, V8 ${process.versions.v8}; ${N.toLocaleString('en')} objects per form`,
      '',
      '| form | ms | × baseline time | allocated MB | promoted to old space MB | major GCs |',
      '| --- | --- | --- | --- | --- | --- |',
      ...rows.map(
        (r) => `| ${r.name} | ${r.ms.toFixed(0)} | ${(r.ms / base.ms).toFixed(1)} | ${r.allocatedMb.toFixed(0)} | ${r.promotedMb.toFixed(1)} | ${r.majors} |`,
      ),
      '',
    ].join('\n'),
  );
}
