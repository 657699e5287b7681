import type { AudienceWindow, ContentItem, IsoDate, Locale, StageKind } from './domain';
import { IntervalTree } from './interval-tree';

export interface IndexEntry {
  item: ContentItem;
  window: AudienceWindow;
}

/** A province code (XX0000) covers its cities and counties, a city code (XXYY00) its counties, any other code itself. */
export function regionCovers(scope: string, member: string): boolean {
  if (scope === member) return true;
  if (scope.endsWith('0000')) return member.startsWith(scope.slice(0, 2));
  if (scope.endsWith('00')) return member.startsWith(scope.slice(0, 4));
  return false;
}

export interface ContentQuery {
  stage: StageKind;
  dayIndex: number;
  on: IsoDate;
  /** The member's region; null sees only items meant for everywhere. */
  regionCode: string | null;
  /** Only items in this locale; all locales when omitted. */
  locale?: Locale;
}

export interface ContentIndex {
  /** Number of items indexed. */
  readonly size: number;
  /**
   * Items whose window of this stage contains the day index, in scope for the region and valid on
   * the day. An item with two windows around the day is returned once per window.
   */
  select(query: ContentQuery): IndexEntry[];
}

function inScope(item: ContentItem, on: IsoDate, regionCode: string | null): boolean {
  if (item.validFrom && on < item.validFrom) return false;
  if (item.validTo && on > item.validTo) return false;
  if (item.regionCodes.length === 0) return true;
  return regionCode !== null && item.regionCodes.some((scope) => regionCovers(scope, regionCode));
}

/**
 * One interval tree per stage kind (and per stage kind and locale, so a locale's query does not
 * read the other locale's items): a query costs O(log n + k), never a scan of every item. Region
 * and validity are checked on the k matches only; they narrow little, and folding them into the
 * tree would multiply its size.
 */
export function buildContentIndex(items: readonly ContentItem[]): ContentIndex {
  const groups = new Map<string, Array<{ from: number; to: number; value: IndexEntry }>>();
  const add = (key: string, entry: IndexEntry) => {
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push({ from: entry.window.fromDays, to: entry.window.toDays, value: entry });
  };
  for (const item of items) {
    for (const window of item.windows) {
      const entry = { item, window };
      add(window.stage, entry);
      add(`${window.stage}|${item.locale}`, entry);
    }
  }
  const trees = new Map<string, IntervalTree<IndexEntry>>();
  for (const [key, intervals] of groups) trees.set(key, new IntervalTree(intervals));
  return {
    size: items.length,
    select({ stage, dayIndex, on, regionCode, locale }) {
      const tree = trees.get(locale ? `${stage}|${locale}` : stage);
      if (!tree) return [];
      return tree.stab(dayIndex).filter(({ item }) => inScope(item, on, regionCode));
    },
  };
}
