import http from 'node:http';

/** Process-local counters, exposed in the Prometheus text format with the queue depths. */
export class Metrics {
  readonly counters = new Map<string, number>();
  lastSweepSeconds = 0;
  sweeps = 0;

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = `${name}${labelText(labels)}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  get(name: string, labels: Record<string, string> = {}): number {
    return this.counters.get(`${name}${labelText(labels)}`) ?? 0;
  }

  render(depths: Record<string, { waiting: number; active: number; delayed: number; failed: number }>): string {
    const lines: string[] = [];
    lines.push('# TYPE mch_notifications_total counter');
    for (const [key, value] of this.counters) lines.push(`${key} ${value}`);
    lines.push('# TYPE mch_sweep_duration_seconds gauge', `mch_sweep_duration_seconds ${this.lastSweepSeconds}`);
    lines.push('# TYPE mch_sweeps_total counter', `mch_sweeps_total ${this.sweeps}`);
    lines.push('# TYPE mch_queue_jobs gauge');
    for (const [queue, counts] of Object.entries(depths)) {
      for (const [state, n] of Object.entries(counts)) lines.push(`mch_queue_jobs{queue="${queue}",state="${state}"} ${n}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',')}}`;
}

/** GET /metrics only; no other route, no request logging. */
export function serveMetrics(input: { port: number; render: () => Promise<string> }): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    input
      .render()
      .then((text) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(text))
      .catch(() => res.writeHead(503).end());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(input.port, () => resolve(server));
  });
}
