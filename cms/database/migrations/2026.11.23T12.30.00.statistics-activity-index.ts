import type { Knex } from 'knex';

/**
 * The members active in a period, read from the index alone (docs/decisions/005): activity rows are
 * keyed (member_id, day), so without this index a quarter's activity is read row by row from the heap.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_member_activity', (t) => {
    t.index(['day', 'member_id'], 'hb_member_activity_stats_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_member_activity', (t) => t.dropIndex([], 'hb_member_activity_stats_idx'));
}
