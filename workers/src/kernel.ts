import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Journey, Member, ReminderRule } from '@mch/rules';

/**
 * What the workers use of the CMS kernel, through the services it exposes for other entry points
 * (cms/src/api/handbook/services): the database and row mappings, and the published rule catalogue.
 */
export interface Kernel {
  knex: Knex;
  rules(): ReminderRule[];
  rebuildCatalogue(): Promise<void>;
  toJourney(row: Record<string, unknown>): Journey;
  toMember(row: Record<string, unknown>): Member;
  /** Where a rule's anchor date is stored in hb_journeys (cms/src/handbook/tables.ts). */
  anchorColumn(trigger: ReminderRule['trigger']): AnchorColumn;
}

/** As cms/src/handbook/tables.ts defines it. */
export interface AnchorColumn {
  column: string;
  kinds: string[];
  status: string | null;
  shift: number;
}

interface CatalogueService {
  get(): { allRules: ReminderRule[]; rebuild(): Promise<void> };
}

interface JourneysService {
  knex(): Knex;
  toJourney(row: unknown): Journey;
  toMember(row: unknown): Member;
  anchorColumn(trigger: ReminderRule['trigger']): AnchorColumn;
}

export function kernelOf(strapi: Core.Strapi): Kernel {
  const catalogue = strapi.service('api::handbook.catalogue') as unknown as CatalogueService;
  const journeys = strapi.service('api::handbook.journeys') as unknown as JourneysService;
  return {
    knex: journeys.knex(),
    rules: () => catalogue.get().allRules,
    rebuildCatalogue: () => catalogue.get().rebuild(),
    toJourney: (row) => journeys.toJourney(row),
    toMember: (row) => journeys.toMember(row),
    anchorColumn: (trigger) => journeys.anchorColumn(trigger),
  };
}
