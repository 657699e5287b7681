/**
 * Benchmark of @mch/rules on synthetic data (`npm run bench:rules`):
 *  1. evaluate() for one member with two journeys, 300 rules, 2,000 content items, against running
 *     the same 300 rules through a plain json-rules-engine Engine (median, p99, ratio);
 *  2. content selection from 10,000 items: the interval index against a linear scan;
 *  3. heap used by an index of 10,000 items.
 * Data come from a seeded generator, so every run measures the same work.
 */
import { Engine } from 'json-rules-engine';
import { cpus } from 'node:os';
import {
  CUSTOM_OPERATORS,
  OPERATORS,
  addDays,
  anchorDateOf,
  buildContentIndex,
  evaluate,
  instantAt,
  occurrenceDates,
  regionCovers,
  stagesOf,
  computeFacts,
  type ContentItem,
  type Journey,
  type Member,
  type ReminderRule,
  type StageKind,
  type TriggerAnchor,
} from '../src/index';

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20261123);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const ANCHORS: TriggerAnchor[] = ['lmp', 'edd', 'birth', 'delivery', 'enrolment', 'last-visit'];
const STAGES: StageKind[] = ['preconception', 'pregnancy', 'postpartum', 'child'];
const REGIONS = ['350000', '350100', '350102', '350200', '350203', '360000'];

function syntheticRule(i: number): ReminderRule {
  const anchor = pick(ANCHORS);
  const unit = pick(['days', 'weeks', 'months'] as const);
  const offset = unit === 'days' ? int(-30, 400) : unit === 'weeks' ? int(-4, 42) : int(0, 72);
  const leaves = [
    {
      fact: 'stage',
      operator: 'equal',
      value: anchor === 'birth' ? 'child' : anchor === 'delivery' ? 'postpartum' : 'pregnancy',
    },
    { fact: 'riskColour', operator: 'in', value: ['orange', 'red', 'purple'] },
    { fact: 'gestationalWeeks', operator: 'greaterThanInclusive', value: int(4, 30) },
    { fact: 'childAgeMonths', operator: 'lessThan', value: int(1, 80) },
    { fact: 'regionCode', operator: 'notEqual', value: '360102' },
    { fact: 'birthDate', operator: 'dateOnOrAfter', value: '2025-01-01' },
  ];
  const conditions = { all: leaves.slice(0, int(1, 4)) };
  return {
    key: `synthetic-${i}`,
    name: `synthetic ${i}`,
    institutionCode: null,
    trigger: {
      anchor,
      offset,
      unit,
      corrected: anchor === 'birth' && random() < 0.1,
      repeat: random() < 0.1 ? { everyDays: int(7, 30), count: int(2, 5) } : null,
    },
    conditions,
    templates: {
      'zh-Hans': { title: '提醒 {{formatDate dueDate}}', body: '{{gaWeeks gestationalDays}} {{childAgeMonths}}' },
      en: null,
    },
    channels: ['push', 'inbox'],
    deliveryHour: 9,
    category: 'checkup',
    priority: int(0, 100),
    active: true,
    version: 1,
  };
}

const STAGE_DAYS: Record<StageKind, number> = { preconception: 730, pregnancy: 314, postpartum: 365, child: 2556 };
function syntheticItem(i: number): ContentItem {
  const windows = Array.from({ length: int(1, 2) }, () => {
    const stage = pick(STAGES);
    const from = int(0, STAGE_DAYS[stage]);
    return { stage, fromDays: from, toDays: Math.min(from + pick([6, 6, 30, 90, 365]), STAGE_DAYS[stage]) };
  });
  return {
    id: `item-${i}`,
    type: 'article',
    slug: `item-${i}`,
    locale: random() < 0.8 ? 'zh-Hans' : 'en',
    title: `文章 ${i}`,
    summary: '摘要',
    category: 'pregnancy-weekly',
    priority: int(0, 100),
    regionCodes: random() < 0.7 ? [] : [pick(REGIONS)],
    validFrom: random() < 0.1 ? '2026-01-01' : null,
    validTo: random() < 0.1 ? '2027-12-31' : null,
    windows,
  };
}

