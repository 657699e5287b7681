import { factories } from '@strapi/strapi';

export default factories.createCoreController('api::nutrition-guide.nutrition-guide');
