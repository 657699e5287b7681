import type { Explanation } from '@mch/rules';

const ANCHOR_ZH: Record<string, string> = {
  lmp: '末次月经',
  edd: '预产期',
  birth: '出生',
  delivery: '分娩',
  enrolment: '建册',
  'last-visit': '最近一次产检',
};
const UNIT_ZH: Record<string, string> = { days: '天', weeks: '周', months: '个月' };

/** One line an editor can read: "末次月经 2026-08-01 后 24 周（孕期）；stage equal pregnancy ✓". */
export function explanationLine(explanation: Explanation): string {
  const t = explanation.trigger;
  const direction = t.offset < 0 ? '前' : '后';
  const anchor = `${ANCHOR_ZH[t.anchor] ?? t.anchor}${t.corrected ? '（校正）' : ''} ${t.anchorDate} ${direction} ${Math.abs(t.offset)} ${UNIT_ZH[t.unit] ?? t.unit}`;
  const repeat = t.occurrence > 0 ? `，第 ${t.occurrence + 1} 次` : '';
  const conditions = explanation.conditions
    .map(
      (c) =>
        `${c.fact} ${c.operator} ${JSON.stringify(c.value)} (= ${JSON.stringify(c.actual)}) ${c.result ? '✓' : '✗'}`,
    )
    .join('; ');
  return `${anchor}${repeat}（${explanation.stage}）${conditions ? `；${conditions}` : ''}`;
}
