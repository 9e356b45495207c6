/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as upstream's apiserver applies
 * it (k8s.io/apimachinery strategicpatch, server side: parallel lists merged, unmatched nulls
 * ignored). Patch strategies and merge keys come from the schema catalog, read the way upstream's
 * reflection over the Go structs reads the struct tags. Directives: `$patch` (replace, delete,
 * merge), `$deleteFromPrimitiveList/<f>`, `$setElementOrder/<f>` and `$retainKeys`.
 */
import { ApiError, badRequest } from '../../api/meta/status.js';
import { type Catalog, goName, type TypeRef } from '../../api/schema/schema.js';
import { copyPlain } from '../../util/copy.js';

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';

/** Whether a request's Content-Type (parameters such as `charset` allowed) asks for a strategic merge patch. */
export function isStrategicMergePatch(contentType: string | undefined): boolean {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === STRATEGIC_MERGE_PATCH;
}

/**
 * A patch that cannot be applied. `code` is the HTTP status upstream answers with: 400 for the
 * malformed directives its handler recognises, 422 for lists of lists, and 500 (a Status with no
 * reason) for every other merge error, which upstream's handler passes through unconverted.
 */
export class StrategicMergePatchError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 422 | 500,
  ) {
    super(message);
    this.name = 'StrategicMergePatchError';
  }
}

/** The Status upstream's patch handler answers with for this error. */
export function toApiError(err: StrategicMergePatchError): ApiError {
  if (err.code === 400) return badRequest(err.message);
  const base = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' } as const;
  // Upstream wraps these two in a generic 422 that drops the merge error's own message.
  if (err.code === 422)
    return new ApiError(
      {
        ...base,
        message: 'the server rejected our request due to an error in our request',
        reason: 'Invalid',
        details: {},
        code: 422,
      },
      { cause: err },
    );
  return new ApiError({ ...base, message: err.message, code: 500 }, { cause: err });
}

/**
 * Applies `patch` to `original` (a `typeName` object of the catalog) and returns the result; the
 * inputs are not modified, unless the caller `owned` original (a fresh copy it throws away after):
 * then the patch is merged into it. A type outside the catalog merges by JSON merge patch rules
 * (lists replace), directives still honoured. Throws StrategicMergePatchError with upstream's messages.
 */
export function strategicMergePatch(
  catalog: Catalog,
  typeName: string,
  original: unknown,
  patch: unknown,
  owned = false,
): unknown {
  // A `null` body decodes to a nil map upstream, which merges as nothing.
  if (patch === null) return owned ? original : copyPlain(original);
  if (!isMap(patch))
    throw new StrategicMergePatchError(
      `json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`,
      400,
    );
  const schema: Schema = catalog.has(typeName) ? { kind: 'struct', name: typeName } : FREE;
  const base = isMap(original) ? (owned ? original : copyPlain(original)) : {};
  // Upstream mutates both documents as it goes; the copies let us follow it step by step.
  return new Merger(catalog).mergeMap(base, copyPlain(patch), schema);
}

// ---------------------------------------------------------------------------------------------
// Schema lookups: what upstream's reflection (PatchMetaFromStruct) finds for a JSON field.

type JsonMap = Record<string, unknown>;

/**
 * The Go type at one point of the document: a struct of the catalog, a struct with no JSON
 * fields of its own (Time, Quantity...), another Go kind, or `free` (RawExtension, FieldsV1 and
 * types outside the catalog), where nothing is known and every list replaces.
 */
type Schema =
  | { kind: 'struct'; name: string }
  | { kind: 'opaque'; goType: string }
  | { kind: 'map' }
  | { kind: 'slice'; items: TypeRef | 'uint8' }
  | { kind: 'scalar'; goKind: string }
  | { kind: 'free' };

const FREE: Schema = { kind: 'free' };

interface PatchMeta {
  schema: Schema;
  strategies: string[];
  mergeKey: string;
}

