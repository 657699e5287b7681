import type { Core } from '@strapi/strapi';
import { T, anchorColumn, knexOf, toJourney, toMember, type JourneyRow, type MemberRow } from '../../../handbook/tables';

/** Read access to the operational tables for other entry points (workers), with the row mappings. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  tables: T,
  knex: () => knexOf(strapi),
  toJourney: (row: JourneyRow) => toJourney(row),
  toMember: (row: MemberRow) => toMember(row),
  anchorColumn,
});
