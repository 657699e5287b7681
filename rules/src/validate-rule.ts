import { TRIGGER_ANCHORS, type ReminderRule, type RuleTemplates } from './domain';
import { isRecord, problem, suggest, type Data, type Problem } from './problems';
import { validateConditions } from './validate-conditions';
import { validateTemplate } from './validate-template';

export const RULE_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Only the title and body of a checked template pair, so stray keys are not stored with the rule. */
const templatesOf = (t: Data): RuleTemplates => ({ title: t.title as string, body: t.body as string });

/**
 * Validates a reminder rule as an editor or a seed file wrote it. Returns every problem with its path
 * and a message in English and Chinese; `rule` is the normalised rule when there are none.
 */
export function validateRule(input: unknown): { ok: boolean; problems: Problem[]; rule?: ReminderRule } {
  const problems: Problem[] = [];
  if (!isRecord(input)) {
    return { ok: false, problems: [{ path: '(rule)', message: 'must be an object', messageZh: '规则须为对象' }] };
  }
  const r = input;
  if (typeof r.key !== 'string' || r.key.length < 3 || r.key.length > 80 || !RULE_KEY.test(r.key)) {
    problem(
      problems,
      'key',
      `must be 3–80 lower-case letters, digits and single hyphens, got ${JSON.stringify(r.key)}`,
      '须为3～80个小写字母、数字和单个连字符',
    );
  }
  if (typeof r.name !== 'string' || r.name.trim() === '') problem(problems, 'name', 'is required', '名称必填');

  const trigger = isRecord(r.trigger) ? r.trigger : null;
  if (!trigger) problem(problems, 'trigger', 'is required: { anchor, offset, unit }', '触发条件必填');
  else {
    if (!TRIGGER_ANCHORS.includes(trigger.anchor as never)) {
      const hint = typeof trigger.anchor === 'string' ? suggest(trigger.anchor, TRIGGER_ANCHORS) : null;
      problem(
        problems,
        'trigger.anchor',
        `must be one of ${TRIGGER_ANCHORS.join(', ')}${hint ? ` — did you mean "${hint}"?` : ''}, got ${JSON.stringify(trigger.anchor)}`,
        `锚点须为 ${TRIGGER_ANCHORS.join('、')} 之一`,
      );
    }
    if (!Number.isInteger(trigger.offset) || Math.abs(trigger.offset as number) > 3000)
      problem(
        problems,
        'trigger.offset',
        'must be a whole number (negative = before the anchor)',
        '偏移量须为整数（负数表示锚点之前）',
      );
    if (!['days', 'weeks', 'months'].includes(trigger.unit as string))
      problem(problems, 'trigger.unit', 'must be days, weeks or months', '单位须为 days、weeks 或 months');
    if (trigger.corrected !== undefined && trigger.corrected !== null && typeof trigger.corrected !== 'boolean')
      problem(problems, 'trigger.corrected', 'must be true or false', '须为 true 或 false');
    if (trigger.corrected === true && trigger.anchor !== 'birth')
      problem(
        problems,
        'trigger.corrected',
        'corrected age applies only to the birth anchor',
        '矫正月龄只适用于 birth 锚点',
      );
    const repeat = trigger.repeat;
    if (repeat !== undefined && repeat !== null) {
      if (!isRecord(repeat))
        problem(problems, 'trigger.repeat', 'must be { everyDays, count } or null', '须为 { everyDays, count }');
      else {
        if (
          !Number.isInteger(repeat.everyDays) ||
          (repeat.everyDays as number) < 1 ||
          (repeat.everyDays as number) > 366
        )
          problem(
            problems,
            'trigger.repeat.everyDays',
            'must be a whole number of days from 1 to 366',
            '间隔天数须为1～366的整数',
          );
        if (!Number.isInteger(repeat.count) || (repeat.count as number) < 2 || (repeat.count as number) > 366)
          problem(
            problems,
            'trigger.repeat.count',
            'must be a whole number from 2 to 366 (occurrences in all)',
            '次数须为2～366的整数',
          );
      }
    }
  }

  if (r.conditions !== null && r.conditions !== undefined) {
    if (!isRecord(r.conditions))
      problem(problems, 'conditions', 'must be a JSON object ({ all: [...] } …) or null', '条件须为 JSON 对象或为空');
    else if (Object.keys(r.conditions).length > 0) problems.push(...validateConditions(r.conditions));
  }

  const templates = isRecord(r.templates) ? r.templates : null;
  if (!templates || !isRecord(templates['zh-Hans'])) {
    problem(problems, 'templates.zh-Hans', 'the zh-Hans title and body are required', '中文标题和正文必填');
  } else {
    for (const locale of ['zh-Hans', 'en'] as const) {
      const t = templates[locale];
      if (locale === 'en' && (t === undefined || t === null)) continue;
      if (!isRecord(t)) {
        problem(problems, `templates.${locale}`, 'must be { title, body }', '须为 { title, body }');
        continue;
      }
      problems.push(
        ...validateTemplate(t.title, `templates.${locale}.title`),
        ...validateTemplate(t.body, `templates.${locale}.body`),
      );
    }
  }

  if (
    !Array.isArray(r.channels) ||
    r.channels.length === 0 ||
    r.channels.some((c) => c !== 'push' && c !== 'inbox') ||
    new Set(r.channels).size !== r.channels.length
  ) {
    problem(problems, 'channels', 'must list push and/or inbox, each once', '渠道须为 push 和/或 inbox');
  }
  if (!Number.isInteger(r.deliveryHour) || (r.deliveryHour as number) < 0 || (r.deliveryHour as number) > 23) {
    problem(
      problems,
      'deliveryHour',
      `must be a whole hour from 0 to 23, got ${JSON.stringify(r.deliveryHour)}`,
      '发送时间须为0～23的整点',
    );
  }
  if (typeof r.category !== 'string' || r.category.trim() === '')
    problem(problems, 'category', 'is required', '分类必填');
  if (!Number.isInteger(r.priority) || (r.priority as number) < 0 || (r.priority as number) > 100)
    problem(problems, 'priority', 'must be a whole number from 0 to 100', '优先级须为0～100的整数');
  if (r.institutionCode !== undefined && r.institutionCode !== null && typeof r.institutionCode !== 'string')
    problem(problems, 'institutionCode', 'must be a code or null', '机构代码须为字符串或空');

  if (problems.length > 0) return { ok: false, problems };
  const t = trigger!;
  const repeat = isRecord(t.repeat)
    ? { everyDays: t.repeat.everyDays as number, count: t.repeat.count as number }
    : null;
  const rule: ReminderRule = {
    key: r.key as string,
    name: r.name as string,
    institutionCode: (r.institutionCode as string | null | undefined) ?? null,
    trigger: {
      anchor: t.anchor as ReminderRule['trigger']['anchor'],
      offset: t.offset as number,
      unit: t.unit as ReminderRule['trigger']['unit'],
      corrected: t.corrected === true,
      repeat,
    },
    conditions: isRecord(r.conditions) && Object.keys(r.conditions).length > 0 ? r.conditions : null,
    templates: {
      'zh-Hans': templatesOf(templates!['zh-Hans'] as Data),
      en: isRecord(templates!.en) ? templatesOf(templates!.en) : null,
    },
    channels: r.channels as ReminderRule['channels'],
    deliveryHour: r.deliveryHour as number,
    category: r.category as string,
    priority: r.priority as number,
    active: r.active !== false,
    version: Number.isInteger(r.version) ? (r.version as number) : 0,
  };
  return { ok: true, problems: [], rule };
}