const OPAQUE: Record<string, string> = {
  quantity: 'Quantity',
  intOrString: 'IntOrString',
  duration: 'Duration',
};

const GO_KINDS: Record<string, string> = {
  string: 'string',
  int32: 'int32',
  int64: 'int64',
  boolean: 'bool',
  double: 'float64',
};

function schemaOf(catalog: Catalog, t: TypeRef | 'uint8'): Schema {
  if (t === 'uint8') return { kind: 'scalar', goKind: 'uint8' };
  switch (t.kind) {
    case 'ref':
      return catalog.has(t.name) ? { kind: 'struct', name: t.name } : FREE;
    case 'raw':
    case 'fieldsV1':
      return FREE;
    case 'time':
      return { kind: 'opaque', goType: t.micro ? 'MicroTime' : 'Time' };
    case 'quantity':
    case 'intOrString':
    case 'duration':
      return { kind: 'opaque', goType: OPAQUE[t.kind] ?? t.kind };
    case 'map':
      return { kind: 'map' };
    case 'array':
      return { kind: 'slice', items: t.items };
    case 'scalar':
      // []byte is a Go slice, written as a base64 string.
      if (t.scalar === 'byte') return { kind: 'slice', items: 'uint8' };
      return { kind: 'scalar', goKind: GO_KINDS[t.scalar] ?? t.scalar };
  }
}

/** reflect.Kind of the type, as upstream's messages print it. */
function kindName(s: Schema): string {
  switch (s.kind) {
    case 'struct':
    case 'opaque':
    case 'free':
      return 'struct';
    case 'map':
      return 'map';
    case 'slice':
      return 'slice';
    case 'scalar':
      return s.goKind;
  }
}

// ---------------------------------------------------------------------------------------------
// The merge, step for step as upstream's mergeMap / mergeSlice.

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/**
 * A Go slice: `len` items over a backing array other slices may share. Upstream deletes list items
 * by shifting them in place and appends into the room that leaves, and mergeOrderedLists then
 * reads the shared array: this keeps those writes where Go makes them.
 */
interface GoSlice {
  arr: unknown[];
  len: number;
  owned: boolean;
}

class Merger {
  constructor(private readonly catalog: Catalog) {}

  lookupStruct(schema: Schema, key: string): PatchMeta {
    if (schema.kind === 'free') return { schema: FREE, strategies: [], mergeKey: '' };
    if (schema.kind === 'opaque') throw internal(fieldNotFound(schema.goType, key));
    if (schema.kind !== 'struct')
      throw internal(
        `merging an object in json but data type is not struct, instead is: ${kindName(schema)}`,
      );
    const fields = this.catalog.fields(schema.name);
    // encoding/json matches a key exactly first, then case-insensitively.
    let field = fields.get(key);
    if (!field) {
      const lower = key.toLowerCase();
      for (const [name, f] of fields) {
        if (name.toLowerCase() === lower) {
          field = f;
          break;
        }
      }
    }
    if (!field) throw internal(fieldNotFound(goName(schema.name), key));
    return {
      schema: schemaOf(this.catalog, field.type),
      strategies: field.patchStrategy ? field.patchStrategy.split(',') : [],
      mergeKey: field.patchMergeKey ?? '',
    };
  }

  lookupSlice(schema: Schema, key: string): PatchMeta {
    const meta = this.lookupStruct(schema, key);
    if (meta.schema.kind === 'free') return meta;
    if (meta.schema.kind !== 'slice')
      throw internal(`expected slice or array type, but got: ${kindName(schema)}`);
    const items = meta.schema.items;
    if (items !== 'uint8' && items.kind === 'array') throw internal('unexpected slice of slice');
    return { ...meta, schema: schemaOf(this.catalog, items) };
  }

