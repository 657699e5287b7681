/**
 * Configuration is parsed once, at boot. Secrets have no fallback: a missing one stops the boot
 * with a message naming the variable (the set-up step, `npm run setup`, generates them into cms/.env).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export function requireSecret(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(name, `missing secret — set ${name} in the environment or run \`npm run setup\` to generate cms/.env`);
  }
  return value;
}

export function requireSecretList(name: string): string[] {
  const items = requireSecret(name)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new ConfigError(name, 'must be a comma-separated list of at least one key');
  return items;
}

export function intFromEnv(name: string, fallback: number, bounds: { min: number; max: number }): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigError(name, `must be between ${bounds.min} and ${bounds.max}, got ${value}`);
  }
  return value;
}

export function boolFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}
