import type { Knex } from 'knex';
import { POPULATIONS, type Population } from './coverage';
import type { Period } from './period';
import { type MemberFilter, whereMembers } from './scope-filter';

/** Gaps in the journeys enrolled in the period, per population (docs/decisions/005). */
export interface Completeness {
  journeys: number;
  /** Pregnancies with neither LMP nor EDD: no gestational age, so no stage content or reminders. */
  missingEddLmp: number;
  /** Pregnancies without a five-colour risk grade. */
  missingRiskColour: number;
  missingRegion: number;
  missingInstitution: number;
}

const KIND_OF: Record<Population, string> = { planning: 'preconception', pregnant: 'pregnancy', child: 'child' };

export async function completeness(knex: Knex, period: Period, filter: MemberFilter): Promise<Record<Population, Completeness>> {
  const sumWhen = (condition: string) => knex.raw(`SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`);
  const query = knex({ j: 'hb_journeys' })
    .join({ m: 'hb_members' }, 'm.id', 'j.member_id')
    .whereBetween('j.enrolled_on', [period.from, period.to])
    .select({
      kind: 'j.kind',
      journeys: knex.raw('COUNT(*)'),
      missing_edd_lmp: sumWhen("j.kind = 'pregnancy' AND j.lmp IS NULL AND j.edd IS NULL"),
      missing_risk: sumWhen("j.kind = 'pregnancy' AND j.risk_colour IS NULL"),
      missing_region: sumWhen("m.region_code IS NULL OR m.region_code = ''"),
      missing_institution: sumWhen("m.institution_code IS NULL OR m.institution_code = ''"),
    })
    .groupBy('j.kind');
  type Row = Record<'kind' | 'journeys' | 'missing_edd_lmp' | 'missing_risk' | 'missing_region' | 'missing_institution', string | number | null>;
  const rows = (await whereMembers(query, filter)) as Row[];
  const out = {} as Record<Population, Completeness>;
  for (const population of POPULATIONS) {
    const r = rows.find((row) => row.kind === KIND_OF[population]);
    out[population] = {
      journeys: Number(r?.journeys ?? 0),
      missingEddLmp: Number(r?.missing_edd_lmp ?? 0),
      missingRiskColour: Number(r?.missing_risk ?? 0),
      missingRegion: Number(r?.missing_region ?? 0),
      missingInstitution: Number(r?.missing_institution ?? 0),
    };
  }
  return out;
}
