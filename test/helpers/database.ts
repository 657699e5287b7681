import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL server the integration tests use; each test file gets its own throwaway schema. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function newSchemaName(): string {
  const worker = process.env.JEST_WORKER_ID ?? '0';
  return `t${worker}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function createSchema(schema: string): Promise<void> {
  return withClient(async (c) => {
    await c.query(`CREATE SCHEMA "${schema}"`);
  });
}

export function dropSchema(schema: string): Promise<void> {
  return withClient(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}
