import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import type { FactDefinition as Fact } from '@mch/rules';
import { useEffect, useState, type CSSProperties } from 'react';

type Stage = Record<string, unknown> & { kind: string };
interface Help {
  scope: { kind: string; institutionCode?: string; regionCode?: string };
  facts: Fact[];
  operators: string[];
  templateHelpers: Array<{ name: string; usage: string; descriptionZh: string; descriptionEn: string }>;
  presets: Array<{ id: string; labelZh: string; labelEn: string; stage: Stage }>;
}
interface Simulation {
  day: string;
  stages: Array<{ stage: string; dayIndex: number }>;
  feed: Array<{ id: string; type: string; title: string; summary: string; category: string; why: string }>;
  feedTotal: number;
  timeline: {
    from: string;
    to: string;
    items: Array<{ ruleKey: string; scheduledOn: string; title: string; body: string; category: string; why: string }>;
  };
  svg: string;
}
interface Problem {
  field: string;
  message: string;
  messageZh: string | null;
}
interface RuleCheck {
  ok: boolean;
  problems: Problem[];
  preview: {
    scheduledOn: string | null;
    'zh-Hans': { title: string; body: string } | null;
    en: { title: string; body: string } | null;
    why: string | null;
    note: string | null;
  } | null;
  reach: Array<{ day: string; members: number; capped: boolean }> | null;
}

const EXAMPLE_RULE = {
  key: 'draft-ogtt-24w',
  name: '孕24周 OGTT 提醒（草稿）',
  trigger: { anchor: 'lmp', offset: 24, unit: 'weeks' },
  conditions: { all: [{ fact: 'stage', operator: 'equal', value: 'pregnancy' }] },
  titleTemplate: '{{gaWeeks gestationalDays}}：请预约糖耐量检查',
  bodyTemplate: '24–28 周做 75 g OGTT。建议日期：{{formatDate dueDate "zh-Hans"}}。',
  titleTemplateEn: 'Time to book your glucose tolerance test',
  bodyTemplateEn: 'The 75 g OGTT is done at 24–28 weeks. Suggested date: {{formatDate dueDate "en"}}.',
  channels: ['push', 'inbox'],
  deliveryHour: 9,
  category: 'screening',
  priority: 75,
  active: true,
};

const cell: CSSProperties = {
  border: '1px solid #dcdce4',
  padding: '4px 8px',
  textAlign: 'left',
  verticalAlign: 'top',
  fontSize: 13,
};
const input: CSSProperties = { padding: '6px 8px', border: '1px solid #dcdce4', borderRadius: 4, fontSize: 14 };

function errorText(error: unknown): string {
  const e = error as { response?: { data?: { error?: { message?: string } } }; message?: string };
  return e.response?.data?.error?.message ?? e.message ?? String(error);
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Box background="neutral0" padding={6} shadow="filterShadow" hasRadius marginBottom={6}>
      <Box paddingBottom={4}>
        <Typography variant="delta" tag="h2">
          {title}
        </Typography>
      </Box>
      {children}
    </Box>
  );
}

