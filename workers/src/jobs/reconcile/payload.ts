import { objectOf } from '../payload-checks';

export interface ReconcilePayload {
  trigger: 'repeat' | 'manual';
}

export function parseReconcilePayload(data: unknown): ReconcilePayload {
  const o = objectOf(data, 'reconcile');
  if (o.trigger !== 'repeat' && o.trigger !== 'manual') throw new Error('reconcile.trigger: must be repeat or manual');
  return { trigger: o.trigger };
}
