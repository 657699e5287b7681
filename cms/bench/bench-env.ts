import { randomBytes } from 'node:crypto';

const secret = () => randomBytes(18).toString('base64');

/** The environment of a benchmark's app: production mode, a PostgreSQL schema, loopback port, throwaway secrets. */
export function benchServerEnv(input: { databaseUrl: string; schema: string; port: number }): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: input.databaseUrl,
    DATABASE_SCHEMA: input.schema,
    PORT: String(input.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    APP_KEYS: `${secret()},${secret()}`,
    API_TOKEN_SALT: secret(),
    ADMIN_JWT_SECRET: secret(),
    JWT_SECRET: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    ENCRYPTION_KEY: secret(),
  };
}
