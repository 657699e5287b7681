import { factories } from '@strapi/strapi';

export default factories.createCoreRouter('api::reminder-rule.reminder-rule');
