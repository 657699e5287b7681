import { Clock } from '@strapi/icons';
import type { StrapiApp } from '@strapi/strapi/admin';
import { RuleHelpLink } from './components/rule-help-link';

interface ContentManagerPlugin {
  injectComponent(view: string, zone: string, component: { name: string; Component: typeof RuleHelpLink }): void;
}

/** The stage simulator page in the admin menu (roles holding plugin::simulator.read), and a help link on the rule edit view. */
export default {
  register(app: StrapiApp) {
    app.addMenuLink({
      to: 'plugins/simulator',
      icon: Clock,
      intlLabel: { id: 'simulator.menu', defaultMessage: '阶段模拟 Simulator' },
      permissions: [{ action: 'plugin::simulator.read', subject: null }],
      Component: () => import('./pages/simulator-page'),
    });
    app.registerPlugin({ id: 'simulator', name: 'simulator' });
  },
  bootstrap(app: StrapiApp) {
    const contentManager = app.getPlugin('content-manager') as unknown as ContentManagerPlugin;
    contentManager.injectComponent('editView', 'right-links', { name: 'simulator-rule-help', Component: RuleHelpLink });
  },
};
