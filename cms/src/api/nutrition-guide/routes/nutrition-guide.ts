import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::nutrition-guide.nutrition-guide');
