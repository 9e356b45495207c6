/**
 * The index-interval strings of Indexed jobs (`succeededIndexes`, `status.completedIndexes`,
 * `status.failedIndexes`): comma-separated `x` or `x-y`, strictly increasing, each below
 * completions. The error texts are upstream's, since they reach users in validation messages.
 */

export interface Interval {
  first: number;
  last: number;
}

/** Go's strconv.Atoi accepts an optional sign and decimal digits. */
const ATOI = /^[+-]?\d+$/;

function parseIndex(text: string): number | Error {
  if (!ATOI.test(text))
    return new Error(`cannot convert string to integer for index: ${JSON.stringify(text)}`);
  return Number(text);
}

/** Parses one `x` or `x-y` fragment. */
export function parseInterval(fragment: string, completions: number): Interval | Error {
  const parts = fragment.split('-');
  if (parts.length > 2) {
    return new Error(
      `the fragment ${JSON.stringify(fragment)} violates the requirement that an index interval can have at most two parts separated by '-'`,
    );
  }
  const [a = '', b] = parts;
  const first = parseIndex(a);
  if (first instanceof Error) return first;
  if (first >= completions) return new Error(`too large index: ${JSON.stringify(a)}`);
  if (b === undefined) return { first, last: first };
  const last = parseIndex(b);
  if (last instanceof Error) return last;
  if (last >= completions) return new Error(`too large index: ${JSON.stringify(b)}`);
  if (first >= last) return new Error(`non-increasing order, previous: ${first}, current: ${last}`);
  return { first, last };
}

/**
 * Checks an index string and counts the indexes it names (upstream's validateIndexesFormat).
 * @example
 *   countIndexes('0,2-4', 5) // 4
 */
export function countIndexes(text: string, completions: number): number | Error {
  if (text === '') return 0;
  let previous: number | undefined;
  let total = 0;
  for (const fragment of text.split(',')) {
    const iv = parseInterval(fragment, completions);
    if (iv instanceof Error) return iv;
    if (previous !== undefined && previous >= iv.first) {
      return new Error(`non-increasing order, previous: ${previous}, current: ${iv.first}`);
    }
    total += iv.last - iv.first + 1;
    previous = iv.last;
  }
  return total;
}

/**
 * The first index both strings name, walking their intervals in order (fragments that do not
 * parse are skipped: the format check reports them).
 */
export function firstOverlap(completed: string, failed: string, completions: number): number | undefined {
  if (!completed || !failed) return undefined;
  const cs = completed.split(',');
  const fs = failed.split(',');
  let ci = 0;
  let fi = 0;
  let c = parseInterval(cs[0] ?? '', completions);
  let f = parseInterval(fs[0] ?? '', completions);
  while (ci < cs.length && fi < fs.length) {
    if (c instanceof Error) {
      ci++;
      if (ci < cs.length) c = parseInterval(cs[ci] ?? '', completions);
    } else if (f instanceof Error) {
      fi++;
      if (fi < fs.length) f = parseInterval(fs[fi] ?? '', completions);
    } else {
      if (c.first <= f.last && f.first <= c.last) return Math.max(c.first, f.first);
      if (c.first <= f.first) {
        ci++;
        if (ci < cs.length) c = parseInterval(cs[ci] ?? '', completions);
      } else {
        fi++;
        if (fi < fs.length) f = parseInterval(fs[fi] ?? '', completions);
      }
    }
  }
  return undefined;
}
