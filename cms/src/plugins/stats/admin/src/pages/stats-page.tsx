import { Box, Button, Field, Flex, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import { RateBars, type Series, TrendChart } from './charts';

type Population = 'planning' | 'pregnant' | 'child';
type Figures = { enrolled: number; used: number; rate: number | null };
type ByPopulation = Record<Population, Figures>;
interface Coverage {
  totals: ByPopulation;
  byCity: Array<ByPopulation & { cityCode: string | null }>;
  byCounty: Array<ByPopulation & { regionCode: string | null }>;
  byInstitution: Array<ByPopulation & { institutionCode: string | null; name: string | null }>;
}
interface Trend {
  quarters: Array<ByPopulation & { quarter: string }>;
}
type Completeness = Record<Population, { journeys: number; missingEddLmp: number; missingRiskColour: number; missingRegion: number; missingInstitution: number }>;
interface FunnelRow {
  ruleKey: string;
  institutionCode: string | null;
  scheduled: number;
  sent: number;
  read: number;
  skipped: Record<string, number>;
  failed: Record<string, number>;
}

const POPULATIONS: Array<{ key: Population; label: string; colour: string }> = [
  { key: 'planning', label: '计划怀孕妇女', colour: '#8e44ad' },
  { key: 'pregnant', label: '孕妇', colour: '#e67e22' },
  { key: 'child', label: '儿童', colour: '#27ae60' },
];

const rateText = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(2)}%`);
const reasons = (m: Record<string, number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

function currentQuarter(): string {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return `${now.getUTCFullYear()}Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
}

function quarterMinus(q: string, n: number): string {
  const index = Number(q.slice(0, 4)) * 4 + Number(q.slice(5)) - 1 - n;
  return `${Math.floor(index / 4)}Q${(index % 4) + 1}`;
}

