import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { FACT_CATALOGUE, OPERATORS, CUSTOM_OPERATORS, TEMPLATE_HELPERS, TRIGGER_ANCHORS } from '@mch/rules';
import { resolveAdminScope, type AdminScope } from '../../../admin-scope';
import { parse } from '../../../handbook/requests';
import { ruleCheckBody, simulateBody } from './requests';
import { checkRule } from './rule-check';
import { simulate } from './simulate';
import { STAGE_PRESETS } from './stage';

interface Ctx {
  state: { user?: { id: number } };
  request: { body?: unknown };
  body: unknown;
}

async function scopeOf(strapi: Core.Strapi, ctx: Ctx): Promise<AdminScope> {
  if (!ctx.state.user) throw new errors.UnauthorizedError('admin login required');
  return resolveAdminScope(strapi, ctx.state.user.id);
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The authoring help: facts (zh labels, units, examples), operators, template helpers, anchors, stage presets, and the caller's scope. */
  async help(ctx: Ctx) {
    ctx.body = {
      scope: await scopeOf(strapi, ctx),
      facts: FACT_CATALOGUE,
      operators: [...Object.keys(OPERATORS), ...CUSTOM_OPERATORS],
      templateHelpers: TEMPLATE_HELPERS,
      anchors: TRIGGER_ANCHORS,
      presets: STAGE_PRESETS,
    };
  },

  async simulate(ctx: Ctx) {
    const scope = await scopeOf(strapi, ctx);
    const body = parse(simulateBody, ctx.request.body);
    ctx.body = await simulate(strapi, scope, body, new Date());
  },

  async checkRule(ctx: Ctx) {
    const scope = await scopeOf(strapi, ctx);
    const body = parse(ruleCheckBody, ctx.request.body);
    ctx.body = await checkRule(
      strapi,
      scope,
      { data: body.rule, institutionCode: body.institutionCode, sample: body.sample },
      new Date(),
    );
  },
});
