/**
 * Deep copies of API objects, cheaper than a JSON round trip or structuredClone: the write path
 * copies every object it hands out, and walking plain data beats parsing text or the
 * structured-clone serializer several times over.
 */

type Json = Record<string, unknown>;

const isPlain = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Sets a key the way JSON.parse and structuredClone do: `__proto__` becomes an own property. */
function put(out: Json, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * What `JSON.parse(JSON.stringify(v))` returns, without the text: undefined and functions vanish
 * from objects and become null in arrays, non-finite numbers become null, toJSON is honoured.
 * @example copyJson({ a: undefined, b: [undefined], c: -0 }) // { b: [null], c: 0 }
 */
export function copyJson(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
  if (typeof v !== 'object' || v === null) return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return copyJson((v as { toJSON(key: string): unknown }).toJSON(''));
  }
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = inArray(copyJson(v[i]));
    return out;
  }
  const out: Json = {};
  for (const key of Object.keys(v)) {
    const x = copyMember((v as Json)[key]);
    if (x !== undefined) put(out, key, x);
  }
  return out;
}

/** An object member as JSON keeps it: undefined when it is dropped. */
function copyMember(x: unknown): unknown {
  if (typeof x === 'string' || typeof x === 'boolean' || x === null) return x;
  if (typeof x === 'function' || typeof x === 'symbol' || x === undefined) return undefined;
  return copyJson(x);
}

/** JSON writes null for array elements it cannot represent. */
const inArray = (x: unknown): unknown =>
  x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x;

/**
 * What structuredClone returns for plain data (objects, arrays, primitives; undefined members and
 * array holes kept), walked in JavaScript; anything else (a Date, a Map) goes to structuredClone.
 * @example copyPlain({ a: undefined, b: [1] }) // { a: undefined, b: [1] }, b a new array
 */
export function copyPlain<T>(v: T): T {
  if (typeof v !== 'object' || v === null) {
    // structuredClone throws DataCloneError for these: so does this.
    return typeof v === 'function' || typeof v === 'symbol' ? structuredClone(v) : v;
  }
  if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) return structuredClone(v);
    return v.map(copyPlain) as T;
  }
  if (!isPlain(v)) return structuredClone(v);
  const out: Json = {};
  for (const key of Object.keys(v)) put(out, key, copyPlain((v as Json)[key]));
  return out as T;
}
