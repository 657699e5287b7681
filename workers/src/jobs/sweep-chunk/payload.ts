import { idString, isoDay, nullable, objectOf } from '../payload-checks';

/** One page of one rule's candidates on one local day, in some zones (null = all). */
export interface SweepChunkPayload {
  sweepId: string;
  day: string;
  ruleKey: string;
  zones: string[] | null;
  afterId: string | null;
  upToId: string | null;
}

export function parseSweepChunkPayload(data: unknown): SweepChunkPayload {
  const o = objectOf(data, 'sweep-chunk');
  const zones = nullable(o.zones, (v) => {
    if (!Array.isArray(v) || v.some((z) => typeof z !== 'string' || z.length > 64)) throw new Error('sweep-chunk.zones: must be a list of zone names');
    return v as string[];
  });
  return {
    sweepId: idString(o.sweepId, 'sweep-chunk.sweepId'),
    day: isoDay(o.day, 'sweep-chunk.day'),
    ruleKey: idString(o.ruleKey, 'sweep-chunk.ruleKey'),
    zones,
    afterId: nullable(o.afterId, (v) => idString(v, 'sweep-chunk.afterId')),
    upToId: nullable(o.upToId, (v) => idString(v, 'sweep-chunk.upToId')),
  };
}