function PopulationTable({ rows }: { rows: Array<{ label: string; figures: ByPopulation }> }) {
  return (
    <Table colCount={1 + POPULATIONS.length * 3} rowCount={rows.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma"> </Typography>
          </Th>
          {POPULATIONS.map((p) => (
            <Th key={p.key}>
              <Typography variant="sigma">{p.label} 发放 / 使用 / 使用率</Typography>
            </Th>
          ))}
        </Tr>
      </Thead>
      <Tbody>
        {rows.map((r) => (
          <Tr key={r.label}>
            <Td>
              <Typography>{r.label}</Typography>
            </Td>
            {POPULATIONS.map((p) => (
              <Td key={p.key}>
                <Typography>
                  {r.figures[p.key].enrolled} / {r.figures[p.key].used} / {rateText(r.figures[p.key].rate)}
                </Typography>
              </Td>
            ))}
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
}

const StatsPage = () => {
  const { get } = useFetchClient();
  const [quarter, setQuarter] = useState(currentQuarter());
  const [region, setRegion] = useState('');
  const [coverage, setCoverage] = useState<Coverage | null>(null);
  const [trend, setTrend] = useState<Trend | null>(null);
  const [completeness, setCompleteness] = useState<Completeness | null>(null);
  const [funnel, setFunnel] = useState<FunnelRow[]>([]);
  const [error, setError] = useState<string | null>(null);

  const params = () => ({ quarter, ...(region ? { region } : {}) });

  const load = async () => {
    setError(null);
    try {
      const [c, t, d, f] = await Promise.all([
        get<Coverage>('/stats/coverage', { params: params() }),
        get<Trend>('/stats/trend', { params: { fromQuarter: quarterMinus(quarter, 7), toQuarter: quarter, ...(region ? { region } : {}) } }),
        get<{ populations: Completeness }>('/stats/completeness', { params: params() }),
        get<{ rows: FunnelRow[] }>('/stats/funnel', { params: params() }),
      ]);
      setCoverage(c.data);
      setTrend(t.data);
      setCompleteness(d.data.populations);
      setFunnel(f.data.rows);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  const download = async () => {
    const res = await get<string>('/stats/quarterly-report.csv', { params: params(), responseType: 'text' });
    const url = URL.createObjectURL(new Blob([res.data], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `quarterly-report-${quarter}.csv`;
    a.click();
    URL.revokeObjectURL(url);
  };

  useEffect(() => {
    void load();
    // First load only; later loads are asked for with the button.
  }, []);

  const trendSeries: Series[] = POPULATIONS.map((p) => ({ label: p.label, colour: p.colour, values: (trend?.quarters ?? []).map((q) => q[p.key].rate) }));
  const cityRows = (coverage?.byCity ?? []).map((c) => {
    const enrolled = POPULATIONS.reduce((s, p) => s + c[p.key].enrolled, 0);
    const used = POPULATIONS.reduce((s, p) => s + c[p.key].used, 0);
    return { label: c.cityCode ?? '未填写', rate: enrolled === 0 ? null : used / enrolled };
  });

  return (
    <Page.Main>
      <Layouts.Header title="统计 Coverage and use" subtitle="发放、使用、使用率 by quarter, region and institution" />
      <Layouts.Content>
        <Flex gap={4} alignItems="flex-end" paddingBottom={6}>
          <Field.Root name="quarter">
            <Field.Label>季度 Quarter</Field.Label>
            <TextInput value={quarter} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuarter(e.target.value)} />
          </Field.Root>
          <Field.Root name="region">
            <Field.Label>地区 Region code</Field.Label>
            <TextInput value={region} placeholder="350100" onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRegion(e.target.value)} />
          </Field.Root>
          <Button onClick={() => void load()}>查询 Show</Button>
          <Button variant="secondary" onClick={() => void download()}>
            季报表 CSV
          </Button>
        </Flex>
        {error && <Typography textColor="danger600">{error}</Typography>}
        {coverage && (
          <Flex direction="column" alignItems="stretch" gap={6}>
            <Box background="neutral0" padding={4} hasRadius>
              <Typography variant="delta">合计 Totals</Typography>
              <PopulationTable rows={[{ label: quarter, figures: coverage.totals }]} />
            </Box>
            <Flex gap={4} alignItems="flex-start">
              <Box background="neutral0" padding={4} hasRadius width="50%">
                <Typography variant="delta">使用率趋势 Usage rate per quarter</Typography>
                <TrendChart labels={(trend?.quarters ?? []).map((q) => q.quarter)} series={trendSeries} />
              </Box>
              <Box background="neutral0" padding={4} hasRadius width="50%">
                <Typography variant="delta">各市使用率 Usage rate by city</Typography>
                <RateBars rows={cityRows} />
              </Box>
            </Flex>
            <Box background="neutral0" padding={4} hasRadius>
              <Typography variant="delta">区（县） Counties</Typography>
              <PopulationTable rows={coverage.byCounty.map((c) => ({ label: c.regionCode ?? '未填写地区', figures: c }))} />
            </Box>
            <Box background="neutral0" padding={4} hasRadius>
              <Typography variant="delta">发放机构 Institutions</Typography>
              <PopulationTable rows={coverage.byInstitution.map((c) => ({ label: c.name ?? c.institutionCode ?? '未填写机构', figures: c }))} />
            </Box>
            {completeness && (
              <Box background="neutral0" padding={4} hasRadius>
                <Typography variant="delta">数据完整性 Data completeness</Typography>
                {POPULATIONS.map((p) => (
                  <Typography key={p.key} tag="p">
                    {p.label}: {completeness[p.key].journeys} 份; 缺末次月经/预产期 {completeness[p.key].missingEddLmp}; 缺风险分级 {completeness[p.key].missingRiskColour}; 缺地区{' '}
                    {completeness[p.key].missingRegion}; 缺机构 {completeness[p.key].missingInstitution}
                  </Typography>
                ))}
              </Box>
            )}
            <Box background="neutral0" padding={4} hasRadius>
              <Typography variant="delta">提醒漏斗 Notification funnel</Typography>
              <Table colCount={6} rowCount={funnel.length + 1}>
                <Thead>
                  <Tr>
                    {['规则 Rule', '机构 Institution', '计划 Scheduled', '发送 Sent', '已读 Read', '跳过/失败 Skipped/failed'].map((h) => (
                      <Th key={h}>
                        <Typography variant="sigma">{h}</Typography>
                      </Th>
                    ))}
                  </Tr>
                </Thead>
                <Tbody>
                  {funnel.map((r) => (
                    <Tr key={`${r.ruleKey}/${r.institutionCode ?? ''}`}>
                      <Td>{r.ruleKey}</Td>
                      <Td>{r.institutionCode ?? '—'}</Td>
                      <Td>{r.scheduled}</Td>
                      <Td>{r.sent}</Td>
                      <Td>{r.read}</Td>
                      <Td>
                        {reasons(r.skipped)} {reasons(r.failed)}
                      </Td>
                    </Tr>
                  ))}
                </Tbody>
              </Table>
            </Box>
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default StatsPage;
