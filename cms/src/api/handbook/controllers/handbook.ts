import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { addEvent, createJourney, findMemberWithJourneys, patchJourney } from '../../../handbook/journeys';
import { eraseMember, exportMember, findMember, journeyView, memberView, recordActivity, upsertMember } from '../../../handbook/members';
import { OPENAPI } from '../../../handbook/openapi';
import { feedResponse, inbox, markRead, pregnancyTool, upcoming } from '../../../handbook/reading';
import {
  calculatorQuery,
  eventBody,
  externalId as externalIdSchema,
  inboxQuery,
  journeyBody,
  journeyPatch,
  memberBody,
  parse,
  upcomingQuery,
} from '../../../handbook/requests';
import type { MemberRow } from '../../../handbook/tables';

type Ctx = {
  params: Record<string, string>;
  query: Record<string, unknown>;
  request: { body?: unknown };
  status: number;
  body: unknown;
};

const externalIdOf = (ctx: Ctx): string => parse(externalIdSchema, ctx.params.externalId, 'externalId');

async function memberOf(strapi: Core.Strapi, ctx: Ctx): Promise<MemberRow> {
  const member = await findMember(strapi, externalIdOf(ctx));
  if (!member) throw new errors.NotFoundError('member not found');
  return member;
}

/** The member with their journeys, in one query (the feed and the timeline need both). */
async function memberWithJourneysOf(strapi: Core.Strapi, ctx: Ctx) {
  const found = await findMemberWithJourneys(strapi, externalIdOf(ctx));
  if (!found) throw new errors.NotFoundError('member not found');
  return found;
}

/** The request body as sent: `{ data: {...} }` (Strapi's convention) or the object itself. */
function bodyOf(ctx: Ctx): unknown {
  const body = ctx.request.body;
  if (body && typeof body === 'object' && 'data' in body && Object.keys(body).length === 1) return (body).data;
  return body;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async upsertMember(ctx: Ctx) {
    const externalId = externalIdOf(ctx);
    const body = parse(memberBody, bodyOf(ctx));
    const { row, created } = await upsertMember(strapi, externalId, body, new Date());
    ctx.status = created ? 201 : 200;
    ctx.body = { data: memberView(row) };
  },

  async getMember(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    ctx.body = { data: await exportMember(strapi, member) };
  },

  async deleteMember(ctx: Ctx) {
    await eraseMember(strapi, externalIdOf(ctx));
    ctx.status = 204;
    ctx.body = null;
  },

  async createJourney(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    const journey = await createJourney(strapi, member, parse(journeyBody, bodyOf(ctx)), new Date());
    ctx.status = 201;
    ctx.body = { data: journeyView(journey) };
  },

  async patchJourney(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    const journey = await patchJourney(strapi, member, ctx.params.journeyId, parse(journeyPatch, bodyOf(ctx)), new Date());
    ctx.body = { data: journeyView(journey) };
  },

  async addEvent(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    const result = await addEvent(strapi, member, ctx.params.journeyId, parse(eventBody, bodyOf(ctx)), new Date());
    ctx.status = 201;
    ctx.body = {
      data: {
        event: result.event,
        journey: journeyView(result.journey),
        children: result.children.map(journeyView),
        cancelledNotifications: result.cancelled,
      },
    };
  },

  // Normally answered by the fast path (middlewares/host-app-fast-path.ts) with the same function.
  async feed(ctx: Ctx) {
    ctx.body = await feedResponse(strapi, ctx.params.externalId, ctx.query, new Date());
  },

  async upcoming(ctx: Ctx) {
    const found = await memberWithJourneysOf(strapi, ctx);
    ctx.body = { data: upcoming(strapi, found, parse(upcomingQuery, ctx.query, 'query'), new Date()) };
  },

  async inbox(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    const now = new Date();
    const result = await inbox(strapi, member, parse(inboxQuery, ctx.query, 'query'), now);
    await recordActivity(strapi, member, now);
    ctx.body = { data: result };
  },

  async markRead(ctx: Ctx) {
    const member = await memberOf(strapi, ctx);
    ctx.body = { data: await markRead(strapi, member, ctx.params.notificationId, new Date()) };
  },

  pregnancyTool(ctx: Ctx) {
    const query = parse(calculatorQuery, ctx.query, 'query');
    ctx.body = { data: pregnancyTool(query, new Date()) };
  },

  openapi(ctx: Ctx) {
    ctx.body = OPENAPI;
  },
});
