/**
 * One step of a field path, as structured-merge-diff names it: a struct field or map key
 * (`f:name`), an item of a keyed list (`k:{"name":"pi"}`), an item of a set (`v:"x"`), or an
 * index into an atomic list (`i:0`). FieldsV1 uses the serialized form as object keys.
 */
import { compareValues, goJson, goJsonString, isObject, valueToString } from './value.js';

export type PathElement =
  | { readonly field: string }
  /** Key fields sorted by name, as upstream sorts them before serializing. */
  | { readonly key: ReadonlyArray<readonly [string, unknown]> }
  | { readonly value: unknown }
  | { readonly index: number };

export type Path = readonly PathElement[];

/** A malformed FieldsV1 key. */
export class PathElementError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PathElementError';
  }
}

export const fieldElement = (field: string): PathElement => ({ field });
export const indexElement = (index: number): PathElement => ({ index });
export const valueElement = (value: unknown): PathElement => ({ value });

/** A list-item key from its fields, in any order: the element holds them sorted by name. */
export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  const key = [...fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { key };
}

/** A path from field names: `pathOf('spec', 'template')`. */
export const pathOf = (...fields: string[]): Path => fields.map(fieldElement);

const order = (pe: PathElement): number => ('field' in pe ? 0 : 'key' in pe ? 1 : 'value' in pe ? 2 : 3);

/** Upstream's order: fields, then keys, then values, then indexes; within a kind by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const oa = order(a);
  const ob = order(b);
  if (oa !== ob) return oa < ob ? -1 : 1;
  if ('field' in a && 'field' in b) return a.field < b.field ? -1 : a.field > b.field ? 1 : 0;
  if ('key' in a && 'key' in b) {
    for (let i = 0; ; i++) {
      const x = a.key[i];
      const y = b.key[i];
      if (!x && !y) return 0;
      if (!x) return -1;
      if (!y) return 1;
      if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
      const c = compareValues(x[1], y[1]);
      if (c !== 0) return c;
    }
  }
  if ('value' in a && 'value' in b) return compareValues(a.value, b.value);
  const ia = (a as { index: number }).index;
  const ib = (b as { index: number }).index;
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Elements are immutable and serialized often (they are the identity of set entries). */
const serialized = new WeakMap<PathElement, string>();

/** The FieldsV1 key of an element: `f:image`, `k:{"containerPort":80,"protocol":"TCP"}`, `v:"x"`, `i:0`. */
export function serializePathElement(pe: PathElement): string {
  if ('field' in pe) return `f:${pe.field}`;
  let s = serialized.get(pe);
  if (s === undefined) {
    if ('key' in pe) s = `k:{${pe.key.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(',')}}`;
    else if ('value' in pe) s = `v:${goJson(pe.value)}`;
    else s = `i:${pe.index}`;
    serialized.set(pe, s);
  }
  return s;
}

/**
 * Reads a FieldsV1 key. Returns undefined for a key of an unknown kind, which upstream skips so
 * that newer servers' entries survive; throws for a malformed one.
 */
export function parsePathElement(s: string): PathElement | undefined {
  if (s.length < 2) throw new PathElementError('key must be 2 characters long:');
  if (s[1] !== ':') throw new PathElementError(`missing colon: ${s}`);
  const rest = s.slice(2);
  switch (s[0]) {
    case 'f':
      return { field: rest };
    case 'v':
      return { value: parseJson(rest) };
    case 'k': {
      const obj = parseJson(rest);
      if (!isObject(obj)) throw new PathElementError(`invalid key: ${s}`);
      return keyElement(Object.entries(obj));
    }
    case 'i': {
      if (!/^[+-]?\d+$/.test(rest)) throw new PathElementError(`invalid index: ${s}`);
      return { index: Number.parseInt(rest, 10) };
    }
    default:
      return undefined;
  }
}

function parseJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch (err) {
    throw new PathElementError(`invalid JSON in path element: ${s}`, { cause: err });
  }
}

/** Upstream's text of an element in messages: `.image`, `[name="pi"]`, `[="x"]`, `[0]`. */
export function pathElementString(pe: PathElement): string {
  if ('field' in pe) return `.${pe.field}`;
  if ('key' in pe) return `[${pe.key.map(([k, v]) => `${k}=${valueToString(v)}`).join(',')}]`;
  if ('value' in pe) return `[=${valueToString(pe.value)}]`;
  return `[${pe.index}]`;
}

/** Upstream's text of a path: `.spec.template.spec.containers[name="pi"].image`. */
export const pathString = (path: Path): string => path.map(pathElementString).join('');
