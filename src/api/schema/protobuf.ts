/**
 * Protobuf request bodies (`application/vnd.kubernetes.protobuf`), read by the schema catalog.
 * kubectl sends `create job|cronjob|namespace` bodies this way: the magic `k8s\0`, then a
 * `runtime.Unknown` whose `raw` is the typed message. We turn that message into the JSON object
 * the JSON path would have received, so `decodeAs`, defaulting and the registry run unchanged.
 *
 * gogo-generated Go marshallers write every non-pointer field, zeros included; we keep what is
 * on the wire and let `decodeAs` drop `omitempty` zeros, exactly as for a JSON body.
 *
 * int64 values are read exactly and returned as JS numbers: beyond 2^53 they round to the
 * nearest double, the same loss `JSON.parse` gives the JSON path (durations are exact: they are
 * formatted from the 64-bit value).
 */
import protobuf from 'protobufjs/minimal.js';
import { type Catalog, type Field, goName, type Scalar, type TypeRef } from './schema.js';

type Reader = protobuf.Reader;

/** A body that is not a well-formed protobuf message; messages follow Go's gogo-protobuf decoder. */
export class ProtobufDecodeError extends Error {
  constructor(
    message: string,
    /** The envelope's type, once it was read: upstream names it in the 400 message. */
    readonly typeMeta?: TypeMeta,
  ) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export interface TypeMeta {
  apiVersion: string;
  kind: string;
}

/** The `runtime.Unknown` envelope around every protobuf object. */
export interface ProtobufEnvelope extends TypeMeta {
  /** The typed message (a `batch.v1.Job`, ...). */
  raw: Uint8Array;
  /** Empty on every request kubectl sends. */
  contentEncoding: string;
  contentType: string;
}

/** The media type of protobuf bodies. */
export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';

/** The four bytes before every protobuf object: `k8s\0`. */
export const PROTOBUF_MAGIC: readonly number[] = [0x6b, 0x38, 0x73, 0x00];

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_END_GROUP = 4;

/** Go's zero time (0001-01-01T00:00:00Z) in Unix seconds: marshals as JSON null. */
const GO_ZERO_SECONDS = -62135596800;
/** The years Go's Time.MarshalJSON accepts, [0, 9999], in Unix seconds. */
const MIN_SECONDS = -62167219200;
const MAX_SECONDS = 253402300799;

// ---- the envelope ----

/**
 * Checks the magic and reads the `runtime.Unknown` envelope.
 * @example
 *   const { apiVersion, kind, raw } = decodeProtobufEnvelope(body);
 */
export function decodeProtobufEnvelope(body: Uint8Array): ProtobufEnvelope {
  if (body.length === 0) throw new ProtobufDecodeError('empty data');
  if (body.length < PROTOBUF_MAGIC.length || PROTOBUF_MAGIC.some((b, i) => body[i] !== b)) {
    throw new ProtobufDecodeError(
      `provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_MAGIC.join(' ')}]`,
    );
  }
  if (body.length === PROTOBUF_MAGIC.length) throw new ProtobufDecodeError('empty body');
  const out: ProtobufEnvelope = {
    apiVersion: '',
    kind: '',
    raw: new Uint8Array(0),
    contentEncoding: '',
    contentType: '',
  };
  guarded(() =>
    eachField(protobuf.Reader.create(body.subarray(PROTOBUF_MAGIC.length)), 'Unknown', (r, num, wire) => {
      const name = ['', 'TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'][num];
      if (!name) return false;
      expectWire(wire, WIRE_BYTES, name);
      if (num === 1) readTypeMeta(r.bytes(), out);
      else if (num === 2) out.raw = r.bytes();
      else if (num === 3) out.contentEncoding = r.string();
      else out.contentType = r.string();
      return true;
    }),
  );
  return out;
}

function readTypeMeta(bytes: Uint8Array, out: TypeMeta): void {
  eachField(protobuf.Reader.create(bytes), 'TypeMeta', (r, num, wire) => {
    if (num !== 1 && num !== 2) return false;
    expectWire(wire, WIRE_BYTES, num === 1 ? 'APIVersion' : 'Kind');
    if (num === 1) out.apiVersion = r.string();
    else out.kind = r.string();
    return true;
  });
}

// ---- typed messages ----

/**
 * Decodes a protobuf message of the catalog type `typeName` into the JSON object Go would read
 * from the same object in JSON. `typeMeta` (from the envelope) becomes the top-level
 * apiVersion and kind, which the message itself never carries.
 * @example
 *   const obj = decodeMessage(catalog, BATCH + 'Job', envelope.raw, envelope);
 *   const { value } = decodeAs(catalog, BATCH + 'Job', obj);
 */
export function decodeMessage(
  catalog: Catalog,
  typeName: string,
  bytes: Uint8Array,
  typeMeta?: TypeMeta,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeMeta?.apiVersion) out.apiVersion = typeMeta.apiVersion;
  if (typeMeta?.kind) out.kind = typeMeta.kind;
  const named = typeMeta && { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind };
  guarded(() => readStruct(catalog, typeName, bytes, out), named);
  return out;
}

