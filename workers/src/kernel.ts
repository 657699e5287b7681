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
}

interface CatalogueService {
  get(): { allRules: ReminderRule[]; rebuild(): Promise<void> };
}

interface JourneysService {
  knex(): Knex;
  toJourney(row: unknown): Journey;
  toMember(row: unknown): Member;
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
  };
}
