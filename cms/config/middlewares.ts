/**
 * Strapi's stock request logger is replaced by global::request-log, which logs method, route path
 * without the query string (queries can carry dates of health events), status and duration.
 */
export default [
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'global::request-log',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
