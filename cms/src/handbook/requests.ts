import { isValidTimeZone, LOCALES, RISK_COLOURS } from '@mch/rules';
import { z } from 'zod';
import { assertNoProblems, type FieldProblem } from '../validation/problems';

/**
 * Request bodies of the host-app API. Objects are strict: an unknown field — a name, a phone number,
 * anything not listed — is rejected with its name, so no personal identifier can slip in.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}, 'is not a real calendar date');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM (00:00–23:59)');
const regionCode = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 region code');
const institutionCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'must be 2–40 letters, digits and hyphens');
export const RULE_CATEGORIES = ['checkup', 'vaccine', 'screening', 'supplement', 'nutrition', 'follow-up', 'education'] as const;

export const memberBody = z
  .object({
    regionCode: regionCode.nullable().optional(),
    institutionCode: institutionCode.nullable().optional(),
    locale: z.enum(LOCALES as unknown as ['zh-Hans', 'en']).optional(),
    timeZone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai').optional(),
    consent: z
      .object({
        version: z.string().min(1).max(40),
        at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' }),
      })
      .strict()
      .nullable()
      .optional(),
    preferences: z
      .object({
        quietHours: z.object({ start: hhmm, end: hhmm }).strict().optional(),
        mutedCategories: z.array(z.enum(RULE_CATEGORIES)).max(RULE_CATEGORIES.length).optional(),
        channels: z.array(z.enum(['push', 'inbox'])).max(2).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type MemberBody = z.infer<typeof memberBody>;

const riskColour = z.enum(RISK_COLOURS as unknown as ['green', 'yellow', 'orange', 'red', 'purple']);
const eddBasis = z.enum(['lmp', 'ultrasound', 'clinician', 'art']);
const sex = z.enum(['female', 'male', 'unknown']);
const gaDays = z.number().int().min(154, 'must be at least 154 days (22 weeks)').max(315, 'must be at most 315 days (45 weeks)');

export const journeyBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preconception'), startedOn: isoDate }).strict(),
  z
    .object({
      kind: z.literal('pregnancy'),
      lmp: isoDate.optional(),
      edd: isoDate.optional(),
      eddBasis: eddBasis.optional(),
      riskColour: riskColour.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('child'), birthDate: isoDate, sex: sex.optional(), gestationalAgeAtBirthDays: gaDays.optional() }).strict(),
]);
export type JourneyBody = z.infer<typeof journeyBody>;

export const journeyPatch = z
  .object({
    lmp: isoDate.optional(),
    edd: isoDate.optional(),
    eddBasis: eddBasis.optional(),
    riskColour: riskColour.optional(),
    startedOn: isoDate.optional(),
    sex: sex.optional(),
    gestationalAgeAtBirthDays: gaDays.optional(),
  })
  .strict();
export type JourneyPatch = z.infer<typeof journeyPatch>;

export const eventBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('visit'), date: isoDate }).strict(),
  z.object({ type: z.literal('loss'), date: isoDate }).strict(),
  z.object({ type: z.literal('risk-change'), date: isoDate, riskColour }).strict(),
  z
    .object({
      type: z.literal('birth'),
      date: isoDate,
      gestationalAgeAtBirthDays: gaDays.optional(),
      babies: z.array(z.object({ sex: sex.optional() }).strict()).min(1, 'needs at least one baby').max(8),
    })
    .strict(),
]);
export type EventBody = z.infer<typeof eventBody>;

export const feedQuery = z
  .object({
    at: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional(),
    locale: z.enum(['zh-Hans', 'en']).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().regex(/^\d{1,6}$/, 'is not a cursor returned by this API').optional(),
  })
  .strict();

export const upcomingQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(366).optional(),
    locale: z.enum(['zh-Hans', 'en']).optional(),
  })
  .strict();

export const inboxQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).optional(),
    cursor: z.string().regex(/^\d{1,19}$/, 'is not a cursor returned by this API').optional(),
  })
  .strict();

export const calculatorQuery = z.object({ lmp: isoDate.optional(), edd: isoDate.optional() }).strict();

export const externalId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be the host app\'s opaque id: 1–128 letters, digits, "_", ".", ":" or "-"')
  .refine((s) => !/^1\d{10}$/.test(s), 'looks like a phone number: send the host app\'s opaque id, never a phone number')
  .refine((s) => !/^\d{17}[\dXx]$/.test(s), 'looks like an ID-card number: send the host app\'s opaque id');

/** Parses with a schema, or throws a 400 listing every { field, message }; `prefix` names the part of the request. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems: FieldProblem[] = [];
  for (const issue of result.error.issues) {
    const base = [prefix, ...issue.path.map(String)].filter((s) => s !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: base ? `${base}.${key}` : key, message: 'is not a known field' });
    } else {
      problems.push({ path: base || prefix || '(body)', message: issue.message });
    }
  }
  assertNoProblems(problems);
  throw new Error('unreachable: problems were found');
}

/** A path parameter decoded as @koa/router decodes it: a malformed escape is kept as it was sent. */
export function decodeParam(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
