/**
 * The domain contract shared by rules/, cms/, workers/ and content-seed/.
 * Plain data only: everything here can be serialised as JSON and stored.
 *
 * Calendar dates are ISO strings `YYYY-MM-DD` and mean a day in the member's own time zone.
 * Instants are `Date` objects (UTC internally); they are turned into a member's local day with
 * the member's IANA time zone, never the server's.
 */

export type Locale = 'zh-Hans' | 'en';
export const LOCALES: readonly Locale[] = ['zh-Hans', 'en'];
export const DEFAULT_LOCALE: Locale = 'zh-Hans';
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** `YYYY-MM-DD`, a calendar day in the member's time zone. */
export type IsoDate = string;

export type StageKind = 'preconception' | 'pregnancy' | 'postpartum' | 'child';
export const STAGE_KINDS: readonly StageKind[] = ['preconception', 'pregnancy', 'postpartum', 'child'];

export type RiskColour = 'green' | 'yellow' | 'orange' | 'red' | 'purple';
export const RISK_COLOURS: readonly RiskColour[] = ['green', 'yellow', 'orange', 'red', 'purple'];

export type JourneyKind = 'preconception' | 'pregnancy' | 'child';
/** active; delivered (pregnancy ended in birth); loss (pregnancy ended without a live birth); closed (stopped following). */
export type JourneyStatus = 'active' | 'delivered' | 'loss' | 'closed';
export type EddBasis = 'lmp' | 'ultrasound' | 'clinician' | 'art';
export type Sex = 'female' | 'male' | 'unknown';

export interface Member {
  externalId: string;
  /** GB/T 2260 six-digit code, e.g. 350102 (Fuzhou, Gulou). */
  regionCode: string | null;
  institutionCode: string | null;
  locale: Locale;
  timeZone: string;
  /** Day the member enrolled (issued the handbook), in the member's zone. */
  enrolledOn: IsoDate;
}

export interface JourneyBase {
  id: string;
  kind: JourneyKind;
  status: JourneyStatus;
  /** Day the journey was registered, in the member's zone (anchor `enrolment`). */
  enrolledOn: IsoDate;
  /** Day the latest checkup was attended (anchor `last-visit`); null when none recorded. */
  lastVisitOn?: IsoDate | null;
}

export interface PreconceptionJourney extends JourneyBase {
  kind: 'preconception';
  /** Day the member started planning a pregnancy. */
  startedOn: IsoDate;
}

export interface PregnancyJourney extends JourneyBase {
  kind: 'pregnancy';
  /** First day of the last menstrual period. */
  lmp?: IsoDate | null;
  /** Expected date of delivery. When `eddBasis` is ultrasound/clinician/art it wins over the LMP. */
  edd?: IsoDate | null;
  eddBasis?: EddBasis | null;
  riskColour?: RiskColour | null;
  /** Day of delivery (status delivered) or of the loss (status loss). */
  outcomeOn?: IsoDate | null;
}

export interface ChildJourney extends JourneyBase {
  kind: 'child';
  birthDate: IsoDate;
  sex?: Sex | null;
  /** Gestational age at birth in completed days (e.g. 32 weeks = 224). Null = unknown, treated as term. */
  gestationalAgeAtBirthDays?: number | null;
}

export type Journey = PreconceptionJourney | PregnancyJourney | ChildJourney;

/** Unit in which an editor enters windows and offsets. */
export type DurationUnit = 'days' | 'weeks' | 'months';

/**
 * An audience window as entered by an editor: inclusive `from`..`to` in `unit`
 * (e.g. pregnancy weeks 12..12 = 12+0 to 12+6). Normalised to days with `normaliseWindow`.
 */
export interface AudienceWindowInput {
  stage: StageKind;
  from: number;
  to: number;
  unit: DurationUnit;
}

/** A window normalised to an inclusive day range of the stage's day index. */
export interface AudienceWindow {
  stage: StageKind;
  fromDays: number;
  toDays: number;
}

export type ContentType = 'article' | 'policy' | 'nutrition-guide';

/** A published content item as the rules/ content index sees it (one locale). */
export interface ContentItem {
  /** Stable id of the document (e.g. Strapi documentId). */
  id: string;
  type: ContentType;
  slug: string;
  locale: Locale;
  title: string;
  summary: string;
  category: string;
  /** 0–100, higher first. */
  priority: number;
  /** GB/T 2260 codes; empty = everywhere. A province code (XX0000) covers its cities and counties. */
  regionCodes: string[];
  validFrom?: IsoDate | null;
  validTo?: IsoDate | null;
  windows: AudienceWindow[];
}

export type TriggerAnchor = 'lmp' | 'edd' | 'birth' | 'delivery' | 'enrolment' | 'last-visit';
export const TRIGGER_ANCHORS: readonly TriggerAnchor[] = ['lmp', 'edd', 'birth', 'delivery', 'enrolment', 'last-visit'];

export interface Trigger {
  anchor: TriggerAnchor;
  /** Signed whole number of `unit`s after (positive) or before (negative) the anchor date. */
  offset: number;
  unit: DurationUnit;
  /** Only with anchor `birth`: use the corrected birth date for preterm babies (growth, feeding). */
  corrected?: boolean;
  /** Optional repetition: further occurrences every `everyDays` days, `count` occurrences in all (≥ 2). */
  repeat?: { everyDays: number; count: number } | null;
}

export type Channel = 'push' | 'inbox';

export interface RuleTemplates {
  title: string;
  body: string;
}

/** A published reminder rule (province default when institutionCode is null). */
export interface ReminderRule {
  key: string;
  name: string;
  institutionCode: string | null;
  trigger: Trigger;
  /** json-rules-engine top-level condition ({ all: [...] } / { any: [...] } / { not: ... }), or null for none. */
  conditions: Record<string, unknown> | null;
  /** Handlebars templates per locale; zh-Hans is required. */
  templates: { 'zh-Hans': RuleTemplates; en?: RuleTemplates | null };
  channels: Channel[];
  /** Local hour (0–23) at which a push may be delivered. */
  deliveryHour: number;
  category: string;
  /** 0–100, higher first. */
  priority: number;
  active: boolean;
  version: number;
}
