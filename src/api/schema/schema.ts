/**
 * The one description of every API type batchd serves. Each type is written once, as data: its
 * fields in Go declaration order, their JSON and protobuf shapes, documentation and merge
 * semantics. The typed decoder (unknown fields, wrong types, Go's zero-value rules), the
 * protobuf decoder, the OpenAPI documents, strategic merge patch and server-side apply all read
 * these definitions; none of them has a per-type table of its own.
 */

/** Scalar JSON types, named as upstream's OpenAPI formats them. */
export type Scalar = 'string' | 'int32' | 'int64' | 'boolean' | 'double' | 'byte';

/** The shape of a field's value. */
export type TypeRef =
  | { readonly kind: 'scalar'; readonly scalar: Scalar; readonly enum?: readonly string[] }
  /** meta/v1 Time (RFC 3339, seconds) or MicroTime (microseconds); protobuf {seconds, nanos}. */
  | { readonly kind: 'time'; readonly micro?: boolean }
  /** resource.Quantity: a string or a number in JSON; protobuf {string}. */
  | { readonly kind: 'quantity' }
  /** intstr.IntOrString: protobuf {type, intVal, strVal}. */
  | { readonly kind: 'intOrString' }
  /** meta/v1 Duration: a Go duration string; protobuf {duration int64}. */
  | { readonly kind: 'duration' }
  /** runtime.RawExtension: any JSON value; protobuf {raw bytes}. */
  | { readonly kind: 'raw' }
  /** meta/v1 FieldsV1: a JSON object; protobuf {Raw bytes}. */
  | { readonly kind: 'fieldsV1' }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'array'; readonly items: TypeRef }
  | { readonly kind: 'map'; readonly values: TypeRef };

/**
 * How Go marshals a field, which decides what the server stores and returns:
 * - `omitempty`: a value with `omitempty` (string, number, bool, slice, map): dropped when zero or empty;
 * - `pointer`: a Go pointer: absent when nil, kept as given otherwise (`completions: 0` stays);
 * - `always`: no `omitempty`, or a struct value: the zero value is written when absent
 *   (`containers: null`, `resources: {}`, `creationTimestamp: null`).
 */
export type Presence = 'omitempty' | 'pointer' | 'always';

export interface Field {
  readonly type: TypeRef;
  /** The field number in the protobuf message. */
  readonly proto: number;
  readonly doc: string;
  readonly presence: Presence;
  /** Listed in the OpenAPI `required` array. */
  readonly required?: boolean;
  /** x-kubernetes-patch-strategy. */
  readonly patchStrategy?: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
  /** x-kubernetes-patch-merge-key. */
  readonly patchMergeKey?: string;
  readonly listType?: 'atomic' | 'set' | 'map';
  readonly listMapKeys?: readonly string[];
  readonly mapType?: 'atomic' | 'granular';
  /** The OpenAPI `default`. */
  readonly default?: unknown;
}

export interface TypeDef {
  /** The OpenAPI component name: `io.k8s.api.batch.v1.Job`. */
  readonly name: string;
  readonly doc: string;
  /** Fields in Go declaration order (the order the server writes them). */
  readonly fields: Readonly<Record<string, Field>>;
  /**
   * Go embedded structs: their fields are flat in JSON, but a nested message in protobuf (a
   * Probe's handler, a Volume's source). proto 0 marks TypeMeta, which protobuf carries in the
   * envelope instead. Embedded fields come first in JSON, in this order.
   */
  readonly inline?: ReadonlyArray<{ readonly proto: number; readonly type: string }>;
  /** x-kubernetes-map-type on a struct. */
  readonly mapType?: 'atomic' | 'granular';
}

// Building blocks for the definitions.

export const string: TypeRef = { kind: 'scalar', scalar: 'string' };
export const int32: TypeRef = { kind: 'scalar', scalar: 'int32' };
export const int64: TypeRef = { kind: 'scalar', scalar: 'int64' };
export const boolean: TypeRef = { kind: 'scalar', scalar: 'boolean' };
export const double: TypeRef = { kind: 'scalar', scalar: 'double' };
export const bytes: TypeRef = { kind: 'scalar', scalar: 'byte' };
export const time: TypeRef = { kind: 'time' };
export const microTime: TypeRef = { kind: 'time', micro: true };
export const quantity: TypeRef = { kind: 'quantity' };
export const intOrString: TypeRef = { kind: 'intOrString' };
export const duration: TypeRef = { kind: 'duration' };
export const raw: TypeRef = { kind: 'raw' };
export const fieldsV1: TypeRef = { kind: 'fieldsV1' };
/** A string limited to these values (listed as the OpenAPI enum). */
export const oneOf = (...values: string[]): TypeRef => ({ kind: 'scalar', scalar: 'string', enum: values });
export const ref = (name: string): TypeRef => ({ kind: 'ref', name });
export const arrayOf = (items: TypeRef): TypeRef => ({ kind: 'array', items });
export const mapOf = (values: TypeRef): TypeRef => ({ kind: 'map', values });

