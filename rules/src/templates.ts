import Handlebars from 'handlebars';
import { gaLabel } from './dating';
import type { Locale, ReminderRule, RuleTemplates } from './domain';
import type { Facts } from './facts';

/** Helpers a template may call, for validation and the admin panel's help. */
export const TEMPLATE_HELPERS = [
  {
    name: 'formatDate',
    usage: '{{formatDate dueDate "zh-Hans"}}',
    descriptionZh: '日期：2026年11月15日（zh-Hans）或 15 Nov 2026（en）；不写语言时用模板的语言',
    descriptionEn: 'A date: 2026年11月15日 (zh-Hans) or 15 Nov 2026 (en); without a locale, the template’s own',
  },
  {
    name: 'gaWeeks',
    usage: '{{gaWeeks gestationalDays}}',
    descriptionZh: '孕周：孕12+3周',
    descriptionEn: 'Gestational age: 孕12+3周 (12+3 weeks in en)',
  },
] as const;

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatDate(date: unknown, locale: unknown): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return '';
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return locale === 'en' ? `${d} ${MONTHS_EN[m - 1]} ${y}` : `${y}年${m}月${d}日`;
}

interface HelperOptions {
  data?: { renderLocale?: Locale };
}

/**
 * A private Handlebars environment, so nothing another package registers can leak into rules.
 * Output is plain text for push and inbox (never HTML), so nothing is HTML-escaped: an escaped
 * "&amp;" would reach the phone literally.
 */
export const handlebars = Handlebars.create();
handlebars.registerHelper('formatDate', (date: unknown, ...rest: unknown[]) => {
  const options = rest[rest.length - 1] as HelperOptions;
  const locale = rest.length > 1 ? rest[0] : options.data?.renderLocale;
  return formatDate(date, locale);
});
handlebars.registerHelper('gaWeeks', (days: unknown, options: HelperOptions) =>
  typeof days === 'number' ? gaLabel(days, options.data?.renderLocale ?? 'zh-Hans') : '',
);

/**
 * Compiled templates, keyed by their source: a new rule version with new text compiles anew, an
 * unchanged one reuses its function. Bounded, since rule text comes from editors.
 */
const cache = new Map<string, HandlebarsTemplateDelegate>();
const CACHE_LIMIT = 5000;

function compiled(source: string): HandlebarsTemplateDelegate {
  let template = cache.get(source);
  if (!template) {
    template = handlebars.compile(source, { noEscape: true, strict: false });
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(source, template);
  }
  return template;
}

/**
 * Renders a rule's title and body in the locale, falling back to zh-Hans (and its formatting) when
 * the rule has no template in that locale. Facts that do not apply (null) render as empty text.
 */
export function renderTemplates({
  rule,
  facts,
  locale,
}: {
  rule: Pick<ReminderRule, 'templates'>;
  facts: Facts;
  locale: Locale;
}): RuleTemplates {
  const en = rule.templates.en;
  const [source, renderLocale]: [RuleTemplates, Locale] =
    locale === 'en' && en ? [en, 'en'] : [rule.templates['zh-Hans'], 'zh-Hans'];
  const data = { renderLocale };
  return { title: compiled(source.title)(facts, { data }).trim(), body: compiled(source.body)(facts, { data }).trim() };
}
