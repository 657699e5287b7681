import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import {
  buildContentIndex,
  normaliseWindow,
  validateRule,
  type AudienceWindowInput,
  type ContentIndex,
  type ContentItem,
  type ContentType,
  type Locale,
  type Member,
  type ReminderRule,
} from '@mch/rules';
import { toDomainRule } from '../validation/rule';
import { isoDate, perStrapi } from './tables';

const CONTENT_TYPES: Array<{ uid: string; type: ContentType }> = [
  { uid: 'api::article.article', type: 'article' },
  { uid: 'api::policy.policy', type: 'policy' },
  { uid: 'api::nutrition-guide.nutrition-guide', type: 'nutrition-guide' },
];
const RULE_UID = 'api::reminder-rule.reminder-rule';
const WATCHED = new Set([...CONTENT_TYPES.map((c) => c.uid), RULE_UID, 'api::institution.institution']);
export const CATALOGUE_CHANNEL = 'mch:catalogue-changed';

/**
 * The channel of the processes that read one content database: `mch:catalogue-changed:<database>/<schema>`
 * (PostgreSQL) or `…:<file>` (SQLite). Deployments, test schemas and benchmarks that share a Redis
 * server but not a database then do not make each other rebuild (a rebuild reads every published item).
 */
export function catalogueChannelOf(strapi: Core.Strapi): string {
  const config = strapi.config.get<{ connection?: { connectionString?: string; schema?: string; filename?: string } } | undefined>('database.connection');
  const connection = config?.connection ?? {};
  if (connection.filename) return `${CATALOGUE_CHANNEL}:${connection.filename}`;
  let database = '';
  try {
    database = connection.connectionString ? new URL(connection.connectionString).pathname.replace(/^\//, '') : '';
  } catch {
    database = '';
  }
  return `${CATALOGUE_CHANNEL}:${database || 'postgres'}/${connection.schema ?? 'public'}`;
}
const PAGE = 500;

type Row = Record<string, unknown>;

/**
 * What the feed and the planner read: published content in an interval index, and published active
 * rules. Rebuilt after a publish, unpublish or delete in this process (debounced), and in every other
 * process through Redis pub/sub.
 */
export class Catalogue {
  private index: ContentIndex = buildContentIndex([]);
  /** Document id → locale → item: looked up 20 times per feed page, so no key string is built per lookup. */
  private byLocale = new Map<string, Map<string, ContentItem>>();
  private rules: ReminderRule[] = [];
  private readonly origin = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private building: Promise<void> | null = null;
  private again = false;
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private builtAt = 0;
  private stopped = false;
  private announcePending = false;
  private readonly channel: string;

  constructor(private readonly strapi: Core.Strapi) {
    this.channel = catalogueChannelOf(strapi);
  }

  get contentIndex(): ContentIndex {
    return this.index;
  }

  get lastBuiltAt(): number {
    return this.builtAt;
  }

  /** The same document in another locale, when it exists. */
  localised(item: ContentItem, locale: Locale): ContentItem {
    if (item.locale === locale) return item;
    return this.byLocale.get(item.id)?.get(locale) ?? item;
  }

  /** Province defaults plus the rules of the member's own institution. */
  rulesFor(member: Pick<Member, 'institutionCode'>): ReminderRule[] {
    return this.rules.filter((r) => r.institutionCode === null || r.institutionCode === member.institutionCode);
  }

  get allRules(): ReminderRule[] {
    return this.rules;
  }

  async start(options: { redisUrl: string | null }): Promise<void> {
    await this.rebuild();
    const watch = (payload: { uid?: string }): Promise<void> => {
      if (payload?.uid && WATCHED.has(payload.uid)) this.schedule(true);
      return Promise.resolve();
    };
    for (const event of ['entry.publish', 'entry.unpublish', 'entry.delete', 'entry.update', 'entry.create']) {
      this.strapi.eventHub.on(event, watch);
    }
    if (options.redisUrl) this.connect(options.redisUrl);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // disconnect(), not quit(): a client still connecting would otherwise keep retrying and hold the process open.
    this.publisher?.disconnect();
    this.subscriber?.disconnect();
    this.publisher = null;
    this.subscriber = null;
    await this.building?.catch(() => undefined);
  }

  /** Rebuilds now (waiting for a build already running, then building again). */
  async rebuild(): Promise<void> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private schedule(announce: boolean): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.rebuild().then(
        () => (announce ? this.announce() : undefined),
        (error: Error) => this.strapi.log.error(`catalogue rebuild failed: ${error.message}`),
      );
    }, 100);
  }

  /** Tells the other processes to rebuild; while the publisher is (re)connecting, once it is ready. */
  private async announce(): Promise<void> {
    const publisher = this.publisher;
    if (!publisher) return;
    if (publisher.status !== 'ready') {
      if (!this.announcePending) {
        this.announcePending = true;
        publisher.once('ready', () => {
          this.announcePending = false;
          void this.announce();
        });
      }
      return;
    }
    await publisher.publish(this.channel, this.origin).catch((error: Error) => {
      this.strapi.log.warn(`catalogue: change not announced to other processes (${error.message})`);
    });
  }

  private connect(url: string): void {
    const options = { maxRetriesPerRequest: null, enableOfflineQueue: false, lazyConnect: false };
    let reported = false;
    const onError = (error: Error) => {
      if (!reported) this.strapi.log.warn(`catalogue: Redis unavailable (${error.message}); other processes learn of changes when it returns`);
      reported = true;
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    this.publisher.on('error', onError);
    this.subscriber.on('error', onError);
    this.subscriber.on('ready', () => {
      reported = false;
      // Changes made while we were disconnected: catch up once connected.
      this.subscriber?.subscribe(this.channel).catch(onError);
      this.schedule(false);
    });
    this.subscriber.on('message', (_channel: string, origin: string) => {
      if (origin !== this.origin) this.schedule(false);
    });
  }

  private async load(): Promise<void> {
    const items: ContentItem[] = [];
    for (const { uid, type } of CONTENT_TYPES) {
      for (let start = 0; ; start += PAGE) {
        const rows = (await this.strapi.db.query(uid).findMany({
          where: { publishedAt: { $notNull: true } },
          populate: { windows: true },
          orderBy: { id: 'asc' },
          offset: start,
          limit: PAGE,
        })) as Row[];
        for (const row of rows) {
          const item = toContentItem(row, type);
          if (item) items.push(item);
        }
        if (rows.length < PAGE) break;
      }
    }
    const ruleRows = (await this.strapi.db.query(RULE_UID).findMany({
      where: { publishedAt: { $notNull: true }, active: true },
      populate: { trigger: true, institution: { select: ['code'] } },
    })) as Row[];
    const rules: ReminderRule[] = [];
    for (const row of ruleRows) {
      const { rule } = toDomainRule(row);
      const checked = validateRule(Object.assign({}, rule, { institutionCode: (row.institution as Row | null)?.code ?? null }));
      if (checked.ok && checked.rule) rules.push(checked.rule);
      else this.strapi.log.warn(`catalogue: published rule ${String(row.key)} fails validation and is not used`);
    }
    this.index = buildContentIndex(items);
    const byLocale = new Map<string, Map<string, ContentItem>>();
    for (const i of items) {
      let locales = byLocale.get(i.id);
      if (!locales) byLocale.set(i.id, (locales = new Map<string, ContentItem>()));
      locales.set(i.locale, i);
    }
    this.byLocale = byLocale;
    this.rules = rules;
    this.builtAt = Date.now();
  }
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function toContentItem(row: Row, type: ContentType): ContentItem | null {
  const windows = ((row.windows as Row[] | undefined) ?? []).map((w) =>
    normaliseWindow({ stage: w.stage, from: w.from, to: w.to, unit: w.unit ?? 'weeks' } as AudienceWindowInput),
  );
  if (windows.length === 0) return null;
  return {
    id: String(row.documentId),
    type,
    slug: String(row.slug),
    locale: (row.locale as Locale | undefined) ?? 'zh-Hans',
    title: text(row.title),
    summary: text(row.summary),
    category: text(row.category),
    priority: typeof row.priority === 'number' ? row.priority : 50,
    regionCodes: Array.isArray(row.regionCodes) ? (row.regionCodes as string[]) : [],
    validFrom: isoDate(row.validFrom),
    validTo: isoDate(row.validTo),
    windows,
  };
}

export const catalogueOf = perStrapi((strapi) => new Catalogue(strapi));
