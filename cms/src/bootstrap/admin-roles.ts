import type { Core } from '@strapi/strapi';
import { ROLE } from '../admin-scope/roles';
import { OWN_INSTITUTION_CONDITION } from '../admin-scope/condition';

const CM = 'plugin::content-manager.explorer';
const CONTENT = ['api::article.article', 'api::policy.policy', 'api::nutrition-guide.nutrition-guide'];
const RULE = 'api::reminder-rule.reminder-rule';
const INSTITUTION = 'api::institution.institution';
const EDIT = ['create', 'read', 'update', 'delete', 'publish'].map((a) => `${CM}.${a}`);
const READ = [`${CM}.read`];
const MEDIA = [
  'plugin::upload.read',
  'plugin::upload.assets.create',
  'plugin::upload.assets.update',
  'plugin::upload.assets.download',
  'plugin::upload.assets.copy-link',
];
export const SIMULATOR_READ = 'plugin::simulator.read';
/** Registered by the statistics plugin (issue 8); granted when that plugin is present. */
export const STATS_READ = 'plugin::stats.read';

interface Grant {
  actions: string[];
  subjects?: string[];
  conditions?: string[];
}

interface RoleDefinition {
  code: string;
  name: string;
  description: string;
  grants: Grant[];
}

/** The platform's admin roles; their permissions are owned by this file and re-applied on every start. */
export const ROLE_DEFINITIONS: RoleDefinition[] = [
  {
    code: ROLE.provinceEditor,
    name: 'Province editor 省级编辑',
    description: '全部内容与省级默认规则 — all content, province default rules and every institution’s rules',
    grants: [
      { actions: EDIT, subjects: [...CONTENT, RULE] },
      { actions: [`${CM}.create`, `${CM}.read`, `${CM}.update`], subjects: [INSTITUTION] },
      { actions: MEDIA },
      { actions: [SIMULATOR_READ] },
    ],
  },
  {
    code: ROLE.healthEducator,
    name: 'Health educator 健康教育人员',
    description: '撰写、审核、发布文章、政策与营养指南，不能编辑提醒规则 — content only, no reminder rules',
    grants: [{ actions: EDIT, subjects: CONTENT }, { actions: MEDIA }, { actions: [SIMULATOR_READ] }],
  },
  {
    code: ROLE.hospitalRuleEditor,
    name: 'Hospital rule editor 医院规则编辑',
    description:
      '仅能管理本机构的提醒规则 — only their own institution’s reminder rules (link the user under Admin assignment)',
    grants: [
      { actions: EDIT, subjects: [RULE], conditions: [OWN_INSTITUTION_CONDITION] },
      { actions: READ, subjects: [INSTITUTION] },
      { actions: [SIMULATOR_READ] },
    ],
  },
  {
    code: ROLE.statisticsViewer,
    name: 'Statistics viewer 统计查看',
    description:
      '查看覆盖与使用统计（本机构、本地区或全省） — coverage and use statistics for their institution, region or the province',
    grants: [{ actions: [STATS_READ] }, { actions: READ, subjects: [INSTITUTION] }],
  },
];

interface StoredPermission {
  action: string;
  subject: string | null;
  properties: Record<string, unknown> | null;
  conditions: string[] | null;
}

interface RoleService {
  findOne(params: Record<string, unknown>): Promise<{ id: number; description?: string; name: string } | null>;
  create(attributes: Record<string, unknown>): Promise<{ id: number }>;
  update(params: Record<string, unknown>, attributes: Record<string, unknown>): Promise<unknown>;
  assignPermissions(roleId: number, permissions: StoredPermission[]): Promise<unknown>;
}

interface ActionProvider {
  has(id: string): boolean;
}

/** Any fixed number, the same in every process: the API and the workers boot the same app. */
const ROLES_LOCK = 704_007;

/**
 * Creates the four roles if missing and sets their permissions, one process at a time: on PostgreSQL
 * under a transaction-scoped advisory lock, so an API and a worker starting together do not both
 * create a role. (SQLite is single-process.)
 */
export async function ensureAdminRoles(strapi: Core.Strapi): Promise<void> {
  if (strapi.db.dialect.client !== 'postgres') return applyRoleDefinitions(strapi);
  await strapi.db.connection.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [ROLES_LOCK]);
    await applyRoleDefinitions(strapi);
  });
}

/**
 * Creates the four roles if missing and sets their permissions. Content-type permissions are copied
 * from the super admin's (which Strapi keeps complete: every field, every locale), so a new field or
 * locale reaches these roles on the next start.
 */
async function applyRoleDefinitions(strapi: Core.Strapi): Promise<void> {
  const roles = strapi.service('admin::role') as unknown as RoleService;
  const actions = (strapi.service('admin::permission') as unknown as { actionProvider: ActionProvider }).actionProvider;
  const superAdminPermissions = (await strapi.db.query('admin::permission').findMany({
    where: { role: { code: ROLE.superAdmin } },
    select: ['action', 'subject', 'properties', 'conditions'],
  })) as StoredPermission[];

  for (const definition of ROLE_DEFINITIONS) {
    const existing = await roles.findOne({ code: definition.code });
    const role =
      existing ??
      (await roles.create({ code: definition.code, name: definition.name, description: definition.description }));
    if (existing && existing.description !== definition.description)
      await roles.update({ id: existing.id }, { description: definition.description });

    const permissions: StoredPermission[] = definition.grants.flatMap((grant) =>
      grant.actions
        .filter((action) => actions.has(action))
        .flatMap((action): StoredPermission[] => {
          if (!grant.subjects) return [{ action, subject: null, properties: {}, conditions: grant.conditions ?? [] }];
          return grant.subjects.flatMap((subject) => {
            const template = superAdminPermissions.find((p) => p.action === action && p.subject === subject);
            return template
              ? [{ action, subject, properties: template.properties ?? {}, conditions: grant.conditions ?? [] }]
              : [];
          });
        }),
    );
    await roles.assignPermissions(role.id, permissions);
  }
}
