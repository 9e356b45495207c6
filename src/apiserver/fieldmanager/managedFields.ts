/**
 * metadata.managedFields ↔ the sets and times the updater works on, with upstream's rules for
 * what is recorded: entries sorted (Apply first, then oldest first), metadata that nobody owns
 * stripped, and at most ten Update managers, the oldest merged into `ancient-changes`.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { FieldSet } from './fieldSet.js';
import { fromFieldsV1, toFieldsV1 } from './fieldsV1.js';
import { buildManagerIdentifier, parseManagerIdentifier } from './managerIdentifier.js';
import { pathOf } from './pathElement.js';
import type { VersionedSet } from './updater.js';
import { isObject } from './value.js';

/** Sets and times by manager identifier (upstream's Managed). */
export interface Managed {
  readonly fields: Map<string, VersionedSet>;
  /** RFC 3339 times; undefined when an entry has none. */
  readonly times: Map<string, string | undefined>;
}

export const emptyManaged = (): Managed => ({ fields: new Map(), times: new Map() });

/** managedFields that cannot be read; upstream ignores them on updates and fails applies. */
export class ManagedFieldsError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ManagedFieldsError';
  }
}

/** Reads managedFields entries (DecodeManagedFields); a later entry for the same manager wins. */
export function decodeManagedFields(entries: unknown): Managed {
  const out = emptyManaged();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new ManagedFieldsError('managedFields must be a list');
  entries.forEach((raw, i) => {
    const e = (isObject(raw) ? raw : {}) as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      throw new ManagedFieldsError('operation must be `Apply` or `Update`');
    }
    if (!e.apiVersion) throw new ManagedFieldsError('apiVersion must not be empty');
    if (!e.fieldsType) throw new ManagedFieldsError(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') {
      throw new ManagedFieldsError(
        `invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`,
      );
    }
    const id = buildManagerIdentifier({
      ...(e.manager !== undefined && { manager: e.manager }),
      operation: e.operation,
      apiVersion: e.apiVersion,
      ...(e.subresource !== undefined && { subresource: e.subresource }),
    });
    let set: FieldSet;
    try {
      set = e.fieldsV1 === undefined || e.fieldsV1 === null ? new FieldSet() : fromFieldsV1(e.fieldsV1);
    } catch (err) {
      throw new ManagedFieldsError(`error decoding versioned set: ${(err as Error).message}`, { cause: err });
    }
    out.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === 'Apply' });
    out.times.set(id, typeof e.time === 'string' ? e.time : undefined);
  });
  return out;
}

/** Whole seconds of an entry's time, 0 when it has none (upstream sorts by Unix seconds). */
const seconds = (time: string | undefined): number => {
  const ms = time ? Date.parse(time) : Number.NaN;
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Writes managedFields in upstream's order; no managers give an empty list. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    const info = parseManagerIdentifier(id) ?? {};
    const time = managed.times.get(id);
    // Go's field order: manager, operation, apiVersion, time, fieldsType, fieldsV1, subresource.
    const e: ManagedFieldsEntry = {};
    if (info.manager) e.manager = info.manager;
    const operation = vs.applied ? 'Apply' : (info.operation ?? '');
    if (operation) e.operation = operation;
    if (vs.apiVersion) e.apiVersion = vs.apiVersion;
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(vs.set);
    if (info.subresource) e.subresource = info.subresource;
    out.push(e);
  }
  return out.sort(
    (p, q) =>
      cmp(p.operation ?? '', q.operation ?? '') ||
      seconds(p.time) - seconds(q.time) ||
      cmp(p.manager ?? '', q.manager ?? '') ||
      cmp(p.apiVersion ?? '', q.apiVersion ?? '') ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
}

/**
 * True when a client asks to clear managedFields: an empty list, or a list of one empty entry.
 * (A missing field keeps the live entries.)
 */
export function isResetManagedFields(sent: unknown): boolean {
  if (!Array.isArray(sent)) return false;
  if (sent.length === 0) return true;
  // Decoded into Go's struct, an entry of empty strings and nulls equals the zero entry.
  return (
    sent.length === 1 &&
    isObject(sent[0]) &&
    Object.values(sent[0]).every((v) => v === undefined || v === null || v === '')
  );
}

export const DEFAULT_MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Keeps at most `max` Update managers: the oldest (by time, then identifier) are folded, per API
 * version, into one `ancient-changes` entry that takes the time of the last one folded in.
 */
export function capUpdateManagers(managed: Managed, max = DEFAULT_MAX_UPDATE_MANAGERS): void {
  const updaters = [...managed.fields].filter(([, vs]) => !vs.applied).map(([id]) => id);
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || cmp(a, b));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (const id of updaters) {
    if (length <= max) break;
    const vs = managed.fields.get(id);
    if (!vs) continue;
    const bucket = buildManagerIdentifier({
      manager: ANCIENT_CHANGES,
      operation: 'Update',
      apiVersion: vs.apiVersion,
    });
    const first = firstByVersion.get(vs.apiVersion);
    if (first === undefined) {
      firstByVersion.set(vs.apiVersion, id);
      continue;
    }
    if (!managed.fields.has(bucket)) {
      const firstSet = managed.fields.get(first);
      managed.fields.delete(first);
      if (firstSet) managed.fields.set(bucket, firstSet);
    }
    const into = managed.fields.get(bucket)?.set ?? new FieldSet();
    managed.fields.set(bucket, { set: vs.set.union(into), apiVersion: vs.apiVersion, applied: vs.applied });
    managed.fields.delete(id);
    length--;
    managed.times.set(bucket, managed.times.get(id));
  }
}

/** Metadata the server sets, which no manager owns (stripmeta). */
const STRIPPED = FieldSet.of(
  pathOf('apiVersion'),
  pathOf('kind'),
  pathOf('metadata'),
  pathOf('metadata', 'name'),
  pathOf('metadata', 'namespace'),
  pathOf('metadata', 'creationTimestamp'),
  pathOf('metadata', 'selfLink'),
  pathOf('metadata', 'uid'),
  pathOf('metadata', 'clusterName'),
  pathOf('metadata', 'generation'),
  pathOf('metadata', 'managedFields'),
  pathOf('metadata', 'resourceVersion'),
);

/** Removes server-set metadata from one manager's set, dropping the manager if nothing is left. */
export function stripMeta(fields: Map<string, VersionedSet>, manager: string): void {
  const vs = fields.get(manager);
  if (!vs) return;
  const set = vs.set.difference(STRIPPED);
  if (set.isEmpty()) fields.delete(manager);
  else fields.set(manager, { ...vs, set });
}

/** metav1.Time as the API writes it: UTC, whole seconds. */
export const formatTime = (t: Date): string => `${t.toISOString().slice(0, 19)}Z`;
