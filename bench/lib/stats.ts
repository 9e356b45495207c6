/** Order statistics for latency samples and run-to-run figures. */

/** The q-quantile (0..1) of ascending `sorted` by nearest rank; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

/** p50 / p99 / max of unsorted samples (copied, then sorted). */
export function summarize(samples: ArrayLike<number>): { p50: number; p99: number; max: number; n: number } {
  const sorted = Float64Array.from(samples).sort();
  return {
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN,
    n: sorted.length,
  };
}

/** The median element of `items` by `key` (the middle run of three, as reference/performance.md reports). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const mid = sorted[Math.floor((sorted.length - 1) / 2)];
  if (mid === undefined) throw new Error('median of nothing');
  return mid;
}

/** Joins typed arrays into one. */
export function concat(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
