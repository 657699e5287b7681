import type { Core } from '@strapi/strapi';

const LOCALES = [
  { code: 'zh-Hans', name: 'Chinese (Simplified) (zh-Hans)' },
  { code: 'en', name: 'English (en)' },
];

interface LocalesService {
  findByCode(code: string): Promise<unknown>;
  create(locale: { code: string; name: string }): Promise<unknown>;
  setDefaultLocale(locale: { code: string }): Promise<void>;
  getDefaultLocale(): Promise<string>;
}

/** zh-Hans is the default locale and en the second; idempotent on every start. */
export async function ensureLocales(strapi: Core.Strapi): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales') as unknown as LocalesService;
  for (const locale of LOCALES) {
    if (!(await locales.findByCode(locale.code))) await locales.create(locale);
  }
  if ((await locales.getDefaultLocale()) !== 'zh-Hans') await locales.setDefaultLocale({ code: 'zh-Hans' });
}
