/**
 * Merging an applied configuration into a live object, and removing a set of fields from an
 * object, per the schema (structured-merge-diff's typed Merge and RemoveItems). Inputs are never
 * changed; results may share unchanged parts with them.
 */
import type { Catalog } from '../../api/schema/schema.js';
import { type Atom, atomOf, childAtom, rootAtom } from './atom.js';
import type { FieldSet } from './fieldSet.js';
import {
  fieldElement,
  type Path,
  type PathElement,
  pathString,
  serializePathElement,
} from './pathElement.js';
import { type ListAtom, listItemElement, presentEntries, TypedValueError } from './typed.js';
import { isObject } from './value.js';

const SCALAR: Atom = { kind: 'scalar' };

/**
 * `rhs` merged into `lhs`: scalars, atomic lists and atomic maps take rhs's value; granular maps
 * and structs merge key by key; keyed lists and sets merge item by item, keeping lhs's items.
 */
export function mergeObjects(catalog: Catalog, typeName: string, lhs: unknown, rhs: unknown): unknown {
  return mergeNode(catalog, lhs, rhs, rootAtom(catalog, typeName), []) ?? null;
}

const isEmptyList = (v: unknown) => !Array.isArray(v) || v.length === 0;
const isEmptyMap = (v: unknown) => !isObject(v) || presentEntries(v).length === 0;

/** `undefined` is an absent value (and a result with nothing in it). */
function mergeNode(catalog: Catalog, l: unknown, r: unknown, atom: Atom, path: Path): unknown {
  const leaf = () => (r !== undefined ? r : l);
  if (atom.kind === 'scalar') return leaf();
  if (atom.kind === 'list') {
    if (atom.atomic || (isEmptyList(l) && isEmptyList(r))) return leaf();
    return mergeList(catalog, Array.isArray(l) ? l : [], Array.isArray(r) ? r : [], atom, path);
  }
  if (atom.atomic || (isEmptyMap(l) && isEmptyMap(r))) return leaf();
  const lm = isObject(l) ? l : {};
  const rm = isObject(r) ? r : {};
  const out: Record<string, unknown> = {};
  const keys = new Set([...presentEntries(lm).map(([k]) => k), ...presentEntries(rm).map(([k]) => k)]);
  for (const k of keys) {
    const v = mergeNode(catalog, lm[k], rm[k], childAtom(catalog, atom, k) ?? SCALAR, [
      ...path,
      fieldElement(k),
    ]);
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

interface Indexed {
  pes: PathElement[];
  ids: string[];
  /** Item by element; a duplicated live item reads as null, as upstream. */
  byId: Map<string, unknown>;
}

function indexList(
  catalog: Catalog,
  list: unknown[],
  atom: ListAtom,
  path: Path,
  allowDuplicates: boolean,
): Indexed {
  const out: Indexed = { pes: [], ids: [], byId: new Map() };
  for (const item of list) {
    const pe = listItemElement(catalog, atom, item, path);
    const id = serializePathElement(pe);
    if (out.byId.has(id)) {
      if (!allowDuplicates)
        throw new TypedValueError(pathString(path), `duplicate entries for key ${pathString([pe])}`);
      out.byId.set(id, null);
    } else out.byId.set(id, item);
    out.pes.push(pe);
    out.ids.push(id);
  }
  return out;
}

/**
 * Items in both lists take the applied order; live-only items stay where they were relative to
 * their neighbours (upstream's merge walk over the two lists).
 */
function mergeList(catalog: Catalog, lhs: unknown[], rhs: unknown[], atom: ListAtom, path: Path): unknown {
  const r = indexList(catalog, rhs, atom, path, false);
  const l = indexList(catalog, lhs, atom, path, true);
  const child = atomOf(catalog, atom.items);
  const shared = r.ids.filter((id) => l.byId.has(id));
  let nextShared = shared.shift();
  const mergedRhs = new Set<string>();
  const out: unknown[] = [];
  const emit = (pe: PathElement, lv: unknown, rv: unknown) => {
    const v = mergeNode(catalog, lv, rv, child, [...path, pe]);
    if (v !== undefined) out.push(v);
  };
  let li = 0;
  let ri = 0;
  while (li < lhs.length || ri < rhs.length) {
    if (li < lhs.length && ri < rhs.length) {
      const id = l.ids[li]!;
      if (id === r.ids[ri]) {
        mergedRhs.add(id);
        emit(l.pes[li]!, l.byId.get(id), r.byId.get(id));
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      // A shared item out of the applied order waits until the applied list reaches it.
      if (r.byId.has(id) && nextShared !== undefined && nextShared !== id) {
        li++;
        continue;
      }
    }
    if (li < lhs.length) {
      const id = l.ids[li]!;
      if (!r.byId.has(id)) {
        emit(l.pes[li]!, lhs[li], undefined);
        li++;
        continue;
      }
      if (mergedRhs.has(id)) li++;
    }
    if (ri < rhs.length) {
      const id = r.ids[ri]!;
      mergedRhs.add(id);
      emit(r.pes[ri]!, l.byId.get(id), r.byId.get(id));
      ri++;
      if (nextShared === id) nextShared = shared.shift();
    }
  }
  return out.length > 0 ? out : undefined;
}

/**
 * `value` without the fields of `toRemove`. A map or list left empty becomes null, which the
 * typed decoder then drops, as Go's conversion does.
 */
export function removeItems(catalog: Catalog, typeName: string, value: unknown, toRemove: FieldSet): unknown {
  return removeNode(catalog, value, toRemove, rootAtom(catalog, typeName), []);
}

function removeNode(catalog: Catalog, value: unknown, toRemove: FieldSet, atom: Atom, path: Path): unknown {
  if (atom.kind === 'scalar') return value;
  if (atom.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || atom.atomic) return null;
    const child = atomOf(catalog, atom.items);
    const out: unknown[] = [];
    for (const item of value) {
      const pe = listItemElement(catalog, atom, item, path);
      if (toRemove.hasMember(pe)) continue;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.isEmpty() ? item : removeNode(catalog, item, sub, child, [...path, pe]));
    }
    return out.length > 0 ? out : null;
  }
  if (!isObject(value) || isEmptyMap(value) || atom.atomic) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of presentEntries(value)) {
    const pe = fieldElement(k);
    if (toRemove.hasMember(pe)) continue;
    const sub = toRemove.withPrefix(pe);
    out[k] = sub.isEmpty()
      ? v
      : removeNode(catalog, v, sub, childAtom(catalog, atom, k) ?? SCALAR, [...path, pe]);
  }
  return Object.keys(out).length > 0 ? out : null;
}