  mergeMap(original: JsonMap, patch: JsonMap, schema: Schema): JsonMap {
    if (has(patch, DIRECTIVE)) return mapDirective(patch[DIRECTIVE], patch);
    applyRetainKeys(original, patch);
    // $setElementOrder lists are merged and ordered first, and their fields taken out of the patch.
    this.mergeOrderedLists(original, patch, schema);

    for (const [patchKey, patchV] of Object.entries(patch)) {
      let key = patchKey;
      let isDeleteList = false;
      if (patchKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
        key = extractKey(patchKey, DELETE_FROM_PRIMITIVE_LIST);
        isDeleteList = true;
      }
      if (patchV === null) {
        delete original[key];
        continue;
      }
      if (!has(original, key) || goType(original[key]) !== goType(patchV)) {
        if (!isDeleteList) {
          discardNulls(patchV);
          setOrDelete(original, key, removeDirectives(patchV));
        }
        continue;
      }
      const originalV = original[key];
      if (isMap(originalV) && isMap(patchV)) {
        const meta = this.lookupStruct(schema, key);
        const strategy = retainKeysStrategy(meta.strategies);
        setKey(
          original,
          key,
          strategy === 'replace' ? patchV : this.mergeMap(originalV, patchV, meta.schema),
        );
      } else if (Array.isArray(originalV) && Array.isArray(patchV)) {
        const meta = this.lookupSlice(schema, key);
        const strategy = retainKeysStrategy(meta.strategies);
        setKey(original, key, this.mergeSliceHandler(originalV, patchV, meta, strategy, isDeleteList));
      } else {
        setOrDelete(original, key, removeDirectives(patchV));
      }
    }
    return original;
  }

  /** `$setElementOrder/<f>`: merges the list (if patched) and orders it: the directive, then the patch, then the live list. */
  mergeOrderedLists(original: JsonMap, patch: JsonMap, schema: Schema): void {
    for (const directiveKey of Object.keys(patch)) {
      if (!directiveKey.startsWith(SET_ELEMENT_ORDER) || !has(patch, directiveKey)) continue;
      const order = patch[directiveKey];
      delete patch[directiveKey];
      if (!Array.isArray(order)) throw internal(badArgType('[]interface {}', order));
      const key = extractKey(directiveKey, SET_ELEMENT_ORDER);
      const foundOriginal = has(original, key);
      const foundPatch = has(patch, key);
      const originalList = foundOriginal ? asList(original[key]) : undefined;
      const patchList = foundPatch ? asList(patch[key]) : undefined;
      const meta = this.lookupSlice(schema, key);
      const strategy = retainKeysStrategy(meta.strategies);
      validatePatchWithSetOrderList(patchList ?? [], order, meta.mergeKey);

      let merged: unknown[];
      // Go's deletions and appends in mergeSlice write into the live list's backing array, and the
      // ordering below reads that array back: keep the same view of it.
      let serverOrder = originalList ?? [];
      if (originalList && !patchList) merged = originalList;
      else if (!originalList && patchList) merged = removeDirectives(patchList) as unknown[];
      else if (originalList && patchList) {
        merged = this.mergeSliceHandler(originalList, patchList, meta, strategy, false);
        serverOrder = [...originalList];
      } else continue;

      const [patchItems, serverOnly] = meta.mergeKey
        ? partitionMaps(merged, order, meta.mergeKey)
        : partitionPrimitives(merged, order);
      const kind = sliceElementType([serverOrder, patchList ?? []]);
      setKey(
        original,
        key,
        normalizeElementOrder(patchItems, serverOnly, order, serverOrder, meta.mergeKey, kind),
      );
      delete patch[key];
    }
  }

  mergeSliceHandler(
    original: unknown[],
    patch: unknown[],
    meta: PatchMeta,
    strategy: string,
    isDeleteList: boolean,
  ): unknown[] {
    // A deletion list is applied whatever the field's strategy; any other list without `merge` replaces.
    if (strategy !== 'merge' && !isDeleteList) return patch;
    return this.mergeSlice(original, patch, meta.schema, meta.mergeKey, isDeleteList);
  }

