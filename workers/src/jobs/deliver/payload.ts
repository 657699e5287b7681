import { objectOf } from '../payload-checks';

/** The notifications one delivery job delivers together (one, or a batch of up to DELIVERY_BATCH_SIZE). */
export interface DeliverPayload {
  notificationIds: string[];
}

/** More than any DELIVERY_BATCH_SIZE allows (config: at most 1,000). */
const MAX_IDS = 1000;
const rowId = (value: unknown): string => {
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) throw new Error('deliver.notificationIds: must be row ids');
  return value;
};

/**
 * `{ notificationIds }`; a job queued before batch jobs existed (`{ notificationId }`, job id
 * `n<id>`) is still read, as a batch of one.
 */
export function parseDeliverPayload(data: unknown): DeliverPayload {
  const o = objectOf(data, 'deliver');
  if (o.notificationIds === undefined && o.notificationId !== undefined) return { notificationIds: [rowId(o.notificationId)] };
  if (!Array.isArray(o.notificationIds) || o.notificationIds.length === 0 || o.notificationIds.length > MAX_IDS) {
    throw new Error(`deliver.notificationIds: must list 1 to ${MAX_IDS} row ids`);
  }
  return { notificationIds: o.notificationIds.map(rowId) };
}