function stats(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p99: sorted[Math.floor(sorted.length * 0.99)]! };
}
const ms = (ns: bigint) => Number(ns) / 1e6;
function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return ms(process.hrtime.bigint() - start);
}
async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return ms(process.hrtime.bigint() - start);
}

const member: Member = {
  externalId: 'bench',
  regionCode: '350102',
  institutionCode: 'FJ-1',
  locale: 'zh-Hans',
  timeZone: 'Asia/Shanghai',
  enrolledOn: '2026-01-20',
};
const journeys: Journey[] = [
  {
    id: 'pregnancy',
    kind: 'pregnancy',
    status: 'active',
    enrolledOn: '2026-02-01',
    lmp: '2026-01-01',
    riskColour: 'orange',
    lastVisitOn: '2026-06-01',
  },
  {
    id: 'child',
    kind: 'child',
    status: 'active',
    enrolledOn: '2024-05-10',
    birthDate: '2024-05-10',
    sex: 'female',
    gestationalAgeAtBirthDays: 245,
  },
];
const rules = Array.from({ length: 300 }, (_, i) => syntheticRule(i));
const items2k = Array.from({ length: 2000 }, (_, i) => syntheticItem(i));
const index2k = buildContentIndex(items2k);
// Days across the pregnancy, so the measured work includes days with reminders due.
const days = Array.from({ length: 280 }, (_, d) => addDays('2026-01-15', d));
const instants = days.map((d) => instantAt(d, 9, 0, member.timeZone));

/**
 * The plain-engine way: one Engine with all 300 rules, each rule's trigger a dynamic fact (facts are
 * code in json-rules-engine), run once per journey with the day's facts.
 */
function plainEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const name of CUSTOM_OPERATORS) engine.addOperator(name, OPERATORS[name]!);
  engine.addFact('due', async (params, almanac) => {
    const rule = rules[params.rule as number]!;
    const journey = await almanac.factValue<Journey>('journey');
    const day = await almanac.factValue<string>('dueDate');
    const anchorDate = anchorDateOf({
      journey,
      anchor: rule.trigger.anchor,
      corrected: rule.trigger.corrected ?? false,
    });
    return anchorDate !== null && occurrenceDates({ rule, anchorDate }).includes(day);
  });
  rules.forEach((rule, i) => {
    const leaves = (rule.conditions as { all: unknown[] }).all;
    engine.addRule({
      name: rule.key,
      priority: 1,
      conditions: {
        all: [{ fact: 'due', params: { rule: i }, operator: 'equal', value: true }, ...(leaves as never[])],
      },
      event: { type: rule.key },
    });
  });
  return engine;
}

