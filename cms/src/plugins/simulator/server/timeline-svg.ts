import { diffDays, type IsoDate } from '@mch/rules';

export interface TimelineItem {
  ruleKey: string;
  scheduledOn: IsoDate;
  category: string;
  title: string;
  /** One line saying why: anchor, offset, stage and conditions. */
  why: string;
}

const CATEGORY_COLOURS: Record<string, string> = {
  checkup: '#4945ff',
  vaccine: '#328048',
  screening: '#d9822f',
  supplement: '#8312d1',
  nutrition: '#0c75af',
  'follow-up': '#d02b20',
  education: '#666687',
};

const WIDTH = 960;
const MARGIN = 24;
const AXIS_Y = 40;
const LANE = 26;

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * The reminders of the next `days` days as an SVG picture: a day axis with a tick each week and one
 * dot per reminder, coloured by category, labelled with its title, with the explanation as the
 * dot's tooltip (<title>). Items on the same or nearby days go to separate lanes. Pure: the same
 * input gives the same text, so it is unit-tested and rendered by the server.
 */
export function timelineSvg({
  from,
  days,
  items,
}: {
  from: IsoDate;
  days: number;
  items: readonly TimelineItem[];
}): string {
  const span = Math.max(1, days - 1);
  const x = (day: IsoDate) => MARGIN + (diffDays(day, from) / span) * (WIDTH - 2 * MARGIN - 160);
  const sorted = [...items].sort((a, b) =>
    a.scheduledOn < b.scheduledOn ? -1 : a.scheduledOn > b.scheduledOn ? 1 : a.ruleKey.localeCompare(b.ruleKey),
  );
  // Greedy lanes: an item takes the first lane whose last label ends before its dot.
  const laneEnds: number[] = [];
  const placed = sorted.map((item) => {
    const cx = x(item.scheduledOn);
    const labelEnd = cx + 12 + Math.min(item.title.length, 18) * 12;
    let lane = laneEnds.findIndex((end) => end < cx - 4);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = labelEnd;
    return { item, cx, cy: AXIS_Y + 28 + lane * LANE };
  });
  const height = AXIS_Y + 40 + Math.max(1, laneEnds.length) * LANE;

  const ticks: string[] = [];
  for (let d = 0; d < days; d += 7) {
    const tx = MARGIN + (d / span) * (WIDTH - 2 * MARGIN - 160);
    ticks.push(
      `<line x1="${tx.toFixed(1)}" y1="${AXIS_Y - 6}" x2="${tx.toFixed(1)}" y2="${height - 8}" stroke="#eaeaef"/>` +
        `<text x="${tx.toFixed(1)}" y="${AXIS_Y - 12}" font-size="11" text-anchor="middle" fill="#666687">${d === 0 ? '今天' : `+${d}天`}</text>`,
    );
  }
  const dots = placed.map(({ item, cx, cy }) => {
    const colour = CATEGORY_COLOURS[item.category] ?? '#32324d';
    const tooltip = `${item.scheduledOn} ${item.title}\n${item.why}`;
    return (
      `<g class="timeline-item" data-rule-key="${escapeXml(item.ruleKey)}" data-day="${item.scheduledOn}">` +
      `<title>${escapeXml(tooltip)}</title>` +
      `<line x1="${cx.toFixed(1)}" y1="${AXIS_Y}" x2="${cx.toFixed(1)}" y2="${cy}" stroke="${colour}" stroke-dasharray="2 2"/>` +
      `<circle cx="${cx.toFixed(1)}" cy="${cy}" r="6" fill="${colour}"/>` +
      `<text x="${(cx + 10).toFixed(1)}" y="${cy + 4}" font-size="12" fill="#32324d">${escapeXml(`${item.scheduledOn.slice(5)} ${shorten(item.title, 18)}`)}</text>` +
      `</g>`
    );
  });
  const empty =
    items.length === 0
      ? `<text x="${MARGIN}" y="${AXIS_Y + 30}" font-size="12" fill="#666687">这段时间没有提醒 — no reminders in this period</text>`
      : '';
  const label = `提醒时间线 Reminder timeline: ${items.length} reminders in ${days} days from ${from}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeXml(label)}" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">` +
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>` +
    ticks.join('') +
    `<line x1="${MARGIN}" y1="${AXIS_Y}" x2="${WIDTH - MARGIN - 160}" y2="${AXIS_Y}" stroke="#8e8ea9" stroke-width="2"/>` +
    dots.join('') +
    empty +
    `</svg>`
  );
}
