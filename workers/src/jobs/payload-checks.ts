/** Small checks shared by the payload parsers: payloads carry ids and days, never health data. */
export function objectOf(data: unknown, job: string): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${job}: payload must be an object`);
  return data as Record<string, unknown>;
}

export function idString(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_.:-]{1,80}$/.test(value)) throw new Error(`${field}: must be an id`);
  return value;
}

export function isoDay(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`${field}: must be YYYY-MM-DD`);
  return value;
}

export function nullable<T>(value: unknown, parse: (v: unknown) => T): T | null {
  return value === null || value === undefined ? null : parse(value);
}
