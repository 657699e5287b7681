import type { Knex } from 'knex';

/** Knex on PostgreSQL (the production database); the embedded SQLite (the demo) takes portable statements. */
export function isPostgres(knex: Knex): boolean {
  return (knex.client as { dialect?: string }).dialect === 'postgresql';
}
