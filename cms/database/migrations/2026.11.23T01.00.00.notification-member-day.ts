import type { Knex } from 'knex';

/**
 * The delivery's daily cap counts a member's pushes of one local day
 * (`member_id = ? AND scheduled_on = ?`): without this index that count reads every notification the
 * member ever had.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_notifications', (t) => {
    t.index(['member_id', 'scheduled_on'], 'hb_notifications_member_day_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_notifications', (t) => {
    t.dropIndex(['member_id', 'scheduled_on'], 'hb_notifications_member_day_idx');
  });
}
