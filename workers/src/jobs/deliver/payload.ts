import { objectOf } from '../payload-checks';

export interface DeliverPayload {
  notificationId: string;
}

export function parseDeliverPayload(data: unknown): DeliverPayload {
  const o = objectOf(data, 'deliver');
  if (typeof o.notificationId !== 'string' || !/^\d{1,19}$/.test(o.notificationId)) throw new Error('deliver.notificationId: must be a row id');
  return { notificationId: o.notificationId };
}
