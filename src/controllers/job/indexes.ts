/**
 * Sets of completion indexes as the controller keeps them: sorted, merged intervals (upstream's
 * orderedIntervals), so a 100,000-completion Job costs a few intervals, not a 100,000-entry set.
 */
import { type Interval, parseInterval } from '../../api/batch/v1/indexes.js';

export type { Interval };
export type Intervals = readonly Interval[];

/**
 * Reads a status or successPolicy index string leniently: unparsable fragments are skipped, a
 * fragment starting at or past completions ends the list and a last index past it is clipped,
 * so indexes dropped by scaling completions down simply disappear.
 */
export function parseIndexes(text: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!text) return out;
  for (const fragment of text.split(',')) {
    const [a = '', b] = fragment.split('-', 3);
    const first = parseInterval(a, Number.POSITIVE_INFINITY);
    if (first instanceof Error) continue;
    if (first.first >= completions) break;
    let last = first.first;
    if (b !== undefined) {
      const end = parseInterval(b, Number.POSITIVE_INFINITY);
      if (end instanceof Error) continue;
      last = Math.min(end.first, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev.last === first.first - 1) prev.last = last;
    else out.push({ first: first.first, last });
  }
  return out;
}

/** The compressed form: `1,3-5,7`; a run of two is written `a,b`. */
export function formatIndexes(intervals: Intervals): string {
  const parts: string[] = [];
  for (const { first, last } of intervals) {
    if (last === first) parts.push(String(first));
    else if (last === first + 1) parts.push(`${first},${last}`);
    else parts.push(`${first}-${last}`);
  }
  return parts.join(',');
}

export function countIndexes(intervals: Intervals): number {
  let n = 0;
  for (const { first, last } of intervals) n += last - first + 1;
  return n;
}

export function hasIndex(intervals: Intervals, ix: number): boolean {
  let lo = 0;
  let hi = intervals.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const iv = intervals[mid] as Interval;
    if (ix < iv.first) hi = mid - 1;
    else if (ix > iv.last) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The union of two interval lists, merged so adjacent runs become one. */
export function mergeIndexes(a: Intervals, b: Intervals): Interval[] {
  const all = [...a, ...b].sort((x, y) => x.first - y.first);
  const out: Interval[] = [];
  for (const iv of all) {
    const prev = out[out.length - 1];
    if (prev && iv.first <= prev.last + 1) prev.last = Math.max(prev.last, iv.last);
    else out.push({ first: iv.first, last: iv.last });
  }
  return out;
}

/** Adds single indexes (any order, duplicates allowed) to an interval list. */
export function withIndexes(intervals: Intervals, indexes: Iterable<number>): Interval[] {
  const singles = [...new Set(indexes)].sort((x, y) => x - y).map((i) => ({ first: i, last: i }));
  return mergeIndexes(intervals, singles);
}

/** The `count` lowest indexes below completions that are in none of the given sets. */
export function firstPendingIndexes(taken: Intervals, count: number, completions: number): number[] {
  const out: number[] = [];
  let candidate = 0;
  for (const iv of taken) {
    for (; candidate < completions && out.length < count && candidate < iv.first; candidate++)
      out.push(candidate);
    if (candidate <= iv.last) candidate = iv.last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
