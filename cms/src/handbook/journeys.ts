import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import {
  RulesError,
  anchorDateOf,
  checkOccurrence,
  childAge,
  diffDays,
  localDay,
  pregnancyDating,
  pregnancyCalculator,
  type Journey,
  type ReminderRule,
} from '@mch/rules';
import { assertNoProblems } from '../validation/problems';
import { catalogueOf } from './catalogue';
import type { EventBody, JourneyBody, JourneyPatch } from './requests';
import { PENDING_STATUSES, T, isPostgres, isoDate, knexOf, perStrapi, toJourney, toMember, type JourneyRow, type MemberRow } from './tables';

/** A child is followed until seven (the handbook's 0–6 years). */
const CHILD_MAX_AGE_DAYS = 7 * 366;

/** Impossible dates found by rules/ become a 400 naming the field. */
function guard<T>(fn: () => T, prefix = ''): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof RulesError) {
      assertNoProblems([{ path: prefix ? `${prefix}.${error.field}` : error.field, message: error.message }]);
    }
    throw error;
  }
}

function reject(field: string, message: string): never {
  assertNoProblems([{ path: field, message }]);
  throw new Error('unreachable');
}

function pregnancyColumns(input: { lmp?: string | null; edd?: string | null; eddBasis?: string | null }, today: string) {
  const lmp = input.lmp ?? null;
  const edd = input.edd ?? null;
  if (!lmp && !edd) reject('lmp', 'a pregnancy needs its LMP or its EDD (or both)');
  if (input.eddBasis && !edd) reject('eddBasis', 'is given without an edd');
  const basis = edd ? ((input.eddBasis ?? (lmp ? 'clinician' : 'lmp')) as 'lmp' | 'ultrasound' | 'clinician' | 'art') : null;
  // Throws LMP_IN_FUTURE, LMP_TOO_OLD, EDD_TOO_FAR … with the field.
  guard(() => pregnancyCalculator({ lmp, edd, eddBasis: basis, today }));
  const dating = guard(() => pregnancyDating({ lmp, edd, eddBasis: basis }));
  return { lmp, edd, edd_basis: basis, effective_lmp: dating.lmp };
}

function childColumns(input: { birthDate: string; gestationalAgeAtBirthDays?: number | null }, today: string, id: string) {
  guard(() => childAge({ birthDate: input.birthDate, on: today, gestationalAgeAtBirthDays: input.gestationalAgeAtBirthDays ?? null }));
  if (diffDays(today, input.birthDate) > CHILD_MAX_AGE_DAYS) reject('birthDate', 'is more than seven years ago: the handbook follows children to six');
  const journey: Journey = {
    id,
    kind: 'child',
    status: 'active',
    enrolledOn: today,
    birthDate: input.birthDate,
    gestationalAgeAtBirthDays: input.gestationalAgeAtBirthDays ?? null,
  };
  return { corrected_birth_date: anchorDateOf({ journey, anchor: 'birth', corrected: true }) };
}

export async function findJourney(strapi: Core.Strapi, member: MemberRow, journeyId: string, trx?: Knex): Promise<JourneyRow> {
  const row = (await (trx ?? knexOf(strapi))(T.journeys).where({ id: journeyId, member_id: member.id }).first()) as JourneyRow | undefined;
  if (!row) throw new errors.NotFoundError(`journey ${journeyId} not found for this member`);
  return row;
}

export async function listJourneys(strapi: Core.Strapi, member: MemberRow): Promise<JourneyRow[]> {
  return (await knexOf(strapi)(T.journeys).where({ member_id: member.id }).orderBy('created_at')) as JourneyRow[];
}

/**
 * The member columns the read selects, named rather than `m.*`: the statement is prepared per
 * connection (MemberReader), and a column added by a later migration must not change its result.
 */
