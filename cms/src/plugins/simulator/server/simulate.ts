import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { addDays, evaluate, localDay, plan, type Journey, type Member } from '@mch/rules';
import { regionPrefix, type AdminScope } from '../../../admin-scope';
import { catalogueOf } from '../../../handbook/catalogue';
import { listJourneys } from '../../../handbook/journeys';
import { findMember } from '../../../handbook/members';
import { toJourney, toMember, type MemberRow } from '../../../handbook/tables';
import { explanationLine } from './explain';
import { simulatedMember, type StageInput } from './stage';
import { timelineSvg, type TimelineItem } from './timeline-svg';

export interface SimulationRequest {
  stage?: StageInput;
  externalId?: string;
  regionCode: string | null;
  institutionCode: string | null;
  days: number;
}

/** Whether an admin scope covers a member registered with an institution in a region. */
export function scopeCoversMember(
  scope: AdminScope,
  member: Pick<MemberRow, 'region_code' | 'institution_code'>,
): boolean {
  switch (scope.kind) {
    case 'province':
      return true;
    case 'region':
      return member.region_code !== null && member.region_code.startsWith(regionPrefix(scope.regionCode));
    case 'institution':
      return member.institution_code === scope.institutionCode;
    default:
      return false;
  }
}

/** A hospital editor simulates members of their own institution; other scopes choose freely. */
function effectiveInstitution(scope: AdminScope, requested: string | null): string | null {
  return scope.kind === 'institution' ? scope.institutionCode : requested;
}

async function subject(
  strapi: Core.Strapi,
  scope: AdminScope,
  request: SimulationRequest,
  today: string,
): Promise<{ member: Member; journeys: Journey[]; real: boolean }> {
  if (request.externalId) {
    const row = await findMember(strapi, request.externalId);
    // Outside the scope looks the same as absent: no one learns that a member exists elsewhere.
    if (!row || !scopeCoversMember(scope, row))
      throw new errors.NotFoundError('externalId: no member with this id in your scope (您的范围内没有该成员)');
    return { member: toMember(row), journeys: (await listJourneys(strapi, row)).map(toJourney), real: true };
  }
  if (!request.stage)
    throw new errors.ValidationError('stage: choose a stage or give an externalId (请选择阶段或输入成员编号)');
  const { member, journeys } = simulatedMember({
    stage: request.stage,
    today,
    regionCode: request.regionCode,
    institutionCode: effectiveInstitution(scope, request.institutionCode),
  });
  return { member, journeys, real: false };
}

/**
 * That day's feed and the reminder timeline of the next `days` days for a simulated stage or a real
 * member in the admin's scope, computed by rules/ from the same catalogue the host-app API uses.
 */
export async function simulate(strapi: Core.Strapi, scope: AdminScope, request: SimulationRequest, now: Date) {
  const today = localDay(now, 'Asia/Shanghai');
  const { member, journeys, real } = await subject(strapi, scope, request, today);
  const catalogue = catalogueOf(strapi);
  const evaluation = evaluate({ member, journeys, rules: [], contentIndex: catalogue.contentIndex, at: now, page: { offset: 0, limit: 50 } });
  const from = localDay(now, member.timeZone);
  const occurrences = plan({ member, journeys, rules: catalogue.rulesFor(member), from, days: request.days });
  const timeline: Array<TimelineItem & { body: string; priority: number }> = occurrences.map((o) => ({
    ruleKey: o.ruleKey,
    scheduledOn: o.scheduledOn,
    category: o.category,
    priority: o.priority,
    title: o.rendered.title,
    body: o.rendered.body,
    why: explanationLine(o.explanation),
  }));
  return {
    real,
    member: { regionCode: member.regionCode, institutionCode: member.institutionCode, enrolledOn: member.enrolledOn },
    day: evaluation.day,
    stages: evaluation.stages.map((s) => ({ journeyId: s.journeyId, stage: s.stage, dayIndex: s.dayIndex })),
    feed: evaluation.content.map((entry) => ({
      id: entry.item.id,
      type: entry.item.type,
      title: entry.item.title,
      summary: entry.item.summary,
      category: entry.item.category,
      priority: entry.item.priority,
      why: entry.reason.why,
    })),
    feedTotal: evaluation.contentTotal,
    timeline: { from, to: addDays(from, request.days - 1), items: timeline },
    svg: timelineSvg({ from, days: request.days, items: timeline }),
  };
}
