import type { AudienceWindow, ContentItem, ContentMatch } from '@mch/rules';
import { feedJson } from '../../../cms/src/handbook/feed-json';
import { feedView, type FeedPage } from '../../../cms/src/handbook/reading';

const window = (fromDays: number, toDays: number): AudienceWindow => ({ stage: 'child', fromDays, toDays });

const item = (over: Partial<ContentItem>): ContentItem => ({
  id: 'doc1',
  type: 'article',
  slug: 'a-slug',
  locale: 'zh-Hans',
  title: '宝宝辅食添加',
  summary: '六月龄起添加辅食。',
  category: 'child-nutrition',
  priority: 50,
  regionCodes: [],
  windows: [window(180, 365)],
  ...over,
});

const entry = (content: ContentItem, over: Partial<ContentMatch['reason']> = {}, journeyId = '00000000-0000-4000-8000-000000000001') => {
  const reason = { dayIndex: 200, window: content.windows[0]!, why: 'child day 200 is within 180–365', ...over };
  const match: ContentMatch = { item: content, journeyId, stage: 'child', window: reason.window, score: 1, reason };
  return { item: content, match };
};

/** What the routed API answers for the same page: Koa serialises it with JSON.stringify. */
const expected = (page: FeedPage) => Buffer.from(JSON.stringify({ data: feedView(page) }));

describe('feed JSON written directly (cms/src/handbook/feed-json.ts)', () => {
  it('writes the same bytes as JSON.stringify for Chinese, English and strings that need escaping', () => {
    const shared = item({});
    const page: FeedPage = {
      day: '2026-11-24',
      locale: 'en',
      entries: [
        entry(shared),
        entry(shared, { dayIndex: 201 }, 'another-journey'), // the same item twice: its cached head is reused
        entry(item({ id: 'q"uote', slug: 'back\\slash', title: 'line\nbreak\ttab\u0001', summary: 'emoji 👶 and a lone \ud800 surrogate', locale: 'en' })),
        entry(item({ id: 'sep', title: 'separators \u2028\u2029 stay raw', summary: '', priority: 0, category: 'policy' }), { why: 'pregnancy day 3 is within 0–6' }),
        entry(item({ id: 'big', priority: 100, windows: [{ stage: 'pregnancy', fromDays: -3, toDays: 1e6 }] })),
      ],
      total: 42,
      nextCursor: '20',
    };
    const written = feedJson(page);
    expect(written.toString('utf8')).toBe(expected(page).toString('utf8'));
    expect(written.equals(expected(page))).toBe(true);
    // A second page from the same items (heads cached) is still exact.
    const again: FeedPage = { ...page, entries: page.entries.slice(1, 3), nextCursor: null, total: 2 };
    expect(feedJson(again).equals(expected(again))).toBe(true);
  });

  it('writes an empty page as JSON.stringify does', () => {
    const page: FeedPage = { day: '2026-01-01', locale: 'zh-Hans', entries: [], total: 0, nextCursor: null };
    expect(feedJson(page).equals(expected(page))).toBe(true);
    expect(JSON.parse(feedJson(page).toString('utf8'))).toEqual({ data: { day: '2026-01-01', locale: 'zh-Hans', items: [], total: 0, nextCursor: null } });
  });
});
