import type { Core } from '@strapi/strapi';
import { catalogueOf, type Catalogue } from '../../../handbook/catalogue';

/**
 * The kernel's interface for other entry points (workers, importer): published content and rules as
 * rules/ sees them, kept current by publish events and Redis pub/sub.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  get(): Catalogue {
    return catalogueOf(strapi);
  },
});
