import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RulesError, addDays, evaluate, localDay, plan, pregnancyCalculator, type ContentItem, type ContentMatch, type IsoDate, type Locale, type ReminderRule } from '@mch/rules';
import { assertNoProblems } from '../validation/problems';
import { catalogueOf } from './catalogue';
import { findMemberWithJourneys } from './journeys';
import { notificationView, recordActivity } from './members';
import { externalId as externalIdSchema, feedQuery, parse } from './requests';
import { T, knexOf, toJourney, toMember, type JourneyRow, type MemberRow, type NotificationRow } from './tables';

/** The feed evaluates content only; one array for every call (rules/ indexes each rules array it is given). */
const NO_RULES: readonly ReminderRule[] = Object.freeze([]);

/** One page of a member's feed: the ranked entries with their items already in the asked locale. */
export interface FeedPage {
  day: IsoDate;
  locale: Locale;
  entries: Array<{ item: ContentItem; match: ContentMatch }>;
  total: number;
  nextCursor: string | null;
}

/**
 * The content that qualifies today for all of the member's journeys, ranked by rules/, each item with
 * its reason. zh-Hans is the primary locale: an item without the requested locale falls back to it.
 */
export function feedPage(
  strapi: Core.Strapi,
  { member, journeys: rows }: { member: MemberRow; journeys: JourneyRow[] },
  query: { at?: string; locale?: Locale; limit?: number; cursor?: string },
  now: Date,
): FeedPage {
  const at = query.at ? new Date(query.at) : now;
  const locale: Locale = query.locale ?? (member.locale as Locale);
  const limit = query.limit ?? 20;
  const offset = query.cursor ? Number(query.cursor) : 0;
  const catalogue = catalogueOf(strapi);
  const journeys = rows.map(toJourney);
  const result = evaluate({
    member: toMember(member, 'zh-Hans'),
    journeys,
    rules: NO_RULES,
    contentIndex: catalogue.contentIndex,
    at,
    page: { offset, limit },
  });
  return {
    day: result.day,
    locale,
    entries: result.content.map((match) => ({ item: catalogue.localised(match.item, locale), match })),
    total: result.contentTotal,
    nextCursor: offset + limit < result.contentTotal ? String(offset + limit) : null,
  };
}

/** A feed item's own fields, in the order the API writes them (its reason follows). */
export function feedItemFields(item: ContentItem) {
  return {
    id: item.id,
    type: item.type,
    slug: item.slug,
    locale: item.locale,
    title: item.title,
    summary: item.summary,
    category: item.category,
    priority: item.priority,
  };
}

/** The feed page as the API answers it (`data` of the response); feed-json.ts writes the same bytes directly. */
export function feedView(page: FeedPage) {
  return {
    day: page.day,
    locale: page.locale,
    // Object.assign rather than `{ ...fields, reason }` (see tables.ts toJourney).
    items: page.entries.map(({ item, match }) =>
      Object.assign(feedItemFields(item), { reason: { journeyId: match.journeyId, stage: match.stage, ...match.reason } }),
    ),
    total: page.total,
    nextCursor: page.nextCursor,
  };
}

/**
 * `GET …/members/:externalId/feed` from its raw path parameter and query, as the routed controller and
 * the fast paths (middlewares/host-app-fast-path.ts, feed-listener.ts) answer it; records the member's
 * activity.
 */
export async function readFeed(strapi: Core.Strapi, externalIdParam: string | undefined, query: unknown, now: Date): Promise<FeedPage> {
  const found = await findMemberWithJourneys(strapi, parse(externalIdSchema, externalIdParam, 'externalId'));
  if (!found) throw new errors.NotFoundError('member not found');
  const page = feedPage(strapi, found, parse(feedQuery, query, 'query'), now);
  await recordActivity(strapi, found.member, now);
  return page;
}

