import type { Core } from '@strapi/strapi';
import { DEFAULT_TIME_ZONE, localDay } from '@mch/rules';
import { activityOf } from './activity';
import type { MemberBody } from './requests';
import { PENDING_STATUSES, T, isoDate, isoInstant, knexOf, parseJsonList, type JourneyRow, type MemberRow, type NotificationRow } from './tables';

export async function findMember(strapi: Core.Strapi, externalId: string): Promise<MemberRow | null> {
  const row = (await knexOf(strapi)(T.members).where({ external_id: externalId }).first()) as MemberRow | undefined;
  return row ?? null;
}

/**
 * Create or update. The insert is one statement (on conflict do nothing), so two concurrent upserts of
 * the same member leave one member and exactly one of them reports it created; the other then
 * applies its fields as an update. Only the fields sent are changed on update.
 */
export async function upsertMember(strapi: Core.Strapi, externalId: string, body: MemberBody, now: Date): Promise<{ row: MemberRow; created: boolean }> {
  const knex = knexOf(strapi);
  const fields: Record<string, unknown> = {};
  if (body.regionCode !== undefined) fields.region_code = body.regionCode;
  if (body.institutionCode !== undefined) fields.institution_code = body.institutionCode;
  if (body.locale !== undefined) fields.locale = body.locale;
  if (body.timeZone !== undefined) fields.time_zone = body.timeZone;
  if (body.consent !== undefined) {
    fields.consent_version = body.consent?.version ?? null;
    fields.consent_at = body.consent ? new Date(body.consent.at) : null;
  }
  if (body.preferences?.quietHours) {
    fields.quiet_start = body.preferences.quietHours.start;
    fields.quiet_end = body.preferences.quietHours.end;
  }
  if (body.preferences?.mutedCategories) fields.muted_categories = JSON.stringify([...new Set(body.preferences.mutedCategories)]);
  if (body.preferences?.channels) fields.channels = JSON.stringify([...new Set(body.preferences.channels)]);

  const timeZone = body.timeZone ?? DEFAULT_TIME_ZONE;
  const inserted = (await knex(T.members)
    .insert(Object.assign({ external_id: externalId, enrolled_on: localDay(now, timeZone) }, fields, { created_at: now, updated_at: now }))
    .onConflict('external_id')
    .ignore()
    .returning('id')) as unknown[];
  const created = inserted.length > 0;
  if (!created && Object.keys(fields).length > 0) {
    await knex(T.members).where({ external_id: externalId }).update(Object.assign({}, fields, { updated_at: now }));
  }
  const row = await findMember(strapi, externalId);
  if (!row) throw new Error('member upsert wrote no row');
  return { row, created };
}

/** Last active day (daily granularity), for the usage statistics: see activity.ts. */
export function recordActivity(strapi: Core.Strapi, member: MemberRow, now: Date): Promise<void> {
  return activityOf(strapi).record(member, now);
}

/**
 * Erases the member and everything about them in one transaction. Pending deliveries disappear with
 * their rows: a delivery job re-reads its notification before sending and finds nothing.
 */
export async function eraseMember(strapi: Core.Strapi, externalId: string): Promise<boolean> {
  return knexOf(strapi).transaction(async (trx) => {
    const found: unknown = await trx(T.members).where({ external_id: externalId }).first('id');
    const member = found as { id: number } | undefined;
    if (!member) return false;
    const notificationIds = trx(T.notifications).where({ member_id: member.id }).select('id');
    await trx(T.attempts).whereIn('notification_id', notificationIds).delete();
    await trx(T.notifications).where({ member_id: member.id }).delete();
    await trx(T.events).where({ member_id: member.id }).delete();
    await trx(T.activity).where({ member_id: member.id }).delete();
    // Derived from the days; deleted explicitly like every table here rather than left to the ON DELETE CASCADE.
    await trx(T.activeQuarters).where({ member_id: member.id }).delete();
    await trx(T.journeys).where({ member_id: member.id }).delete();
    await trx(T.members).where({ id: member.id }).delete();
    return true;
  });
}

