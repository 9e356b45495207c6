/**
 * Objects read through the schema, as structured-merge-diff's typed package does: the set of
 * fields an object sets (ToFieldSet) and the difference between two objects (Compare). Granular
 * maps and structs contribute one path per key, atomic ones and scalars are leaves, keyed lists
 * name their items `k:{...}` and sets `v:...`.
 */
import type { Catalog } from '../../api/schema/schema.js';
import { type Atom, atomOf, childAtom, isStructField, keyDefault, rootAtom } from './atom.js';
import { FieldSet } from './fieldSet.js';
import {
  fieldElement,
  keyElement,
  type Path,
  type PathElement,
  pathString,
  serializePathElement,
  valueElement,
} from './pathElement.js';
import { equalValues, isObject } from './value.js';

/** An object that does not fit its schema (upstream's typed ValidationError). */
export class TypedValueError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'TypedValueError';
  }
}

export type ListAtom = Extract<Atom, { kind: 'list' }>;

const SCALAR: Atom = { kind: 'scalar' };

/** The fields of an object with values, skipping keys set to undefined. */
export const presentEntries = (o: Record<string, unknown>): Array<[string, unknown]> =>
  Object.entries(o).filter(([, v]) => v !== undefined);

/** The path element naming an item of a keyed list or set; a missing key takes its schema default. */
export function listItemElement(catalog: Catalog, atom: ListAtom, item: unknown, at: Path): PathElement {
  if (atom.keys.length > 0) {
    if (item === null)
      throw new TypedValueError(pathString(at), 'associative list with keys may not have a null element');
    if (!isObject(item)) {
      throw new TypedValueError(pathString(at), 'associative list with keys may not have non-map elements');
    }
    const fields: Array<[string, unknown]> = [];
    for (const k of atom.keys) {
      if (item[k] !== undefined) fields.push([k, item[k]]);
      else {
        const d = keyDefault(catalog, atom.items, k);
        if (d === undefined) {
          throw new TypedValueError(
            pathString(at),
            `associative list with keys has an element that omits key field "${k}" (and doesn't have default value)`,
          );
        }
        fields.push([k, d]);
      }
    }
    return keyElement(fields);
  }
  if (isObject(item)) {
    throw new TypedValueError(
      pathString(at),
      "associative list without keys has an element that's a map type",
    );
  }
  if (Array.isArray(item)) {
    throw new TypedValueError(pathString(at), 'not supported: associative list with lists as elements');
  }
  if (item === null) {
    throw new TypedValueError(
      pathString(at),
      "associative list without keys has an element that's an explicit null",
    );
  }
  return valueElement(item);
}

const itemAtom = (catalog: Catalog, atom: ListAtom): Atom => atomOf(catalog, atom.items);

/** The set of fields `value` sets under the type `typeName`. */
export function toFieldSet(catalog: Catalog, typeName: string, value: unknown): FieldSet {
  const set = new FieldSet();
  walkFieldSet(catalog, value, rootAtom(catalog, typeName), [], set);
  return set;
}

/** The field set of a value of any atom, with paths under `path`. */
export function fieldSetOf(catalog: Catalog, value: unknown, atom: Atom, path: Path = []): FieldSet {
  const set = new FieldSet();
  walkFieldSet(catalog, value, atom, path, set);
  return set;
}

