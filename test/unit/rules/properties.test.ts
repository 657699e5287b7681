import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import {
  OPERATORS,
  CUSTOM_OPERATORS,
  addDays,
  anchorDateOf,
  buildContentIndex,
  checkOccurrence,
  compileConditions,
  dueAnchorRanges,
  evaluate,
  instantAt,
  occurrenceDates,
  plan,
  type Facts,
  type Journey,
  type ReminderRule,
  type Trigger,
} from '@mch/rules';
import { child, member, preconception, pregnancy, rule } from './fixtures';

/** Days from 2023-01-01 to 2029-12-31, plus every month end in that span so clamping is exercised often. */
const BASE = '2023-01-01';
const monthEnds = Array.from({ length: 84 }, (_, i) => {
  const y = 2023 + Math.floor(i / 12);
  const m = (i % 12) + 1;
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
});
const isoDay = fc.oneof(
  fc.integer({ min: 0, max: 2555 }).map((n) => addDays(BASE, n)),
  fc.constantFrom(...monthEnds),
  fc.constantFrom(...monthEnds).map((d) => addDays(d, -1)),
  fc.constantFrom('2024-02-29', '2028-02-29', '2024-02-28', '2025-02-28'),
);

/** Offsets that land within the first years of a journey, negative ones included (e.g. EDD − 2 weeks). */
const unitOffset = fc.oneof(
  fc.record({ unit: fc.constant('days' as const), offset: fc.integer({ min: -60, max: 400 }) }),
  fc.record({ unit: fc.constant('weeks' as const), offset: fc.integer({ min: -8, max: 45 }) }),
  fc.record({ unit: fc.constant('months' as const), offset: fc.integer({ min: -3, max: 24 }) }),
);
const trigger: fc.Arbitrary<Trigger> = fc
  .record({
    anchor: fc.constantFrom<Trigger['anchor']>('lmp', 'edd', 'birth', 'delivery', 'enrolment', 'last-visit'),
    unitOffset,
    corrected: fc.boolean(),
    repeat: fc.option(
      fc.record({ everyDays: fc.integer({ min: 1, max: 45 }), count: fc.integer({ min: 2, max: 6 }) }),
      { nil: null },
    ),
  })
  .map(({ anchor, unitOffset: { unit, offset }, corrected, repeat }) => ({
    anchor,
    unit,
    offset,
    corrected: anchor === 'birth' && corrected,
    repeat,
  }));

const conditions = fc.option(
  fc.constantFrom<Record<string, unknown>>(
    { all: [{ fact: 'stage', operator: 'equal', value: 'child' }] },
    {
      any: [
        { fact: 'gestationalWeeks', operator: 'greaterThanInclusive', value: 12 },
        { fact: 'childAgeMonths', operator: 'lessThan', value: 6 },
      ],
    },
    { not: { fact: 'riskColour', operator: 'equal', value: 'green' } },
    { all: [{ fact: 'birthDate', operator: 'dateOnOrAfter', value: '2025-01-01' }] },
    { all: [{ fact: 'isPreterm', operator: 'equal', value: true }] },
  ),
  { nil: null, freq: 2 },
);

const rules = fc
  .array(fc.record({ trigger, conditions, priority: fc.integer({ min: 0, max: 100 }) }), {
    minLength: 1,
    maxLength: 12,
  })
  .map((list) =>
    list.map((r, i) => rule({ key: `rule-${i}`, trigger: r.trigger, conditions: r.conditions, priority: r.priority })),
  );

const pregnancyJourney = (statuses: ReadonlyArray<'active' | 'loss' | 'delivered'>): fc.Arbitrary<Journey> =>
  fc
    .record({
      lmp: isoDay,
      status: fc.constantFrom(...statuses),
      outcome: fc.integer({ min: 40, max: 300 }),
      visit: fc.option(fc.integer({ min: 30, max: 250 }), { nil: null, freq: 1 }),
      risk: fc.constantFrom('green', 'orange' as const),
      corrected: fc.option(fc.integer({ min: -14, max: 14 }), { nil: null }),
    })
    .map((p) =>
      pregnancy({
        id: 'p',
        lmp: p.lmp,
        edd: p.corrected === null ? null : addDays(p.lmp, 280 + p.corrected),
        eddBasis: p.corrected === null ? null : 'ultrasound',
        status: p.status,
        outcomeOn: p.status === 'active' ? null : addDays(p.lmp, p.outcome),
        lastVisitOn: p.visit === null ? null : addDays(p.lmp, p.visit),
        riskColour: p.risk,
        enrolledOn: addDays(p.lmp, 40),
      }),
    );
