import { regionPrefix, scopeCoversInstitution } from '../../../cms/src/admin-scope';

describe('regionPrefix', () => {
  it.each([
    ['350000', '35'],
    ['350100', '3501'],
    ['350102', '350102'],
    ['110000', '11'],
    ['350200', '3502'],
  ])('%s → %s', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
  });

  it.each(['35', '3501000', 'abcdef', ''])('refuses %j', (code) => {
    expect(() => regionPrefix(code)).toThrow(/6 digits/);
  });
});

describe('scopeCoversInstitution', () => {
  const xiamen = { id: 7, regionCode: '350203' };
  it('a region covers institutions whose code starts with its prefix', () => {
    expect(scopeCoversInstitution({ kind: 'region', regionCode: '350200' }, xiamen)).toBe(true);
    expect(scopeCoversInstitution({ kind: 'region', regionCode: '350100' }, xiamen)).toBe(false);
    expect(scopeCoversInstitution({ kind: 'region', regionCode: '350000' }, xiamen)).toBe(true);
  });
  it('an institution covers only itself; none covers nothing; province covers all', () => {
    const own = {
      kind: 'institution' as const,
      institutionId: 7,
      institutionDocumentId: 'd',
      institutionCode: 'X',
      regionCode: '350203',
    };
    expect(scopeCoversInstitution(own, xiamen)).toBe(true);
    expect(scopeCoversInstitution(own, { id: 8, regionCode: '350203' })).toBe(false);
    expect(scopeCoversInstitution({ kind: 'none' }, xiamen)).toBe(false);
    expect(scopeCoversInstitution({ kind: 'province' }, null)).toBe(true);
  });
});