export default function SimulatorPage() {
  const { get, post } = useFetchClient();
  const [help, setHelp] = useState<Help | null>(null);
  const [preset, setPreset] = useState('pregnancy-12w');
  const [regionCode, setRegionCode] = useState('350102');
  const [institutionCode, setInstitutionCode] = useState('');
  const [externalId, setExternalId] = useState('');
  const [riskColour, setRiskColour] = useState('');
  const [days, setDays] = useState(60);
  const [simulation, setSimulation] = useState<Simulation | null>(null);
  const [ruleText, setRuleText] = useState(JSON.stringify(EXAMPLE_RULE, null, 2));
  const [check, setCheck] = useState<RuleCheck | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    get<Help>('/simulator/help')
      .then((res) => setHelp(res.data))
      .catch((e: unknown) => setError(errorText(e)));
  }, [get]);

  const hospital = help?.scope.kind === 'institution';

  async function runSimulation() {
    setError(null);
    const chosen = help?.presets.find((p) => p.id === preset)?.stage;
    const stage = chosen && chosen.kind === 'pregnancy' && riskColour ? { ...chosen, riskColour } : chosen;
    const body = externalId.trim()
      ? { externalId: externalId.trim(), days }
      : { stage, regionCode: regionCode || null, institutionCode: hospital ? null : institutionCode || null, days };
    try {
      setSimulation((await post<Simulation>('/simulator/simulate', body)).data);
    } catch (e) {
      setSimulation(null);
      setError(errorText(e));
    }
  }

  async function runCheck() {
    setError(null);
    let rule: unknown;
    try {
      rule = JSON.parse(ruleText);
    } catch (e) {
      setCheck({
        ok: false,
        problems: [{ field: '(JSON)', message: (e as Error).message, messageZh: '不是有效的 JSON' }],
        preview: null,
        reach: null,
      });
      return;
    }
    try {
      setCheck((await post<RuleCheck>('/simulator/rules/check', { rule })).data);
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <Page.Main>
      <Layouts.Header
        title="阶段模拟 Stage simulator"
        subtitle={
          help
            ? `范围 scope: ${help.scope.kind}${help.scope.institutionCode ? ` ${help.scope.institutionCode}` : ''}${help.scope.regionCode ? ` ${help.scope.regionCode}` : ''}`
            : ''
        }
      />
      <Layouts.Content>
        {error && (
          <Box padding={4} marginBottom={4} background="danger100" hasRadius data-testid="error">
            <Typography textColor="danger700">{error}</Typography>
          </Box>
        )}
        <Section title="选择阶段 Choose a stage">
          <Flex gap={4} wrap="wrap" alignItems="flex-end">
            <label>
              <Typography variant="pi">阶段 Stage</Typography>
              <br />
              <select data-testid="preset" style={input} value={preset} onChange={(e) => setPreset(e.target.value)}>
                {help?.presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.labelZh} — {p.labelEn}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <Typography variant="pi">风险颜色 Risk colour</Typography>
              <br />
              <select
                data-testid="risk"
                style={input}
                value={riskColour}
                onChange={(e) => setRiskColour(e.target.value)}
              >
                <option value="">—</option>
                {['green', 'yellow', 'orange', 'red', 'purple'].map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <Typography variant="pi">地区 Region code</Typography>
              <br />
              <input
                data-testid="region"
                style={input}
                value={regionCode}
                onChange={(e) => setRegionCode(e.target.value)}
                size={8}
              />
            </label>
            <label>
              <Typography variant="pi">机构 Institution code</Typography>
              <br />
              <input
                data-testid="institution"
                style={input}
                value={hospital ? (help?.scope.institutionCode ?? '') : institutionCode}
                disabled={hospital}
                onChange={(e) => setInstitutionCode(e.target.value)}
                size={12}
              />
            </label>
            <label>
              <Typography variant="pi">或成员编号 or member externalId</Typography>
              <br />
              <input
                data-testid="external-id"
                style={input}
                value={externalId}
                onChange={(e) => setExternalId(e.target.value)}
                size={16}
              />
            </label>
            <label>
              <Typography variant="pi">天数 Days</Typography>
              <br />
              <input
                data-testid="days"
                style={input}
                type="number"
                min={1}
                max={180}
                value={days}
                onChange={(e) => setDays(Number(e.target.value))}
              />
            </label>
            <Button data-testid="simulate" onClick={() => void runSimulation()}>
              模拟 Simulate
            </Button>
          </Flex>
        </Section>

        {simulation && (
          <>
            <Section
              title={`当天内容 Feed on ${simulation.day} (${simulation.stages.map((s) => `${s.stage} day ${s.dayIndex}`).join(', ')})`}
            >
              <ol data-testid="feed">
                {simulation.feed.map((item) => (
                  <li key={item.id} style={{ marginBottom: 6 }}>
                    <strong>{item.title}</strong>{' '}
                    <small>
                      ({item.type}, {item.category})
                    </small>
                    <br />
                    <small style={{ color: '#666687' }}>{item.why}</small>
                  </li>
                ))}
              </ol>
              {simulation.feed.length === 0 && <Typography>当天没有内容 — nothing in the feed that day</Typography>}
            </Section>
            <Section title={`提醒时间线 Reminders ${simulation.timeline.from} – ${simulation.timeline.to}`}>
              {/* The SVG is rendered by the server from escaped text (timeline-svg.ts). */}
              <div
                data-testid="timeline"
                style={{ overflowX: 'auto' }}
                dangerouslySetInnerHTML={{ __html: simulation.svg }}
              />
              <table data-testid="reminders" style={{ borderCollapse: 'collapse', marginTop: 12, width: '100%' }}>
                <thead>
                  <tr>
                    <th style={cell}>日期 Day</th>
                    <th style={cell}>提醒 Reminder</th>
                    <th style={cell}>原因 Why</th>
                  </tr>
                </thead>
                <tbody>
                  {simulation.timeline.items.map((item) => (
                    <tr key={`${item.ruleKey}-${item.scheduledOn}`}>
                      <td style={cell}>{item.scheduledOn}</td>
                      <td style={cell}>
                        <strong>{item.title}</strong>
                        <br />
                        {item.body}
                      </td>
                      <td style={cell}>
                        <code>{item.ruleKey}</code>
                        <br />
                        {item.why}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          </>
        )}

        <Section title="规则检查与预览 Check a draft rule">
          <Typography variant="pi">
            粘贴规则 JSON（与内容管理器中的字段相同），检查条件与模板、预览示例成员收到的文字、估算未来 7 天的触达人数。
            Paste the rule as JSON (the Content Manager’s fields).
          </Typography>
          <textarea
            data-testid="rule-json"
            style={{ ...input, width: '100%', height: 260, fontFamily: 'monospace', marginTop: 8 }}
            value={ruleText}
            onChange={(e) => setRuleText(e.target.value)}
          />
          <Box paddingTop={2} paddingBottom={4}>
            <Button data-testid="check-rule" onClick={() => void runCheck()}>
              检查 Check
            </Button>
          </Box>
          {check && !check.ok && (
            <ul data-testid="problems" style={{ color: '#d02b20' }}>
              {check.problems.map((p, i) => (
                <li key={i}>
                  <code>{p.field}</code>: {p.messageZh ? `${p.messageZh} — ` : ''}
                  {p.message}
                </li>
              ))}
            </ul>
          )}
          {check?.ok && check.preview && (
            <div data-testid="preview">
              <Typography variant="omega" fontWeight="bold">
                预览 Preview {check.preview.scheduledOn ?? ''}
              </Typography>
              {check.preview.note && <p>{check.preview.note}</p>}
              {check.preview['zh-Hans'] && (
                <p>
                  <strong>{check.preview['zh-Hans'].title}</strong>
                  <br />
                  {check.preview['zh-Hans'].body}
                </p>
              )}
              {check.preview.en && (
                <p>
                  <strong>{check.preview.en.title}</strong>
                  <br />
                  {check.preview.en.body}
                </p>
              )}
              {check.preview.why && <small>{check.preview.why}</small>}
            </div>
          )}
          {check?.ok && check.reach && (
            <table data-testid="reach" style={{ borderCollapse: 'collapse', marginTop: 12 }}>
              <thead>
                <tr>
                  <th style={cell}>日期 Day</th>
                  {check.reach.map((r) => (
                    <th key={r.day} style={cell}>
                      {r.day.slice(5)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <td style={cell}>触达人数 Members</td>
                  {check.reach.map((r) => (
                    <td key={r.day} style={cell}>
                      {r.members}
                      {r.capped ? '+' : ''}
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          )}
        </Section>

        <Section title="可用事实 Facts for conditions and templates">
          <table data-testid="facts" style={{ borderCollapse: 'collapse', width: '100%' }}>
            <thead>
              <tr>
                <th style={cell}>事实 Fact</th>
                <th style={cell}>名称 Label</th>
                <th style={cell}>类型/单位 Type</th>
                <th style={cell}>示例 Example</th>
                <th style={cell}>说明 Description</th>
              </tr>
            </thead>
            <tbody>
              {help?.facts.map((f) => (
                <tr key={f.name}>
                  <td style={cell}>
                    <code>{f.name}</code>
                    {f.templateOnly ? ' (模板 only)' : ''}
                  </td>
                  <td style={cell}>
                    {f.labelZh}
                    <br />
                    <small>{f.labelEn}</small>
                  </td>
                  <td style={cell}>
                    {f.type}
                    {f.unit ? ` (${f.unit})` : ''}
                    {f.enum ? `: ${f.enum.join(' | ')}` : ''}
                  </td>
                  <td style={cell}>
                    <code>{JSON.stringify(f.example)}</code>
                  </td>
                  <td style={cell}>
                    {f.descriptionZh}
                    <br />
                    <small>{f.descriptionEn}</small>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Box paddingTop={4}>
            <Typography variant="pi">
              运算符 Operators: {help?.operators.join(', ')}. 模板 Templates:{' '}
              {help?.templateHelpers.map((h) => `${h.usage} — ${h.descriptionZh}`).join('; ')}
            </Typography>
          </Box>
        </Section>
      </Layouts.Content>
    </Page.Main>
  );
}