  mergeSlice(
    original: unknown[],
    patch: unknown[],
    schema: Schema,
    mergeKey: string,
    isDeleteList: boolean,
  ): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const kind = sliceElementType([original, patch]);
    let merged: unknown[];
    let serverOrder = original;
    let patchOrder: unknown[] = patch;
    if (kind !== 'map') {
      if (isDeleteList) return deleteFromSlice(original, patch);
      // Go's append(original, patch...) returns the live list itself when the patch is empty, so the
      // deduplication below then rewrites the list the ordering step reads.
      merged = deduplicateScalars(patch.length === 0 ? original : [...original, ...patch]);
    } else {
      if (!mergeKey) throw internal(`cannot merge lists without merge key for ${kindName(schema)}`);
      const live: GoSlice = { arr: original, len: original.length, owned: false };
      const rest = applySpecialElements(live, patch, mergeKey);
      serverOrder = live.arr.slice(0, live.len);
      patchOrder = rest;
      for (const item of rest) this.mergeItem(live, item as JsonMap, mergeKey, schema);
      merged = live.arr.slice(0, live.len);
    }
    const [patchItems, serverOnly] = mergeKey
      ? partitionMaps(merged, patchOrder, mergeKey)
      : partitionPrimitives(merged, patchOrder);
    return normalizeElementOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey, kind);
  }

  /** A patch item merges into the live item with the same key, or is appended. */
  mergeItem(live: GoSlice, item: JsonMap, mergeKey: string, schema: Schema): void {
    if (!has(item, mergeKey)) throw internal(noMergeKey(item, mergeKey));
    const at = findByKey(live.arr, live.len, mergeKey, item[mergeKey]);
    if (at >= 0) live.arr[at] = this.mergeMap(live.arr[at] as JsonMap, item, schema);
    else goAppend(live, item);
  }
}

// ---------------------------------------------------------------------------------------------
// Directives.

function mapDirective(directive: unknown, patch: JsonMap): JsonMap {
  if (directive === 'replace') {
    delete patch[DIRECTIVE];
    return patch;
  }
  if (directive === 'delete') return {};
  throw internal(`unknown patch type: ${goS(directive)} in map: ${goV(patch)}`);
}

/** `$retainKeys`: keys of the live object missing from the list are cleared; the patch may only set listed keys. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!has(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequestError('invalid patch format of retainKeys');
  const retained = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!retained.has(k)) throw badRequestError('invalid patch format of retainKeys');
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

/**
 * List items carrying `$patch`: `delete` removes the live items with that key, `replace` makes
 * the other patch items the whole list. Returns the patch items left to merge.
 */
function applySpecialElements(live: GoSlice, patch: unknown[], mergeKey: string): unknown[] {
  const rest: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const item = v as JsonMap;
    if (!has(item, DIRECTIVE)) {
      rest.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!has(item, mergeKey)) throw internal(noMergeKey(item, mergeKey));
      deleteMatchingEntries(live, mergeKey, item[mergeKey]);
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw internal('merging lists cannot yet be specified in the patch');
    } else {
      throw internal(`unknown patch type: ${goS(directive)} in map: ${goV(item)}`);
    }
  }
  if (!replace) return rest;
  live.arr = rest;
  live.len = rest.length;
  live.owned = true;
  return [];
}

/** Removes every live item with this merge key value, shifting the rest left in place as Go's append does. */
function deleteMatchingEntries(live: GoSlice, mergeKey: string, value: unknown): void {
  for (;;) {
    const at = findByKey(live.arr, live.len, mergeKey, value);
    if (at < 0) return;
    for (let i = at; i < live.len - 1; i++) live.arr[i] = live.arr[i + 1];
    live.len--;
  }
}

/** Go's append: it writes into the backing array while there is room, else copies to a new one. */
function goAppend(s: GoSlice, v: unknown): void {
  if (s.len < s.arr.length) s.arr[s.len] = v;
  else {
    if (!s.owned) {
      s.arr = s.arr.slice(0, s.len);
      s.owned = true;
    }
    s.arr.push(v);
  }
  s.len++;
}

