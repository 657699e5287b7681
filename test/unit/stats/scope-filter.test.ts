import { memberFilter } from '../../../cms/src/plugins/stats/server/scope-filter';

describe('statistics scope filter', () => {
  const hospital = { kind: 'institution', institutionId: 3, institutionDocumentId: 'doc3', institutionCode: 'H-A', regionCode: '350102' } as const;

  it('province: only what is asked for', () => {
    expect(memberFilter({ kind: 'province' }, {})).toEqual({ regionPrefixes: [], institutionCodes: [] });
    expect(memberFilter({ kind: 'province' }, { region: '350100', institution: 'X' })).toEqual({ regionPrefixes: ['3501'], institutionCodes: ['X'] });
  });

  it('a commission: its region prefix, narrowed by a region below it', () => {
    expect(memberFilter({ kind: 'region', regionCode: '350100' }, {})).toEqual({ regionPrefixes: ['3501'], institutionCodes: [] });
    expect(memberFilter({ kind: 'region', regionCode: '350100' }, { region: '350102' })).toEqual({ regionPrefixes: ['3501', '350102'], institutionCodes: [] });
    expect(() => memberFilter({ kind: 'region', regionCode: '350100' }, { region: '350200' })).toThrow('outside your region');
    expect(() => memberFilter({ kind: 'region', regionCode: '350100' }, { region: '350000' })).toThrow('outside your region');
  });

  it('a hospital: its own institution only', () => {
    expect(memberFilter(hospital, {})).toEqual({ regionPrefixes: [], institutionCodes: ['H-A'] });
    expect(memberFilter(hospital, { institution: 'H-A' })).toEqual({ regionPrefixes: [], institutionCodes: ['H-A', 'H-A'] });
    expect(() => memberFilter(hospital, { institution: 'H-B' })).toThrow('not yours');
  });

  it('no scope: refused', () => {
    expect(() => memberFilter({ kind: 'none' }, {})).toThrow('not linked');
  });
});
