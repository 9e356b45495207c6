/**
 * How structured-merge-diff sees a catalog type: a scalar (a leaf), a struct or map (granular or
 * atomic), or a list (atomic, a set, or keyed). This is upstream's OpenAPI → SMD conversion
 * (kube-openapi schemaconv) reading our schema catalog instead of OpenAPI.
 */
import type { Catalog, Field, TypeRef } from '../../api/schema/schema.js';

export type Atom =
  /** Strings, numbers, booleans, times, quantities, int-or-strings, raw extensions, FieldsV1. */
  | { readonly kind: 'scalar' }
  | { readonly kind: 'struct'; readonly name: string; readonly atomic: boolean }
  | { readonly kind: 'map'; readonly values: TypeRef; readonly atomic: boolean }
  /** `keys` empty and not atomic: a set of scalars, items named by value. */
  | {
      readonly kind: 'list';
      readonly items: TypeRef;
      readonly atomic: boolean;
      readonly keys: readonly string[];
    };

const SCALAR: Atom = { kind: 'scalar' };

/** Atoms by catalog and by the field or type they were read from: comparisons ask for them per key. */
const atoms = new WeakMap<Catalog, WeakMap<object, Atom>>();

/** The atom of a value of type `t`, held by `field` when it is a struct field (its list and map markers). */
export function atomOf(catalog: Catalog, t: TypeRef, field?: Field): Atom {
  let byOrigin = atoms.get(catalog);
  if (!byOrigin) atoms.set(catalog, (byOrigin = new WeakMap()));
  // A field's atom depends on the field's markers; a bare type's on the type alone.
  const origin = field ? (field.type === t ? field : undefined) : t;
  if (!origin) return readAtom(catalog, t, field);
  let atom = byOrigin.get(origin);
  if (!atom) byOrigin.set(origin, (atom = readAtom(catalog, t, field)));
  return atom;
}

function readAtom(catalog: Catalog, t: TypeRef, field?: Field): Atom {
  switch (t.kind) {
    case 'ref': {
      const def = catalog.get(t.name);
      return {
        kind: 'struct',
        name: t.name,
        atomic: def.mapType === 'atomic' || field?.mapType === 'atomic',
      };
    }
    case 'map':
      return { kind: 'map', values: t.values, atomic: field?.mapType === 'atomic' };
    case 'array':
      return { kind: 'list', items: t.items, ...listRelationship(field) };
    default:
      // Untyped in SMD: a leaf whatever its JSON shape.
      return SCALAR;
  }
}

/**
 * x-kubernetes-list-type decides; without it a list with patch strategy merge is keyed by its
 * merge key (or a set without one), as upstream's conversion does; anything else is atomic.
 */
function listRelationship(field: Field | undefined): { atomic: boolean; keys: readonly string[] } {
  if (field?.listType === 'atomic') return { atomic: true, keys: [] };
  if (field?.listType === 'set') return { atomic: false, keys: [] };
  if (field?.listType === 'map') return { atomic: false, keys: field.listMapKeys ?? [] };
  if (field?.patchStrategy === 'merge' || field?.patchStrategy === 'merge,retainKeys') {
    return { atomic: false, keys: field.patchMergeKey ? [field.patchMergeKey] : [] };
  }
  return { atomic: true, keys: [] };
}

/** The atom of a struct field or map value named `key` under `atom`; undefined for an undeclared struct field. */
export function childAtom(catalog: Catalog, atom: Atom, key: string): Atom | undefined {
  if (atom.kind === 'map') return atomOf(catalog, atom.values);
  if (atom.kind !== 'struct') return undefined;
  const f = catalog.fields(atom.name).get(key);
  return f ? atomOf(catalog, f.type, f) : undefined;
}

/** True when `key` is a declared field of a struct atom (not a map entry). */
export function isStructField(catalog: Catalog, atom: Atom, key: string): boolean {
  return atom.kind === 'struct' && catalog.fields(atom.name).has(key);
}

/** The default of a key field of a keyed list's items (a port's protocol is TCP). */
export function keyDefault(catalog: Catalog, items: TypeRef, key: string): unknown {
  if (items.kind !== 'ref') return undefined;
  return catalog.fields(items.name).get(key)?.default;
}

/** The atom of a top-level object type. */
export function rootAtom(catalog: Catalog, typeName: string): Atom {
  let byName = roots.get(catalog);
  if (!byName) roots.set(catalog, (byName = new Map()));
  let atom = byName.get(typeName);
  if (!atom) byName.set(typeName, (atom = readAtom(catalog, { kind: 'ref', name: typeName })));
  return atom;
}

const roots = new WeakMap<Catalog, Map<string, Atom>>();