function findByKey(list: unknown[], len: number, mergeKey: string, value: unknown): number {
  for (let i = 0; i < len; i++) {
    const item = list[i];
    if (!isMap(item)) throw internal(`value for key ${i} is not a map`);
    if (has(item, mergeKey) && item[mergeKey] === value) return i;
  }
  return -1;
}

function deleteFromSlice(current: unknown[], toDelete: unknown[]): unknown[] {
  const gone = new Set(toDelete);
  return current.filter((v) => !gone.has(v));
}

/** Upstream's in-place deduplication: a duplicate is overwritten by the last item, so order shifts. */
function deduplicateScalars(s: unknown[]): unknown[] {
  let last = s.length - 1;
  for (let i = 0; i < last; i++) {
    for (let j = i + 1; j <= last; j++) {
      if (s[i] === s[j]) {
        s[j] = s[last];
        last--;
        j--;
      }
    }
  }
  return s.slice(0, last + 1);
}

/** Checks that the patch list's items appear in `$setElementOrder` in the same relative order. */
function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isMap(item) && has(item, DIRECTIVE)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length && o >= order.length)
    throw internal(
      `The order in patch list:\n${goV(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goV(order)}\n`,
    );
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isMap(left)) throw internal(badArgType('map[string]interface {}', left));
  if (!isMap(right)) throw internal(badArgType('map[string]interface {}', right));
  if (!has(left, mergeKey)) throw internal(noMergeKey(left, mergeKey));
  if (!has(right, mergeKey)) throw internal(noMergeKey(right, mergeKey));
  return left[mergeKey] === right[mergeKey];
}

/** Removes `$patch` maps (and list items) from a value about to be stored as is. */
function removeDirectives(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const kept = removeDirectives(item);
      if (kept !== DROP) out.push(kept);
    }
    return out;
  }
  if (!isMap(v)) return v;
  if (has(v, DIRECTIVE)) return DROP;
  for (const [k, item] of Object.entries(v)) {
    const kept = removeDirectives(item);
    if (kept === DROP) delete v[k];
    else setKey(v, k, kept);
  }
  return v;
}

const DROP = Symbol('drop');

function discardNulls(v: unknown): void {
  if (Array.isArray(v)) for (const item of v) discardNulls(item);
  else if (isMap(v))
    for (const [k, item] of Object.entries(v)) {
      if (item === null) delete v[k];
      else discardNulls(item);
    }
}

function setOrDelete(m: JsonMap, key: string, v: unknown): void {
  if (v === DROP) delete m[key];
  else setKey(m, key, v);
}

/** `<prefix>/<field>` → field. */
function extractKey(s: string, prefix: string): string {
  const slash = s.indexOf('/');
  if (slash < 0 || s.slice(0, slash) !== prefix) {
    if (prefix === DELETE_FROM_PRIMITIVE_LIST)
      throw badRequestError('invalid patch format of primitive list');
    throw badRequestError('invalid patch format of setElementOrder list');
  }
  return s.slice(slash + 1);
}

/** Splits `merge,retainKeys`: retainKeys only tells clients to send `$retainKeys`; the rest decides the merge. */
function retainKeysStrategy(strategies: string[]): string {
  if (strategies.length === 0) return '';
  if (strategies.length === 1) return strategies[0] === 'retainKeys' ? '' : (strategies[0] ?? '');
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1] ?? '';
    if (strategies[1] === 'retainKeys') return strategies[0] ?? '';
  }
  throw internal(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

// ---------------------------------------------------------------------------------------------
// Ordering: upstream's normalizeElementOrder and its helpers.

function normalizeElementOrder(
  patch: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: string,
): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

/**
 * Sorts by position in `order` with Go's stable sort. Items missing from `order` (new items when
 * `$setElementOrder` leaves them out) compare as "less" both ways, so the result depends on the
 * sort algorithm itself.
 */
function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let items = toSort;
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    validateMergeKeyInLists(mergeKey, toSort, order);
    [items, toDelete] = extractToDeleteItems(toSort);
  }
  goSliceStable(items, (a, b) => {
    const ia = indexOf(order, a, mergeKey, kind);
    if (ia >= 0) {
      const ib = indexOf(order, b, mergeKey, kind);
      if (ib >= 0) return ia < ib;
    }
    return true;
  });
  return [...items, ...toDelete];
}

