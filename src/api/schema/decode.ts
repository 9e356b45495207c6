/**
 * The typed decoder: reads a JSON value as upstream's Go structs would, then writes it back as
 * they would marshal it. Unknown fields are dropped (and reported, for fieldValidation), a value
 * of the wrong JSON type is a decode error with Go's wording, and Go's zero-value rules decide
 * what is kept: `omitempty` zeros disappear, fields without it appear (`resources: {}`,
 * `creationTimestamp: null`). Keys come out in Go declaration order.
 */
import { type Catalog, type Field, goName, type Scalar, type TypeRef } from './schema.js';

/** A value of the wrong type: upstream answers 400 with this message after `cannot be handled as a <Kind>: `. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

export interface Decoded {
  value: Record<string, unknown>;
  /** Paths of dropped unknown fields, as upstream's strict decoding names them: `spec.template.spec.containers[0].foo`. */
  unknownFields: string[];
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The Go type of a field, as encoding/json prints it in errors. */
function goType(t: TypeRef): string {
  switch (t.kind) {
    case 'scalar':
      return GO_SCALARS[t.scalar];
    case 'time':
      return t.micro ? 'v1.MicroTime' : 'v1.Time';
    case 'quantity':
      return 'resource.Quantity';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'duration':
      return 'v1.Duration';
    case 'raw':
      return 'runtime.RawExtension';
    case 'fieldsV1':
      return 'v1.FieldsV1';
    case 'ref':
      return `v1.${goName(t.name)}`;
    case 'array':
      return `[]${goType(t.items)}`;
    case 'map':
      return `map[string]${goType(t.values)}`;
  }
}

const GO_SCALARS: Record<Scalar, string> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  boolean: 'bool',
  double: 'float64',
  byte: '[]uint8',
};

/** encoding/json's name for the JSON type of a value. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where the decoder is: the struct that holds the current field, and the step from the parent
 * position. The paths are strings only when an error or an unknown field needs them: building
 * them for every field was a good part of the cost of a decode.
 */
interface Position {
  /** Go name of the innermost struct. */
  readonly struct: string;
  readonly parent?: Position;
  /** A struct field, a list index or a map key. */
  readonly step?: { readonly field: string } | { readonly index: number } | { readonly key: string };
}

/** JSON field names from the root, without indexes (Go's error path). */
function goPath(at: Position): string {
  const names: string[] = [];
  for (let p: Position | undefined = at; p?.step; p = p.parent) {
    if ('field' in p.step) names.push(p.step.field);
  }
  return names.reverse().join('.');
}

/** The path with indexes and keys (upstream's unknown-field path). */
function path(at: Position): string {
  const parts: string[] = [];
  for (let p: Position | undefined = at; p?.step; p = p.parent) {
    const step = p.step;
    if ('index' in step) parts.push(`[${step.index}]`);
    else parts.push('field' in step ? step.field : step.key, p.parent?.step ? '.' : '');
  }
  return parts.reverse().join('');
}

class Decoder {
  readonly unknownFields: string[] = [];

  constructor(private readonly catalog: Catalog) {}

  fail(at: Position, t: TypeRef, value: unknown, shown?: string): never {
    const what = shown ?? jsonKind(value);
    const where = goPath(at);
    if (!where) throw new DecodeError(`json: cannot unmarshal ${what} into Go value of type ${goType(t)}`);
    throw new DecodeError(
      `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${where} of type ${goType(t)}`,
    );
  }

  struct(name: string, input: Record<string, unknown>, at: Position): Record<string, unknown> {
    const fields = this.catalog.fields(name);
    const struct = goName(name);
    for (const key of Object.keys(input)) {
      if (!fields.has(key)) this.unknownFields.push(path({ struct, parent: at, step: { field: key } }));
    }
    const out: Record<string, unknown> = {};
    for (const [key, f] of fields) {
      const given = Object.hasOwn(input, key) ? input[key] : undefined;
      if (given === undefined || given === null) {
        // Most fields of a type are absent: only those Go always writes cost anything.
        if (f.presence === 'always') out[key] = this.zero(f.type);
        continue;
      }
      const pos: Position = { struct, parent: at, step: { field: key } };
      const kept = this.present(f, this.value(f.type, given, pos));
      if (kept !== undefined) out[key] = kept;
    }
    return out;
  }

  /** Go's marshalling of one field: omitempty drops zeros, a field without it always appears. */
  private present(f: Field, value: unknown): unknown {
    if (f.presence === 'pointer') return value;
    if (f.presence === 'omitempty') {
      if (value === undefined || isEmpty(value)) return undefined;
      if (f.type.kind === 'map' && Object.keys(value as object).length === 0) return undefined;
      return value;
    }
    return value === undefined ? this.zero(f.type) : value;
  }

  /** The JSON of a Go zero value. */
  zero(t: TypeRef): unknown {
    switch (t.kind) {
      case 'scalar':
        if (t.scalar === 'string') return '';
        if (t.scalar === 'boolean') return false;
        if (t.scalar === 'byte') return null;
        return 0;
      case 'intOrString':
        return 0;
      case 'quantity':
        return '0';
      case 'duration':
        return '0s';
      case 'ref':
        return this.struct(t.name, {}, { struct: '' });
      default:
        // time (null when zero), slices and maps (nil), raw extensions.
        return null;
    }
  }

