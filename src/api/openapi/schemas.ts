/**
 * Renders catalog types as OpenAPI v3 component schemas, the way upstream's generated documents
 * do: `$ref`s with siblings wrapped in `allOf`, Go's zero values as `default`s, properties in
 * name order, and the x-kubernetes-* merge extensions kubectl builds patches from.
 */
import { type Catalog, type Field, META, type TypeDef, type TypeRef } from '../schema/schema.js';
import { type GroupVersionKind, refTo, type SchemaObject } from './types.js';

/** Component names of the types the catalog describes by kind rather than by reference. */
export const TIME = `${META}Time`;
export const MICRO_TIME = `${META}MicroTime`;
export const DURATION = `${META}Duration`;
export const FIELDS_V1 = `${META}FieldsV1`;
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';

/** Types with their own JSON form (Go's custom marshalling): a schema of their own, never a default. */
const customTypes: Record<string, SchemaObject> = {
  [TIME]: {
    description: 'A point in time in RFC 3339 form, to the second, in UTC: 2026-01-01T00:00:00Z.',
    type: 'string',
    format: 'date-time',
  },
  [MICRO_TIME]: {
    description: 'A point in time in RFC 3339 form with microseconds: 2026-01-01T00:00:00.000000Z.',
    type: 'string',
    format: 'date-time',
  },
  [DURATION]: { description: 'A Go duration string, such as 1h30m or 500ms.', type: 'string' },
  [FIELDS_V1]: {
    description:
      'A set of fields, as a tree in JSON: f:<name> for a field, k:<keys> or v:<value> for a list item, i:<index> for a position, and "." for the field itself.',
    type: 'object',
  },
  [QUANTITY]: {
    description:
      'A fixed-point amount with an optional decimal (k, M, G, m) or binary (Ki, Mi, Gi) suffix or an exponent: 500m, 1.5, 128Mi, 1e3. Written as a string; a plain number is accepted.',
    oneOf: [{ type: 'string' }, { type: 'number' }],
  },
  [INT_OR_STRING]: {
    description: 'Either an integer or a string, such as a port number or a port name.',
    format: 'int-or-string',
    oneOf: [{ type: 'integer' }, { type: 'string' }],
  },
  [RAW_EXTENSION]: { description: 'An embedded object of any kind, kept as JSON.', type: 'object' },
};

/** The component a type reference points at, if it points at one. */
export function componentOf(t: TypeRef): string | undefined {
  switch (t.kind) {
    case 'ref':
      return t.name;
    case 'time':
      return t.micro ? MICRO_TIME : TIME;
    case 'quantity':
      return QUANTITY;
    case 'intOrString':
      return INT_OR_STRING;
    case 'duration':
      return DURATION;
    case 'raw':
      return RAW_EXTENSION;
    case 'fieldsV1':
      return FIELDS_V1;
    default:
      return undefined;
  }
}

const scalarSchemas: Record<string, SchemaObject> = {
  string: { type: 'string' },
  int32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  boolean: { type: 'boolean' },
  double: { type: 'number', format: 'double' },
  byte: { type: 'string', format: 'byte' },
};

const zeroValues: Record<string, unknown> = { string: '', int32: 0, int64: 0, boolean: false, double: 0 };

/**
 * The default upstream's generator enforces for a value Go always writes: `{}` for a struct
 * (even with omitempty), the zero value for a scalar without omitempty; nothing for pointers,
 * slices, maps and types with custom marshalling (they write null when empty).
 */
function enforcedDefault(t: TypeRef, omitempty: boolean): unknown {
  if (t.kind === 'ref') return {};
  if (t.kind === 'scalar' && !omitempty) return zeroValues[t.scalar];
  return undefined;
}

/** A `$ref` may not have siblings in OpenAPI 3.0, so upstream wraps it in `allOf`. */
function wrapRef(s: SchemaObject): SchemaObject {
  const { $ref, ...rest } = s;
  if ($ref === undefined || Object.keys(rest).length === 0) return s;
  return { allOf: [{ $ref }], ...rest };
}