export function memberView(row: MemberRow) {
  return {
    externalId: row.external_id,
    regionCode: row.region_code,
    institutionCode: row.institution_code,
    locale: row.locale,
    timeZone: row.time_zone,
    consent: row.consent_version ? { version: row.consent_version, at: isoInstant(row.consent_at) } : null,
    preferences: {
      quietHours: { start: row.quiet_start, end: row.quiet_end },
      mutedCategories: parseJsonList(row.muted_categories),
      channels: parseJsonList(row.channels),
    },
    enrolledOn: isoDate(row.enrolled_on),
    lastActiveOn: isoDate(row.last_active_on),
    createdAt: isoInstant(row.created_at),
    updatedAt: isoInstant(row.updated_at),
  };
}

export function journeyView(row: JourneyRow) {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    enrolledOn: isoDate(row.enrolled_on),
    ...(row.kind === 'preconception' ? { startedOn: isoDate(row.started_on) } : {}),
    ...(row.kind === 'pregnancy'
      ? {
          lmp: isoDate(row.lmp),
          edd: isoDate(row.edd),
          eddBasis: row.edd_basis,
          riskColour: row.risk_colour,
          outcomeOn: isoDate(row.outcome_on),
          lastVisitOn: isoDate(row.last_visit_on),
        }
      : {}),
    ...(row.kind === 'child'
      ? {
          birthDate: isoDate(row.birth_date),
          sex: row.sex,
          gestationalAgeAtBirthDays: row.ga_at_birth_days,
          parentJourneyId: row.parent_journey_id,
        }
      : {}),
  };
}

export function notificationView(row: NotificationRow) {
  return {
    id: String(row.id),
    journeyId: row.journey_id,
    ruleKey: row.rule_key,
    scheduledOn: isoDate(row.scheduled_on),
    category: row.category,
    priority: row.priority,
    title: row.title,
    body: row.body,
    status: row.status,
    reason: row.reason,
    readAt: isoInstant(row.read_at),
    createdAt: isoInstant(row.created_at),
  };
}

/** The right of access: everything held about the member. */
export async function exportMember(strapi: Core.Strapi, member: MemberRow) {
  const knex = knexOf(strapi);
  const journeys = (await knex(T.journeys).where({ member_id: member.id }).orderBy('created_at')) as JourneyRow[];
  const events = (await knex(T.events).where({ member_id: member.id }).orderBy('id')) as Array<Record<string, unknown>>;
  const notifications = (await knex(T.notifications).where({ member_id: member.id }).orderBy('id')) as NotificationRow[];
  const attempts = (await knex(T.attempts)
    .whereIn('notification_id', knex(T.notifications).where({ member_id: member.id }).select('id'))
    .orderBy('id')) as Array<Record<string, unknown>>;
  const activity = (await knex(T.activity).where({ member_id: member.id }).orderBy('day')) as Array<{ day: string }>;
  return {
    member: memberView(member),
    journeys: journeys.map(journeyView),
    events: events.map((e) => ({
      journeyId: e.journey_id,
      type: e.type,
      date: isoDate(e.occurred_on),
      data: JSON.parse(String(e.data)) as unknown,
      recordedAt: isoInstant(e.created_at),
    })),
    notifications: notifications.map((n) =>
      Object.assign(notificationView(n), {
        pending: (PENDING_STATUSES as readonly string[]).includes(n.status),
        attempts: attempts
          .filter((a) => String(a.notification_id) === String(n.id))
          .map((a) => ({ channel: a.channel, at: isoInstant(a.attempted_at), statusCode: a.status_code, outcome: a.outcome, error: a.error })),
      }),
    ),
    activeDays: activity.map((a) => isoDate(a.day)),
  };
}
