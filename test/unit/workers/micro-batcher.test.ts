import { parseConfig } from '../../../workers/src/config';
import { MicroBatcher } from '../../../workers/src/jobs/deliver/batcher';

describe('MicroBatcher (delivery batches behind one job per notification)', () => {
  it('runs items submitted together as one batch and gives each submitter its own result', async () => {
    const runs: number[][] = [];
    const batcher = new MicroBatcher<number, string>({ maxSize: 10, lingerMs: 5, run: (items) => (runs.push(items), Promise.resolve(items.map((i) => `r${i}`))) });
    await expect(Promise.all([1, 2, 3].map((i) => batcher.submit(i)))).resolves.toEqual(['r1', 'r2', 'r3']);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('flushes at maxSize without waiting and starts a new batch for the rest', async () => {
    const runs: number[][] = [];
    const batcher = new MicroBatcher<number, number>({ maxSize: 2, lingerMs: 60_000, run: (items) => (runs.push(items), Promise.resolve(items)) });
    const first = Promise.all([batcher.submit(1), batcher.submit(2)]);
    await expect(first).resolves.toEqual([1, 2]);
    expect(runs).toEqual([[1, 2]]);
    const rest = Promise.all([batcher.submit(3), batcher.submit(4)]);
    await expect(rest).resolves.toEqual([3, 4]);
    expect(runs).toEqual([[1, 2], [3, 4]]);
  });

  it('fails every item of a batch whose run throws, and only those', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>({
      maxSize: 2,
      lingerMs: 5,
      run: (items) => (calls += 1) === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(items),
    });
    const failed = [batcher.submit(1), batcher.submit(2)];
    await expect(Promise.allSettled(failed)).resolves.toEqual([
      { status: 'rejected', reason: new Error('database down') },
      { status: 'rejected', reason: new Error('database down') },
    ]);
    await expect(batcher.submit(3)).resolves.toBe(3);
  });
});

describe('delivery and process configuration', () => {
  it('parses the batch settings and the queues a process consumes, naming the variable on a bad value', () => {
    const config = parseConfig({ DELIVERY_BATCH_SIZE: '50', WORKERS_CONSUME: 'deliver, reconcile' });
    expect(config).toMatchObject({ deliveryBatchSize: 50, deliveryConcurrency: 200, pushMaxSockets: 64, consume: ['deliver', 'reconcile'] });
    expect(parseConfig({}).consume).toBeNull();
    expect(() => parseConfig({ WORKERS_CONSUME: 'deliver,sned' })).toThrow(/^WORKERS_CONSUME: must list queues among sweep, sweep-chunk, deliver, reconcile/);
    expect(() => parseConfig({ DELIVERY_BATCH_SIZE: '0' })).toThrow(/^DELIVERY_BATCH_SIZE: must be between 1 and 1000/);
  });
});
