import { z } from 'zod';

/** Seed file schemas (content-seed/FORMAT.md). Strict: a misspelt field is an error, not a silent drop. */
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const CONTENT_CATEGORIES = [
  'pregnancy-weekly',
  'child-development',
  'preconception',
  'postpartum',
  'nutrition',
  'breastfeeding',
  'vaccination',
  'screening',
  'checkup',
  'policy',
  'safety',
  'mental-health',
] as const;

const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(`${s}T00:00:00Z`))) {
    ctx.addIssue({ code: 'custom', message: `must be a date YYYY-MM-DD, got ${JSON.stringify(v)}` });
  }
  return s;
});

export const source = z
  .object({
    title: z.string().min(1).max(300),
    issuer: z.string().min(1).max(200),
    year: z.number().int().min(1900).max(2100),
    url: z.string().max(1000).nullable().optional(),
  })
  .strict();

const windowInput = z
  .object({
    stage: z.enum(['preconception', 'pregnancy', 'postpartum', 'child']),
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    unit: z.enum(['days', 'weeks', 'months']),
  })
  .strict();

const en = z
  .object({ title: z.string().min(1).max(200), summary: z.string().min(1).max(500), body: z.string().optional() })
  .strict();

const contentCommon = {
  slug: z.string().min(3).max(80).regex(SLUG, 'must be lower-case letters, digits and single hyphens'),
  title: z.string().min(1).max(200),
  summary: z.string().min(1).max(500),
  category: z.enum(CONTENT_CATEGORIES),
  priority: z.number().int().min(0).max(100),
  windows: z.array(windowInput).min(1, 'needs at least one audience window'),
  regionCodes: z.array(z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 region code')),
  sources: z.array(source).min(1, 'cite at least one source'),
  reviewer: z.string().min(1).max(200),
  en: en.optional(),
};

export const articleFront = z.object(contentCommon).strict();

export const policyFront = z
  .object({
    ...contentCommon,
    issuingBody: z.string().min(1).max(200),
    documentNumber: z.string().max(100).nullable(),
    publicationDate: isoDate,
    validFrom: isoDate.nullable().optional(),
    validTo: isoDate.nullable().optional(),
  })
  .strict();

const ageBand = z.object({ from: z.number().int().min(0), to: z.number().int().min(0), unit: z.enum(['days', 'weeks', 'months']) }).strict();

export const nutritionFront = z
  .object({
    ...contentCommon,
    guideKind: z.enum(['pregnancy-diet', 'breastfeeding', 'complementary-feeding', 'child-diet']),
    mealPlans: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            meals: z.array(z.object({ meal: z.string().min(1).max(50), foods: z.string().min(1) }).strict()).min(1),
          })
          .strict(),
      )
      .optional(),
    recipes: z
      .array(
        z
          .object({
            name: z.string().min(1).max(200),
            ageBand,
            ingredients: z.array(z.object({ name: z.string().min(1).max(100), amount: z.string().min(1).max(100) }).strict()).min(1),
            steps: z.array(z.string().min(1)).min(1),
            allergens: z.array(z.enum(['egg', 'milk', 'fish', 'shellfish', 'wheat', 'soy', 'peanut', 'tree-nut', 'sesame'])),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export const INSTITUTION_TYPES = {
  助产机构: 'midwifery',
  基层医疗卫生机构: 'primary-care',
  妇幼保健院: 'mch-hospital',
  卫健委: 'health-commission',
} as const;

export const institution = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'must be 2–40 letters, digits and hyphens'),
    name: z.string().min(1).max(200),
    type: z.enum(Object.keys(INSTITUTION_TYPES) as [keyof typeof INSTITUTION_TYPES]),
    regionCode: z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 region code'),
    sample: z.boolean(),
  })
  .strict();

/** Rule files: ReminderRule minus institutionCode/version/active, plus sources. Deep checks are rules/'s validateRule. */
export const ruleFile = z
  .object({
    key: z.string(),
    name: z.string().min(1).max(200),
    trigger: z.record(z.string(), z.unknown()),
    conditions: z.record(z.string(), z.unknown()).nullable(),
    templates: z.record(z.string(), z.unknown()),
    channels: z.array(z.string()),
    deliveryHour: z.number(),
    category: z.enum(['checkup', 'vaccine', 'screening', 'supplement', 'nutrition', 'follow-up', 'education']),
    priority: z.number(),
    sources: z.array(source).min(1, 'cite at least one source'),
  })
  .strict();
