import { objectOf } from '../payload-checks';

export interface SweepPayload {
  /** 'repeat' for the schedule, 'manual' for an operator or test. */
  trigger: 'repeat' | 'manual';
}

export function parseSweepPayload(data: unknown): SweepPayload {
  const o = objectOf(data, 'sweep');
  if (o.trigger !== 'repeat' && o.trigger !== 'manual') throw new Error('sweep.trigger: must be repeat or manual');
  return { trigger: o.trigger };
}
