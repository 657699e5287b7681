import { computeFacts, stagesOf, FACT_CATALOGUE } from '@mch/rules';
import { child, member, preconception, pregnancy } from './fixtures';

describe('stagesOf', () => {
  it.each([
    ['2025-12-31', []],
    ['2026-01-01', [{ stage: 'pregnancy', dayIndex: 0 }]],
    ['2026-06-18', [{ stage: 'pregnancy', dayIndex: 168 }]],
    ['2026-11-11', [{ stage: 'pregnancy', dayIndex: 314 }]],
    ['2026-11-12', []],
  ])('an active pregnancy (LMP 2026-01-01) on %s: %j', (on, expected) => {
    expect(stagesOf({ journey: pregnancy(), on })).toEqual(expected);
  });

  it('dates an active pregnancy by its corrected EDD', () => {
    expect(stagesOf({ journey: pregnancy({ edd: '2026-10-15', eddBasis: 'ultrasound' }), on: '2026-01-07' })).toEqual(
      [],
    );
    expect(
      stagesOf({ journey: pregnancy({ lmp: null, edd: '2026-10-15', eddBasis: 'ultrasound' }), on: '2026-01-08' }),
    ).toEqual([{ stage: 'pregnancy', dayIndex: 0 }]);
  });

  it.each([
    ['2026-09-19', []],
    ['2026-09-20', [{ stage: 'postpartum', dayIndex: 0 }]],
    ['2026-11-01', [{ stage: 'postpartum', dayIndex: 42 }]],
    ['2027-09-20', [{ stage: 'postpartum', dayIndex: 365 }]],
    ['2027-09-21', []],
  ])('a pregnancy delivered on 2026-09-20, on %s: %j (postpartum only)', (on, expected) => {
    expect(stagesOf({ journey: pregnancy({ status: 'delivered', outcomeOn: '2026-09-20' }), on })).toEqual(expected);
  });

  it.each([['2026-02-01'], ['2026-03-09'], ['2026-03-10'], ['2026-03-11'], ['2026-06-18']])(
    'a pregnancy lost on 2026-03-10 has no stage on %s (nor any day)',
    (on) => {
      expect(stagesOf({ journey: pregnancy({ status: 'loss', outcomeOn: '2026-03-10' }), on })).toEqual([]);
    },
  );

  it.each([
    ['2026-03-14', []],
    ['2026-03-15', [{ stage: 'child', dayIndex: 0 }]],
    ['2033-03-14', [{ stage: 'child', dayIndex: 2556 }]],
    ['2033-03-15', []],
  ])('a child born 2026-03-15 on %s: %j (birth to the day before the 7th birthday)', (on, expected) => {
    expect(stagesOf({ journey: child(), on })).toEqual(expected);
  });

  it('uses chronological age for a preterm child’s day index', () => {
    expect(stagesOf({ journey: child({ gestationalAgeAtBirthDays: 210 }), on: '2026-04-15' })).toEqual([
      { stage: 'child', dayIndex: 31 },
    ]);
  });

  it('counts days since planning began for preconception', () => {
    expect(stagesOf({ journey: preconception(), on: '2026-01-09' })).toEqual([]);
    expect(stagesOf({ journey: preconception(), on: '2026-02-09' })).toEqual([
      { stage: 'preconception', dayIndex: 30 },
    ]);
  });

  it.each([
    [pregnancy({ status: 'closed' })],
    [child({ status: 'closed' })],
    [preconception({ status: 'closed' })],
    [pregnancy({ status: 'delivered', outcomeOn: null })],
    [pregnancy({ lmp: null, edd: null })],
  ])('gives nothing for a closed or incomplete journey %#', (journey) => {
    expect(stagesOf({ journey, on: '2026-06-18' })).toEqual([]);
  });
});

describe('computeFacts', () => {
  it('gives pregnancy facts and nulls the facts of other stages', () => {
    const facts = computeFacts({
      member: member(),
      journey: pregnancy({ riskColour: 'orange', lastVisitOn: '2026-06-01' }),
      on: '2026-06-18',
      stage: 'pregnancy',
    });
    expect(facts).toEqual({
      stage: 'pregnancy',
      gestationalDays: 168,
      gestationalWeeks: 24,
      trimester: 2,
      daysUntilEdd: 112,
      postpartumDays: null,
      childAgeDays: null,
      childAgeMonths: null,
      correctedAgeMonths: null,
      isPreterm: null,
      riskColour: 'orange',
      regionCode: '350102',
      institutionCode: 'FJ-SAMPLE-001',
      journeyStatus: 'active',
      daysSinceLastVisit: 17,
      locale: 'zh-Hans',
      birthDate: null,
      sex: null,
      dueDate: '2026-06-18',
    });
  });

  it('gives postpartum days for a delivered pregnancy', () => {
    const facts = computeFacts({
      member: member(),
      journey: pregnancy({ status: 'delivered', outcomeOn: '2026-09-20' }),
      on: '2026-11-01',
      stage: 'postpartum',
    });
    expect(facts).toMatchObject({
      stage: 'postpartum',
      postpartumDays: 42,
      gestationalDays: null,
      journeyStatus: 'delivered',
    });
  });

  it('gives chronological and corrected age for a preterm child', () => {
    const facts = computeFacts({
      member: member({ locale: 'en' }),
      journey: child({ gestationalAgeAtBirthDays: 210, sex: 'male' }),
      on: '2026-11-24',
      stage: 'child',
    });
    expect(facts).toMatchObject({
      stage: 'child',
      childAgeDays: 254,
      childAgeMonths: 8,
      correctedAgeMonths: 6,
      isPreterm: true,
      birthDate: '2026-03-15',
      sex: 'male',
      locale: 'en',
      riskColour: null,
    });
  });

  it('has a value (maybe null) for every catalogue fact, and nothing else', () => {
    const facts = computeFacts({ member: member(), journey: child(), on: '2026-04-15', stage: 'child' });
    expect(Object.keys(facts).sort()).toEqual(FACT_CATALOGUE.map((f) => f.name).sort());
  });
});

describe('FACT_CATALOGUE', () => {
  it('describes every required fact in both languages with an example of its type', () => {
    const names = FACT_CATALOGUE.map((f) => f.name);
    for (const name of [
      'stage',
      'gestationalDays',
      'gestationalWeeks',
      'trimester',
      'daysUntilEdd',
      'postpartumDays',
      'childAgeDays',
      'childAgeMonths',
      'correctedAgeMonths',
      'isPreterm',
      'riskColour',
      'regionCode',
      'institutionCode',
      'journeyStatus',
      'daysSinceLastVisit',
      'locale',
      'birthDate',
      'sex',
      'dueDate',
    ]) {
      expect(names).toContain(name);
    }
    for (const fact of FACT_CATALOGUE) {
      expect(fact.labelZh && fact.labelEn && fact.descriptionZh && fact.descriptionEn).toBeTruthy();
      const exampleType = fact.type === 'date' ? 'string' : fact.type;
      expect(typeof fact.example).toBe(exampleType);
      if (fact.enum) expect(fact.enum).toContain(fact.example);
    }
    expect(FACT_CATALOGUE.find((f) => f.name === 'riskColour')?.enum).toEqual([
      'green',
      'yellow',
      'orange',
      'red',
      'purple',
    ]);
  });
});