/**
 * The envelope and its message in one step: what a POST or PUT handler needs.
 * @example
 *   const obj = decodeProtobufObject(catalog, type.schema, body); // then the JSON path
 */
export function decodeProtobufObject(
  catalog: Catalog,
  typeName: string,
  body: Uint8Array,
): Record<string, unknown> {
  const envelope = decodeProtobufEnvelope(body);
  return decodeMessage(catalog, typeName, envelope.raw, envelope);
}

/**
 * Upstream's 400 message for a body that failed to decode: it names the envelope's type when
 * the envelope was read (defaulted from the URL), and summarizes the body otherwise.
 */
export function protobufDecodeErrorMessage(
  err: ProtobufDecodeError,
  expected: { kind: string; version: string },
  body: Uint8Array,
): string {
  if (err.typeMeta) {
    const kind = err.typeMeta.kind || expected.kind;
    const version = versionOf(err.typeMeta.apiVersion) || expected.version;
    return `${kind} in version "${version}" cannot be handled as a ${expected.kind}: ${err.message}`;
  }
  return `the object provided is unrecognized (must be of type ${expected.kind}): ${err.message} (${summarize(body)})`;
}

const versionOf = (apiVersion: string): string => apiVersion.slice(apiVersion.indexOf('/') + 1);

/** Upstream's short form of a body in decode errors: the first 30 bytes, as hex unless it looks like JSON. */
function summarize(body: Uint8Array): string {
  if (body.length === 0) return '<empty>';
  const head = Buffer.from(body.subarray(0, 30));
  const text = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return body.length > 30 ? `${text} ...` : text;
}

/** Where a field number of a message leads: a field, or an embedded struct (flat in JSON). */
type Slot = { key: string; field: Field } | { embedded: string };

const slotCache = new WeakMap<Catalog, Map<string, ReadonlyMap<number, Slot>>>();

function slotsOf(catalog: Catalog, name: string): ReadonlyMap<number, Slot> {
  let perCatalog = slotCache.get(catalog);
  if (!perCatalog) slotCache.set(catalog, (perCatalog = new Map()));
  let slots = perCatalog.get(name);
  if (slots) return slots;
  const def = catalog.get(name);
  const map = new Map<number, Slot>();
  // proto 0 is TypeMeta, which the envelope carries instead of the message.
  for (const { proto, type } of def.inline ?? []) if (proto > 0) map.set(proto, { embedded: type });
  for (const [key, field] of Object.entries(def.fields)) map.set(field.proto, { key, field });
  slots = map;
  perCatalog.set(name, slots);
  return slots;
}

