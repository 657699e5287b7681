import type { AudienceWindow, ContentItem } from '@mch/rules';
import { feedItemFields, type FeedPage } from './reading';

/**
 * The feed response's bytes, written directly: exactly `Buffer.from(JSON.stringify({ data: feedView(page) }))`
 * (tested byte for byte), without building that string. JSON.stringify of a page with Chinese titles
 * makes a two-byte string twice the size of the body, and encoding it to UTF-8 copies it again: the
 * two were a third of the ~104 KB a feed request allocated at 1,500 req/s, and V8 does a step of
 * old-generation marking on the main thread for every 64 KB allocated while a major collection runs
 * (BENCHMARKS.md, eighth session). Each item's fixed part (id … priority) is encoded once per
 * catalogue item and reused; only the reasons are written per request.
 */

/** An item's fields up to its reason, `{"id":…,"priority":…,"reason":`, per catalogue item (items are replaced, never changed). */
const itemHeads = new WeakMap<ContentItem, Buffer>();
/** A window's JSON, per window object (shared by every reason that cites it). */
const windowJsons = new WeakMap<AudienceWindow, string>();

function itemHead(item: ContentItem): Buffer {
  let head = itemHeads.get(item);
  if (!head) {
    // feedView's item without its reason: the same fields in the same order.
    const fixed = JSON.stringify(feedItemFields(item));
    head = Buffer.from(`${fixed.slice(0, -1)}${fixed.length > 2 ? ',' : ''}"reason":`);
    itemHeads.set(item, head);
  }
  return head;
}

function windowJson(window: AudienceWindow): string {
  let json = windowJsons.get(window);
  if (json === undefined) windowJsons.set(window, (json = JSON.stringify(window)));
  return json;
}

/** Characters JSON.stringify escapes in a string: quote, backslash, controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON.stringify writes it; most need no escaping and are only quoted. */
function str(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

/** A number as JSON.stringify writes it. */
function num(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

export function feedJson(page: FeedPage): Buffer {
  const parts: Array<string | Buffer> = [`{"data":{"day":${str(page.day)},"locale":${str(page.locale)},"items":[`];
  page.entries.forEach(({ item, match }, i) => {
    if (i > 0) parts.push(',');
    parts.push(itemHead(item));
    // feedView's reason: { journeyId, stage, ...match.reason } with match.reason = { dayIndex, window, why }.
    const { dayIndex, window, why } = match.reason;
    parts.push(
      `{"journeyId":${str(match.journeyId)},"stage":${str(match.stage)},"dayIndex":${num(dayIndex)},"window":${windowJson(window)},"why":`,
      str(why),
      '}}',
    );
  });
  parts.push(`],"total":${num(page.total)},"nextCursor":${page.nextCursor === null ? 'null' : str(page.nextCursor)}}}`);
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  let upper = 0;
  for (const part of parts) upper += typeof part === 'string' ? part.length * 3 : part.length;
  const out = Buffer.allocUnsafe(upper);
  let at = 0;
  for (const part of parts) at += typeof part === 'string' ? out.write(part, at) : part.copy(out, at);
  return out.subarray(0, at);
}
