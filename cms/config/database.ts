import path from 'node:path';
import { ConfigError, intFromEnv } from '../src/utils/env';

/**
 * DATABASE_URL unset → embedded SQLite (better-sqlite3) in cms/.tmp, the newcomer's default.
 * DATABASE_URL=postgres://… → PostgreSQL through pg; DATABASE_SCHEMA selects a schema (tests use one per worker).
 */
export default () => {
  const url = process.env.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql:// (unset it to use the embedded SQLite)');
    }
    const schema = process.env.DATABASE_SCHEMA?.trim() || 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError('DATABASE_SCHEMA', `must be a lower-case SQL identifier, got "${schema}"`);
    }
    return {
      connection: {
        client: 'postgres',
        connection: { connectionString: url, schema },
        pool: { min: 0, max: intFromEnv('DATABASE_POOL_MAX', 10, { min: 1, max: 200 }) },
        acquireConnectionTimeout: 60000,
      },
      settings: { useTypescriptMigrations: true },
    };
  }
  const filename = process.env.DATABASE_FILENAME?.trim() || '.tmp/data.db';
  return {
    connection: {
      client: 'sqlite',
      // dist/config → cms/
      connection: { filename: path.resolve(__dirname, '..', '..', filename) },
      useNullAsDefault: true,
    },
    settings: { useTypescriptMigrations: true },
  };
};
