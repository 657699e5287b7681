import type { Knex } from 'knex';

/**
 * Operational data (docs/decisions/002): members, journeys, journey events, notifications, delivery
 * attempts and daily activity. Plain tables, written by machines, read by indexed date ranges.
 * Works on PostgreSQL and SQLite. Erasing a member cascades to every row about them.
 *
 * No names, phone numbers or ID-card numbers: a member is the host app's opaque external id.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('hb_members', (t) => {
    t.bigIncrements('id').primary();
    t.string('external_id', 128).notNullable().unique();
    t.string('region_code', 6).nullable();
    t.string('institution_code', 40).nullable();
    t.string('locale', 8).notNullable().defaultTo('zh-Hans');
    t.string('time_zone', 64).notNullable().defaultTo('Asia/Shanghai');
    t.string('consent_version', 40).nullable();
    t.timestamp('consent_at', { useTz: true }).nullable();
    t.string('quiet_start', 5).notNullable().defaultTo('21:00');
    t.string('quiet_end', 5).notNullable().defaultTo('08:00');
    t.text('muted_categories').notNullable().defaultTo('[]');
    t.text('channels').notNullable().defaultTo('["push","inbox"]');
    t.date('enrolled_on').notNullable();
    t.date('last_active_on').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['region_code', 'institution_code'], 'hb_members_region_institution_idx');
    t.index(['enrolled_on'], 'hb_members_enrolled_idx');
  });

  await knex.schema.createTable('hb_journeys', (t) => {
    t.string('id', 36).primary();
    t.bigInteger('member_id').notNullable().references('id').inTable('hb_members').onDelete('CASCADE');
    t.string('kind', 16).notNullable();
    t.string('status', 16).notNullable().defaultTo('active');
    t.date('enrolled_on').notNullable();
    t.date('started_on').nullable();
    t.date('lmp').nullable();
    t.date('edd').nullable();
    t.string('edd_basis', 16).nullable();
    // The best LMP (an ultrasound/clinician EDD wins: EDD − 280 d); the sweep selects lmp/edd anchors on it.
    t.date('effective_lmp').nullable();
    t.string('risk_colour', 8).nullable();
    t.date('outcome_on').nullable();
    t.date('birth_date').nullable();
    t.string('sex', 8).nullable();
    t.integer('ga_at_birth_days').nullable();
    // Birth date shifted by (280 − GA at birth) for preterm babies; the anchor of corrected-age rules.
    t.date('corrected_birth_date').nullable();
    t.date('last_visit_on').nullable();
    t.string('parent_journey_id', 36).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['member_id'], 'hb_journeys_member_idx');
    t.index(['kind', 'status', 'effective_lmp'], 'hb_journeys_lmp_idx');
    t.index(['kind', 'birth_date'], 'hb_journeys_birth_idx');
    t.index(['kind', 'corrected_birth_date'], 'hb_journeys_corrected_birth_idx');
    t.index(['kind', 'status', 'outcome_on'], 'hb_journeys_outcome_idx');
    t.index(['kind', 'status', 'last_visit_on'], 'hb_journeys_last_visit_idx');
    t.index(['kind', 'enrolled_on'], 'hb_journeys_enrolled_idx');
  });

  await knex.schema.createTable('hb_journey_events', (t) => {
    t.bigIncrements('id').primary();
    t.string('journey_id', 36).notNullable().references('id').inTable('hb_journeys').onDelete('CASCADE');
    t.bigInteger('member_id').notNullable().references('id').inTable('hb_members').onDelete('CASCADE');
    t.string('type', 24).notNullable();
    t.date('occurred_on').notNullable();
    t.text('data').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['journey_id', 'occurred_on'], 'hb_journey_events_journey_idx');
    t.index(['member_id'], 'hb_journey_events_member_idx');
  });

  await knex.schema.createTable('hb_notifications', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('member_id').notNullable().references('id').inTable('hb_members').onDelete('CASCADE');
    t.string('journey_id', 36).notNullable().references('id').inTable('hb_journeys').onDelete('CASCADE');
    t.string('rule_key', 80).notNullable();
    t.integer('rule_version').notNullable();
    t.date('scheduled_on').notNullable();
    // When a push may go out: the rule's delivery hour in the member's zone, moved out of quiet hours.
    t.timestamp('deliver_after', { useTz: true }).notNullable();
    t.string('status', 16).notNullable().defaultTo('scheduled');
    t.string('reason', 40).nullable();
    t.boolean('push').notNullable().defaultTo(true);
    t.boolean('inbox').notNullable().defaultTo(true);
    t.string('locale', 8).notNullable();
    t.string('category', 24).notNullable();
    t.integer('priority').notNullable();
    t.string('title', 300).notNullable();
    t.text('body').notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('sent_at', { useTz: true }).nullable();
    t.timestamp('read_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['journey_id', 'rule_key', 'scheduled_on'], { indexName: 'hb_notifications_occurrence_uq' });
    t.index(['member_id', 'created_at'], 'hb_notifications_inbox_idx');
    t.index(['status', 'deliver_after'], 'hb_notifications_status_idx');
    t.index(['rule_key', 'status'], 'hb_notifications_rule_idx');
  });

  await knex.schema.createTable('hb_delivery_attempts', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('notification_id').notNullable().references('id').inTable('hb_notifications').onDelete('CASCADE');
    t.string('channel', 8).notNullable();
    t.timestamp('attempted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer('status_code').nullable();
    t.string('outcome', 16).notNullable();
    t.string('error', 300).nullable();
    t.integer('duration_ms').nullable();
    t.index(['notification_id'], 'hb_delivery_attempts_notification_idx');
  });

  await knex.schema.createTable('hb_member_activity', (t) => {
    t.bigInteger('member_id').notNullable().references('id').inTable('hb_members').onDelete('CASCADE');
    t.date('day').notNullable();
    t.primary(['member_id', 'day']);
    t.index(['day'], 'hb_member_activity_day_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['hb_member_activity', 'hb_delivery_attempts', 'hb_notifications', 'hb_journey_events', 'hb_journeys', 'hb_members']) {
    await knex.schema.dropTableIfExists(table);
  }
}
