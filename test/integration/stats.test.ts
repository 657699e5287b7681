import { backfillActiveQuartersSql } from '../../cms/database/migrations/2026.11.23T16.00.00.member-active-quarters';
import { ActivityRecorder } from '../../cms/src/handbook/activity';
import type { MemberRow } from '../../cms/src/handbook/tables';
import { type CoverageGroup, coverageGroups, coverageQuery } from '../../cms/src/plugins/stats/server/coverage';
import { type Period, measureQuery, periodOf, quarterPeriod } from '../../cms/src/plugins/stats/server/period';
import type { MemberFilter } from '../../cms/src/plugins/stats/server/scope-filter';
import { adminToken, assignInstitution, createAdminUser } from '../helpers/admin';
import { type TestApp, bootApp, createHostAppToken } from '../helpers/app';
import { institutionData } from '../helpers/factories';

/**
 * Coverage statistics (issue 8) on known fixtures: exact counts and rates, the quarterly CSV, scoping
 * by institution and region, erasure, validation; the quarter table against the day table. Fixtures
 * are written straight into the operational tables, as the host-app API would have left them; active
 * days through the API's own activity recorder (days, quarters and last_active_on).
 */
describe('statistics (real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  const institutions: Record<'A' | 'B' | 'C' | 'HC', { documentId: string; code: string }> = {} as never;
  let provinceToken: string;
  let hospitalAToken: string;
  let commissionToken: string;
  let hostToken: string;

  type Journey = { kind: 'preconception' | 'pregnancy' | 'child'; enrolledOn: string; lmp?: string; edd?: string; risk?: string; birthDate?: string };
  type Notification = { ruleKey: string; scheduledOn: string; status: string; reason?: string; read?: boolean; journey?: number };

  let journeyCounter = 0;
  let recorder: ActivityRecorder;
  const memberRow = async (externalId: string) => (await app.strapi.db.connection('hb_members').where({ external_id: externalId }).first()) as MemberRow;
  /** A read at noon China time on `day` (members' default time zone Asia/Shanghai), as the feed or inbox records it. */
  const recordActive = async (externalId: string, day: string) => recorder.record(await memberRow(externalId), new Date(`${day}T04:00:00Z`));

  async function member(input: {
    externalId: string;
    region: string | null;
    institution: string | null;
    journeys: Journey[];
    activeDays?: string[];
    notifications?: Notification[];
  }): Promise<void> {
    const knex = app.strapi.db.connection;
    const [row] = (await knex('hb_members')
      .insert({ external_id: input.externalId, region_code: input.region, institution_code: input.institution, enrolled_on: input.journeys[0]?.enrolledOn })
      .returning('id')) as [{ id: number }];
    const journeyIds: string[] = [];
    for (const j of input.journeys) {
      const id = `00000000-0000-4000-8000-${String(++journeyCounter).padStart(12, '0')}`;
      journeyIds.push(id);
      await knex('hb_journeys').insert({
        id,
        member_id: row.id,
        kind: j.kind,
        enrolled_on: j.enrolledOn,
        started_on: j.kind === 'preconception' ? j.enrolledOn : null,
        lmp: j.lmp ?? null,
        edd: j.edd ?? null,
        effective_lmp: j.lmp ?? null,
        risk_colour: j.risk ?? null,
        birth_date: j.kind === 'child' ? (j.birthDate ?? j.enrolledOn) : null,
      });
    }
    for (const day of input.activeDays ?? []) await recordActive(input.externalId, day);
    for (const n of input.notifications ?? []) {
      await knex('hb_notifications').insert({
        member_id: row.id,
        journey_id: journeyIds[n.journey ?? 0],
        rule_key: n.ruleKey,
        rule_version: 1,
        scheduled_on: n.scheduledOn,
        deliver_after: `${n.scheduledOn}T01:00:00Z`,
        status: n.status,
        reason: n.reason ?? null,
        locale: 'zh-Hans',
        category: 'screening',
        priority: 50,
        title: '提醒',
        body: '正文',
        sent_at: n.status === 'sent' ? `${n.scheduledOn}T01:00:00Z` : null,
        read_at: n.read ? `${n.scheduledOn}T03:00:00Z` : null,
      });
    }
  }

  const get = (path: string, token: string) => app.http().get(path).set('authorization', `Bearer ${token}`);
  const fields = (body: { error: { details: { errors: Array<{ field: string }> } } }) => body.error.details.errors.map((e) => e.field);

  beforeAll(async () => {
    app = await bootApp();
    recorder = new ActivityRecorder(() => app.strapi.db.connection);
    const create = async (key: keyof typeof institutions, data: Record<string, unknown>) => {
      const doc = (await app.strapi.documents('api::institution.institution').create({ data: institutionData(data) as never })) as unknown as {
        documentId: string;
        code: string;
      };
      institutions[key] = { documentId: doc.documentId, code: doc.code };
    };
    await create('A', { code: 'STAT-A', name: '鼓楼助产机构', type: 'midwifery', regionCode: '350102' });
    await create('B', { code: 'STAT-B', name: '台江社区卫生服务中心', type: 'primary-care', regionCode: '350103' });
    await create('C', { code: 'STAT-C', name: '厦门市妇幼保健院', type: 'mch-hospital', regionCode: '350203' });
    await create('HC', { code: 'STAT-HC', name: '福州市卫健委', type: 'health-commission', regionCode: '350100' });

    const province = await createAdminUser(app.strapi, 'mch-statistics-viewer');
    const hospitalA = await createAdminUser(app.strapi, 'mch-statistics-viewer');
    await assignInstitution(app.strapi, hospitalA.email, institutions.A.documentId);
    const commission = await createAdminUser(app.strapi, 'mch-statistics-viewer');
    await assignInstitution(app.strapi, commission.email, institutions.HC.documentId);
    provinceToken = await adminToken(app.http, province);
    hospitalAToken = await adminToken(app.http, hospitalA);
    commissionToken = await adminToken(app.http, commission);
    hostToken = await createHostAppToken(app.strapi);

    // 2026Q3 = 2026-07-01 … 2026-09-30.
    await member({
      externalId: 'm1',
      region: '350102',
      institution: 'STAT-A',
      journeys: [{ kind: 'pregnancy', enrolledOn: '2026-07-05', lmp: '2026-05-01', risk: 'green' }],
      activeDays: ['2026-07-10'],
      notifications: [
        { ruleKey: 'r-ogtt', scheduledOn: '2026-07-20', status: 'sent', read: true },
        { ruleKey: 'r-ogtt', scheduledOn: '2026-08-20', status: 'failed', reason: 'http-500' },
      ],
    });
    await member({
      externalId: 'm2',
      region: '350102',
      institution: 'STAT-A',
      journeys: [{ kind: 'pregnancy', enrolledOn: '2026-08-01' }],
      notifications: [
        { ruleKey: 'r-ogtt', scheduledOn: '2026-07-21', status: 'sent' },
        { ruleKey: 'r-ogtt', scheduledOn: '2026-08-23', status: 'scheduled' },
        { ruleKey: 'r-ogtt', scheduledOn: '2026-10-02', status: 'sent', read: true },
      ],
    });
    // Enrolled on the last day of the quarter, active only the day after: issued, not used.
    await member({ externalId: 'm3', region: '350102', institution: 'STAT-A', journeys: [{ kind: 'child', enrolledOn: '2026-09-30' }], activeDays: ['2026-10-01'] });
    // Active on two days: one member used.
    await member({
      externalId: 'm4',
      region: '350103',
      institution: 'STAT-B',
      journeys: [{ kind: 'preconception', enrolledOn: '2026-07-15' }],
      activeDays: ['2026-07-20', '2026-08-20'],
      notifications: [{ ruleKey: 'r-folate', scheduledOn: '2026-07-16', status: 'cancelled', reason: 'loss' }],
    });
    // Enrolled in Q2, active in Q3: in Q2's cohort, not Q3's.
    await member({ externalId: 'm5', region: '350103', institution: 'STAT-B', journeys: [{ kind: 'child', enrolledOn: '2026-06-30' }], activeDays: ['2026-07-01'] });
    await member({
      externalId: 'm6',
      region: '350203',
      institution: 'STAT-C',
      journeys: [
        { kind: 'pregnancy', enrolledOn: '2026-07-02', edd: '2026-09-01', risk: 'orange' },
        { kind: 'child', enrolledOn: '2026-09-01', birthDate: '2026-09-01' },
      ],
      activeDays: ['2026-07-03'],
      notifications: [
        { ruleKey: 'r-ogtt', scheduledOn: '2026-07-22', status: 'skipped', reason: 'muted' },
        { ruleKey: 'r-ogtt', scheduledOn: '2026-08-22', status: 'failed' },
      ],
    });
    await member({ externalId: 'm7', region: '350102', institution: null, journeys: [{ kind: 'preconception', enrolledOn: '2026-08-08' }] });
    await member({ externalId: 'm8', region: null, institution: 'STAT-A', journeys: [{ kind: 'child', enrolledOn: '2026-07-07' }], activeDays: ['2026-07-08'] });
  });

  afterAll(async () => {
    await app?.close();
  });

  const figures = (enrolled: number, used: number, rate: number | null) => ({ enrolled, used, rate });

  describe('coverage, province-wide', () => {
    it('counts issued and used per population, county, city and institution for 2026Q3', async () => {
      const res = await get('/stats/coverage?quarter=2026Q3', provinceToken);
      expect(res.status).toBe(200);
      expect(res.body.period).toEqual({ from: '2026-07-01', to: '2026-09-30', quarter: '2026Q3' });
      expect(res.body.scope).toEqual({ kind: 'province' });
      expect(res.body.totals).toEqual({ planning: figures(2, 1, 0.5), pregnant: figures(3, 2, 0.6667), child: figures(3, 2, 0.6667) });
      expect(res.body.byCounty).toEqual([
        { regionCode: null, planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(1, 1, 1) },
        { regionCode: '350102', planning: figures(1, 0, 0), pregnant: figures(2, 1, 0.5), child: figures(1, 0, 0) },
        { regionCode: '350103', planning: figures(1, 1, 1), pregnant: figures(0, 0, null), child: figures(0, 0, null) },
        { regionCode: '350203', planning: figures(0, 0, null), pregnant: figures(1, 1, 1), child: figures(1, 1, 1) },
      ]);
      expect(res.body.byCity).toEqual([
        { cityCode: null, planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(1, 1, 1) },
        { cityCode: '350100', planning: figures(2, 1, 0.5), pregnant: figures(2, 1, 0.5), child: figures(1, 0, 0) },
        { cityCode: '350200', planning: figures(0, 0, null), pregnant: figures(1, 1, 1), child: figures(1, 1, 1) },
      ]);
      expect(res.body.byInstitution).toEqual([
        { institutionCode: null, name: null, type: null, planning: figures(1, 0, 0), pregnant: figures(0, 0, null), child: figures(0, 0, null) },
        { institutionCode: 'STAT-A', name: '鼓楼助产机构', type: 'midwifery', planning: figures(0, 0, null), pregnant: figures(2, 1, 0.5), child: figures(2, 1, 0.5) },
        { institutionCode: 'STAT-B', name: '台江社区卫生服务中心', type: 'primary-care', planning: figures(1, 1, 1), pregnant: figures(0, 0, null), child: figures(0, 0, null) },
        { institutionCode: 'STAT-C', name: '厦门市妇幼保健院', type: 'mch-hospital', planning: figures(0, 0, null), pregnant: figures(1, 1, 1), child: figures(1, 1, 1) },
      ]);
    });

    it('accepts any date range, and counts the Q2 enrolment that was only used in Q3 as not used in Q2', async () => {
      const q2 = await get('/stats/coverage?quarter=2026Q2', provinceToken);
      expect(q2.body.totals).toEqual({ planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(1, 0, 0) });
      const range = await get('/stats/coverage?from=2026-06-30&to=2026-07-05', provinceToken);
      expect(range.status).toBe(200);
      expect(range.body.period).toEqual({ from: '2026-06-30', to: '2026-07-05', quarter: null });
      // m5 (child, 06-30, active 07-01), m6 (pregnancy 07-02, active 07-03), m1 (pregnancy 07-05, active 07-10 — outside).
      expect(range.body.totals).toEqual({ planning: figures(0, 0, null), pregnant: figures(2, 1, 0.5), child: figures(1, 1, 1) });
    });

    it('gives a trend per quarter, with empty rates where nothing was issued', async () => {
      const res = await get('/stats/trend?fromQuarter=2026Q2&toQuarter=2026Q4', provinceToken);
      expect(res.status).toBe(200);
      expect(res.body.quarters).toEqual([
        { quarter: '2026Q2', planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(1, 0, 0) },
        { quarter: '2026Q3', planning: figures(2, 1, 0.5), pregnant: figures(3, 2, 0.6667), child: figures(3, 2, 0.6667) },
        { quarter: '2026Q4', planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(0, 0, null) },
      ]);
    });
  });

  it('reports data completeness of the journeys enrolled in the period', async () => {
    const res = await get('/stats/completeness?quarter=2026Q3', provinceToken);
    expect(res.status).toBe(200);
    expect(res.body.populations).toEqual({
      planning: { journeys: 2, missingEddLmp: 0, missingRiskColour: 0, missingRegion: 0, missingInstitution: 1 },
      pregnant: { journeys: 3, missingEddLmp: 1, missingRiskColour: 1, missingRegion: 0, missingInstitution: 0 },
      child: { journeys: 3, missingEddLmp: 0, missingRiskColour: 0, missingRegion: 1, missingInstitution: 0 },
    });
  });

  it('gives the notification funnel per rule and institution', async () => {
    const res = await get('/stats/funnel?quarter=2026Q3', provinceToken);
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([
      { ruleKey: 'r-folate', institutionCode: 'STAT-B', scheduled: 1, sent: 0, read: 0, readRate: null, pending: 0, cancelled: 1, skipped: {}, failed: {} },
      { ruleKey: 'r-ogtt', institutionCode: 'STAT-A', scheduled: 4, sent: 2, read: 1, readRate: 0.5, pending: 1, cancelled: 0, skipped: {}, failed: { 'http-500': 1 } },
      { ruleKey: 'r-ogtt', institutionCode: 'STAT-C', scheduled: 2, sent: 0, read: 0, readRate: null, pending: 0, cancelled: 0, skipped: { muted: 1 }, failed: { unspecified: 1 } },
    ]);
  });

  it('exports the quarterly report as CSV in the layout of the quarterly form', async () => {
    const res = await get('/stats/quarterly-report.csv?quarter=2026Q3', provinceToken);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="quarterly-report-2026Q3.csv"');
    const text = res.text;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^母子健康手册推广工作季报表（2026年第3季度）,填表时间：\d{4}-\d{2}-\d{2}$/);
    expect(lines.slice(1)).toEqual([
      '区（县）,针对计划怀孕妇女发放手册及发放机构,,,,计划怀孕妇女使用手册,,针对孕妇发放手册及发放机构,,,,孕妇使用手册,,针对儿童发放手册及发放机构,,,儿童使用手册,',
      '区（县）,发放总数,乡镇（街道）计生办发放数,孕前优生健康检查服务机构发放数,其他机构,使用数,使用率,发放总数,基层医疗卫生机构发放数,助产机构发放数,其他机构,使用数,使用率,发放总数,基层医疗卫生机构发放数,其他机构,使用数,使用率',
      '350102,1,0,0,1,0,0.00%,2,0,2,0,1,50.00%,1,0,1,0,0.00%',
      '350103,1,1,0,0,1,100.00%,0,0,0,0,0,,0,0,0,0,',
      '350203,0,0,0,0,0,,1,0,1,0,1,100.00%,1,0,1,1,100.00%',
      '未填写地区,0,0,0,0,0,,0,0,0,0,0,,1,0,1,1,100.00%',
      '合计,2,1,0,1,1,50.00%,3,0,3,0,2,66.67%,3,0,3,2,66.67%',
      '',
    ]);
  });

  describe('scoping', () => {
    it('a hospital sees only its own institution', async () => {
      const res = await get('/stats/coverage?quarter=2026Q3', hospitalAToken);
      expect(res.status).toBe(200);
      expect(res.body.scope).toMatchObject({ kind: 'institution', institutionCode: 'STAT-A' });
      expect(res.body.totals).toEqual({ planning: figures(0, 0, null), pregnant: figures(2, 1, 0.5), child: figures(2, 1, 0.5) });
      expect(res.body.byInstitution.map((r: { institutionCode: string }) => r.institutionCode)).toEqual(['STAT-A']);
      const funnel = await get('/stats/funnel?quarter=2026Q3', hospitalAToken);
      expect(funnel.body.rows.map((r: { institutionCode: string }) => r.institutionCode)).toEqual(['STAT-A']);
      const csv = await get('/stats/quarterly-report.csv?quarter=2026Q3', hospitalAToken);
      expect(csv.text.slice(1).split('\r\n').slice(3, -1)).toEqual([
        '350102,0,0,0,0,0,,2,0,2,0,1,50.00%,1,0,1,0,0.00%',
        '未填写地区,0,0,0,0,0,,0,0,0,0,0,,1,0,1,1,100.00%',
        '合计,0,0,0,0,0,,2,0,2,0,1,50.00%,2,0,2,1,50.00%',
      ]);
    });

    it('hospital A cannot ask for hospital B', async () => {
      for (const path of ['/stats/coverage', '/stats/completeness', '/stats/funnel', '/stats/quarterly-report.csv']) {
        const res = await get(`${path}?quarter=2026Q3&institution=STAT-B`, hospitalAToken);
        expect(res.status).toBe(403);
      }
    });

    it('a health commission sees its region and below, and nothing outside it', async () => {
      const res = await get('/stats/coverage?quarter=2026Q3', commissionToken);
      expect(res.status).toBe(200);
      expect(res.body.scope).toEqual({ kind: 'region', regionCode: '350100' });
      expect(res.body.totals).toEqual({ planning: figures(2, 1, 0.5), pregnant: figures(2, 1, 0.5), child: figures(1, 0, 0) });
      expect(res.body.byCounty.map((r: { regionCode: string }) => r.regionCode)).toEqual(['350102', '350103']);
      const county = await get('/stats/coverage?quarter=2026Q3&region=350103', commissionToken);
      expect(county.body.totals).toEqual({ planning: figures(1, 1, 1), pregnant: figures(0, 0, null), child: figures(0, 0, null) });
      expect((await get('/stats/coverage?quarter=2026Q3&region=350203', commissionToken)).status).toBe(403);
      expect((await get('/stats/coverage?quarter=2026Q3&region=350000', commissionToken)).status).toBe(403);
    });

    it('refuses admins without the statistics permission, and requests without an admin token', async () => {
      const educator = await createAdminUser(app.strapi, 'mch-health-educator');
      const token = await adminToken(app.http, educator);
      expect((await get('/stats/coverage?quarter=2026Q3', token)).status).toBe(403);
      expect((await app.http().get('/stats/coverage?quarter=2026Q3')).status).toBe(401);
    });

    it('fails closed for a statistics viewer assigned to no institution', async () => {
      const viewer = await createAdminUser(app.strapi, 'mch-statistics-viewer');
      await assignInstitution(app.strapi, viewer.email, null);
      const token = await adminToken(app.http, viewer);
      expect((await get('/stats/coverage?quarter=2026Q3', token)).status).toBe(403);
    });
  });

  it('no longer counts an erased member', async () => {
    await member({
      externalId: 'm9-erased',
      region: '350102',
      institution: 'STAT-A',
      journeys: [{ kind: 'pregnancy', enrolledOn: '2026-10-05', lmp: '2026-08-01' }],
      activeDays: ['2026-10-06'],
      notifications: [{ ruleKey: 'r-ogtt', scheduledOn: '2026-10-20', status: 'sent', read: true }],
    });
    const before = await get('/stats/coverage?quarter=2026Q4', provinceToken);
    expect(before.body.totals.pregnant).toEqual(figures(1, 1, 1));
    const { id } = await memberRow('m9-erased');
    const knex = app.strapi.db.connection;
    const rowsOf = async (table: string) => (await knex(table).where({ member_id: id })).length;
    expect([await rowsOf('hb_member_activity'), await rowsOf('hb_member_active_quarters')]).toEqual([1, 1]);
    const erased = await app.http().delete('/api/handbook/members/m9-erased').set('authorization', `Bearer ${hostToken}`);
    expect(erased.status).toBe(204);
    // Nothing about the member remains, the quarters they were active in included.
    expect([await rowsOf('hb_member_activity'), await rowsOf('hb_member_active_quarters')]).toEqual([0, 0]);
    const after = await get('/stats/coverage?quarter=2026Q4', provinceToken);
    expect(after.body.totals).toEqual({ planning: figures(0, 0, null), pregnant: figures(0, 0, null), child: figures(0, 0, null) });
    const funnel = await get('/stats/funnel?quarter=2026Q4', provinceToken);
    // m2's October notification remains; m9's is gone.
    expect(funnel.body.rows).toEqual([
      { ruleKey: 'r-ogtt', institutionCode: 'STAT-A', scheduled: 1, sent: 1, read: 1, readRate: 1, pending: 0, cancelled: 0, skipped: {}, failed: {} },
    ]);
    const csv = await get('/stats/quarterly-report.csv?quarter=2026Q4', provinceToken);
    expect(csv.text.slice(1).split('\r\n').slice(3)).toEqual(['合计,0,0,0,0,0,,0,0,0,0,0,,0,0,0,0,', '']);
  });

  describe('activity by quarter (hb_member_active_quarters, decision 011)', () => {
    const everyone: MemberFilter = { regionPrefixes: [], institutionCodes: [] };
    const sorted = (groups: CoverageGroup[]) => [...groups].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const quarterRows = async (externalId: string) =>
      ((await app.strapi.db.connection('hb_member_active_quarters').where({ member_id: (await memberRow(externalId)).id }).orderBy('quarter_start')) as Array<{ quarter_start: unknown }>).map(
        (r) => String(r.quarter_start).slice(0, 10),
      );

    it('gives the same figures as the day table for whole quarters, one or several, in every scope', async () => {
      const knex = app.strapi.db.connection;
      const periods: Period[] = [
        ...['2026Q2', '2026Q3', '2026Q4'].map(quarterPeriod),
        periodOf(measureQuery.parse({ from: '2026-07-01', to: '2026-12-31' })),
        periodOf(measureQuery.parse({ from: '2026-04-01', to: '2027-03-31' })),
      ];
      const filters: MemberFilter[] = [everyone, { regionPrefixes: ['3501'], institutionCodes: [] }, { regionPrefixes: [], institutionCodes: ['STAT-A'] }];
      let used = 0;
      for (const period of periods) {
        for (const filter of filters) {
          expect(coverageQuery(knex, period, filter).toQuery()).toContain('hb_member_active_quarters');
          expect(coverageQuery(knex, period, filter, { byDay: true }).toQuery()).not.toContain('hb_member_active_quarters');
          const byQuarter = await coverageGroups(knex, period, filter);
          expect(sorted(byQuarter)).toEqual(sorted(await coverageGroups(knex, period, filter, { byDay: true })));
          used += byQuarter.reduce((sum, g) => sum + g.used, 0);
        }
      }
      // The comparison means something only if members were active in those periods.
      expect(used).toBeGreaterThan(10);
    });

    it('reads any other date range from the day table', () => {
      const sql = coverageQuery(app.strapi.db.connection, periodOf(measureQuery.parse({ from: '2026-07-01', to: '2026-09-29' })), everyone).toQuery();
      expect(sql).toContain('hb_member_activity');
      expect(sql).not.toContain('hb_member_active_quarters');
    });

    it('counts a member active in any quarter of a multi-quarter period as used', async () => {
      // m3 enrolled on the last day of Q3 and was first active on the first day of Q4: not used in Q3, used in Q3–Q4.
      const res = await get('/stats/coverage?from=2026-07-01&to=2026-12-31', provinceToken);
      expect(res.status).toBe(200);
      expect(res.body.period).toEqual({ from: '2026-07-01', to: '2026-12-31', quarter: null });
      expect(res.body.totals).toEqual({ planning: figures(2, 1, 0.5), pregnant: figures(3, 2, 0.6667), child: figures(3, 3, 1) });
    });

    it('is written by the activity recorder, across a quarter boundary in the member\'s time zone', async () => {
      await member({ externalId: 'q-boundary', region: '350102', institution: 'STAT-A', journeys: [{ kind: 'child', enrolledOn: '2027-09-01' }] });
      await recordActive('q-boundary', '2027-09-29');
      await recordActive('q-boundary', '2027-09-30');
      expect(await quarterRows('q-boundary')).toEqual(['2027-07-01']);
      // 17:00 UTC on 30 September is 01:00 on 1 October in Shanghai: the member's fourth quarter.
      await recorder.record(await memberRow('q-boundary'), new Date('2027-09-30T17:00:00Z'));
      await recordActive('q-boundary', '2027-10-02');
      expect(await quarterRows('q-boundary')).toEqual(['2027-07-01', '2027-10-01']);
      const row = await memberRow('q-boundary');
      expect(String(row.last_active_on).slice(0, 10)).toBe('2027-10-02');
      expect((await app.strapi.db.connection('hb_member_activity').where({ member_id: row.id })).length).toBe(4);
      const q3 = await get('/stats/coverage?quarter=2027Q3', provinceToken);
      expect(q3.body.totals.child).toEqual(figures(1, 1, 1));
    });

    it('is written for every recorded day, so a quarter row missed by an earlier writer is restored, and concurrent writers do not collide', async () => {
      await member({ externalId: 'q-repair', region: '350102', institution: 'STAT-A', journeys: [{ kind: 'child', enrolledOn: '2027-11-01' }], activeDays: ['2027-11-02'] });
      const knex = app.strapi.db.connection;
      // As if an older build had stored 2 November without its quarter row.
      await knex('hb_member_active_quarters').where({ member_id: (await memberRow('q-repair')).id }).delete();
      await recordActive('q-repair', '2027-11-03');
      expect(await quarterRows('q-repair')).toEqual(['2027-10-01']);
      // Two processes recording the member's first day of a new quarter at once.
      const stale = await memberRow('q-repair');
      const other = new ActivityRecorder(() => knex);
      const now = new Date('2028-01-02T04:00:00Z');
      await Promise.all([recorder.record(stale, now), other.record(stale, now)]);
      expect(await quarterRows('q-repair')).toEqual(['2027-10-01', '2028-01-01']);
    });

    it('is backfilled from the activity days by the migration, idempotently', async () => {
      await member({ externalId: 'q-backfill', region: '350102', institution: 'STAT-A', journeys: [{ kind: 'child', enrolledOn: '2025-02-01' }] });
      const knex = app.strapi.db.connection;
      const { id } = await memberRow('q-backfill');
      // Days stored before the table existed: no quarter rows.
      await knex('hb_member_activity').insert(['2025-02-02', '2025-03-31', '2025-04-01', '2025-12-31'].map((day) => ({ member_id: id, day })));
      expect(await quarterRows('q-backfill')).toEqual([]);
      await knex.raw(backfillActiveQuartersSql('postgresql'));
      await knex.raw(backfillActiveQuartersSql('postgresql'));
      expect(await quarterRows('q-backfill')).toEqual(['2025-01-01', '2025-04-01', '2025-10-01']);
    });
  });

  describe('validation', () => {
    it.each([
      ['quarter=2026Q5', 'quarter'],
      ['', 'quarter'],
      ['from=2026-02-30&to=2026-03-31', 'from'],
      ['from=2026-13-01&to=2026-12-31', 'from'],
      ['from=2026-03-01', 'to'],
      ['from=2026-03-31&to=2026-03-01', 'to'],
      ['quarter=2026Q1&from=2026-01-01&to=2026-01-31', 'quarter'],
      ['quarter=2026Q1&region=35', 'region'],
      ['quarter=2026Q1&colour=red', 'colour'],
    ])('400 naming the field for ?%s', async (query, field) => {
      const res = await get(`/stats/coverage?${query}`, provinceToken);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toContain(field);
    });

    it('400 naming toQuarter for a trend running backwards', async () => {
      const res = await get('/stats/trend?fromQuarter=2026Q3&toQuarter=2026Q1', provinceToken);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(['toQuarter']);
    });
  });
});