const childJourney: fc.Arbitrary<Journey> = fc
  .record({ birthDate: isoDay, ga: fc.option(fc.integer({ min: 196, max: 290 }), { nil: null }) })
  .map((c) => child({ id: 'c', birthDate: c.birthDate, gestationalAgeAtBirthDays: c.ga, enrolledOn: c.birthDate }));
const preconceptionJourney: fc.Arbitrary<Journey> = isoDay.map((d) =>
  preconception({ id: 'pre', startedOn: d, enrolledOn: d }),
);
const journey: fc.Arbitrary<Journey> = fc.oneof(
  pregnancyJourney(['active', 'loss', 'delivered']),
  childJourney,
  preconceptionJourney,
);

/** Mostly journeys that have the anchor (so that rules are often due), sometimes any journey. */
function journeyFor(anchor: Trigger['anchor']): fc.Arbitrary<Journey> {
  const fitting = {
    lmp: pregnancyJourney(['active', 'active', 'active', 'loss']),
    edd: pregnancyJourney(['active', 'active', 'active', 'delivered']),
    'last-visit': pregnancyJourney(['active', 'active', 'loss']),
    delivery: pregnancyJourney(['delivered', 'delivered', 'active']),
    birth: childJourney,
    enrolment: journey,
  }[anchor];
  return fc.oneof({ arbitrary: fitting, weight: 4 }, { arbitrary: journey, weight: 1 });
}

const emptyIndex = buildContentIndex([]);

