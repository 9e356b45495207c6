/**
 * The FieldsV1 format of managedFields: a tree of objects keyed by serialized path elements,
 * `{}` for a leaf, and `".": {}` inside an element that is owned itself and also has owned
 * fields below it. Keys come in upstream's element order, so the JSON matches byte for byte.
 */
import { FieldSet } from './fieldSet.js';
import {
  comparePathElements,
  type PathElement,
  PathElementError,
  parsePathElement,
  serializePathElement,
} from './pathElement.js';
import { isObject } from './value.js';

export type FieldsV1 = { [key: string]: FieldsV1 };

/**
 * Sets are immutable and shared between the entries of successive writes (an update leaves most
 * managers' sets as they were), so each set is written once: the objects are frozen and shared.
 */
const emitted = [new WeakMap<FieldSet, FieldsV1>(), new WeakMap<FieldSet, FieldsV1>()] as const;

/** The FieldsV1 object of a set (frozen: it may be shared with other entries). */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const cache = emitted[includeSelf ? 1 : 0];
  let out = cache.get(set);
  if (!out) cache.set(set, (out = Object.freeze(emitFresh(set, includeSelf))));
  return out;
}

function emitFresh(set: FieldSet, includeSelf: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  const members = set.memberElements();
  const children = set.childEntries();
  if (includeSelf && (members.length > 0 || children.length > 0)) out['.'] = {};
  // Both lists are sorted: merge them; an element in both is written once, with "." first.
  let m = 0;
  let c = 0;
  while (m < members.length || c < children.length) {
    const member = members[m];
    const child = children[c];
    const order = !member ? 1 : !child ? -1 : comparePathElements(member, child.pe);
    if (order < 0) {
      out[serializePathElement(member!)] = {};
      m++;
    } else {
      out[serializePathElement(child!.pe)] = emit(child!.set, order === 0);
      if (order === 0) m++;
      c++;
    }
  }
  return out;
}

/**
 * Every write reads the stored entries again, mostly the same ones: sets read lately are kept by
 * their JSON (bounded; the oldest goes first).
 */
const READ_CACHE_SIZE = 2048;
const readCache = new Map<string, FieldSet>();

/** Reads a FieldsV1 object; keys of unknown kinds are skipped, malformed ones throw. */
export function fromFieldsV1(json: unknown): FieldSet {
  if (!isObject(json)) throw new PathElementError('FieldsV1 must be a JSON object');
  const text = JSON.stringify(json);
  const cached = readCache.get(text);
  if (cached) return cached;
  const set = read(json).children ?? new FieldSet();
  if (readCache.size >= READ_CACHE_SIZE) readCache.delete(readCache.keys().next().value as string);
  readCache.set(text, set);
  return set;
}

function read(json: Record<string, unknown>): { children: FieldSet | undefined; isMember: boolean } {
  let isMember = false;
  const members: PathElement[] = [];
  const children: Array<{ pe: PathElement; set: FieldSet }> = [];
  for (const [key, inner] of Object.entries(json)) {
    if (key === '.') {
      isMember = true;
      continue;
    }
    const pe = parsePathElement(key);
    if (!pe) continue;
    if (!isObject(inner)) throw new PathElementError(`expected an object under ${key}`);
    const sub = read(inner);
    if (sub.isMember) members.push(pe);
    if (sub.children) children.push({ pe, set: sub.children });
  }
  const any = members.length > 0 || children.length > 0;
  // An element with nothing below it (`{}`) is a member itself.
  return { children: any ? FieldSet.from(members, children) : undefined, isMember: isMember || !any };
}
