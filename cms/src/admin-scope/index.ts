import type { Core } from '@strapi/strapi';
import { PROVINCE_WIDE_ROLES, ROLE } from './roles';

export { ROLE } from './roles';

/**
 * Which institutions and regions an admin user may see (docs/decisions/004-admin-scope.md).
 * `none` is the fail-closed answer: a user who should be scoped but is linked to no institution
 * (or to one that no longer exists) sees nothing scoped at all.
 */
export type AdminScope =
  | { kind: 'province' } // super admin, province editor, province-level statistics viewer
  | { kind: 'region'; regionCode: string } // health commission: its 6-digit code; covers the code and everything below it
  | {
      kind: 'institution';
      institutionId: number;
      institutionDocumentId: string;
      institutionCode: string;
      regionCode: string;
    }
  | { kind: 'none' };

export const ASSIGNMENT_UID = 'api::admin-assignment.admin-assignment';

interface AdminUserRow {
  id: number;
  email: string;
  isActive: boolean;
  blocked: boolean | null;
  roles?: Array<{ code: string }>;
}

interface InstitutionRow {
  id: number;
  documentId: string;
  code: string;
  type: string;
  regionCode: string;
}

const NONE: AdminScope = { kind: 'none' };

/**
 * Resolves the scope of an admin user: the super admin is always province-wide; otherwise the
 * institution the user's login email is assigned to decides (a health commission gives its region);
 * an unlinked user is province-wide only with a province-wide role, and gets `none` otherwise.
 */
export async function resolveAdminScope(strapi: Core.Strapi, adminUserId: number): Promise<AdminScope> {
  const user = (await strapi.db.query('admin::user').findOne({
    where: { id: adminUserId },
    select: ['id', 'email', 'isActive', 'blocked'],
    populate: { roles: { select: ['code'] } },
  })) as AdminUserRow | null;
  if (!user || !user.isActive || user.blocked) return NONE;
  const roleCodes = (user.roles ?? []).map((r) => r.code);
  if (roleCodes.includes(ROLE.superAdmin)) return { kind: 'province' };

  const institution = await assignedInstitution(strapi, user.email);
  if (institution) {
    if (institution.type === 'health-commission') return { kind: 'region', regionCode: institution.regionCode };
    return {
      kind: 'institution',
      institutionId: institution.id,
      institutionDocumentId: institution.documentId,
      institutionCode: institution.code,
      regionCode: institution.regionCode,
    };
  }
  // Assigned, but to no institution (or to one that was deleted): fail closed whatever the role.
  if (await hasAssignment(strapi, user.email)) return NONE;
  return roleCodes.some((code) => PROVINCE_WIDE_ROLES.includes(code)) ? { kind: 'province' } : NONE;
}

async function assignedInstitution(strapi: Core.Strapi, email: string): Promise<InstitutionRow | null> {
  const row = (await strapi.db.query(ASSIGNMENT_UID).findOne({
    where: { adminEmail: { $eqi: email } },
    populate: { institution: { select: ['id', 'documentId', 'code', 'type', 'regionCode'] } },
  })) as { institution?: InstitutionRow | null } | null;
  return row?.institution ?? null;
}

async function hasAssignment(strapi: Core.Strapi, email: string): Promise<boolean> {
  const count = await strapi.db.query(ASSIGNMENT_UID).count({ where: { adminEmail: { $eqi: email } } });
  return count > 0;
}

/**
 * The prefix shared by a region code and every code below it (GB/T 2260):
 * '350000' → '35' (province), '350100' → '3501' (city), '350102' → '350102' (county).
 */
export function regionPrefix(code: string): string {
  if (!/^\d{6}$/.test(code)) throw new TypeError(`region code must be 6 digits, got ${JSON.stringify(code)}`);
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** Whether a scope covers an institution (by its id and region code). */
export function scopeCoversInstitution(
  scope: AdminScope,
  institution: { id: number; regionCode: string } | null,
): boolean {
  switch (scope.kind) {
    case 'province':
      return true;
    case 'region':
      return institution !== null && institution.regionCode.startsWith(regionPrefix(scope.regionCode));
    case 'institution':
      return institution !== null && institution.id === scope.institutionId;
    default:
      return false;
  }
}