/** Reads one message into `out`; a repeated occurrence of a message field merges, as in Go. */
function readStruct(catalog: Catalog, name: string, bytes: Uint8Array, out: Record<string, unknown>): void {
  const slots = slotsOf(catalog, name);
  eachField(protobuf.Reader.create(bytes), goName(name), (r, num, wire) => {
    const slot = slots.get(num);
    if (!slot) return false;
    if ('embedded' in slot) {
      expectWire(wire, WIRE_BYTES, goName(slot.embedded));
      readStruct(catalog, slot.embedded, r.bytes(), out);
      return true;
    }
    const { key, field } = slot;
    const t = field.type;
    const goField = goFieldName(key);
    if (t.kind === 'array') {
      const list = (out[key] ??= []) as unknown[];
      if (wire === WIRE_BYTES && isPackable(t.items)) {
        const packed = protobuf.Reader.create(r.bytes());
        while (packed.pos < packed.len) list.push(readScalar(packed, scalarOf(t.items)));
      } else {
        list.push(readValue(catalog, t.items, r, wire, goField));
      }
    } else if (t.kind === 'map') {
      expectWire(wire, WIRE_BYTES, goField);
      const map = (out[key] ??= {}) as Record<string, unknown>;
      readMapEntry(catalog, t.values, r.bytes(), map, goField);
    } else if (t.kind === 'ref') {
      expectWire(wire, WIRE_BYTES, goField);
      const prior = out[key];
      const target = typeof prior === 'object' && prior !== null ? (prior as Record<string, unknown>) : {};
      readStruct(catalog, t.name, r.bytes(), target);
      out[key] = target;
    } else {
      out[key] = readValue(catalog, t, r, wire, goField);
    }
    return true;
  });
}

/** One map entry: key 1 (a string in every Kubernetes map), value 2; a missing part is its zero value. */
function readMapEntry(
  catalog: Catalog,
  values: TypeRef,
  bytes: Uint8Array,
  map: Record<string, unknown>,
  goField: string,
): void {
  let key = '';
  let value: unknown;
  eachField(protobuf.Reader.create(bytes), goField, (r, num, wire) => {
    if (num === 1) {
      expectWire(wire, WIRE_BYTES, goField);
      key = r.string();
    } else if (num === 2) {
      value = readValue(catalog, values, r, wire, goField);
    } else {
      return false;
    }
    return true;
  });
  map[key] = value === undefined ? emptyValue(catalog, values) : value;
}

/** The value of an entry that is absent from the wire: what Go's zero value decodes to. */
function emptyValue(catalog: Catalog, t: TypeRef): unknown {
  if (t.kind === 'scalar') {
    if (t.scalar === 'string') return '';
    if (t.scalar === 'boolean') return false;
    return t.scalar === 'byte' ? null : 0;
  }
  if (t.kind === 'array') return [];
  if (t.kind === 'map') return {};
  return readMessageValue(catalog, t, new Uint8Array(0));
}

/** One value of a field (or of one item of a repeated field). */
function readValue(catalog: Catalog, t: TypeRef, r: Reader, wire: number, goField: string): unknown {
  if (t.kind === 'scalar') {
    expectWire(wire, wireOf(t.scalar), goField);
    return readScalar(r, t.scalar);
  }
  expectWire(wire, WIRE_BYTES, goField);
  const bytes = r.bytes();
  if (t.kind === 'array') {
    // Kubernetes has no list of lists; a nested list would need a wrapper message.
    throw new ProtobufDecodeError(`proto: unsupported nested list for field ${goField}`);
  }
  if (t.kind === 'map') {
    const map: Record<string, unknown> = {};
    readMapEntry(catalog, t.values, bytes, map, goField);
    return map;
  }
  return readMessageValue(catalog, t, bytes);
}

/** The wire type of a scalar's single (unpacked) encoding. */
function wireOf(s: Scalar): number {
  if (s === 'string' || s === 'byte') return WIRE_BYTES;
  if (s === 'double') return WIRE_FIXED64;
  return WIRE_VARINT;
}

function isPackable(t: TypeRef): boolean {
  return t.kind === 'scalar' && wireOf(t.scalar) !== WIRE_BYTES;
}

function scalarOf(t: TypeRef): Scalar {
  return t.kind === 'scalar' ? t.scalar : 'string';
}

function readScalar(r: Reader, s: Scalar): unknown {
  switch (s) {
    case 'string':
      return r.string();
    case 'byte':
      // Go's encoding/json writes []byte as standard base64.
      return Buffer.from(r.bytes()).toString('base64');
    case 'boolean':
      return r.bool();
    case 'double':
      return r.double();
    case 'int32':
      return r.int32();
    case 'int64':
      return Number(readInt64(r));
  }
}

