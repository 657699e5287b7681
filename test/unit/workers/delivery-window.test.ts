import fc from 'fast-check';
import { deliverAfter, memoDeliverAfter, type WindowInput } from '../../../workers/src/delivery-window';

describe('delivery window: the memo a sweep page uses gives deliverAfter’s answers', () => {
  const zones = ['Asia/Shanghai', 'Asia/Urumqi', 'America/Los_Angeles', 'Europe/London', 'Australia/Lord_Howe'];
  const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 30)).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
  const input: fc.Arbitrary<WindowInput> = fc.record({
    // Around the 2026 DST changes of the zones above, and ordinary days.
    day: fc.constantFrom('2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01', '2026-11-23'),
    deliveryHour: fc.integer({ min: 0, max: 23 }),
    timeZone: fc.constantFrom(...zones),
    quietStart: hhmm,
    quietEnd: hhmm,
    now: fc.integer({ min: Date.UTC(2026, 2, 6), max: Date.UTC(2026, 10, 25) }).map((ms) => new Date(ms)),
  });

  it('answers every input as deliverAfter does, asked once or many times, in any order', () => {
    fc.assert(
      fc.property(fc.array(input, { minLength: 1, maxLength: 30 }), (inputs) => {
        const memo = memoDeliverAfter();
        // Each input asked twice: the second answer comes from the memo.
        for (const i of [...inputs, ...inputs]) expect(memo(i).getTime()).toBe(deliverAfter(i).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('keys on every field: members of one page in other zones or with other quiet hours get their own answer', () => {
    const memo = memoDeliverAfter();
    const base: WindowInput = { day: '2026-11-23', deliveryHour: 9, timeZone: 'Asia/Shanghai', quietStart: '21:00', quietEnd: '08:00', now: new Date('2026-11-23T00:00:00Z') };
    expect(memo(base).toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(memo({ ...base, timeZone: 'Asia/Urumqi' }).toISOString()).toBe('2026-11-23T03:00:00.000Z');
    expect(memo({ ...base, quietEnd: '10:00' }).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(memo({ ...base, deliveryHour: 22 }).toISOString()).toBe('2026-11-24T00:00:00.000Z');
    expect(memo({ ...base, now: new Date('2026-11-23T05:00:00Z') }).toISOString()).toBe('2026-11-23T05:00:00.000Z');
    // A returned Date changed by its caller does not change the next answer.
    memo(base).setTime(0);
    expect(memo(base).toISOString()).toBe('2026-11-23T01:00:00.000Z');
  });
});
