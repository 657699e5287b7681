import { z } from 'zod';
import { externalId } from '../../../handbook/requests';
import { stageInput } from './stage';

const regionCode = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 region code');
const institutionCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'must be 2–40 letters, digits and hyphens');

/** POST /simulator/simulate: a stage (with region and institution) or a real member by externalId. */
export const simulateBody = z
  .object({
    stage: stageInput.optional(),
    externalId: externalId.optional(),
    regionCode: regionCode.nullable().default(null),
    institutionCode: institutionCode.nullable().default(null),
    days: z.number().int().min(1).max(180).default(60),
  })
  .strict()
  .refine((b) => (b.stage === undefined) !== (b.externalId === undefined), {
    message: 'give either stage or externalId',
    path: ['stage'],
  });

/** POST /simulator/rules/check: the rule as the Content Manager's form holds it, plus optional sample and institution. */
export const ruleCheckBody = z
  .object({
    rule: z.record(z.string(), z.unknown()),
    institutionCode: institutionCode.nullable().default(null),
    sample: stageInput.nullable().default(null),
  })
  .strict();