/**
 * Interleaves server-only items (left) into the patch items (right): a left item goes first only
 * when both are in the live list and it came earlier there.
 */
function mergeSortedSlice(
  left: unknown[],
  right: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: string,
): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function indexOf(list: unknown[], v: unknown, mergeKey: string, kind: string): number {
  const val = (item: unknown): unknown =>
    kind === 'map' ? (isMap(item) && has(item, mergeKey) ? item[mergeKey] : null) : item;
  const want = val(v);
  return list.findIndex((item) => val(item) === want);
}

function validateMergeKeyInLists(mergeKey: string, ...lists: unknown[][]): void {
  for (const list of lists)
    for (const item of list) {
      if (!isMap(item)) throw internal(badArgType('map[string]interface {}', item));
      if (!has(item, mergeKey)) throw internal(noMergeKey(item, mergeKey));
    }
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const toDelete: unknown[] = [];
  for (const item of list) {
    if (!isMap(item)) throw internal(badArgType('map[string]interface {}', item));
    if (has(item, DIRECTIVE) && item[DIRECTIVE] === 'delete') toDelete.push(item);
    else keep.push(item);
  }
  return [keep, toDelete];
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  // Upstream keys a Go map by the items: an object or a list there is unhashable and panics.
  if ([...list, ...by].some((v) => typeof v === 'object' && v !== null)) throw panicked();
  const inPatch = new Set(by);
  return [list.filter((v) => inPatch.has(v)), list.filter((v) => !inPatch.has(v))];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of list) {
    if (!isMap(item)) throw internal(badArgType('map[string]interface {}', item));
    if (!has(item, mergeKey)) throw internal(noMergeKey(item, mergeKey));
    if (findByKey(by, by.length, mergeKey, item[mergeKey]) >= 0) patch.push(item);
    else serverOnly.push(item);
  }
  return [patch, serverOnly];
}

/** The one Go type of every item of the lists ('map' for objects); lists of lists are refused. */
function sliceElementType(lists: unknown[][]): string {
  let prev: string | undefined;
  for (const list of lists)
    for (const v of list) {
      const t = goType(v);
      if (prev === undefined) {
        // reflect.TypeOf(nil) has no Kind: upstream panics on a leading null item.
        if (t === 'nil') throw panicked();
        if (t === 'slice') throw new StrategicMergePatchError('lists of lists are not supported', 422);
        prev = t;
      } else if (t !== prev) {
        throw internal(`list element types are not identical: [${lists.map(goV).join(' ')}]`);
      }
    }
  if (prev === undefined) throw internal('no elements in any of the given slices');
  return prev;
}

/**
 * Go's sort.SliceStable (insertion sort on blocks of 20, then SymMerge). Upstream's comparator is
 * not a strict order, so only the same algorithm gives the same result.
 */