type FieldOptions = Partial<Omit<Field, 'type' | 'proto' | 'doc'>>;

/**
 * A list of objects keyed by one field that patches merge item by item (`+patchStrategy=merge`,
 * `+listType=map`): containers by name, ports by containerPort, conditions by type.
 */
export const mergedBy = (key: string): FieldOptions => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'map',
  listMapKeys: [key],
});

/**
 * A field: `field(proto, type, doc, options)`. Presence defaults to `pointer` for structs and
 * times (optional structs are pointers in the API types) and `omitempty` for the rest.
 */
export function field(proto: number, type: TypeRef, doc: string, options: FieldOptions = {}): Field {
  const presence: Presence =
    options.presence ?? (type.kind === 'ref' || type.kind === 'time' ? 'pointer' : 'omitempty');
  return { type, proto, doc, ...options, presence };
}

/** Prefixes of the OpenAPI names. */
export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const CORE = 'io.k8s.api.core.v1.';
export const BATCH = 'io.k8s.api.batch.v1.';

/** A reference to a type of one package, by its short name: `coreRef('PodSpec')`. */
export const metaRef = (n: string): TypeRef => ref(META + n);
export const coreRef = (n: string): TypeRef => ref(CORE + n);
export const batchRef = (n: string): TypeRef => ref(BATCH + n);

/** Declares the types of one package: `types(CORE, { PodSpec: {...} })` names them `io.k8s.api.core.v1.PodSpec`. */
export function types(prefix: string, defs: Record<string, Omit<TypeDef, 'name'>>): TypeDef[] {
  return Object.entries(defs).map(([short, def]) => ({ name: prefix + short, ...def }));
}

/** TypeMeta, embedded in every top-level object; protobuf carries it in the envelope. */
export const TYPE_META = { proto: 0, type: `${META}TypeMeta` } as const;

/** The Go name of a type (`JobSpec`), as upstream's decode errors print it. */
export const goName = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

/** A set of type definitions, looked up by name, with embedded fields flattened. */
export class Catalog {
  private readonly byName = new Map<string, TypeDef>();
  private readonly flat = new Map<string, ReadonlyMap<string, Field>>();

  constructor(defs: Iterable<TypeDef>) {
    for (const def of defs) {
      if (this.byName.has(def.name)) throw new Error(`type ${def.name} defined twice`);
      this.byName.set(def.name, def);
    }
  }

  get(name: string): TypeDef {
    const def = this.byName.get(name);
    if (!def) throw new Error(`unknown type ${name}`);
    return def;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  /** Every JSON field of a type, embedded ones first, in the order Go writes them. */
  fields(name: string): ReadonlyMap<string, Field> {
    let out = this.flat.get(name);
    if (out) return out;
    const def = this.get(name);
    const fields = new Map<string, Field>();
    for (const { type } of def.inline ?? []) for (const [k, f] of this.fields(type)) fields.set(k, f);
    for (const [k, f] of Object.entries(def.fields)) fields.set(k, f);
    out = fields;
    this.flat.set(name, out);
    return out;
  }

  /** Checks that every reference resolves and proto numbers are unique per message. */
  verify(): string[] {
    const problems: string[] = [];
    const check = (where: string, t: TypeRef) => {
      if (t.kind === 'ref' && !this.byName.has(t.name)) problems.push(`${where}: unknown type ${t.name}`);
      if (t.kind === 'array') check(where, t.items);
      if (t.kind === 'map') check(where, t.values);
    };
    for (const def of this.byName.values()) {
      const numbers = new Map<number, string>();
      const claim = (n: number, what: string) => {
        if (n === 0) return;
        const prior = numbers.get(n);
        if (prior) problems.push(`${def.name}: proto ${n} used by ${prior} and ${what}`);
        numbers.set(n, what);
      };
      for (const { proto, type } of def.inline ?? []) {
        if (!this.byName.has(type)) problems.push(`${def.name}: unknown embedded type ${type}`);
        claim(proto, type);
      }
      for (const [k, f] of Object.entries(def.fields)) {
        check(`${def.name}.${k}`, f.type);
        claim(f.proto, k);
        if (f.patchMergeKey && f.type.kind !== 'array')
          problems.push(`${def.name}.${k}: merge key on a non-list`);
      }
    }
    return problems;
  }
}
