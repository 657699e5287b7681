import type { Knex } from 'knex';

/**
 * Indexes for the coverage statistics (docs/decisions/005): every measure starts from an indexed date
 * range (journeys by enrolment day, notifications by scheduled day) and reaches members through a
 * covering index, so a province-wide quarter reads index entries, not whole member rows.
 * Plain composite B-trees, so the same migration works on PostgreSQL and SQLite.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_journeys', (t) => {
    t.index(['enrolled_on', 'kind', 'member_id'], 'hb_journeys_stats_enrolled_idx');
  });
  await knex.schema.alterTable('hb_members', (t) => {
    t.index(['id', 'region_code', 'institution_code'], 'hb_members_stats_idx');
  });
  await knex.schema.alterTable('hb_notifications', (t) => {
    t.index(['scheduled_on'], 'hb_notifications_scheduled_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_notifications', (t) => t.dropIndex([], 'hb_notifications_scheduled_idx'));
  await knex.schema.alterTable('hb_members', (t) => t.dropIndex([], 'hb_members_stats_idx'));
  await knex.schema.alterTable('hb_journeys', (t) => t.dropIndex([], 'hb_journeys_stats_enrolled_idx'));
}
