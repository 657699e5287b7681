import { parseConfig } from '../../../workers/src/config';
import { batchJobId, deliveryJobId, retryJobId } from '../../../workers/src/context';
import { parseDeliverPayload } from '../../../workers/src/jobs/deliver/payload';
import { deliveryBatches } from '../../../workers/src/store/schedule';

describe('delivery jobs: one job per batch of notifications due at the same instant', () => {
  const at = (hour: number) => new Date(Date.UTC(2026, 10, 23, hour));

  it('groups rows by deliver_after, in id order, into jobs of at most the batch size with ids from their first id and count', () => {
    const rows = [
      { id: 7, deliver_after: at(1) },
      { id: 3, deliver_after: at(1) },
      { id: 5, deliver_after: at(2).toISOString() },
      { id: 4, deliver_after: at(1) },
      { id: 9, deliver_after: at(1) },
      { id: '10', deliver_after: at(2) },
    ];
    expect(deliveryBatches(rows, 2)).toEqual([
      { jobId: 'b3-2', ids: ['3', '4'], at: at(1) },
      { jobId: 'b7-2', ids: ['7', '9'], at: at(1) },
      { jobId: 'b5-2', ids: ['5', '10'], at: at(2) },
    ]);
    expect(deliveryBatches(rows, 100).map((b) => b.jobId)).toEqual(['b3-4', 'b5-2']);
    expect(deliveryBatches([], 100)).toEqual([]);
  });

  it('names single, batch and retry jobs apart, deterministically', () => {
    expect([deliveryJobId(42), batchJobId('42', 100), retryJobId(42, 3, 2)]).toEqual(['n42', 'b42-100', 'r42-3-a2']);
  });

  it('validates the payload: row ids only, 1 to 1,000 of them; a job queued before batches is a batch of one', () => {
    expect(parseDeliverPayload({ notificationIds: ['1', '22'] })).toEqual({ notificationIds: ['1', '22'] });
    expect(parseDeliverPayload({ notificationId: '5' })).toEqual({ notificationIds: ['5'] });
    expect(() => parseDeliverPayload({ notificationIds: [] })).toThrow(/1 to 1000/);
    expect(() => parseDeliverPayload({ notificationIds: ['1', 'x'] })).toThrow(/row ids/);
    expect(() => parseDeliverPayload({ notificationIds: [1] })).toThrow(/row ids/);
    expect(() => parseDeliverPayload({ notificationIds: Array.from({ length: 1001 }, (_v, i) => String(i)) })).toThrow(/1 to 1000/);
    expect(() => parseDeliverPayload(null)).toThrow(/payload must be an object/);
  });
});

describe('delivery and process configuration', () => {
  it('parses the batch settings and the queues a process consumes, naming the variable on a bad value', () => {
    const config = parseConfig({ DELIVERY_BATCH_SIZE: '50', WORKERS_CONSUME: 'deliver, reconcile' });
    expect(config).toMatchObject({ deliveryBatchSize: 50, deliveryConcurrency: 4, pushMaxSockets: 64, consume: ['deliver', 'reconcile'] });
    expect(parseConfig({})).toMatchObject({ consume: null, deliveryBatchSize: 250 });
    expect(() => parseConfig({ WORKERS_CONSUME: 'deliver,sned' })).toThrow(/^WORKERS_CONSUME: must list queues among sweep, sweep-chunk, deliver, reconcile/);
    expect(() => parseConfig({ DELIVERY_BATCH_SIZE: '0' })).toThrow(/^DELIVERY_BATCH_SIZE: must be between 1 and 1000/);
    // Jobs, not notifications, since each job is a batch: the old default of 200 is refused, not multiplied by 100.
    expect(() => parseConfig({ DELIVERY_CONCURRENCY: '200' })).toThrow(/^DELIVERY_CONCURRENCY: must be between 1 and 64/);
  });
});
