import { splitFrontMatter } from '../../../content-seed/src/files';
import { matches } from '../../../content-seed/src/upsert';

describe('splitFrontMatter', () => {
  it('parses YAML front matter and keeps the Markdown body', () => {
    const { front, body } = splitFrontMatter('---\nslug: a-b\nwindows:\n  - { stage: child, from: 1, to: 2, unit: months }\n---\n## 标题\n\n正文\n');
    expect(front).toEqual({ slug: 'a-b', windows: [{ stage: 'child', from: 1, to: 2, unit: 'months' }] });
    expect(body).toBe('## 标题\n\n正文');
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    expect(splitFrontMatter('\uFEFF---\r\nslug: x-y\r\n---\r\nbody\r\n')).toEqual({ front: { slug: 'x-y' }, body: 'body' });
  });

  it.each([
    ['no front matter', 'slug: a\n', 'must start with YAML front matter'],
    ['an unclosed front matter', '---\nslug: a\n', 'is not closed'],
  ])('rejects %s', (_label, text, message) => {
    expect(() => splitFrontMatter(text)).toThrow(message);
  });
});

describe('matches (is the stored value what the seed says?)', () => {
  it('ignores stored-only keys such as ids and derived day ranges', () => {
    const seed = { windows: [{ stage: 'pregnancy', from: 12, to: 12, unit: 'weeks' }], title: 'x' };
    const stored = { id: 9, title: 'x', windows: [{ id: 3, stage: 'pregnancy', from: 12, to: 12, unit: 'weeks', fromDays: 84, toDays: 90 }] };
    expect(matches(seed, stored)).toBe(true);
  });

  it('sees a changed value, a changed list length and a missing value', () => {
    expect(matches({ priority: 50 }, { priority: 60 })).toBe(false);
    expect(matches({ sources: [{ title: 'a' }] }, { sources: [{ title: 'a' }, { title: 'b' }] })).toBe(false);
    expect(matches({ reviewer: 'x' }, {})).toBe(false);
  });

  it('treats null, undefined and empty stored values alike for an absent seed value', () => {
    expect(matches({ url: null }, { url: undefined })).toBe(true);
    expect(matches({ url: null }, { url: '' })).toBe(true);
    expect(matches({ url: null }, { url: 'https://example.org' })).toBe(false);
  });
});