describe('properties', () => {
  it('plan agrees with evaluating each day in turn', () => {
    let withReminders = 0;
    fc.assert(
      fc.property(
        rules.chain((list) =>
          fc.tuple(
            fc.constant(list),
            fc.tuple(journeyFor(list[0]!.trigger.anchor), journeyFor(list[list.length - 1]!.trigger.anchor)),
          ),
        ),
        fc.integer({ min: -30, max: 500 }),
        fc.constantFrom('Asia/Shanghai', 'America/New_York'),
        ([ruleList, js], start, timeZone) => {
          const journeys = js.map((j, i) => ({ ...j, id: `${j.id}-${i}` }));
          const m = member({ timeZone });
          const days = 60;
          const from = addDays(journeys[0]!.enrolledOn, start);
          const planned = plan({ member: m, journeys, rules: ruleList, from, days }).map((o) => o.key);
          const daily: string[] = [];
          for (let d = 0; d < days; d += 1) {
            const day = addDays(from, d);
            const at = instantAt(day, 0, 30, timeZone);
            const result = evaluate({ member: m, journeys, rules: ruleList, contentIndex: emptyIndex, at });
            expect(result.day).toBe(day);
            for (const r of result.reminders) daily.push(`${r.journeyId}:${r.ruleKey}:${r.scheduledOn}`);
          }
          expect(planned.sort()).toEqual(daily.sort());
          if (daily.length > 0) withReminders += 1;
        },
      ),
      { numRuns: 300 },
    );
    // The comparison is only worth something if reminders were actually due in many runs (~20 % do).
    expect(withReminders).toBeGreaterThan(30);
  });

  it('dueAnchorRanges: an anchor date is in a range exactly when an occurrence of the rule falls on the day', () => {
    fc.assert(
      fc.property(trigger, isoDay, fc.integer({ min: -4, max: 4 }), fc.nat(), (t, anchorDate, shift, pick) => {
        const r = rule({ trigger: t });
        const dates = occurrenceDates({ rule: r, anchorDate });
        const day = addDays(dates[pick % dates.length]!, shift);
        const ranges = dueAnchorRanges({ rule: r, day });
        const inRange = ranges.filter((x) => x.from <= anchorDate && anchorDate <= x.to).map((x) => x.occurrence);
        const expected = dates.flatMap((d, k) => (d === day ? [k] : []));
        expect(inRange).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('dueAnchorRanges selects exactly the journeys that checkOccurrence finds due', () => {
    let due = 0;
    fc.assert(
      fc.property(
        trigger.chain((t) => fc.tuple(fc.constant(t), fc.array(journeyFor(t.anchor), { minLength: 1, maxLength: 20 }))),
        conditions,
        fc.nat(),
        fc.integer({ min: -2, max: 2 }),
        ([t, js], cond, pick, shift) => {
          const r: ReminderRule = rule({ trigger: t, conditions: cond });
          const journeys = js.map((j, i) => ({ ...j, id: `j${i}` }));
          const anchorOf = (j: Journey) =>
            anchorDateOf({ journey: j, anchor: t.anchor, corrected: t.corrected ?? false });
          // Aim the day at some journey's occurrence (or near it), so that due journeys are common.
          const aimed = journeys.map(anchorOf).find((a) => a !== null);
          const dates = aimed ? occurrenceDates({ rule: r, anchorDate: aimed }) : ['2026-01-01'];
          const day = addDays(dates[pick % dates.length]!, shift);
          const ranges = dueAnchorRanges({ rule: r, day });
          const candidates = journeys.filter((j) => {
            const a = anchorOf(j);
            return a !== null && ranges.some((x) => x.from <= a && a <= x.to);
          });
          const isDue = (j: Journey) => checkOccurrence({ rule: r, member: member(), journey: j, day }) !== null;
          const viaScan = journeys.filter(isDue).map((j) => j.id);
          expect(candidates.filter(isDue).map((j) => j.id)).toEqual(viaScan);
          due += viaScan.length;
        },
      ),
      { numRuns: 1500 },
    );
    expect(due).toBeGreaterThan(80);
  });

  it('compiled conditions agree with json-rules-engine’s Engine on random facts', async () => {
    const factNames = ['gestationalWeeks', 'childAgeMonths', 'riskColour', 'isPreterm', 'birthDate'];
    const value = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.constantFrom('green', 'orange', 'red', '2024-12-31', '2025-01-01'),
      fc.boolean(),
      fc.constant(null),
    );
    const leaf = fc.record({
      fact: fc.constantFrom(...factNames),
      operator: fc.constantFrom(...Object.keys(OPERATORS)),
      value: fc.oneof(value, fc.array(value, { maxLength: 3 })),
    });
    const { tree } = fc.letrec<{ tree: Record<string, unknown> }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ all: fc.array(fc.oneof(leaf, tie('tree')), { maxLength: 4 }) }),
        fc.record({ any: fc.array(fc.oneof(leaf, tie('tree')), { maxLength: 4 }) }),
        fc.record({ not: fc.oneof(leaf, tie('tree')) }),
      ),
    }));
    const facts = fc.record({
      gestationalWeeks: fc.option(fc.integer({ min: 0, max: 44 }), { nil: null }),
      childAgeMonths: fc.option(fc.integer({ min: 0, max: 84 }), { nil: null }),
      riskColour: fc.option(fc.constantFrom('green', 'orange', 'red'), { nil: null }),
      isPreterm: fc.option(fc.boolean(), { nil: null }),
      birthDate: fc.option(fc.constantFrom('2024-12-31', '2025-01-01', '2025-06-01'), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(tree, facts, async (conditionTree, factValues: Facts) => {
        // json-rules-engine's own operators throw on a non-list for in/notIn; our validator never lets those through.
        const json = JSON.stringify(conditionTree);
        fc.pre(!/"operator":"(in|notIn)","value":[^[]/.test(json));
        const engine = new Engine([], { allowUndefinedFacts: true });
        for (const name of CUSTOM_OPERATORS) engine.addOperator(name, OPERATORS[name]!);
        engine.addRule({ conditions: conditionTree as never, event: { type: 'due' } });
        const { events } = await engine.run({ ...factValues });
        expect(compileConditions(conditionTree).test(factValues)).toBe(events.length === 1);
        expect(compileConditions(conditionTree).explain(factValues).result).toBe(events.length === 1);
      }),
      { numRuns: 800 },
    );
  });
});
