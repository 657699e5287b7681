import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type request from 'supertest';

export interface TestAdmin {
  id: number;
  email: string;
  password: string;
}

const ASSIGNMENT_UID = 'api::admin-assignment.admin-assignment';

/** An active admin user holding the role with the given code (e.g. 'mch-hospital-rule-editor', 'strapi-super-admin'). */
export async function createAdminUser(strapi: Core.Strapi, roleCode: string): Promise<TestAdmin> {
  const role = (await strapi.db.query('admin::role').findOne({ where: { code: roleCode } })) as { id: number } | null;
  if (!role) throw new Error(`no admin role with code ${roleCode}`);
  const email = `admin-${randomBytes(4).toString('hex')}@example.test`;
  const password = `Pw-${randomBytes(6).toString('hex')}-9a`;
  const service = strapi.service('admin::user') as unknown as {
    create(attrs: Record<string, unknown>): Promise<{ id: number }>;
  };
  const user = await service.create({
    email,
    firstname: 'Test',
    lastname: roleCode,
    password,
    isActive: true,
    roles: [role.id],
  });
  return { id: user.id, email, password };
}

/** Links an admin user (by email) to an institution, as an administrator does under "Admin assignment"; null links to none. */
export async function assignInstitution(
  strapi: Core.Strapi,
  email: string,
  institutionDocumentId: string | null,
): Promise<void> {
  await strapi.documents(ASSIGNMENT_UID as never).create({
    data: { adminEmail: email, institution: institutionDocumentId } as never,
  });
}

/** Logs in through the admin API and returns the access token (Bearer). */
export async function adminToken(http: () => ReturnType<typeof request>, admin: TestAdmin): Promise<string> {
  const res = await http().post('/admin/login').send({ email: admin.email, password: admin.password });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { data: { token: string } }).data.token;
}
