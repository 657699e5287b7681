/** The codes of the admin roles this platform seeds (cms/src/bootstrap/admin-roles.ts); Strapi's own super admin code too. */
export const ROLE = {
  superAdmin: 'strapi-super-admin',
  provinceEditor: 'mch-province-editor',
  healthEducator: 'mch-health-educator',
  hospitalRuleEditor: 'mch-hospital-rule-editor',
  statisticsViewer: 'mch-statistics-viewer',
} as const;

/** Roles that see the whole province when their user is linked to no institution. */
export const PROVINCE_WIDE_ROLES: readonly string[] = [ROLE.superAdmin, ROLE.provinceEditor, ROLE.statisticsViewer];
