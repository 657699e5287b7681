import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { type AdminScope, regionPrefix } from '../../../admin-scope';

/** What a measure counts: the caller's scope, narrowed by the region or institution asked for. */
export interface MemberFilter {
  /** Region code prefixes (GB/T 2260), all of which must match: the scope's and the one asked for. */
  regionPrefixes: string[];
  /** Institution codes, all of which must match. */
  institutionCodes: string[];
}

/**
 * The caller's scope and the request's narrowing as one filter on members. Asking for a region
 * outside a commission's region, or another institution than one's own, is refused (403) rather
 * than answered with zeros, so a hospital cannot probe another's figures.
 */
export function memberFilter(scope: AdminScope, asked: { region?: string; institution?: string }): MemberFilter {
  const filter: MemberFilter = { regionPrefixes: [], institutionCodes: [] };
  switch (scope.kind) {
    case 'province':
      break;
    case 'region':
      filter.regionPrefixes.push(regionPrefix(scope.regionCode));
      if (asked.region && !regionPrefix(asked.region).startsWith(regionPrefix(scope.regionCode))) {
        throw new errors.ForbiddenError('region is outside your region');
      }
      break;
    case 'institution':
      filter.institutionCodes.push(scope.institutionCode);
      if (asked.institution && asked.institution !== scope.institutionCode) throw new errors.ForbiddenError('institution is not yours');
      break;
    default:
      throw new errors.ForbiddenError('your account is not linked to an institution or region');
  }
  if (asked.region) filter.regionPrefixes.push(regionPrefix(asked.region));
  if (asked.institution) filter.institutionCodes.push(asked.institution);
  return filter;
}

/** Adds the filter to a query on hb_members under `alias`. LIKE on a digits-only prefix needs no escaping. */
export function whereMembers(query: Knex.QueryBuilder, filter: MemberFilter, alias = 'm'): Knex.QueryBuilder {
  for (const prefix of filter.regionPrefixes) {
    if (prefix.length === 6) query.where(`${alias}.region_code`, prefix);
    else query.where(`${alias}.region_code`, 'like', `${prefix}%`);
  }
  for (const code of filter.institutionCodes) query.where(`${alias}.institution_code`, code);
  return query;
}