function goSliceStable(data: unknown[], less: (a: unknown, b: unknown) => boolean): void {
  const lessAt = (i: number, j: number) => less(data[i], data[j]);
  const swap = (i: number, j: number) => {
    const t = data[i];
    data[i] = data[j];
    data[j] = t;
  };
  const insertionSort = (a: number, b: number) => {
    for (let i = a + 1; i < b; i++) for (let j = i; j > a && lessAt(j, j - 1); j--) swap(j, j - 1);
  };
  const swapRange = (a: number, b: number, n: number) => {
    for (let i = 0; i < n; i++) swap(a + i, b + i);
  };
  const rotate = (a: number, m: number, b: number) => {
    let i = m - a;
    let j = b - m;
    while (i !== j) {
      if (i > j) {
        swapRange(m - i, m, j);
        i -= j;
      } else {
        swapRange(m - i, m + j - i, i);
        j -= i;
      }
    }
    swapRange(m - i, m, i);
  };
  const symMerge = (a: number, m: number, b: number): void => {
    if (m - a === 1) {
      let i = m;
      let j = b;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (lessAt(h, a)) i = h + 1;
        else j = h;
      }
      for (let k = a; k < i - 1; k++) swap(k, k + 1);
      return;
    }
    if (b - m === 1) {
      let i = a;
      let j = m;
      while (i < j) {
        const h = (i + j) >>> 1;
        if (!lessAt(m, h)) i = h + 1;
        else j = h;
      }
      for (let k = m; k > i; k--) swap(k, k - 1);
      return;
    }
    const mid = (a + b) >>> 1;
    const n = mid + m;
    let start: number;
    let r: number;
    if (m > mid) {
      start = n - b;
      r = mid;
    } else {
      start = a;
      r = m;
    }
    const p = n - 1;
    while (start < r) {
      const c = (start + r) >>> 1;
      if (!lessAt(p - c, c)) start = c + 1;
      else r = c;
    }
    const end = n - start;
    if (start < m && m < end) rotate(start, m, end);
    if (a < start && start < mid) symMerge(a, start, mid);
    if (mid < end && end < b) symMerge(mid, end, b);
  };

  const n = data.length;
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(a, m, n);
    blockSize *= 2;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON values seen as Go's decoded interface{} values, and Go's fmt rendering of them.

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(m: JsonMap, key: string): boolean {
  return Object.hasOwn(m, key);
}

/** Assigns without tripping over a `__proto__` key, which JSON may carry as data. */
function setKey(m: JsonMap, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(m, key, { value: v, writable: true, enumerable: true, configurable: true });
  else m[key] = v;
}

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw internal(badArgType('[]interface {}', v));
  return v;
}

/** The dynamic Go type of a decoded JSON value (upstream decodes integers as int64). */
function goType(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int64' : 'float64';
    default:
      return 'map';
  }
}

function goTypeName(v: unknown): string {
  const t = goType(v);
  if (t === 'nil') return '%!s(<nil>)';
  if (t === 'map') return 'map[string]interface {}';
  if (t === 'slice') return '[]interface {}';
  return t;
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** fmt's %v. */
function goV(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goV).join(' ')}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goV(v[k])}`)
      .join(' ')}]`;
  if (typeof v === 'number') return goNumber(v);
  return String(v);
}

/** fmt's %s: anything but a string is printed as a bad verb. */
function goS(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '%!s(<nil>)';
  if (Array.isArray(v)) return `[${v.map(goS).join(' ')}]`;
  if (isMap(v))
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goS(v[k])}`)
      .join(' ')}]`;
  return `%!s(${goType(v)}=${goV(v)})`;
}

/** %v of an int64 or float64 (%g, shortest, exponent from 1e+06 up and below 1e-04). */
function goNumber(n: number): string {
  if (Number.isInteger(n) || !Number.isFinite(n)) return String(n);
  const [mantissa = '', exp = '0'] = n.toExponential().split('e');
  const e = Number(exp);
  if (e >= -4 && e < 6) return String(n);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

function fieldNotFound(goType: string, key: string): string {
  return `unable to find api field in struct ${goType} for the json field ${JSON.stringify(key)}`;
}

function noMergeKey(m: JsonMap, key: string): string {
  return `map: ${goV(m)} does not contain declared merge key: ${key}`;
}

function badArgType(expected: string, actual: unknown): string {
  return `expected a ${expected}, but received a ${goTypeName(actual)}`;
}

/** A Go runtime panic, which upstream's panic filter answers with a bare 500. */
function panicked(): StrategicMergePatchError {
  return internal('This request caused apiserver to panic. Look in the logs for details.');
}

function internal(message: string): StrategicMergePatchError {
  return new StrategicMergePatchError(message, 500);
}

function badRequestError(message: string): StrategicMergePatchError {
  return new StrategicMergePatchError(message, 400);
}
