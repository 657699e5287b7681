#!/usr/bin/env node
// Generates the secrets Strapi needs into cms/.env when they are missing. Existing values are kept,
// so running it again changes nothing. cms/.env is git-ignored: secrets never enter the repository.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envPath = path.join(root, 'cms', '.env');
const secret = () => randomBytes(24).toString('base64');
const generators = {
  APP_KEYS: () => [secret(), secret(), secret(), secret()].join(','),
  API_TOKEN_SALT: secret,
  ADMIN_JWT_SECRET: secret,
  JWT_SECRET: secret,
  TRANSFER_TOKEN_SALT: secret,
  ENCRYPTION_KEY: secret,
};

const existing = existsSync(envPath) ? readFileSync(envPath, 'utf8') : '';
const present = new Set(
  existing
    .split('\n')
    .map((line) => /^\s*([A-Z0-9_]+)\s*=\s*(.*)$/.exec(line))
    .filter((m) => m && m[2].trim() !== '')
    .map((m) => m[1]),
);
const added = Object.entries(generators)
  .filter(([name]) => !present.has(name))
  .map(([name, make]) => `${name}=${make()}`);

if (added.length === 0) {
  console.log(`cms/.env: all ${Object.keys(generators).length} secrets present`);
} else {
  const prefix = existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
  writeFileSync(envPath, `${prefix}${added.join('\n')}\n`, { mode: 0o600 });
  console.log(`cms/.env: generated ${added.map((l) => l.split('=')[0]).join(', ')}`);
}