export async function feedResponse(strapi: Core.Strapi, externalIdParam: string | undefined, query: unknown, now: Date) {
  return { data: feedView(await readFeed(strapi, externalIdParam, query, now)) };
}

/** What is coming: the reminder timeline that rules/ plans from today. */
export function upcoming(
  strapi: Core.Strapi,
  { member, journeys: rows }: { member: MemberRow; journeys: JourneyRow[] },
  query: { days?: number; locale?: Locale },
  now: Date,
) {
  const from = localDay(now, member.time_zone);
  const days = query.days ?? 90;
  const catalogue = catalogueOf(strapi);
  const domainMember = toMember(member, query.locale ?? (member.locale as Locale));
  const journeys = rows.map(toJourney);
  const occurrences = plan({ member: domainMember, journeys, rules: catalogue.rulesFor(domainMember), from, days });
  return {
    from,
    to: addDays(from, days - 1),
    items: occurrences.map((o) => ({
      key: o.key,
      journeyId: o.journeyId,
      ruleKey: o.ruleKey,
      scheduledOn: o.scheduledOn,
      category: o.category,
      priority: o.priority,
      title: o.rendered.title,
      body: o.rendered.body,
      explanation: o.explanation,
    })),
  };
}

/** Every row not withdrawn: a push being sent, held back by the cap or failed is still in the inbox. */
const VISIBLE_IN_INBOX = ['scheduled', 'queued', 'sending', 'sent', 'failed'];

export async function inbox(strapi: Core.Strapi, member: MemberRow, query: { limit?: number; cursor?: string }, now: Date) {
  const limit = query.limit ?? 20;
  const today = localDay(now, member.time_zone);
  const q = knexOf(strapi)(T.notifications)
    .where({ member_id: member.id, inbox: true })
    .whereIn('status', VISIBLE_IN_INBOX)
    .where('scheduled_on', '<=', today)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (query.cursor) void q.where('id', '<', query.cursor);
  const rows = (await q) as NotificationRow[];
  const page = rows.slice(0, limit);
  const unread = (await knexOf(strapi)(T.notifications)
    .where({ member_id: member.id, inbox: true })
    .whereIn('status', VISIBLE_IN_INBOX)
    .where('scheduled_on', '<=', today)
    .whereNull('read_at')
    .count({ n: '*' })
    .first()) as { n: number | string } | undefined;
  return {
    items: page.map(notificationView),
    unread: Number(unread?.n ?? 0),
    nextCursor: rows.length > limit ? String(page[page.length - 1]?.id) : null,
  };
}

export async function markRead(strapi: Core.Strapi, member: MemberRow, id: string, now: Date) {
  if (!/^\d{1,19}$/.test(id)) throw new errors.NotFoundError(`notification ${id} not found`);
  const knex = knexOf(strapi);
  const row = (await knex(T.notifications).where({ id, member_id: member.id, inbox: true }).first()) as NotificationRow | undefined;
  if (!row || !VISIBLE_IN_INBOX.includes(row.status)) throw new errors.NotFoundError(`notification ${id} not found`);
  if (!row.read_at) await knex(T.notifications).where({ id: row.id }).whereNull('read_at').update({ read_at: now });
  const after = (await knex(T.notifications).where({ id: row.id }).first()) as NotificationRow;
  return notificationView(after);
}

/** The handbook's public calculator: 孕周, 预产期, trimester — computed in Asia/Shanghai. */
export function pregnancyTool(query: { lmp?: string; edd?: string }, now: Date) {
  if (!query.lmp && !query.edd) assertNoProblems([{ path: 'query.lmp', message: 'give lmp or edd (YYYY-MM-DD)' }]);
  try {
    return pregnancyCalculator({ lmp: query.lmp ?? null, edd: query.edd ?? null, today: localDay(now, 'Asia/Shanghai') });
  } catch (error) {
    if (error instanceof RulesError) assertNoProblems([{ path: `query.${error.field}`, message: error.message }]);
    throw error;
  }
}
