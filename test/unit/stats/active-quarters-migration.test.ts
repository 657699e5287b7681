import { readdirSync } from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { ActivityRecorder } from '../../../cms/src/handbook/activity';
import type { MemberRow } from '../../../cms/src/handbook/tables';

/**
 * The operational migrations on the embedded SQLite (the app's default database), in memory: the
 * quarter table is created, backfilled from the activity days already stored, and then kept by the
 * activity recorder. PostgreSQL is covered by test/integration/stats.test.ts.
 */
const MIGRATIONS = path.resolve(__dirname, '../../../cms/database/migrations');
const QUARTERS_MIGRATION = '2026.11.23T16.00.00.member-active-quarters.ts';

interface Migration {
  up(knex: Knex): Promise<void>;
}

/** Runs the migration files named from `from` (included) to `until` (excluded), in order, as Strapi does. */
async function migrate(knex: Knex, { from = '', until = '~' }: { from?: string; until?: string } = {}): Promise<void> {
  for (const file of readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts')).sort()) {
    if (file < from || file >= until) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const migration = require(path.join(MIGRATIONS, file)) as Migration;
    await knex.transaction((trx) => migration.up(trx));
  }
}

describe('hb_member_active_quarters on SQLite', () => {
  let knex: Knex;

  beforeEach(() => {
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
  });

  afterEach(async () => {
    await knex.destroy();
  });

  const quarters = () => knex<{ member_id: number; quarter_start: string }>('hb_member_active_quarters').orderBy(['member_id', 'quarter_start']).select('member_id', 'quarter_start');

  it('is backfilled from the days stored before it existed, and running the migration again adds nothing', async () => {
    await migrate(knex, { until: QUARTERS_MIGRATION });
    await knex('hb_members').insert([
      { id: 1, external_id: 'a', enrolled_on: '2026-01-05' },
      { id: 2, external_id: 'b', enrolled_on: '2026-01-05' },
    ]);
    await knex('hb_member_activity').insert([
      { member_id: 1, day: '2026-01-05' },
      { member_id: 1, day: '2026-03-31' },
      { member_id: 1, day: '2026-04-01' },
      { member_id: 2, day: '2026-12-31' },
    ]);
    await migrate(knex, { from: QUARTERS_MIGRATION });
    const expected = [
      { member_id: 1, quarter_start: '2026-01-01' },
      { member_id: 1, quarter_start: '2026-04-01' },
      { member_id: 2, quarter_start: '2026-10-01' },
    ];
    expect(await quarters()).toEqual(expected);
    // Running the quarters migration again (as a retried deploy would) adds nothing.
    await migrate(knex, { from: QUARTERS_MIGRATION, until: `${QUARTERS_MIGRATION}~` });
    expect(await quarters()).toEqual(expected);
  });

  it('is written by the activity recorder with the day, across a quarter boundary', async () => {
    await migrate(knex);
    await knex('hb_members').insert({ id: 7, external_id: 'c', enrolled_on: '2026-09-01' });
    const recorder = new ActivityRecorder(() => knex);
    const row = async () => (await knex('hb_members').where({ id: 7 }).first()) as MemberRow;
    for (const instant of ['2026-09-29T04:00:00Z', '2026-09-30T04:00:00Z', '2026-09-30T17:00:00Z', '2026-10-02T04:00:00Z']) {
      await recorder.record(await row(), new Date(instant));
    }
    expect(await quarters()).toEqual([
      { member_id: 7, quarter_start: '2026-07-01' },
      { member_id: 7, quarter_start: '2026-10-01' },
    ]);
    expect((await row()).last_active_on).toBe('2026-10-02');
  });
});
