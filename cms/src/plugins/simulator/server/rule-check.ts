import type { Core } from '@strapi/strapi';
import { localDay, plan, validateRule, type ReminderRule, type RuleTemplates } from '@mch/rules';
import { regionPrefix, type AdminScope } from '../../../admin-scope';
import { pathSegments } from '../../../validation/problems';
import { toDomainRule, validateRuleData } from '../../../validation/rule';
import { explanationLine } from './explain';
import { reachEstimate, type ReachDay } from './reach';
import { sampleStageFor, simulatedMember, type StageInput } from './stage';

type Data = Record<string, unknown>;

export interface RuleCheck {
  ok: boolean;
  problems: Array<{ field: string; path: string[]; message: string; messageZh: string | null }>;
  preview: {
    stage: StageInput;
    scheduledOn: string | null;
    'zh-Hans': RuleTemplates | null;
    en: RuleTemplates | null;
    why: string | null;
    note: string | null;
  } | null;
  reach: ReachDay[] | null;
}

function previewFor(
  rule: ReminderRule,
  stage: StageInput,
  today: string,
  institutionCode: string | null,
): NonNullable<RuleCheck['preview']> {
  const render = (locale: 'zh-Hans' | 'en') => {
    const { member, journeys } = simulatedMember({ stage, today, regionCode: null, institutionCode });
    return (
      plan({ member: Object.assign({}, member, { locale }), journeys, rules: [Object.assign({}, rule, { active: true })], from: today, days: 60 })[0] ??
      null
    );
  };
  const zh = render('zh-Hans');
  if (!zh) {
    return {
      stage,
      scheduledOn: null,
      'zh-Hans': null,
      en: null,
      why: null,
      note: '示例成员在 60 天内不满足触发时间或条件，请换一个示例阶段 — the sample member is not due within 60 days; choose another sample stage',
    };
  }
  const en = rule.templates.en ? render('en') : null;
  return {
    stage,
    scheduledOn: zh.scheduledOn,
    'zh-Hans': zh.rendered,
    en: en?.rendered ?? null,
    why: explanationLine(zh.explanation),
    note: null,
  };
}

/**
 * Checks a draft rule as the save would (same validation, same messages in zh and en), renders its
 * templates for a sample member, and estimates its reach over the next 7 days within the admin's scope.
 */
export async function checkRule(
  strapi: Core.Strapi,
  scope: AdminScope,
  { data, institutionCode, sample }: { data: Data; institutionCode: string | null; sample: StageInput | null },
  now: Date,
): Promise<RuleCheck> {
  const problems = validateRuleData(data).map((p) => ({
    field: p.path,
    path: pathSegments(p.path),
    message: p.message,
    messageZh: p.messageZh ?? null,
  }));
  const ruleInstitution = scope.kind === 'institution' ? scope.institutionCode : institutionCode;
  const checked = validateRule(Object.assign({}, toDomainRule(data).rule, { institutionCode: ruleInstitution }));
  if (problems.length > 0 || !checked.ok || !checked.rule) return { ok: false, problems, preview: null, reach: null };

  const rule = checked.rule;
  const today = localDay(now, 'Asia/Shanghai');
  const preview = previewFor(rule, sample ?? sampleStageFor(rule), today, ruleInstitution);
  // Counts are shown only to someone who may see those members: a user scoped to nothing gets none.
  if (scope.kind === 'none') return { ok: true, problems: [], preview, reach: null };
  const reach = await reachEstimate(strapi, {
    rule: Object.assign({}, rule, { active: true }),
    from: today,
    days: 7,
    institutionCode: ruleInstitution,
    regionPrefix: scope.kind === 'region' ? regionPrefix(scope.regionCode) : null,
  });
  return { ok: true, problems: [], preview, reach };
}
