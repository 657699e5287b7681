import type { Knex } from 'knex';

/**
 * The quarters in which each member was active (docs/decisions/011): one row per member and quarter,
 * `quarter_start` the quarter's first day. "Used in 2026Q4" is then a lookup among ~0.8 M rows
 * already distinct by member, instead of deduplicating the quarter's ~1.8 M activity days
 * (hb_member_activity stays the record; this table is derived from it and written in the same
 * transaction by the activity recorder, cms/src/handbook/activity.ts). ON DELETE CASCADE from members,
 * and erasure deletes it explicitly too, so nothing about an erased member remains.
 */
export const ACTIVE_QUARTERS = 'hb_member_active_quarters';

export async function up(knex: Knex): Promise<void> {
  if (!(await knex.schema.hasTable(ACTIVE_QUARTERS))) {
    await knex.schema.createTable(ACTIVE_QUARTERS, (t) => {
      t.bigInteger('member_id').notNullable().references('id').inTable('hb_members').onDelete('CASCADE');
      t.date('quarter_start').notNullable();
      t.primary(['member_id', 'quarter_start']);
      t.index(['quarter_start', 'member_id'], 'hb_member_active_quarters_stats_idx');
    });
  }
  await backfillActiveQuarters(knex);
}

/** First day of the quarter of a DATE column (SQLite stores days as 'YYYY-MM-DD' text). */
function quarterStartSql(dialect: string, column: string): string {
  if (dialect === 'postgresql') return `date_trunc('quarter', ${column})::date`;
  return `printf('%s-%02d-01', substr(${column}, 1, 4), ((CAST(substr(${column}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1)`;
}

/**
 * The statement that fills the table from the activity days; idempotent (insert-or-ignore), so it can
 * be run again — the statistics benchmark runs it on data generated in SQL. (`WHERE true`: SQLite
 * needs a WHERE clause in INSERT … SELECT … ON CONFLICT to parse it.)
 */
export function backfillActiveQuartersSql(dialect: string): string {
  return `INSERT INTO ${ACTIVE_QUARTERS} (member_id, quarter_start)
     SELECT DISTINCT member_id, ${quarterStartSql(dialect, 'day')} FROM hb_member_activity WHERE true
     ON CONFLICT (member_id, quarter_start) DO NOTHING`;
}

async function backfillActiveQuarters(knex: Knex): Promise<void> {
  await knex.raw(backfillActiveQuartersSql(String((knex.client as { dialect?: string }).dialect)));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists(ACTIVE_QUARTERS);
}
