import type { CoverageGroup } from '../../../cms/src/plugins/stats/server/coverage';
import { quarterPeriod } from '../../../cms/src/plugins/stats/server/period';
import { formatRate, quarterlyReportCsv } from '../../../cms/src/plugins/stats/server/quarterly-report';

describe('quarterly report CSV', () => {
  it('writes 使用率 with two decimals, and nothing (not NaN) when nothing was issued', () => {
    expect(formatRate(2, 3)).toBe('66.67%');
    expect(formatRate(0, 5)).toBe('0.00%');
    expect(formatRate(0, 0)).toBe('');
  });

  it('splits issued handbooks by institution type so the columns add up, and totals counties', () => {
    const groups: CoverageGroup[] = [
      { regionCode: '350102', institutionCode: 'P', population: 'pregnant', enrolled: 5, used: 4 },
      { regionCode: '350102', institutionCode: 'M', population: 'pregnant', enrolled: 3, used: 1 },
      { regionCode: '350102', institutionCode: 'H', population: 'planning', enrolled: 2, used: 2 },
      { regionCode: '350103', institutionCode: 'X-unknown', population: 'child', enrolled: 4, used: 0 },
      { regionCode: '350103', institutionCode: 'P', population: 'child', enrolled: 6, used: 3 },
    ];
    const csv = quarterlyReportCsv({
      period: quarterPeriod('2026Q3'),
      groups,
      institutionTypes: new Map([
        ['P', 'primary-care'],
        ['M', 'midwifery'],
        ['H', 'mch-hospital'],
      ]),
      filledOn: '2026-10-05',
    });
    expect(csv.slice(1).split('\r\n')).toEqual([
      '母子健康手册推广工作季报表（2026年第3季度）,填表时间：2026-10-05',
      '区（县）,针对计划怀孕妇女发放手册及发放机构,,,,计划怀孕妇女使用手册,,针对孕妇发放手册及发放机构,,,,孕妇使用手册,,针对儿童发放手册及发放机构,,,儿童使用手册,',
      '区（县）,发放总数,乡镇（街道）计生办发放数,孕前优生健康检查服务机构发放数,其他机构,使用数,使用率,发放总数,基层医疗卫生机构发放数,助产机构发放数,其他机构,使用数,使用率,发放总数,基层医疗卫生机构发放数,其他机构,使用数,使用率',
      '350102,2,0,2,0,2,100.00%,8,5,3,0,5,62.50%,0,0,0,0,',
      '350103,0,0,0,0,0,,0,0,0,0,0,,10,6,4,3,30.00%',
      '合计,2,0,2,0,2,100.00%,8,5,3,0,5,62.50%,10,6,4,3,30.00%',
      '',
    ]);
  });
});