function walkFieldSet(catalog: Catalog, value: unknown, atom: Atom, path: Path, set: FieldSet): void {
  if (atom.kind === 'scalar' || atom.atomic) {
    set.insert(path);
    return;
  }
  if (atom.kind === 'list') {
    if (!Array.isArray(value)) return;
    const elems = value.map((item) => listItemElement(catalog, atom, item, path));
    const seen = new Map<string, number>();
    for (const pe of elems) {
      const id = serializePathElement(pe);
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    const child = itemAtom(catalog, atom);
    for (const [i, item] of value.entries()) {
      const p = [...path, elems[i]!];
      // Duplicated items are owned as a whole: nothing below them can be told apart.
      if ((seen.get(serializePathElement(elems[i]!)) ?? 0) <= 1) walkFieldSet(catalog, item, child, p, set);
      set.insert(p);
    }
    return;
  }
  if (!isObject(value)) return;
  for (const [k, v] of presentEntries(value)) {
    const p = [...path, fieldElement(k)];
    walkFieldSet(catalog, v, childAtom(catalog, atom, k) ?? SCALAR, p, set);
    // A struct field is owned through its leaves; a map entry, a null or an empty object itself.
    if (v === null || (isObject(v) && Object.keys(v).length === 0) || !isStructField(catalog, atom, k)) {
      set.insert(p);
    }
  }
}

export interface Comparison {
  /** Fields set in both with different values. */
  readonly modified: FieldSet;
  /** Fields only in the new object. */
  readonly added: FieldSet;
  /** Fields only in the old object. */
  readonly removed: FieldSet;
}

/** What changed from `lhs` to `rhs` (typed.Compare). */
export function compareObjects(catalog: Catalog, typeName: string, lhs: unknown, rhs: unknown): Comparison {
  const c: Comparison = { modified: new FieldSet(), added: new FieldSet(), removed: new FieldSet() };
  compareNode(catalog, lhs, rhs, rootAtom(catalog, typeName), [], c);
  return c;
}

const isEmptyList = (v: unknown) => !Array.isArray(v) || v.length === 0;
const isEmptyMap = (v: unknown) => !isObject(v) || presentEntries(v).length === 0;

/** `undefined` is an absent value; null and empty values are present leaves. */
function compareNode(catalog: Catalog, l: unknown, r: unknown, atom: Atom, path: Path, c: Comparison): void {
  // Most of an object is the same on both sides: equal values add nothing, but their list
  // items' keys are still read, as the full comparison would (and may fail on them).
  if (atom.kind !== 'scalar' && l !== undefined && r !== undefined && equalValues(l, r)) {
    checkItemKeys(catalog, l, atom, path);
    return;
  }
  let leaf: boolean;
  if (atom.kind === 'scalar') leaf = true;
  else if (atom.kind === 'list') {
    // Empty and absent lists compare as leaves, as upstream promotes them.
    leaf = atom.atomic || (isEmptyList(l) && isEmptyList(r));
    if (!leaf) compareList(catalog, l, r, atom, path, c);
  } else {
    leaf = atom.atomic || (isEmptyMap(l) && isEmptyMap(r));
    if (!leaf) compareMap(catalog, l, r, atom, path, c);
  }
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (leaf && !equalValues(l, r)) c.modified.insert(path);
}

function compareMap(catalog: Catalog, l: unknown, r: unknown, atom: Atom, path: Path, c: Comparison): void {
  const lm = isObject(l) ? l : {};
  const rm = isObject(r) ? r : {};
  const keys = new Set([...presentEntries(lm).map(([k]) => k), ...presentEntries(rm).map(([k]) => k)]);
  for (const k of keys) {
    compareNode(catalog, lm[k], rm[k], childAtom(catalog, atom, k) ?? SCALAR, [...path, fieldElement(k)], c);
  }
}

function compareList(
  catalog: Catalog,
  l: unknown,
  r: unknown,
  atom: ListAtom,
  path: Path,
  c: Comparison,
): void {
  const order: Array<{ pe: PathElement; id: string }> = [];
  const left = groupItems(catalog, l, atom, path, order);
  const right = groupItems(catalog, r, atom, path, order, left);
  const child = itemAtom(catalog, atom);
  for (const { pe, id } of order) {
    const ls = left.get(id) ?? [];
    const rs = right.get(id) ?? [];
    const p = [...path, pe];
    if (ls.length <= 1 && rs.length <= 1) compareNode(catalog, ls[0], rs[0], child, p, c);
    else if (ls.length >= 2 && rs.length >= 2) {
      if (!equalValues(ls, rs)) c.modified.insert(p);
    } else if (ls.length >= 2) {
      if (rs.length > 0) compareNode(catalog, undefined, rs[0], child, p, c);
      c.removed.insert(p);
    } else {
      if (ls.length > 0) compareNode(catalog, ls[0], undefined, child, p, c);
      c.added.insert(p);
    }
  }
}

/**
 * What comparing a value with an equal one does besides finding nothing: reading the element of
 * every item of every granular list, in the order compareNode reads them, where it may throw.
 */
function checkItemKeys(catalog: Catalog, v: unknown, atom: Atom, path: Path): void {
  if (atom.kind === 'scalar' || atom.atomic || !mayHaveLists(catalog, atom)) return;
  if (atom.kind === 'list') {
    if (isEmptyList(v)) return;
    const items = v as unknown[];
    const groups = new Map<string, { pe: PathElement; item: unknown; count: number }>();
    for (const item of items) {
      const pe = listItemElement(catalog, atom, item, path);
      const id = serializePathElement(pe);
      const g = groups.get(id);
      if (g) g.count++;
      else groups.set(id, { pe, item, count: 1 });
    }
    const child = itemAtom(catalog, atom);
    // Duplicated items are compared whole, never below.
    for (const g of groups.values())
      if (g.count === 1) checkItemKeys(catalog, g.item, child, [...path, g.pe]);
    return;
  }
  if (isEmptyMap(v)) return;
  for (const [k, x] of presentEntries(v as Record<string, unknown>)) {
    checkItemKeys(catalog, x, childAtom(catalog, atom, k) ?? SCALAR, [...path, fieldElement(k)]);
  }
}

/** Whether a value of the atom can hold a granular list anywhere below (recursive types: assumed so). */
function mayHaveLists(catalog: Catalog, atom: Atom): boolean {
  if (atom.kind === 'scalar' || atom.atomic) return false;
  if (atom.kind === 'list') return true;
  let byAtom = listHolders.get(catalog);
  if (!byAtom) listHolders.set(catalog, (byAtom = new WeakMap()));
  const known = byAtom.get(atom);
  if (known !== undefined) return known;
  byAtom.set(atom, true);
  let found = false;
  if (atom.kind === 'map') found = mayHaveLists(catalog, atomOf(catalog, atom.values));
  else {
    for (const key of catalog.fields(atom.name).keys()) {
      const child = childAtom(catalog, atom, key);
      if (child && mayHaveLists(catalog, child)) {
        found = true;
        break;
      }
    }
  }
  byAtom.set(atom, found);
  return found;
}

const listHolders = new WeakMap<Catalog, WeakMap<Atom, boolean>>();

/** Items by element, in list order; new elements are appended to `order` (left's first). */
function groupItems(
  catalog: Catalog,
  list: unknown,
  atom: ListAtom,
  path: Path,
  order: Array<{ pe: PathElement; id: string }>,
  other?: Map<string, unknown[]>,
): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    const pe = listItemElement(catalog, atom, item, path);
    const id = serializePathElement(pe);
    const group = out.get(id);
    if (group) group.push(item);
    else {
      out.set(id, [item]);
      if (!other?.has(id)) order.push({ pe, id });
    }
  }
  return out;
}

