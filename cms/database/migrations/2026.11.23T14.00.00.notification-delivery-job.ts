import type { Knex } from 'knex';

/**
 * The bull job that holds a pending notification (docs/decisions/009): a delivery job carries a
 * batch of notifications, so the job id can no longer be derived from the row. The reconciler reads
 * this column to ask "is this row's delivery live?"; null = only `n<id>` could hold it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_notifications', (t) => {
    t.string('delivery_job', 64).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('hb_notifications', (t) => {
    t.dropColumn('delivery_job');
  });
}
