import { factories } from '@strapi/strapi';

export default factories.createCoreService('api::reminder-rule.reminder-rule');
