import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::nutrition-guide.nutrition-guide');
