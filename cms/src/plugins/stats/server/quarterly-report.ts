import { type CoverageGroup, type Population, POPULATIONS, rateOf } from './coverage';
import type { Period } from './period';

/**
 * 母子健康手册推广工作季报表 — the rollout's quarterly form (reference: Suining 2017 implementation
 * plan, 附件): one row per county (区（县）), per population the handbooks issued in total and by
 * issuing institution type, the number used and the usage rate 使用率 = 使用数 / 发放总数 × 100 %.
 *
 * The form's institution columns mapped to our institution types (docs/decisions/005):
 * 计划怀孕妇女 — 乡镇（街道）计生办: primary-care (township health centres now hold family planning);
 *               孕前优生健康检查服务机构: mch-hospital (the free pre-pregnancy checks are done there).
 * 孕妇 — 基层医疗卫生机构: primary-care; 助产机构: midwifery and mch-hospital.
 * 儿童 — 基层医疗卫生机构: primary-care.
 * Everything else — a health commission, an unknown code, no institution — is 其他机构, so the
 * institution columns always add up to 发放总数.
 */
interface Column {
  header: string;
  types: readonly string[];
}

const INSTITUTION_COLUMNS: Record<Population, Column[]> = {
  planning: [
    { header: '乡镇（街道）计生办发放数', types: ['primary-care'] },
    { header: '孕前优生健康检查服务机构发放数', types: ['mch-hospital'] },
  ],
  pregnant: [
    { header: '基层医疗卫生机构发放数', types: ['primary-care'] },
    { header: '助产机构发放数', types: ['midwifery', 'mch-hospital'] },
  ],
  child: [{ header: '基层医疗卫生机构发放数', types: ['primary-care'] }],
};

const GROUP_TITLES: Record<Population, [issued: string, used: string]> = {
  planning: ['针对计划怀孕妇女发放手册及发放机构', '计划怀孕妇女使用手册'],
  pregnant: ['针对孕妇发放手册及发放机构', '孕妇使用手册'],
  child: ['针对儿童发放手册及发放机构', '儿童使用手册'],
};

export const NO_REGION = '未填写地区';
export const TOTAL_ROW = '合计';

/** 使用率 as the form writes it: a percentage with two decimals; empty when nothing was issued. */
export function formatRate(used: number, issued: number): string {
  const rate = rateOf(used, issued);
  return rate === null ? '' : `${(rate * 100).toFixed(2)}%`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const csvLine = (fields: Array<string | number>) => fields.map(csvField).join(',');

export function headerLines(period: Period, filledOn: string): string[] {
  const title = period.quarter
    ? `母子健康手册推广工作季报表（${period.quarter.slice(0, 4)}年第${period.quarter.slice(5)}季度）`
    : `母子健康手册推广工作季报表（${period.from}至${period.to}）`;
  const groups: string[] = ['区（县）'];
  const columns: string[] = ['区（县）'];
  for (const p of POPULATIONS) {
    const issued = ['发放总数', ...INSTITUTION_COLUMNS[p].map((c) => c.header), '其他机构'];
    groups.push(GROUP_TITLES[p][0], ...issued.slice(1).map(() => ''), GROUP_TITLES[p][1], '');
    columns.push(...issued, '使用数', '使用率');
  }
  return [csvLine([title, `填表时间：${filledOn}`]), csvLine(groups), csvLine(columns)];
}

type Cells = Record<Population, { issued: number; byColumn: number[]; other: number; used: number }>;

function emptyCells(): Cells {
  const cells = {} as Cells;
  for (const p of POPULATIONS) cells[p] = { issued: 0, byColumn: INSTITUTION_COLUMNS[p].map(() => 0), other: 0, used: 0 };
  return cells;
}

function add(cells: Cells, group: CoverageGroup, institutionType: string | undefined): void {
  const c = cells[group.population];
  c.issued += group.enrolled;
  c.used += group.used;
  const column = institutionType ? INSTITUTION_COLUMNS[group.population].findIndex((col) => col.types.includes(institutionType)) : -1;
  if (column >= 0) c.byColumn[column] = (c.byColumn[column] ?? 0) + group.enrolled;
  else c.other += group.enrolled;
}

function rowOf(label: string, cells: Cells): string {
  const fields: Array<string | number> = [label];
  for (const p of POPULATIONS) {
    const c = cells[p];
    fields.push(c.issued, ...c.byColumn, c.other, c.used, formatRate(c.used, c.issued));
  }
  return csvLine(fields);
}

/**
 * The CSV text (UTF-8 with a byte-order mark, so spreadsheet software shows the Chinese headers):
 * the form's title, its two header rows, one row per county in code order, and a 合计 row.
 */
export function quarterlyReportCsv(input: {
  period: Period;
  groups: CoverageGroup[];
  institutionTypes: Map<string, string>;
  filledOn: string;
}): string {
  const byCounty = new Map<string, Cells>();
  const total = emptyCells();
  for (const g of input.groups) {
    const label = g.regionCode || NO_REGION;
    let cells = byCounty.get(label);
    if (!cells) byCounty.set(label, (cells = emptyCells()));
    const type = g.institutionCode ? input.institutionTypes.get(g.institutionCode) : undefined;
    add(cells, g, type);
    add(total, g, type);
  }
  const counties = [...byCounty.keys()].sort((a, b) => (a === NO_REGION ? 1 : b === NO_REGION ? -1 : a.localeCompare(b)));
  const lines = [...headerLines(input.period, input.filledOn), ...counties.map((c) => rowOf(c, byCounty.get(c)!)), rowOf(TOTAL_ROW, total)];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
