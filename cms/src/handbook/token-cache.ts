import { hash as digest } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { perStrapi } from './tables';

export interface ApiToken {
  kind?: string;
  type?: string;
  permissions?: string[];
  expiresAt?: string | null;
}

interface ApiTokenService {
  hash(accessKey: string): string;
  getByAccessKey(accessKeyHash: string): Promise<ApiToken | null>;
}

/**
 * Another process's token change (the admin panel may run elsewhere) is seen after at most this long;
 * one in this process at once (the cache is cleared on every write to the token tables).
 */
export const TOKEN_CACHE_MS = 5_000;
/**
 * A token in use is re-read this long before its entry expires, while the entry still answers: the
 * requests arriving at the expiry do not all wait for the token query (under load that wait was the
 * feed's slowest 1–2 % of responses). An entry is never used after it expires.
 */
export const TOKEN_REFRESH_AHEAD_MS = 1_500;
const MAX_ENTRIES = 1_000;
const TOKEN_MODELS = ['admin::api-token', 'admin::api-token-permission'];
const WRITES = ['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany'] as const;

/**
 * Verified host-app tokens (by a digest, never the secret) → the token with its permissions, so the
 * feed does not pay a token query per request. Unknown tokens are remembered too (a flood of bad tokens
 * costs no queries), for the same short time.
 *
 * The cache key is a one-shot SHA-256 of the access key, not Strapi's salted HMAC-SHA512 (the stored
 * form, computed only when the token is read from the database): setting up an HMAC with the salt on
 * every request was ~5 % of the feed's CPU at 1,500 req/s (BENCHMARKS.md, eighth session). An access
 * key is 128 random bytes, so its unsalted digest reveals nothing of it.
 */
export class TokenCache {
  private entries = new Map<string, { token: ApiToken | null; until: number }>();
  private loading = new Map<string, Promise<ApiToken | null>>();
  private generation = 0;

  constructor(private readonly strapi: Core.Strapi) {
    const clear = () => this.clear();
    const subscriber: Record<string, unknown> = { models: TOKEN_MODELS };
    for (const action of WRITES) subscriber[action] = clear;
    strapi.db.lifecycles.subscribe(subscriber);
  }

  private get service(): ApiTokenService {
    return this.strapi.service('admin::api-token-content-api') as unknown as ApiTokenService;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.loading.clear();
  }

  async get(accessKey: string, now = Date.now()): Promise<ApiToken | null> {
    const key = digest('sha256', accessKey, 'base64');
    const entry = this.entries.get(key);
    if (entry && entry.until >= now) {
      if (entry.until - now < TOKEN_REFRESH_AHEAD_MS && !this.loading.has(key)) void this.load(key, accessKey).catch(() => undefined);
      return entry.token;
    }
    return this.load(key, accessKey);
  }

  /** Reads the token (by Strapi's hash of it); concurrent reads of the same token share one query. */
  private load(key: string, accessKey: string): Promise<ApiToken | null> {
    let pending = this.loading.get(key);
    if (!pending) {
      const generation = this.generation;
      pending = this.service.getByAccessKey(this.service.hash(accessKey)).then((token) => {
        // A token change during the query: answer this request, but do not remember a stale result.
        if (generation === this.generation) {
          if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
          this.entries.set(key, { token, until: Date.now() + TOKEN_CACHE_MS });
        }
        return token;
      });
      this.loading.set(key, pending);
      void pending.finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      }).catch(() => undefined);
    }
    return pending;
  }
}

export const tokenCacheOf = perStrapi((strapi) => new TokenCache(strapi));
