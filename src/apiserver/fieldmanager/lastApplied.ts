/**
 * The bridge from client-side to server-side apply for the manager named `kubectl`: fields whose
 * live value still matches the last-applied-configuration annotation may be taken without
 * --force-conflicts, and a successful apply refreshes the annotation if the object has one.
 */
import type { Catalog } from '../../api/schema/schema.js';
import type { FieldSet } from './fieldSet.js';
import { compareObjects, toFieldSet, validateTyped } from './typed.js';
import { goJson, isObject } from './value.js';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Only this manager name gets the migration rules (the name kubectl apply --server-side uses). */
export const KUBECTL_MANAGER = 'kubectl';

/** Upstream's limit on the total size of an object's annotations. */
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const annotationsOf = (obj: unknown): Record<string, unknown> | undefined => {
  const meta = isObject(obj) ? obj.metadata : undefined;
  return isObject(meta) && isObject(meta.annotations) ? meta.annotations : undefined;
};

export function lastAppliedOf(obj: unknown): string | undefined {
  const v = annotationsOf(obj)?.[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The fields of the live object still as the annotation recorded them; undefined when there is
 * no usable annotation (absent, not JSON, another version, off-schema).
 */
export function allowedConflictsFromLastApplied(
  catalog: Catalog,
  typeName: string,
  apiVersion: string,
  live: unknown,
): FieldSet | undefined {
  const text = lastAppliedOf(live);
  if (text === undefined) return undefined;
  try {
    const last: unknown = JSON.parse(text);
    if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
    validateTyped(catalog, typeName, last);
    const c = compareObjects(catalog, typeName, last, live);
    return toFieldSet(catalog, typeName, last)
      .difference(c.modified)
      .difference(c.added)
      .difference(c.removed);
  } catch {
    return undefined;
  }
}

/** The annotation value for an applied configuration: itself without the annotation, as Go encodes a map. */
export function buildLastApplied(applied: Record<string, unknown>): string {
  const copy = structuredClone(applied);
  const meta = copy.metadata;
  if (isObject(meta) && isObject(meta.annotations)) delete meta.annotations[LAST_APPLIED_ANNOTATION];
  // Go's json.Encoder: keys sorted, HTML escaped, a trailing newline.
  return `${goJson(copy, true)}\n`;
}

/** Sets the annotation in place, leaving it out when the annotations would grow past the limit. */
export function setLastApplied(obj: Record<string, unknown>, value: string): void {
  const meta = isObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  const annotations = isObject(meta.annotations) ? meta.annotations : (meta.annotations = {});
  annotations[LAST_APPLIED_ANNOTATION] = value;
  let size = 0;
  for (const [k, v] of Object.entries(annotations))
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) delete annotations[LAST_APPLIED_ANNOTATION];
}
