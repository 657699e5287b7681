export interface MemberReport {
  externalId: string;
  label: string;
  /** The stages the feed found today (from each item's reason). */
  stages: string[];
  feedTotal: number;
  feedTop: string[];
  reminders: Array<{ ruleKey: string; title: string; outcome: string }>;
  next: string | null;
}

/** Terminal columns of a string: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

function fit(text: string, width: number): string {
  let out = '';
  for (const ch of text) {
    if (displayWidth(out + ch) > width - (displayWidth(text) > width ? 1 : 0)) return `${out}…${' '.repeat(Math.max(0, width - displayWidth(out) - 1))}`;
    out += ch;
  }
  return out + ' '.repeat(Math.max(0, width - displayWidth(out)));
}

/** The summary table, then each family's details: what they read today and which reminders went out, and why. */
export function printReport(reports: MemberReport[]): void {
  const columns: Array<[string, number, (r: MemberReport) => string]> = [
    ['member', 20, (r) => r.externalId],
    ['stage today', 18, (r) => (r.stages.length > 0 ? r.stages.join('+') : '—')],
    ['feed', 6, (r) => String(r.feedTotal)],
    ['pushed', 7, (r) => String(r.reminders.filter((x) => x.outcome.startsWith('push sent')).length)],
    ['inbox', 6, (r) => String(r.reminders.filter((x) => x.outcome.startsWith('inbox')).length)],
    ['skipped', 8, (r) => String(r.reminders.filter((x) => x.outcome.startsWith('skipped') || x.outcome.startsWith('cancelled')).length)],
    ['sample', 46, (r) => r.label],
  ];
  const line = (cells: string[]) => console.log(cells.map((c, i) => fit(c, columns[i]![1])).join(' │ ').trimEnd());
  line(columns.map((c) => c[0]));
  console.log(columns.map((c) => '─'.repeat(c[1])).join('─┼─'));
  for (const r of reports) line(columns.map((c) => c[2](r)));

  for (const r of reports) {
    console.log(`\n■ ${r.externalId} — ${r.label}`);
    console.log(`  feed today (${r.feedTotal} items, top 3): ${r.feedTop.length > 0 ? r.feedTop.join(' ｜ ') : 'nothing'}`);
    if (r.reminders.length === 0) console.log('  reminders today: none due');
    for (const x of r.reminders) console.log(`  reminder ${x.ruleKey}: ${x.outcome} — 「${x.title}」`);
    console.log(`  next reminder: ${r.next ?? 'none in the next 120 days'}`);
  }
}