/** The message-shaped special types and structs, from their bytes. */
function readMessageValue(catalog: Catalog, t: TypeRef, bytes: Uint8Array): unknown {
  switch (t.kind) {
    case 'ref': {
      const out: Record<string, unknown> = {};
      readStruct(catalog, t.name, bytes, out);
      return out;
    }
    case 'time':
      return readTime(bytes, t.micro === true);
    case 'quantity': {
      // An unset Quantity is zero, which Go writes as "0".
      let value = '0';
      eachField(protobuf.Reader.create(bytes), 'Quantity', (r, num, wire) => {
        if (num !== 1) return false;
        expectWire(wire, WIRE_BYTES, 'String_');
        value = r.string();
        return true;
      });
      return value;
    }
    case 'intOrString':
      return readIntOrString(bytes);
    case 'duration':
      return readDuration(bytes);
    case 'raw':
    case 'fieldsV1':
      return readEmbeddedJson(bytes, t.kind === 'raw' ? 'RawExtension' : 'FieldsV1');
    default:
      throw new ProtobufDecodeError(`proto: unexpected type ${t.kind}`);
  }
}

/** meta/v1 Time and MicroTime: a Timestamp {seconds, nanos}; no bytes is the zero time (null). */
function readTime(bytes: Uint8Array, micro: boolean): string | null {
  if (bytes.length === 0) return null;
  let seconds = 0;
  let nanos = 0;
  eachField(protobuf.Reader.create(bytes), 'Timestamp', (r, num, wire) => {
    if (num !== 1 && num !== 2) return false;
    expectWire(wire, WIRE_VARINT, num === 1 ? 'Seconds' : 'Nanos');
    if (num === 1) seconds = Number(readInt64(r));
    else nanos = r.int32();
    return true;
  });
  // Time keeps whole seconds only (its JSON has no fraction); MicroTime keeps microseconds.
  const micros = micro ? Math.trunc(nanos / 1000) : 0;
  if (seconds === GO_ZERO_SECONDS && micros === 0) return null;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || micros < 0 || micros > 999_999) {
    throw new ProtobufDecodeError('Time.MarshalJSON: year outside of range [0,9999]');
  }
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(micros).padStart(6, '0')}Z` : `${base}Z`;
}

/** intstr.IntOrString {type, intVal, strVal}: type 1 is a string, 0 an integer. */
function readIntOrString(bytes: Uint8Array): number | string {
  let type = 0;
  let intVal = 0;
  let strVal = '';
  eachField(protobuf.Reader.create(bytes), 'IntOrString', (r, num, wire) => {
    if (num === 1) {
      expectWire(wire, WIRE_VARINT, 'Type');
      type = Number(readInt64(r));
    } else if (num === 2) {
      expectWire(wire, WIRE_VARINT, 'IntVal');
      intVal = r.int32();
    } else if (num === 3) {
      expectWire(wire, WIRE_BYTES, 'StrVal');
      strVal = r.string();
    } else {
      return false;
    }
    return true;
  });
  if (type === 0) return intVal;
  if (type === 1) return strVal;
  throw new ProtobufDecodeError('impossible IntOrString.Type');
}

/** meta/v1 Duration {duration: int64 nanoseconds}, written as Go's time.Duration.String(). */
function readDuration(bytes: Uint8Array): string {
  let ns = 0n;
  eachField(protobuf.Reader.create(bytes), 'Duration', (r, num, wire) => {
    if (num !== 1) return false;
    expectWire(wire, WIRE_VARINT, 'Duration');
    ns = readInt64(r);
    return true;
  });
  return formatGoDuration(ns);
}

/** Go's time.Duration.String(): `1h2m3.5s`, `1.5ms`, `0s`. */
export function formatGoDuration(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const u = ns < 0n ? -ns : ns;
  if (u === 0n) return '0s';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}µs`;
  if (u < 1_000_000_000n) return `${sign}${withFraction(u, 6)}ms`;
  const fraction = fractionOf(u, 9);
  const secs = u / 1_000_000_000n;
  let text = `${secs % 60n}${fraction}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    text = `${mins % 60n}m${text}`;
    const hours = mins / 60n;
    if (hours > 0n) text = `${hours}h${text}`;
  }
  return `${sign}${text}`;
}

/** `v / 10^digits` with its fraction, trailing zeros dropped. */
const withFraction = (v: bigint, digits: number): string =>
  `${v / 10n ** BigInt(digits)}${fractionOf(v, digits)}`;

function fractionOf(v: bigint, digits: number): string {
  const frac = (v % 10n ** BigInt(digits)).toString().padStart(digits, '0').replace(/0+$/, '');
  return frac ? `.${frac}` : '';
}

/** RawExtension {raw} and FieldsV1 {Raw}: JSON bytes, written into the object as they are. */
function readEmbeddedJson(bytes: Uint8Array, goType: string): unknown {
  let raw: Uint8Array | undefined;
  eachField(protobuf.Reader.create(bytes), goType, (r, num, wire) => {
    if (num !== 1) return false;
    expectWire(wire, WIRE_BYTES, 'Raw');
    raw = r.bytes();
    return true;
  });
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new ProtobufDecodeError(
      `json: error calling MarshalJSON for type *${goType === 'FieldsV1' ? 'v1' : 'runtime'}.${goType}: ${(err as Error).message}`,
    );
  }
}

// ---- the wire ----

/**
 * Visits each field of one message; `visit` returns false for a field it does not know, which
 * is skipped (unknown field numbers are ignored, as Go's generated code does).
 */
function eachField(
  r: Reader,
  struct: string,
  visit: (r: Reader, num: number, wire: number) => boolean,
): void {
  while (r.pos < r.len) {
    const tag = r.uint32();
    const num = tag >>> 3;
    const wire = tag & 7;
    if (wire === WIRE_END_GROUP)
      throw new ProtobufDecodeError(`proto: ${struct}: wiretype end group for non-group`);
    if (num <= 0) throw new ProtobufDecodeError(`proto: ${struct}: illegal tag ${num} (wire type ${wire})`);
    if (!visit(r, num, wire)) skip(r, wire);
  }
}

function skip(r: Reader, wire: number): void {
  if (wire > 5) throw new ProtobufDecodeError(`proto: illegal wireType ${wire}`);
  // Reading the varint (rather than skipping it) rejects one longer than ten bytes, as Go does.
  if (wire === WIRE_VARINT) r.int64();
  else r.skipType(wire);
}

/** A signed 64-bit varint, exactly (protobufjs gives a Long, or a number without the long package). */
function readInt64(r: Reader): bigint {
  const v: protobuf.Long | number = r.int64();
  if (typeof v === 'number') return BigInt(v);
  return BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
}

function expectWire(actual: number, expected: number, goField: string): void {
  if (actual !== expected)
    throw new ProtobufDecodeError(`proto: wrong wireType = ${actual} for field ${goField}`);
}

/** The Go name of a field, as gogo's errors print it: `completions` → `Completions`. */
function goFieldName(key: string): string {
  if (key === 'apiVersion') return 'APIVersion';
  if (key === 'uid') return 'UID';
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** Runs a decode, turning the reader's own errors into Go's wording. */
function guarded(run: () => void, typeMeta?: TypeMeta): void {
  try {
    run();
  } catch (err) {
    const message = err instanceof ProtobufDecodeError ? err.message : readerMessage(err);
    throw new ProtobufDecodeError(message, typeMeta);
  }
}

function readerMessage(err: unknown): string {
  if (err instanceof RangeError) return 'unexpected EOF';
  const text = err instanceof Error ? err.message : String(err);
  if (/invalid (varint|tag) encoding/.test(text)) return 'proto: integer overflow';
  if (/invalid length encoding/.test(text)) return 'proto: negative length found during unmarshaling';
  if (/index out of range/.test(text)) return 'unexpected EOF';
  return `proto: ${text}`;
}