  value(t: TypeRef, v: unknown, at: Position): unknown {
    switch (t.kind) {
      case 'scalar':
        return this.scalar(t.scalar, v, at, t);
      case 'time':
        if (typeof v !== 'string') this.fail(at, t, v);
        return formatTime(v, t.micro === true);
      case 'quantity':
        if (typeof v === 'number') return String(v);
        if (typeof v !== 'string') this.fail(at, t, v);
        return v;
      case 'intOrString':
        if (typeof v === 'string') return v;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
          this.fail(at, t, v, typeof v === 'number' ? `number ${v}` : undefined);
        }
        return v;
      case 'duration':
        if (typeof v !== 'string') this.fail(at, t, v);
        return v;
      case 'raw':
        return v;
      case 'fieldsV1':
        if (!isPlainObject(v)) this.fail(at, t, v);
        return v;
      case 'ref':
        if (!isPlainObject(v)) this.fail(at, t, v);
        return this.struct(t.name, v, at);
      case 'array': {
        if (!Array.isArray(v)) this.fail(at, t, v);
        return v.map((item, i) =>
          item === null
            ? this.zero(t.items)
            : this.value(t.items, item, { struct: at.struct, parent: at, step: { index: i } }),
        );
      }
      case 'map': {
        if (!isPlainObject(v)) this.fail(at, t, v);
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
          out[k] =
            item === null
              ? this.zero(t.values)
              : this.value(t.values, item, { struct: at.struct, parent: at, step: { key: k } });
        }
        return out;
      }
    }
  }

  private scalar(s: Scalar, v: unknown, at: Position, t: TypeRef): unknown {
    switch (s) {
      case 'string':
      case 'byte':
        if (typeof v !== 'string') this.fail(at, t, v);
        if (s === 'byte' && !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) {
          throw new DecodeError(`illegal base64 data at input byte ${firstBadBase64(v)}`);
        }
        return v;
      case 'boolean':
        if (typeof v !== 'boolean') this.fail(at, t, v);
        return v;
      case 'double':
        if (typeof v !== 'number') this.fail(at, t, v);
        return v;
      case 'int32':
      case 'int64': {
        if (typeof v !== 'number') this.fail(at, t, v);
        const inRange = s === 'int32' ? v >= INT32_MIN && v <= INT32_MAX : Math.abs(v) < 2 ** 63;
        if (!Number.isInteger(v) || !inRange) this.fail(at, t, v, `number ${v}`);
        return v;
      }
    }
  }
}

function firstBadBase64(v: string): number {
  const i = [...v].findIndex((c) => !/[A-Za-z0-9+/=]/.test(c));
  return i < 0 ? v.length : i;
}

/** Empty in Go's omitempty sense: false, 0, "", or an empty slice or map. */
function isEmpty(v: unknown): boolean {
  if (v === false || v === 0 || v === '' || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return false;
}

/** Times repeat across writes (creation and transition times): each text is formatted once. */
const TIME_CACHE_SIZE = 4096;
const formatted = [new Map<string, string>(), new Map<string, string>()] as const;

/** Go's metav1.Time: RFC 3339 in, UTC out, whole seconds (MicroTime keeps six digits). */
function formatTime(v: string, micro: boolean): string {
  const cache = formatted[micro ? 1 : 0];
  let out = cache.get(v);
  if (out === undefined) {
    out = formatTimeOnce(v, micro);
    if (cache.size >= TIME_CACHE_SIZE) cache.clear();
    cache.set(v, out);
  }
  return out;
}

function formatTimeOnce(v: string, micro: boolean): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(v);
  const ms = m ? Date.parse(v.toUpperCase()) : Number.NaN;
  if (!m || Number.isNaN(ms)) {
    throw new DecodeError(
      `parsing time "${v}" as "2006-01-02T15:04:05Z07:00": cannot parse "${v}" as "2006"`,
    );
  }
  const base = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  if (!micro) return `${base}Z`;
  const frac = (m[7] ?? '.').slice(1).padEnd(6, '0').slice(0, 6);
  return `${base}.${frac}Z`;
}

/**
 * Decodes `input` as the type `name`. Throws DecodeError for a value of the wrong type.
 * @example
 *   const { value, unknownFields } = decodeAs(catalog, BATCH + 'Job', JSON.parse(body));
 */
export function decodeAs(catalog: Catalog, name: string, input: unknown): Decoded {
  const d: Decoder = new Decoder(catalog);
  const root: Position = { struct: goName(name) };
  if (!isPlainObject(input)) d.fail(root, { kind: 'ref', name }, input);
  const value = d.struct(name, input, root);
  return { value, unknownFields: d.unknownFields };
}

/** The JSON Go writes for a zero value of the type (`{}` normalized for structs). */
export function zeroOf(catalog: Catalog, t: TypeRef): unknown {
  return new Decoder(catalog).zero(t);
}
