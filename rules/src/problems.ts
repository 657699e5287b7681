/** One thing wrong with an input: where, and what an editor can do about it, in English and Chinese. */
export interface Problem {
  path: string;
  message: string;
  messageZh: string;
}

export function levenshtein(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const tmp = dp[j]!;
      dp[j] = Math.min(
        dp[j]! + 1,
        dp[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** The closest known name, when it is close enough to be a likely typo. */
export function suggest(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = levenshtein(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

/** Appends one problem (kept as a call so each check reads as one line). */
export function problem(problems: Problem[], path: string, message: string, messageZh: string): void {
  problems.push({ path, message, messageZh });
}

export type Data = Record<string, unknown>;
export const isRecord = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);
