import { buildContentIndex, regionCovers, type ContentItem } from '@mch/rules';
import { item } from './fixtures';

const ids = (entries: Array<{ item: ContentItem }>) => entries.map((e) => e.item.id).sort();

describe('regionCovers', () => {
  it.each([
    ['350000', '350102', true],
    ['350000', '360102', false],
    ['350100', '350102', true],
    ['350100', '350203', false],
    ['350102', '350102', true],
    ['350102', '350103', false],
  ])('%s covers %s: %p', (scope, code, expected) => {
    expect(regionCovers(scope, code)).toBe(expected);
  });
});

describe('buildContentIndex', () => {
  const week12 = item({ id: 'week-12', windows: [{ stage: 'pregnancy', fromDays: 84, toDays: 90 }] });
  const trimester1 = item({ id: 'trimester-1', windows: [{ stage: 'pregnancy', fromDays: 0, toDays: 97 }] });
  const twoWindows = item({
    id: 'two-windows',
    windows: [
      { stage: 'pregnancy', fromDays: 10, toDays: 20 },
      { stage: 'child', fromDays: 84, toDays: 90 },
    ],
  });
  const fujian = item({ id: 'fujian', regionCodes: ['350000'] });
  const fuzhou = item({ id: 'fuzhou', regionCodes: ['350100'] });
  const xiamen = item({ id: 'xiamen', regionCodes: ['350200'] });
  const gulou = item({ id: 'gulou', regionCodes: ['350102'] });
  const policy = item({ id: 'policy', validFrom: '2026-06-10', validTo: '2026-06-30' });
  const english = item({ id: 'english', locale: 'en' });
  const index = buildContentIndex([week12, trimester1, twoWindows, fujian, fuzhou, xiamen, gulou, policy, english]);
  const query = {
    stage: 'pregnancy' as const,
    dayIndex: 87,
    on: '2026-06-20',
    regionCode: '350102',
    locale: 'zh-Hans' as const,
  };

  it('counts its items', () => {
    expect(index.size).toBe(9);
  });

  it('selects items whose window contains the day, for the region, valid that day, in the locale', () => {
    expect(ids(index.select(query))).toEqual(['fujian', 'fuzhou', 'gulou', 'policy', 'trimester-1', 'week-12']);
  });

  it.each([
    [83, ['trimester-1']],
    [84, ['fujian', 'fuzhou', 'gulou', 'policy', 'trimester-1', 'week-12']],
    [90, ['fujian', 'fuzhou', 'gulou', 'policy', 'trimester-1', 'week-12']],
    [91, ['trimester-1']],
    [98, []],
  ])('treats windows as inclusive (day %i)', (dayIndex, expected) => {
    expect(ids(index.select({ ...query, dayIndex }))).toEqual(expected);
  });

  it('keeps stages apart and a multi-window item in each of its stages', () => {
    expect(ids(index.select({ ...query, dayIndex: 15 }))).toEqual(['trimester-1', 'two-windows']);
    expect(ids(index.select({ ...query, stage: 'child', dayIndex: 87 }))).toEqual(['two-windows']);
    expect(index.select({ ...query, stage: 'postpartum', dayIndex: 87 })).toEqual([]);
  });

  it('shows a member without a region only the items for everywhere', () => {
    expect(ids(index.select({ ...query, regionCode: null }))).toEqual(['policy', 'trimester-1', 'week-12']);
  });

  it('shows Xiamen’s member the province’s and Xiamen’s items, not Fuzhou’s', () => {
    expect(ids(index.select({ ...query, regionCode: '350203' }))).toEqual([
      'fujian',
      'policy',
      'trimester-1',
      'week-12',
      'xiamen',
    ]);
  });

  it('applies validity dates inclusively', () => {
    expect(ids(index.select({ ...query, on: '2026-06-09' }))).not.toContain('policy');
    expect(ids(index.select({ ...query, on: '2026-06-10' }))).toContain('policy');
    expect(ids(index.select({ ...query, on: '2026-06-30' }))).toContain('policy');
    expect(ids(index.select({ ...query, on: '2026-07-01' }))).not.toContain('policy');
  });

  it('gives every locale when none is asked for', () => {
    expect(ids(index.select({ ...query, locale: undefined }))).toContain('english');
    expect(ids(index.select({ ...query, locale: 'en' }))).toEqual(['english']);
  });

  it('is empty when built from nothing', () => {
    expect(buildContentIndex([]).select(query)).toEqual([]);
  });
});