/**
 * Adds struct fields that have owned fields below them as members themselves, so removing the
 * set also removes the (then empty) struct (EnsureNamedFieldsAreMembers).
 */
export function ensureNamedFieldsAreMembers(catalog: Catalog, typeName: string, set: FieldSet): FieldSet {
  return ensureNamed(catalog, set, rootAtom(catalog, typeName));
}

function ensureNamed(catalog: Catalog, set: FieldSet, atom: Atom | undefined): FieldSet {
  const members = set.memberElements();
  const children: Array<{ pe: PathElement; set: FieldSet }> = [];
  for (const c of set.childEntries()) {
    let child: Atom | undefined;
    if ('field' in c.pe && atom) {
      if (isStructField(catalog, atom, c.pe.field)) members.push(c.pe);
      child = childAtom(catalog, atom, c.pe.field);
    } else if ('key' in c.pe && atom?.kind === 'list') child = itemAtom(catalog, atom);
    children.push({ pe: c.pe, set: ensureNamed(catalog, c.set, child) });
  }
  return FieldSet.from(members, children);
}

/**
 * Checks an applied configuration against the schema as upstream's typed conversion does:
 * undeclared fields, values of the wrong shape, list items without keys and duplicates.
 */
export function validateTyped(catalog: Catalog, typeName: string, value: unknown): void {
  validateNode(catalog, value, rootAtom(catalog, typeName), []);
}

function validateNode(catalog: Catalog, value: unknown, atom: Atom, path: Path): void {
  if (value === null || atom.kind === 'scalar') return;
  if (atom.kind === 'list') {
    if (!Array.isArray(value))
      throw new TypedValueError(pathString(path), `expected list, got ${JSON.stringify(value)}`);
    if (atom.atomic) return;
    const seen = new Set<string>();
    const child = itemAtom(catalog, atom);
    for (const [i, item] of value.entries()) {
      let pe: PathElement;
      try {
        pe = listItemElement(catalog, atom, item, path);
      } catch (err) {
        if (err instanceof TypedValueError)
          throw new TypedValueError(pathString(path), `element ${i}: ${err.detail}`);
        throw err;
      }
      const id = serializePathElement(pe);
      if (seen.has(id)) {
        throw new TypedValueError(pathString(path), `duplicate entries for key ${pathString([pe])}`);
      }
      seen.add(id);
      validateNode(catalog, item, child, [...path, pe]);
    }
    return;
  }
  if (!isObject(value))
    throw new TypedValueError(pathString(path), `expected map, got ${JSON.stringify(value)}`);
  for (const [k, v] of presentEntries(value)) {
    const p = [...path, fieldElement(k)];
    const child = childAtom(catalog, atom, k);
    if (!child) throw new TypedValueError(pathString(p), 'field not declared in schema');
    validateNode(catalog, v, child, p);
  }
}