const MEMBER_COLUMNS = [
  'id',
  'external_id',
  'region_code',
  'institution_code',
  'locale',
  'time_zone',
  'consent_version',
  'consent_at',
  'quiet_start',
  'quiet_end',
  'muted_categories',
  'channels',
  'enrolled_on',
  'last_active_on',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof MemberRow>;

const JOURNEY_COLUMNS = [
  'id',
  'member_id',
  'kind',
  'status',
  'enrolled_on',
  'started_on',
  'lmp',
  'edd',
  'edd_basis',
  'effective_lmp',
  'risk_colour',
  'outcome_on',
  'birth_date',
  'sex',
  'ga_at_birth_days',
  'corrected_birth_date',
  'last_visit_on',
  'parent_journey_id',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof JourneyRow>;

export type MemberWithJourneys = { member: MemberRow; journeys: JourneyRow[] };

/**
 * The member and their journeys in one statement (a left join, one row per journey): the feed and the
 * timeline read both on every request, and a second round trip cost more than the join. Reads are
 * batched (memberReaderOf): the requests of the same millisecond or so share one statement.
 */
export function findMemberWithJourneys(strapi: Core.Strapi, externalId: string): Promise<MemberWithJourneys | null> {
  return memberReaderOf(strapi).read(externalId);
}

/** Ids per statement: far below PostgreSQL's and SQLite's bound-parameter limits. */
const MAX_BATCH = 200;
/** Statements in flight at once: reads beyond them wait and join the next batch (the pool serves writes too). */
const MAX_IN_FLIGHT = 4;
/**
 * How long the first read of a batch waits for others to join it, while reads are frequent. At a
 * steady 1,500 req/s requests arrive ~0.7 ms apart, so one turn of the event loop (setImmediate) held
 * ~1 read and each feed request paid a statement of its own (0.5-0.6 per request); waiting 1 ms shares
 * one statement among 2-4 reads (~0.25 per request) and cut the API's CPU per request by ~20 % at that
 * rate (BENCHMARKS.md, eighth session), for ~1-2 ms more latency on the read.
 */
const READ_WINDOW_MS = 1;
/** Reads are "frequent" when the previous statement was sent less than this long ago; otherwise a read goes at the next turn. */
const BUSY_WITHIN_MS = 5;

interface ReadWaiter {
  resolve: (found: MemberWithJourneys | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Member reads by external id, batched like the activity group commit (activity.ts): while reads are
 * frequent a read waits READ_WINDOW_MS for others (otherwise until the end of the current turn of the
 * event loop), and every read asked for meanwhile goes in one `WHERE external_id IN (…)` statement.
 * Under load one statement answers many requests: the loopback round trip to PostgreSQL (socket write, wake-up, parse) was the largest cost
 * of a feed request (docs/decisions/007). A read is never answered from a statement sent before it was
 * asked for, so it sees every write committed before it (a loss recorded, then the feed read).
 */
export class MemberReader {
  private pending = new Map<string, ReadWaiter[]>();
  private scheduled = false;
  private inFlight = 0;
  /** performance.now() when the last statement was sent (-Infinity: none yet). */
  private lastSentAt = -Infinity;
  private readonly sqlBySize = new Map<number, string>();

  constructor(
    private readonly knex: () => Knex,
    /** READ_WINDOW_MS; a test may widen it to make the batching it checks independent of timing. */
    private readonly windowMs = READ_WINDOW_MS,
  ) {}

  read(externalId: string): Promise<MemberWithJourneys | null> {
    return new Promise((resolve, reject) => {
      const waiters = this.pending.get(externalId);
      if (waiters) waiters.push({ resolve, reject });
      else this.pending.set(externalId, [{ resolve, reject }]);
      this.schedule();
    });
  }

  /**
   * A new batch waits `windowMs` for company when the previous statement went out less than
   * BUSY_WITHIN_MS ago, and goes at the next turn of the event loop otherwise (a lone read is not
   * delayed). Reads that queued behind MAX_IN_FLIGHT statements have waited already and go at the next
   * turn once a statement returns.
   */
  private schedule(afterStatement = false): void {
    if (this.scheduled || this.pending.size === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.flush();
    };
    if (!afterStatement && performance.now() - this.lastSentAt < BUSY_WITHIN_MS) setTimeout(go, this.windowMs);
    else setImmediate(go);
  }

  private flush(): void {
    while (this.pending.size > 0 && this.inFlight < MAX_IN_FLIGHT) {
      const batch = new Map<string, ReadWaiter[]>();
      for (const [id, waiters] of this.pending) {
        batch.set(id, waiters);
        this.pending.delete(id);
        if (batch.size === MAX_BATCH) break;
      }
      this.inFlight += 1;
      this.lastSentAt = performance.now();
      // run() settles every waiter itself and never rejects.
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule(true);
      });
    }
  }

  private async run(batch: Map<string, ReadWaiter[]>): Promise<void> {
    try {
      const knex = this.knex();
      const ids = [...batch.keys()];
      type Rows = Array<Record<string, unknown>>;
      const statement = knex.raw<{ rows?: Rows } | Rows>(this.sql(knex, ids.length), ids);
      // On PostgreSQL a named statement: each pooled connection parses and plans it once per size, then
      // only binds and executes it (the `name` query option of pg, passed through by knex).
      if (isPostgres(knex)) void statement.options({ name: `mch_member_read_${ids.length}` });
      const result: { rows?: Rows } | Rows = await statement;
      const found = foldMembersWithJourneys(Array.isArray(result) ? result : (result.rows ?? []));
      for (const [id, waiters] of batch) {
        const answer = found.get(id) ?? null;
        for (const w of waiters) w.resolve(answer);
      }
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }

  /**
   * The statement's text depends only on the dialect and the number of ids, so it is compiled once
   * per size (building it on every request was ~7 % of the API's CPU) and run as raw SQL with the ids
   * bound — still through knex, its pool and its query events.
   */
  private sql(knex: Knex, size: number): string {
    let sql = this.sqlBySize.get(size);
    if (sql === undefined) {
      sql = knex(`${T.members} as m`)
        .leftJoin(`${T.journeys} as j`, 'j.member_id', 'm.id')
        .whereIn('m.external_id', Array.from({ length: size }, () => ''))
        .select(...MEMBER_COLUMNS.map((c) => `m.${c}`), ...JOURNEY_COLUMNS.map((c) => `j.${c} as j__${c}`))
        .orderBy([{ column: 'm.id' }, { column: 'j.created_at' }])
        .toSQL().sql;
      this.sqlBySize.set(size, sql);
    }
    return sql;
  }
}

export const memberReaderOf = perStrapi((strapi) => new MemberReader(() => knexOf(strapi)));

/** Rows of the join (ordered by member, then journey creation) → one entry per external id. */
function foldMembersWithJourneys(rows: Array<Record<string, unknown>>): Map<string, MemberWithJourneys> {
  const out = new Map<string, MemberWithJourneys>();
  for (const row of rows) {
    const externalId = row.external_id as string;
    let entry = out.get(externalId);
    if (!entry) {
      const member: Record<string, unknown> = {};
      for (const c of MEMBER_COLUMNS) member[c] = row[c];
      entry = { member: member as unknown as MemberRow, journeys: [] };
      out.set(externalId, entry);
    }
    if (row.j__id === null || row.j__id === undefined) continue;
    const journey: Record<string, unknown> = {};
    for (const c of JOURNEY_COLUMNS) journey[c] = row[`j__${c}`];
    entry.journeys.push(journey as unknown as JourneyRow);
  }
  return out;
}

export async function createJourney(strapi: Core.Strapi, member: MemberRow, body: JourneyBody, now: Date): Promise<JourneyRow> {
  const today = localDay(now, member.time_zone);
  const id = randomUUID();
  const row: Record<string, unknown> = { id, member_id: member.id, kind: body.kind, status: 'active', enrolled_on: today, created_at: now, updated_at: now };
  if (body.kind === 'preconception') {
    if (body.startedOn > today) reject('startedOn', 'is in the future');
    row.started_on = body.startedOn;
  } else if (body.kind === 'pregnancy') {
    Object.assign(row, pregnancyColumns(body, today), { risk_colour: body.riskColour ?? null });
  } else {
    Object.assign(row, { birth_date: body.birthDate, sex: body.sex ?? null, ga_at_birth_days: body.gestationalAgeAtBirthDays ?? null });
    Object.assign(row, childColumns(body, today, id));
  }
  await knexOf(strapi)(T.journeys).insert(row);
  return findJourney(strapi, member, id);
}

/**
 * Pending occurrences that the changed journey no longer produces are cancelled at once; occurrences
 * it now produces are created by the next sweep (notifications are only ever written on their due day).
 */
async function replanPending(trx: Knex, member: MemberRow, journey: JourneyRow, rules: Map<string, ReminderRule>, now: Date): Promise<number> {
  const selected: unknown = await trx(T.notifications)
    .where({ journey_id: journey.id })
    .whereIn('status', PENDING_STATUSES)
    .select('id', 'rule_key', 'scheduled_on');
  const pending = selected as Array<{ id: number; rule_key: string; scheduled_on: string }>;
  const domainMember = toMember(member);
  const domainJourney = toJourney(journey);
  const stale = pending
    .filter((n) => {
      const rule = rules.get(n.rule_key);
      return rule !== undefined && checkOccurrence({ rule, member: domainMember, journey: domainJourney, day: isoDate(n.scheduled_on)! }) === null;
    })
    .map((n) => n.id);
  if (stale.length === 0) return 0;
  return trx(T.notifications)
    .whereIn('id', stale)
    .whereIn('status', PENDING_STATUSES)
    .update({ status: 'cancelled', reason: 'replanned', updated_at: now });
}

async function cancelAllPending(trx: Knex, journeyId: string, reason: string, now: Date): Promise<number> {
  return trx(T.notifications).where({ journey_id: journeyId }).whereIn('status', PENDING_STATUSES).update({ status: 'cancelled', reason, updated_at: now });
}

function rulesByKey(strapi: Core.Strapi): Map<string, ReminderRule> {
  return new Map(catalogueOf(strapi).allRules.map((r) => [r.key, r]));
}

export async function patchJourney(strapi: Core.Strapi, member: MemberRow, journeyId: string, patch: JourneyPatch, now: Date): Promise<JourneyRow> {
  const today = localDay(now, member.time_zone);
  return knexOf(strapi).transaction(async (trx) => {
    const row = await findJourney(strapi, member, journeyId, trx);
    const allowed: Record<string, readonly string[]> = {
      preconception: ['startedOn'],
      pregnancy: ['lmp', 'edd', 'eddBasis', 'riskColour'],
      child: ['sex', 'gestationalAgeAtBirthDays'],
    };
    for (const field of Object.keys(patch)) {
      if (!(allowed[row.kind] ?? []).includes(field)) reject(field, `cannot be changed on a ${row.kind} journey`);
    }
    if (row.status !== 'active') reject('status', `the journey is closed (${row.status}) and can no longer be changed`);
    const update: Record<string, unknown> = { updated_at: now };
    if (row.kind === 'preconception' && patch.startedOn) {
      if (patch.startedOn > today) reject('startedOn', 'is in the future');
      update.started_on = patch.startedOn;
    }
    if (row.kind === 'pregnancy') {
      if (patch.lmp !== undefined || patch.edd !== undefined || patch.eddBasis !== undefined) {
        const edd = patch.edd ?? isoDate(row.edd);
        const basis = patch.eddBasis ?? (patch.edd ? 'clinician' : row.edd_basis);
        Object.assign(update, pregnancyColumns({ lmp: patch.lmp ?? isoDate(row.lmp), edd, eddBasis: edd ? basis : null }, today));
      }
      if (patch.riskColour) update.risk_colour = patch.riskColour;
    }
    if (row.kind === 'child' && patch.sex) update.sex = patch.sex;
    if (row.kind === 'child' && patch.gestationalAgeAtBirthDays !== undefined) {
      update.ga_at_birth_days = patch.gestationalAgeAtBirthDays;
      Object.assign(update, childColumns({ birthDate: isoDate(row.birth_date)!, gestationalAgeAtBirthDays: patch.gestationalAgeAtBirthDays }, today, row.id));
    }
    await trx(T.journeys).where({ id: row.id }).update(update);
    const after = await findJourney(strapi, member, journeyId, trx);
    await replanPending(trx, member, after, rulesByKey(strapi), now);
    return after;
  });
}

export interface EventResult {
  event: { id: string; type: string; date: string };
  journey: JourneyRow;
  children: JourneyRow[];
  cancelled: number;
}

export async function addEvent(strapi: Core.Strapi, member: MemberRow, journeyId: string, body: EventBody, now: Date): Promise<EventResult> {
  const today = localDay(now, member.time_zone);
  if (body.date > today) reject('date', 'is in the future');
  return knexOf(strapi).transaction(async (trx) => {
    const row = await findJourney(strapi, member, journeyId, trx);
    if (row.kind !== 'pregnancy') reject('type', `${body.type} events belong to a pregnancy journey, this one is a ${row.kind}`);
    if (row.status !== 'active') reject('type', `the pregnancy is already closed (${row.status})`);
    const lmp = isoDate(row.effective_lmp)!;
    if (body.date < lmp) reject('date', 'is before the pregnancy began (its LMP)');

    let cancelled = 0;
    const children: JourneyRow[] = [];
    let data: Record<string, unknown> = {};
    if (body.type === 'visit') {
      const last = isoDate(row.last_visit_on);
      if (!last || body.date > last) await trx(T.journeys).where({ id: row.id }).update({ last_visit_on: body.date, updated_at: now });
    } else if (body.type === 'risk-change') {
      await trx(T.journeys).where({ id: row.id }).update({ risk_colour: body.riskColour, updated_at: now });
      data = { riskColour: body.riskColour };
    } else if (body.type === 'loss') {
      // The promise that matters most: nothing about this pregnancy is sent after a loss.
      await trx(T.journeys).where({ id: row.id }).update({ status: 'loss', outcome_on: body.date, updated_at: now });
      cancelled = await cancelAllPending(trx, row.id, 'pregnancy-loss', now);
    } else {
      const ga = body.gestationalAgeAtBirthDays ?? diffDays(body.date, lmp);
      if (ga < 154 || ga > 315) {
        reject('gestationalAgeAtBirthDays', `the LMP gives ${ga} days at birth, outside 154–315: send gestationalAgeAtBirthDays`);
      }
      await trx(T.journeys).where({ id: row.id }).update({ status: 'delivered', outcome_on: body.date, updated_at: now });
      cancelled = await cancelAllPending(trx, row.id, 'delivered', now);
      for (const baby of body.babies) {
        const id = randomUUID();
        await trx(T.journeys).insert({
          id,
          member_id: member.id,
          kind: 'child',
          status: 'active',
          enrolled_on: today,
          birth_date: body.date,
          sex: baby.sex ?? null,
          ga_at_birth_days: ga,
          parent_journey_id: row.id,
          created_at: now,
          updated_at: now,
          ...childColumns({ birthDate: body.date, gestationalAgeAtBirthDays: ga }, today, id),
        });
        children.push(await findJourney(strapi, member, id, trx));
      }
      data = { babies: body.babies.length, gestationalAgeAtBirthDays: ga };
    }
    const after = await findJourney(strapi, member, journeyId, trx);
    if (body.type === 'visit' || body.type === 'risk-change') cancelled = await replanPending(trx, member, after, rulesByKey(strapi), now);
    const returned: unknown = await trx(T.events)
      .insert({ journey_id: row.id, member_id: member.id, type: body.type, occurred_on: body.date, data: JSON.stringify(data), created_at: now })
      .returning('id');
    const [inserted] = returned as Array<{ id: number } | number>;
    const eventId = typeof inserted === 'object' && inserted !== null ? inserted.id : inserted;
    return { event: { id: String(eventId), type: body.type, date: body.date }, journey: after, children, cancelled };
  });
}

