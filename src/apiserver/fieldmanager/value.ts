/**
 * JSON values as structured-merge-diff orders, compares and prints them: set items (`v:`) and
 * list keys (`k:`) are values, and their order decides the order of managedFields entries.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The rank of a value's kind in SMD's total order: numbers, strings, booleans, lists, maps, null. */
function rank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (isObject(v)) return 4;
  return 5;
}

const cmp = <T>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);

/** SMD's value.Compare: a total order over JSON values (ints and floats compare numerically). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb > 0 ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; ; i++) {
      if (i >= a.length && i >= b.length) return 0;
      if (i >= a.length) return -1;
      if (i >= b.length) return 1;
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c;
    }
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    for (let i = 0; ; i++) {
      if (i >= ka.length && i >= kb.length) return 0;
      if (i >= ka.length) return -1;
      if (i >= kb.length) return 1;
      const c = cmp(ka[i], kb[i]) || compareValues(a[ka[i]!], b[kb[i]!]);
      if (c !== 0) return c;
    }
  }
  if (ra === 5) return 0;
  return cmp(a, b);
}

/** Deep equality of JSON values; key order does not matter, list order does. */
export function equalValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => equalValues(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && equalValues(a[k], b[k]));
  }
  return false;
}

/** A string as Go's encoding/json writes it: HTML-sensitive characters and line separators escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029\b\f]/g, (c) => {
    if (c === '\b') return '\\u0008';
    if (c === '\f') return '\\u000c';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * A value as Go's encoding/json writes it. `sortKeys` is for Go maps (unstructured objects);
 * otherwise keys keep their order.
 */
export function goJson(v: unknown, sortKeys = false): string {
  if (typeof v === 'string') return goJsonString(v);
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x, sortKeys)).join(',')}]`;
  if (isObject(v)) {
    const keys = sortKeys ? Object.keys(v).sort() : Object.keys(v);
    return `{${keys.map((k) => `${goJsonString(k)}:${goJson(v[k], sortKeys)}`).join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export const isGoPrintable = (ch: string): boolean => ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);

/** Go's %q of a string (strconv.Quote): printable characters kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const hex = (width: number) => code.toString(16).padStart(width, '0');
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (isGoPrintable(ch)) out += ch;
    else if (code < 0x80) out += `\\x${hex(2)}`;
    else if (code <= 0xffff) out += `\\u${hex(4)}`;
    else out += `\\U${hex(8)}`;
  }
  return `${out}"`;
}

/** SMD's value.ToString, used in conflict paths: `"x"`, `80`, `true`, `[a,b]`. */
export function valueToString(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (Array.isArray(v)) return `[${v.map(valueToString).join(',')}]`;
  if (isObject(v)) {
    return Object.entries(v)
      .map(([k, x]) => `${k}=${valueToString(x)}`)
      .join('');
  }
  return String(v);
}
