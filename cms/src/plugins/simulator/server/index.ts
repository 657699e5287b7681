import type { Core } from '@strapi/strapi';
import controller from './controller';

export const SIMULATOR_READ = 'plugin::simulator.read';

const policies = [
  'admin::isAuthenticatedAdmin',
  { name: 'admin::hasPermissions', config: { actions: [SIMULATOR_READ] } },
];

interface ActionProvider {
  registerMany(actions: Array<Record<string, unknown>>): Promise<unknown>;
}

/**
 * The stage simulator and rule authoring help (admin routes only). Scoping: every handler resolves
 * the caller's AdminScope (cms/src/admin-scope); a hospital editor simulates and counts only members
 * of their institution.
 */
export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    const actions = (strapi.service('admin::permission') as unknown as { actionProvider: ActionProvider })
      .actionProvider;
    await actions.registerMany([
      { section: 'plugins', displayName: 'Use the stage simulator 使用阶段模拟', uid: 'read', pluginName: 'simulator' },
    ]);
  },
  controllers: { simulator: controller },
  routes: {
    admin: {
      type: 'admin',
      routes: [
        { method: 'GET', path: '/help', handler: 'simulator.help', config: { policies } },
        { method: 'POST', path: '/simulate', handler: 'simulator.simulate', config: { policies } },
        { method: 'POST', path: '/rules/check', handler: 'simulator.checkRule', config: { policies } },
      ],
    },
  },
};
