/** Small SVG charts: no chart library for two pictures. Rates are fractions 0–1 or null (nothing issued). */

export interface Series {
  label: string;
  colour: string;
  values: Array<number | null>;
}

const W = 560;
const H = 220;
const PAD = { left: 44, right: 28, top: 12, bottom: 36 };
const percent = (v: number) => `${Math.round(v * 100)}%`;

export function TrendChart({ labels, series }: { labels: string[]; series: Series[] }) {
  const x = (i: number) => PAD.left + (labels.length <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (labels.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  return (
    <svg viewBox={`0 0 ${W} ${H + 20}`} width="100%" role="img" aria-label="使用率趋势 usage rate per quarter">
      {[0, 0.25, 0.5, 0.75, 1].map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#ddd" />
          <text x={PAD.left - 6} y={y(t) + 4} fontSize="10" textAnchor="end">
            {percent(t)}
          </text>
        </g>
      ))}
      {labels.map((l, i) => (
        <text key={l} x={x(i)} y={H - PAD.bottom + 16} fontSize="10" textAnchor="middle">
          {l}
        </text>
      ))}
      {series.map((s) => {
        const points = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter((p): p is string => p !== null);
        return (
          <g key={s.label}>
            <polyline points={points.join(' ')} fill="none" stroke={s.colour} strokeWidth="2" />
            {s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r="3" fill={s.colour} />))}
          </g>
        );
      })}
      {series.map((s, i) => (
        <g key={s.label} transform={`translate(${PAD.left + i * 150}, ${H + 8})`}>
          <rect width="10" height="10" y="-8" fill={s.colour} />
          <text x="14" fontSize="11">
            {s.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function RateBars({ rows }: { rows: Array<{ label: string; rate: number | null }> }) {
  const rowH = 22;
  const labelW = 90;
  const barW = W - labelW - 60;
  return (
    <svg viewBox={`0 0 ${W} ${rows.length * rowH + 8}`} width="100%" role="img" aria-label="使用率 by region">
      {rows.map((r, i) => (
        <g key={r.label} transform={`translate(0, ${i * rowH + 4})`}>
          <text x={labelW - 6} y="14" fontSize="11" textAnchor="end">
            {r.label}
          </text>
          <rect x={labelW} width={barW} height="16" fill="#f0f0ff" />
          {r.rate !== null && <rect x={labelW} width={barW * r.rate} height="16" fill="#4945ff" />}
          <text x={labelW + barW + 6} y="14" fontSize="11">
            {r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`}
          </text>
        </g>
      ))}
    </svg>
  );
}
