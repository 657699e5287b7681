import { normaliseWindow, validateWindowInput, type AudienceWindowInput } from '@mch/rules';

describe('normaliseWindow', () => {
  it.each<[AudienceWindowInput, number, number]>([
    [{ stage: 'pregnancy', from: 12, to: 12, unit: 'weeks' }, 84, 90],
    [{ stage: 'pregnancy', from: 24, to: 28, unit: 'weeks' }, 168, 202],
    [{ stage: 'pregnancy', from: 44, to: 44, unit: 'weeks' }, 308, 314],
    [{ stage: 'postpartum', from: 0, to: 42, unit: 'days' }, 0, 42],
    [{ stage: 'child', from: 0, to: 0, unit: 'months' }, 0, 29],
    [{ stage: 'child', from: 3, to: 3, unit: 'months' }, 91, 120],
    [{ stage: 'child', from: 6, to: 8, unit: 'months' }, 182, 272],
    [{ stage: 'child', from: 12, to: 23, unit: 'months' }, 365, 729],
    [{ stage: 'child', from: 84, to: 84, unit: 'months' }, 2556, 2556],
    [{ stage: 'postpartum', from: 12, to: 12, unit: 'months' }, 365, 365],
  ])('%j → days %i..%i', (input, fromDays, toDays) => {
    expect(normaliseWindow(input)).toEqual({ stage: input.stage, fromDays, toDays });
  });

  it('leaves no gap and no overlap between consecutive month windows', () => {
    for (let m = 0; m < 83; m += 1) {
      const a = normaliseWindow({ stage: 'child', from: m, to: m, unit: 'months' });
      const b = normaliseWindow({ stage: 'child', from: m + 1, to: m + 1, unit: 'months' });
      expect(b.fromDays).toBe(a.toDays + 1);
    }
  });
});

describe('validateWindowInput', () => {
  it.each<[AudienceWindowInput]>([
    [{ stage: 'pregnancy', from: 0, to: 44, unit: 'weeks' }],
    [{ stage: 'pregnancy', from: 0, to: 314, unit: 'days' }],
    [{ stage: 'postpartum', from: 0, to: 12, unit: 'months' }],
    [{ stage: 'postpartum', from: 0, to: 52, unit: 'weeks' }],
    [{ stage: 'child', from: 0, to: 84, unit: 'months' }],
    [{ stage: 'preconception', from: 0, to: 24, unit: 'months' }],
  ])('accepts %j', (w) => {
    expect(validateWindowInput(w, 'windows[0]')).toEqual([]);
  });

  it.each<[unknown, string[]]>([
    [{ stage: 'pregnancy', from: 0, to: 45, unit: 'weeks' }, ['windows[0].to']],
    [{ stage: 'pregnancy', from: 0, to: 11, unit: 'months' }, ['windows[0].to']],
    [{ stage: 'postpartum', from: 0, to: 366, unit: 'days' }, ['windows[0].to']],
    [{ stage: 'postpartum', from: 0, to: 13, unit: 'months' }, ['windows[0].to']],
    [{ stage: 'child', from: 0, to: 85, unit: 'months' }, ['windows[0].to']],
    [{ stage: 'preconception', from: 0, to: 25, unit: 'months' }, ['windows[0].to']],
    [{ stage: 'pregnancy', from: 13, to: 12, unit: 'weeks' }, ['windows[0].from']],
    [{ stage: 'toddler', from: 0, to: 1, unit: 'weeks' }, ['windows[0].stage']],
    [{ stage: 'child', from: 0, to: 1, unit: 'years' }, ['windows[0].unit']],
    [{ stage: 'child', from: -1, to: 1.5, unit: 'days' }, ['windows[0].from', 'windows[0].to']],
    [null, ['windows[0]']],
  ])('rejects %j at %j', (w, expected) => {
    const problems = validateWindowInput(w as AudienceWindowInput, 'windows[0]');
    expect(problems.map((p) => p.path)).toEqual(expected);
    for (const p of problems) expect(p.messageZh.length).toBeGreaterThan(0);
  });
});