async function main(): Promise<void> {
  const rows: Array<[string, string]> = [];
  const ITER = 3000;

  // 1. evaluate vs the plain engine.
  let due = 0;
  for (let i = 0; i < 500; i += 1)
    evaluate({ member, journeys, rules, contentIndex: index2k, at: instants[i % instants.length]! });
  const evalSamples: number[] = [];
  for (let i = 0; i < ITER; i += 1) {
    const at = instants[i % instants.length]!;
    evalSamples.push(
      time(() => (due += evaluate({ member, journeys, rules, contentIndex: index2k, at }).reminders.length)),
    );
  }
  const engine = plainEngine();
  const run = async (day: string) => {
    for (const journey of journeys) {
      for (const { stage } of stagesOf({ journey, on: day })) {
        await engine.run({ ...computeFacts({ member, journey, on: day, stage }), journey });
      }
    }
  };
  for (let i = 0; i < 100; i += 1) await run(days[i % days.length]!);
  const engineSamples: number[] = [];
  for (let i = 0; i < Math.min(ITER, 1000); i += 1)
    engineSamples.push(await timeAsync(() => run(days[i % days.length]!)));
  const ev = stats(evalSamples);
  const en = stats(engineSamples);
  rows.push(['evaluate, 2 journeys × 300 rules + 2,000 items: median', `${ev.median.toFixed(4)} ms`]);
  rows.push(['evaluate: p99', `${ev.p99.toFixed(4)} ms`]);
  rows.push(['plain json-rules-engine, 300 rules × 2 journeys: median', `${en.median.toFixed(4)} ms`]);
  rows.push(['plain json-rules-engine: p99', `${en.p99.toFixed(4)} ms`]);
  rows.push(['ratio (engine median / evaluate median)', `${(en.median / ev.median).toFixed(1)}×`]);
  rows.push(['reminders due over the measured days', String(due)]);

  // 2. content selection: index vs linear scan over 10,000 items.
  const items10k = Array.from({ length: 10_000 }, (_, i) => syntheticItem(2000 + i));
  const index10k = buildContentIndex(items10k);
  const queries = Array.from({ length: 1000 }, () => {
    const stage = pick(STAGES);
    return {
      stage,
      dayIndex: int(0, STAGE_DAYS[stage]),
      on: '2026-11-23',
      regionCode: '350102',
      locale: 'zh-Hans' as const,
    };
  });
  const scan = (q: (typeof queries)[number]) =>
    items10k.flatMap((item) =>
      item.locale !== q.locale ||
      (item.validFrom && q.on < item.validFrom) ||
      (item.validTo && q.on > item.validTo) ||
      (item.regionCodes.length > 0 && !item.regionCodes.some((s) => regionCovers(s, q.regionCode)))
        ? []
        : item.windows
            .filter((w) => w.stage === q.stage && w.fromDays <= q.dayIndex && q.dayIndex <= w.toDays)
            .map((window) => ({ item, window })),
    );
  let agree = true;
  for (const q of queries.slice(0, 100)) agree &&= index10k.select(q).length === scan(q).length;
  const indexSamples = queries.map((q) => time(() => index10k.select(q)));
  const scanSamples = queries.map((q) => time(() => scan(q)));
  const ix = stats(indexSamples);
  const sc = stats(scanSamples);
  rows.push(['select from 10,000 items, index: median', `${ix.median.toFixed(4)} ms`]);
  rows.push(['select from 10,000 items, linear scan: median', `${sc.median.toFixed(4)} ms`]);
  rows.push(['ratio (scan / index)', `${(sc.median / ix.median).toFixed(1)}×`]);
  rows.push(['index and scan return the same matches', agree ? 'yes' : 'NO']);

  // 3. heap used by an index of 10,000 items (the items themselves are counted separately).
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:rules)');
  gc();
  const before = process.memoryUsage().heapUsed;
  const fresh = Array.from({ length: 10_000 }, (_, i) => syntheticItem(20_000 + i));
  gc();
  const withItems = process.memoryUsage().heapUsed;
  const kept = buildContentIndex(fresh);
  gc();
  const withIndex = process.memoryUsage().heapUsed;
  rows.push(['heap: 10,000 items', `${((withItems - before) / 1048576).toFixed(1)} MB`]);
  rows.push(['heap: their index', `${((withIndex - withItems) / 1048576).toFixed(1)} MB`]);
  rows.push(['heap: items + index', `${((withIndex - before) / 1048576).toFixed(1)} MB (index size ${kept.size})`]);

  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`@mch/rules benchmark — node ${process.version}, ${cpus().length} cores, ${cpus()[0]?.model ?? ''}`);
  console.log('-'.repeat(width + 20));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  const ok = ev.median <= 0.3 && en.median / ev.median >= 5 && (withIndex - withItems) / 1048576 <= 50 && agree;
  console.log('-'.repeat(width + 20));
  console.log(`targets (evaluate ≤ 0.3 ms median, ≥ 5× the plain engine, index ≤ 50 MB): ${ok ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
