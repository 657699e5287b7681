import { resolveAdminScope } from '../../cms/src/admin-scope';
import { ensureAdminRoles } from '../../cms/src/bootstrap/admin-roles';
import { adminToken, assignInstitution, createAdminUser, type TestAdmin } from '../helpers/admin';
import { bootApp, type TestApp } from '../helpers/app';
import { institutionData, reminderRuleData } from '../helpers/factories';

const RULE = 'api::reminder-rule.reminder-rule';
const CM = `/content-manager/collection-types/${RULE}`;

type Doc = { id: number; documentId: string };

describe('admin roles and institution scope (real PostgreSQL, real HTTP)', () => {
  let app: TestApp;
  let hospitalA: Doc & { code: string };
  let hospitalB: Doc;
  let commission: Doc;
  let ruleA: Doc;
  let ruleB: Doc;
  let ruleProvince: Doc;

  const institution = async (overrides: Record<string, unknown>) =>
    (await app.strapi
      .documents('api::institution.institution')
      .create({ data: institutionData(overrides) as never })) as unknown as Doc & { code: string };
  const rule = async (institutionDocumentId: string | null) =>
    (await app.strapi
      .documents(RULE)
      .create({ data: reminderRuleData({ institution: institutionDocumentId }) as never })) as unknown as Doc;
  const ruleInstitutionId = async (documentId: string) => {
    const row = (await app.strapi.db
      .query(RULE)
      .findOne({ where: { documentId }, populate: { institution: { select: ['id'] } } })) as {
      institution: { id: number } | null;
    };
    return row.institution?.id ?? null;
  };

  beforeAll(async () => {
    app = await bootApp();
    hospitalA = await institution({ type: 'mch-hospital', regionCode: '350102' });
    hospitalB = await institution({ type: 'midwifery', regionCode: '350203' });
    commission = await institution({ type: 'health-commission', regionCode: '350100' });
    ruleA = await rule(hospitalA.documentId);
    ruleB = await rule(hospitalB.documentId);
    ruleProvince = await rule(null);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('roles seeded on start', () => {
    it('creates the four roles with zh and en descriptions, once, even when two processes start together', async () => {
      const roles = (await app.strapi.db
        .query('admin::role')
        .findMany({ where: { code: { $startsWith: 'mch-' } } })) as Array<{
        code: string;
        description: string;
      }>;
      expect(roles.map((r) => r.code).sort()).toEqual([
        'mch-health-educator',
        'mch-hospital-rule-editor',
        'mch-province-editor',
        'mch-statistics-viewer',
      ]);
      for (const role of roles) expect(role.description).toMatch(/[\u4e00-\u9fff].* — [A-Za-z]/);

      const before = await app.strapi.db
        .query('admin::permission')
        .count({ where: { role: { code: { $startsWith: 'mch-' } } } });
      // Twice at once, as an API and a worker starting together would.
      await Promise.all([ensureAdminRoles(app.strapi), ensureAdminRoles(app.strapi)]);
      expect(await app.strapi.db.query('admin::role').count({ where: { code: { $startsWith: 'mch-' } } })).toBe(4);
      expect(
        await app.strapi.db.query('admin::permission').count({ where: { role: { code: { $startsWith: 'mch-' } } } }),
      ).toBe(before);
    });

    it('gives the hospital rule editor rule permissions under the own-institution condition, and no content', async () => {
      const permissions = (await app.strapi.db.query('admin::permission').findMany({
        where: { role: { code: 'mch-hospital-rule-editor' } },
      })) as Array<{ action: string; subject: string | null; conditions: string[] }>;
      const rules = permissions.filter((p) => p.subject === RULE);
      expect(rules.map((p) => p.action.split('.').pop()).sort()).toEqual([
        'create',
        'delete',
        'publish',
        'read',
        'update',
      ]);
      for (const p of rules) expect(p.conditions).toEqual(['api::own-institution-rules']);
      expect(permissions.some((p) => p.subject === 'api::article.article')).toBe(false);
    });

    it('gives the statistics viewer the statistics page and no content or rules; the simulator to editors', async () => {
      const actionsOf = async (code: string) =>
        (
          (await app.strapi.db.query('admin::permission').findMany({ where: { role: { code } } })) as Array<{
            action: string;
            subject: string | null;
          }>
        ).map((p) => `${p.action}${p.subject ? ` ${p.subject}` : ''}`);
      // plugin::stats.read is registered by the stats plugin (issue 8), enabled in cms/config/plugins.ts.
      expect((await actionsOf('mch-statistics-viewer')).sort()).toEqual([
        'plugin::content-manager.explorer.read api::institution.institution',
        'plugin::stats.read',
      ]);
      for (const code of ['mch-province-editor', 'mch-health-educator', 'mch-hospital-rule-editor']) {
        expect(await actionsOf(code)).toContain('plugin::simulator.read');
      }
    });

    it('gives the health educator content and no rules', async () => {
      const permissions = (await app.strapi.db.query('admin::permission').findMany({
        where: { role: { code: 'mch-health-educator' } },
      })) as Array<{ action: string; subject: string | null }>;
      expect(permissions.some((p) => p.subject === 'api::article.article' && p.action.endsWith('.publish'))).toBe(true);
      expect(permissions.some((p) => p.subject === RULE)).toBe(false);
    });
  });

  describe('resolveAdminScope', () => {
    it('super admin and unlinked province roles: province', async () => {
      const superAdmin = await createAdminUser(app.strapi, 'strapi-super-admin');
      const editor = await createAdminUser(app.strapi, 'mch-province-editor');
      const viewer = await createAdminUser(app.strapi, 'mch-statistics-viewer');
      for (const user of [superAdmin, editor, viewer])
        expect(await resolveAdminScope(app.strapi, user.id)).toEqual({ kind: 'province' });
    });

    it('linked to a hospital: institution; to a health commission: region', async () => {
      const hospitalEditor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
      await assignInstitution(app.strapi, hospitalEditor.email.toUpperCase(), hospitalA.documentId);
      expect(await resolveAdminScope(app.strapi, hospitalEditor.id)).toEqual({
        kind: 'institution',
        institutionId: hospitalA.id,
        institutionDocumentId: hospitalA.documentId,
        institutionCode: hospitalA.code,
        regionCode: '350102',
      });
      const commissionViewer = await createAdminUser(app.strapi, 'mch-statistics-viewer');
      await assignInstitution(app.strapi, commissionViewer.email, commission.documentId);
      expect(await resolveAdminScope(app.strapi, commissionViewer.id)).toEqual({
        kind: 'region',
        regionCode: '350100',
      });
    });

    it('fails closed: unlinked hospital editor, unlinked educator, assignment without institution, unknown user', async () => {
      const hospitalEditor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
      const educator = await createAdminUser(app.strapi, 'mch-health-educator');
      const emptyAssigned = await createAdminUser(app.strapi, 'mch-province-editor');
      await assignInstitution(app.strapi, emptyAssigned.email, null);
      for (const id of [hospitalEditor.id, educator.id, emptyAssigned.id, 999999]) {
        expect(await resolveAdminScope(app.strapi, id)).toEqual({ kind: 'none' });
      }
    });
  });

  describe('Content Manager, as a hospital rule editor of hospital A', () => {
    let editor: TestAdmin;
    let token: string;
    const auth = () => ({ Authorization: `Bearer ${token}` });

    beforeAll(async () => {
      editor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
      await assignInstitution(app.strapi, editor.email, hospitalA.documentId);
      token = await adminToken(app.http, editor);
    });

    it('lists only hospital A’s rules', async () => {
      const res = await app.http().get(CM).query({ pageSize: 100 }).set(auth());
      expect(res.status).toBe(200);
      const ids = (res.body.results as Doc[]).map((r) => r.documentId);
      expect(ids).toContain(ruleA.documentId);
      expect(ids).not.toContain(ruleB.documentId);
      expect(ids).not.toContain(ruleProvince.documentId);
    });

    it('cannot read, update, publish or delete another institution’s rule', async () => {
      // The Content Manager answers a document it cannot see with 200 and empty data (as for a missing locale).
      const read = await app.http().get(`${CM}/${ruleB.documentId}`).set(auth());
      expect(read.status === 200 ? read.body.data : { status: read.status }).toEqual(
        read.status === 200 ? {} : { status: 403 },
      );
      const update = await app.http().put(`${CM}/${ruleB.documentId}`).set(auth()).send({ name: '改别人的规则' });
      expect([403, 404]).toContain(update.status);
      const publish = await app.http().post(`${CM}/${ruleB.documentId}/actions/publish`).set(auth()).send({});
      expect([403, 404]).toContain(publish.status);
      const remove = await app.http().delete(`${CM}/${ruleProvince.documentId}`).set(auth());
      expect([403, 404]).toContain(remove.status);
      const after = (await app.strapi.db.query(RULE).findOne({ where: { documentId: ruleB.documentId } })) as {
        name: string;
      };
      expect(after.name).not.toBe('改别人的规则');
      expect(await app.strapi.db.query(RULE).count({ where: { documentId: ruleProvince.documentId } })).toBeGreaterThan(
        0,
      );
    });

    it('creates rules only for hospital A, even when asking for hospital B', async () => {
      const res = await app
        .http()
        .post(CM)
        .set(auth())
        .send(reminderRuleData({ institution: { connect: [{ documentId: hospitalB.documentId }] } }));
      expect(res.status).toBe(201);
      expect(await ruleInstitutionId(res.body.data.documentId as string)).toBe(hospitalA.id);
    });

    it('cannot move its own rule to hospital B', async () => {
      const res = await app
        .http()
        .put(`${CM}/${ruleA.documentId}`)
        .set(auth())
        .send({ institution: { connect: [{ documentId: hospitalB.documentId }] } });
      expect(res.status).toBe(200);
      expect(await ruleInstitutionId(ruleA.documentId)).toBe(hospitalA.id);
    });

    it('updates, publishes and deletes its own rules', async () => {
      const own = await rule(hospitalA.documentId);
      const update = await app.http().put(`${CM}/${own.documentId}`).set(auth()).send({ name: '本院 OGTT 提醒' });
      expect(update.status).toBe(200);
      const publish = await app.http().post(`${CM}/${own.documentId}/actions/publish`).set(auth()).send({});
      expect(publish.status).toBe(200);
      const remove = await app.http().delete(`${CM}/${own.documentId}`).set(auth());
      expect(remove.status).toBe(200);
      expect(await app.strapi.db.query(RULE).count({ where: { documentId: own.documentId } })).toBe(0);
    });
  });

  it('an unlinked hospital rule editor sees no rules and cannot create one', async () => {
    const editor = await createAdminUser(app.strapi, 'mch-hospital-rule-editor');
    const token = await adminToken(app.http, editor);
    const list = await app
      .http()
      .get(CM)
      .set({ Authorization: `Bearer ${token}` });
    expect(list.status === 403 || (list.status === 200 && list.body.results.length === 0)).toBe(true);
    const create = await app
      .http()
      .post(CM)
      .set({ Authorization: `Bearer ${token}` })
      .send(reminderRuleData());
    expect(create.status).toBe(403);
  });

  it('a province editor sees every institution’s rules and the province defaults', async () => {
    const editor = await createAdminUser(app.strapi, 'mch-province-editor');
    const token = await adminToken(app.http, editor);
    const res = await app
      .http()
      .get(CM)
      .query({ pageSize: 100 })
      .set({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const ids = (res.body.results as Doc[]).map((r) => r.documentId);
    expect(ids).toEqual(expect.arrayContaining([ruleA.documentId, ruleB.documentId, ruleProvince.documentId]));
  });
});
