import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ChildJourney,
  EddBasis,
  Journey,
  JourneyKind,
  JourneyStatus,
  Locale,
  Member,
  PregnancyJourney,
  PreconceptionJourney,
  ReminderRule,
  RiskColour,
  Sex,
} from '@mch/rules';

/** Operational tables (docs/decisions/002, cms/database/migrations). */
export const T = {
  members: 'hb_members',
  journeys: 'hb_journeys',
  events: 'hb_journey_events',
  notifications: 'hb_notifications',
  attempts: 'hb_delivery_attempts',
  activity: 'hb_member_activity',
  activeQuarters: 'hb_member_active_quarters',
} as const;

export const PENDING_STATUSES = ['scheduled', 'queued'] as const;

/**
 * One instance of a service per Strapi instance (the app, a test's app, a worker's kernel), made on
 * first use: the handbook's caches and batchers are per app, never module-global.
 */
export function perStrapi<T extends object>(create: (strapi: Core.Strapi) => T): (strapi: Core.Strapi) => T {
  const instances = new WeakMap<Core.Strapi, T>();
  return (strapi) => {
    let instance = instances.get(strapi);
    if (!instance) {
      instance = create(strapi);
      instances.set(strapi, instance);
    }
    return instance;
  };
}

export function knexOf(strapi: Core.Strapi): Knex {
  return strapi.db.connection;
}

/** Whether this knex talks to PostgreSQL (otherwise the embedded SQLite). */
export function isPostgres(knex: Knex): boolean {
  return (knex.client as { dialect?: string }).dialect === 'postgresql';
}

export interface MemberRow {
  id: number | string;
  external_id: string;
  region_code: string | null;
  institution_code: string | null;
  locale: string;
  time_zone: string;
  consent_version: string | null;
  consent_at: Date | string | null;
  quiet_start: string;
  quiet_end: string;
  muted_categories: string;
  channels: string;
  enrolled_on: string;
  last_active_on: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface JourneyRow {
  id: string;
  member_id: number | string;
  kind: JourneyKind;
  status: JourneyStatus;
  enrolled_on: string;
  started_on: string | null;
  lmp: string | null;
  edd: string | null;
  edd_basis: EddBasis | null;
  effective_lmp: string | null;
  risk_colour: RiskColour | null;
  outcome_on: string | null;
  birth_date: string | null;
  sex: Sex | null;
  ga_at_birth_days: number | null;
  corrected_birth_date: string | null;
  last_visit_on: string | null;
  parent_journey_id: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface NotificationRow {
  id: number | string;
  member_id: number | string;
  journey_id: string;
  rule_key: string;
  rule_version: number;
  scheduled_on: string;
  deliver_after: Date | string;
  status: string;
  reason: string | null;
  push: boolean | number;
  inbox: boolean | number;
  locale: string;
  category: string;
  priority: number;
  title: string;
  body: string;
  attempts: number;
  sent_at: Date | string | null;
  read_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

/** PostgreSQL returns DATE as text (Strapi's dialect), SQLite stores text; both are normalised to YYYY-MM-DD. */
export function isoDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value.slice(0, 10) : null;
}

export function isoInstant(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function parseJsonList(text: string | null | undefined): string[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as unknown;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** The member as rules/ sees it, in `locale` (their own by default); see toJourney on why not a spread. */
export function toMember(row: MemberRow, locale: Locale = row.locale as Locale): Member {
  return {
    externalId: row.external_id,
    regionCode: row.region_code,
    institutionCode: row.institution_code,
    locale,
    timeZone: row.time_zone,
    enrolledOn: isoDate(row.enrolled_on)!,
  };
}

/**
 * Each kind's object written out in full, not `{ ...base, kind, … }`: on this Node (V8 11.3) an object
 * literal with properties after a spread is 10–24× slower than a plain one and its objects reach the
 * old space (`npm run bench:spread`; BENCHMARKS.md, ninth session); this runs for every journey of every feed read.
 */
export function toJourney(row: JourneyRow): Journey {
  const enrolledOn = isoDate(row.enrolled_on)!;
  const lastVisitOn = isoDate(row.last_visit_on);
  switch (row.kind) {
    case 'preconception':
      return { id: row.id, status: row.status, enrolledOn, lastVisitOn, kind: 'preconception', startedOn: isoDate(row.started_on)! } satisfies PreconceptionJourney;
    case 'pregnancy':
      return {
        id: row.id,
        status: row.status,
        enrolledOn,
        lastVisitOn,
        kind: 'pregnancy',
        lmp: isoDate(row.lmp),
        edd: isoDate(row.edd),
        eddBasis: row.edd_basis,
        riskColour: row.risk_colour,
        outcomeOn: isoDate(row.outcome_on),
      } satisfies PregnancyJourney;
    case 'child':
      return {
        id: row.id,
        status: row.status,
        enrolledOn,
        lastVisitOn,
        kind: 'child',
        birthDate: isoDate(row.birth_date)!,
        sex: row.sex,
        gestationalAgeAtBirthDays: row.ga_at_birth_days,
      } satisfies ChildJourney;
  }
}

/** Where a rule's anchor date is stored in hb_journeys (indexed, see the operational-tables migration). */
export interface AnchorColumn {
  column: string;
  kinds: string[];
  /** The journey status the anchor needs (null = any). */
  status: string | null;
  /** Anchor date → column value, in days (the EDD is stored as the effective LMP = EDD − 280). */
  shift: number;
}

/** The one mapping of a rule's anchor to its column: the workers' sweep and the simulator's reach use it. */
export function anchorColumn(trigger: Pick<ReminderRule['trigger'], 'anchor' | 'corrected'>): AnchorColumn {
  switch (trigger.anchor) {
    case 'lmp':
      return { column: 'effective_lmp', kinds: ['pregnancy'], status: 'active', shift: 0 };
    case 'edd':
      return { column: 'effective_lmp', kinds: ['pregnancy'], status: 'active', shift: -280 };
    case 'last-visit':
      return { column: 'last_visit_on', kinds: ['pregnancy'], status: 'active', shift: 0 };
    case 'delivery':
      return { column: 'outcome_on', kinds: ['pregnancy'], status: 'delivered', shift: 0 };
    case 'birth':
      return { column: trigger.corrected ? 'corrected_birth_date' : 'birth_date', kinds: ['child'], status: null, shift: 0 };
    case 'enrolment':
      return { column: 'enrolled_on', kinds: ['preconception', 'pregnancy', 'child'], status: null, shift: 0 };
  }
}
