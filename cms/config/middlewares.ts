/**
 * Strapi's stock request logger is replaced by global::request-log, which logs method, route path
 * without the query string (queries can carry dates of health events), status and duration.
 * strapi::query only installs the qs parser on the app (no per-request work), so its place does not
 * matter to global::host-app-fast-path, which reads ctx.query.
 */
export default [
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'global::request-log',
  // Answers the host app's feed reads itself and passes everything else on (docs/decisions/007).
  'global::host-app-fast-path',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