/** The schema of a value: an array item, a map value, or (with its field's extras) a property. */
function valueSchema(t: TypeRef): SchemaObject {
  const component = componentOf(t);
  if (component) return { $ref: refTo(component) };
  switch (t.kind) {
    case 'scalar': {
      const s: SchemaObject = { ...scalarSchemas[t.scalar] };
      if (t.enum) s.enum = [...t.enum].sort();
      return s;
    }
    case 'array':
      return { type: 'array', items: elementSchema(t.items) };
    case 'map':
      return { type: 'object', additionalProperties: elementSchema(t.values) };
    default:
      throw new Error(`no schema for type kind ${t.kind}`);
  }
}

/** Slice and map elements are Go values, never omitted: they carry the enforced default. */
function elementSchema(t: TypeRef): SchemaObject {
  const s = valueSchema(t);
  const def = enforcedDefault(t, false);
  if (def !== undefined) s.default = def;
  return wrapRef(s);
}

function propertySchema(field: Field): SchemaObject {
  const s = valueSchema(field.type);
  const def =
    field.default ??
    (field.presence === 'pointer' ? undefined : enforcedDefault(field.type, field.presence === 'omitempty'));
  if (def !== undefined) s.default = def;
  if (field.doc) s.description = field.doc;
  if (field.patchStrategy) s['x-kubernetes-patch-strategy'] = field.patchStrategy;
  if (field.patchMergeKey) s['x-kubernetes-patch-merge-key'] = field.patchMergeKey;
  if (field.listType) s['x-kubernetes-list-type'] = field.listType;
  if (field.listMapKeys) s['x-kubernetes-list-map-keys'] = [...field.listMapKeys];
  if (field.mapType) s['x-kubernetes-map-type'] = field.mapType;
  return wrapRef(s);
}

/** The component schema of one catalog type; gvks marks it as a top-level kind. */
export function typeSchema(
  catalog: Catalog,
  def: TypeDef,
  gvks: readonly GroupVersionKind[] = [],
): SchemaObject {
  const fields = catalog.fields(def.name);
  const s: SchemaObject = { description: def.doc, type: 'object' };
  if (fields.size > 0) {
    const properties: Record<string, SchemaObject> = {};
    for (const name of [...fields.keys()].sort())
      properties[name] = propertySchema(fields.get(name) as Field);
    s.properties = properties;
  }
  const required = [...fields].filter(([, f]) => f.required).map(([name]) => name);
  if (required.length > 0) s.required = required;
  if (def.mapType) s['x-kubernetes-map-type'] = def.mapType;
  if (gvks.length > 0) s['x-kubernetes-group-version-kind'] = gvks.map((g) => ({ ...g }));
  return s;
}

/** Every component reachable from the roots (catalog types or custom types), roots included. */
export function reachable(catalog: Catalog, roots: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    if (customTypes[name]) return;
    for (const f of catalog.fields(name).values()) visitRef(f.type);
  };
  const visitRef = (t: TypeRef): void => {
    const component = componentOf(t);
    if (component) visit(component);
    else if (t.kind === 'array') visitRef(t.items);
    else if (t.kind === 'map') visitRef(t.values);
  };
  for (const root of roots) visit(root);
  return seen;
}

/**
 * `components.schemas` for a document: every type reachable from the roots, by name.
 * gvksOf tells which of them are top-level kinds.
 */
export function componentSchemas(
  catalog: Catalog,
  roots: Iterable<string>,
  gvksOf: (name: string) => readonly GroupVersionKind[] = () => [],
): Record<string, SchemaObject> {
  const out: Record<string, SchemaObject> = {};
  for (const name of [...reachable(catalog, roots)].sort()) {
    const custom = customTypes[name];
    out[name] = custom ? { ...custom } : typeSchema(catalog, catalog.get(name), gvksOf(name));
  }
  return out;
}
