/**
 * The field manager: records who owns which fields on every write (metadata.managedFields) and
 * runs server-side apply. This is upstream's stack of managers (version check, last-applied
 * migration, skip-non-applied, cap, manager identity, managed-fields updater, strip-meta,
 * structured merge) as two pure functions over JSON objects; the time is passed in.
 */
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { badRequest } from '../../api/meta/status.js';
import { decodeAs } from '../../api/schema/decode.js';
import { type Catalog, goName } from '../../api/schema/schema.js';
import { ApplyConflictError, MergeConflicts } from './conflict.js';
import type { FieldSet } from './fieldSet.js';
import {
  allowedConflictsFromLastApplied,
  buildLastApplied,
  KUBECTL_MANAGER,
  lastAppliedOf,
  setLastApplied,
} from './lastApplied.js';
import {
  capUpdateManagers,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  formatTime,
  isResetManagedFields,
  type Managed,
  ManagedFieldsError,
  stripMeta,
} from './managedFields.js';
import { buildManagerIdentifier } from './managerIdentifier.js';
import { fieldElement } from './pathElement.js';
import { TypedValueError, validateTyped } from './typed.js';
import { recordApply, recordUpdate, type UpdaterContext } from './updater.js';
import { isObject } from './value.js';

type Obj = Record<string, unknown>;

interface Common {
  readonly catalog: Catalog;
  /** The schema type of the resource: `io.k8s.api.batch.v1.Job`. */
  readonly typeName: string;
  /** The resource's group/version: `batch/v1`. */
  readonly apiVersion: string;
  readonly manager: string;
  /** `status` for writes to /status; absent for the main resource. */
  readonly subresource?: string | undefined;
  readonly time: Date;
  /** The strategy's reset fields for this endpoint (see resetFieldsFor). */
  readonly resetFields?: FieldSet | undefined;
}

export interface UpdateManagedFieldsOptions extends Common {
  /** The stored object; undefined on create. */
  readonly live: object | undefined;
  /** The object about to be written. */
  readonly next: object;
  /**
   * metadata.managedFields as the client sent them (before any normalization drops an empty
   * list); defaults to next's. An empty list resets them; absent keeps the live entries.
   */
  readonly sentManagedFields?: unknown;
}

/** Upstream's bookkeeping manager names. */
const CURRENT_OPERATION = 'current-operation';
const BEFORE_FIRST_APPLY = 'before-first-apply';

const metaOf = (obj: unknown): Obj => {
  const m = isObject(obj) ? obj.metadata : undefined;
  return isObject(m) ? m : {};
};

/** A copy of the object without managedFields, which never take part in comparisons. */
function withoutManagedFields(obj: unknown): Obj {
  const out: Obj = { ...(isObject(obj) ? obj : {}) };
  if (isObject(out.metadata) && 'managedFields' in out.metadata) {
    const { managedFields: _, ...meta } = out.metadata;
    out.metadata = meta;
  }
  return out;
}

/** Zero objects by catalog and type; shared, so never changed (merges copy, results are cloned). */
const zeros = new WeakMap<Catalog, Map<string, Obj>>();

/** The Go zero value of the type, which upstream compares a created object against. */
function zeroObject(catalog: Catalog, typeName: string): Obj {
  let byType = zeros.get(catalog);
  if (!byType) zeros.set(catalog, (byType = new Map()));
  let zero = byType.get(typeName);
  if (!zero) byType.set(typeName, (zero = decodeAs(catalog, typeName, {}).value));
  return zero;
}

const ctxOf = (o: Common): UpdaterContext => ({
  catalog: o.catalog,
  typeName: o.typeName,
  ignore: o.resetFields,
});

/**
 * The Update half of the stack (cap, identity, managed-fields updater, strip-meta, merge):
 * `manager` takes every field it changed; its time moves only if it changed something.
 */
function runUpdate(o: Common, live: Obj, next: Obj, managed: Managed, manager: string): void {
  const id = buildManagerIdentifier({
    manager: manager || 'unknown',
    operation: 'Update',
    apiVersion: o.apiVersion,
    ...(o.subresource && { subresource: o.subresource }),
  });
  const fields = recordUpdate(ctxOf(o), live, next, o.apiVersion, managed.fields, CURRENT_OPERATION);
  stripMeta(fields, CURRENT_OPERATION);
  const current = fields.get(CURRENT_OPERATION);
  if (current) {
    fields.delete(CURRENT_OPERATION);
    const previous = fields.get(id);
    fields.set(id, { ...current, set: previous ? current.set.union(previous.set) : current.set });
    managed.times.set(id, formatTime(o.time));
  }
  managed.fields.clear();
  for (const [k, v] of fields) managed.fields.set(k, v);
  capUpdateManagers(managed);
}

/**
 * The managedFields of an object written by a create, update or non-apply patch (operation
 * Update). Returns an empty list when none should be recorded: an existing object that has no
 * entries stays without them, and an object the schema cannot read drops them, as upstream.
 * @example
 *   obj.metadata.managedFields = updateManagedFields({ catalog, typeName: BATCH + 'Job',
 *     apiVersion: 'batch/v1', live: old, next: obj, manager: 'kubectl-edit', time: clock.now() });
 */
export function updateManagedFields(o: UpdateManagedFieldsOptions): ManagedFieldsEntry[] {
  const managed = liveOrSent(o);
  const live = withoutReset(withoutManagedFields(o.live ?? zeroObject(o.catalog, o.typeName)), o.resetFields);
  const next = withoutReset(withoutManagedFields(o.next), o.resetFields);
  // Objects stored before managedFields existed are not tracked until their first apply.
  if (managed.fields.size === 0 && metaOf(o.live).uid) return [];
  try {
    runUpdate(o, live, next, managed, o.manager);
  } catch (err) {
    if (err instanceof TypedValueError) return [];
    throw err;
  }
  return encodeManagedFields(managed);
}

/**
 * The object without the top-level fields the endpoint resets (a status write's spec, a main
 * write's status): their changes would be filtered out anyway, so they are not compared at all.
 */
function withoutReset(obj: Obj, reset: FieldSet | undefined): Obj {
  if (!reset) return obj;
  let out: Obj | undefined;
  for (const key of Object.keys(obj)) {
    if (!reset.has([fieldElement(key)])) continue;
    out ??= { ...obj };
    delete out[key];
  }
  return out ?? obj;
}

/** Subresource writes keep the live entries; others take the client's unless it sent none (decodeLiveOrNew). */
function liveOrSent(o: UpdateManagedFieldsOptions): Managed {
  const liveEntries = metaOf(o.live).managedFields;
  const fromLive = () => decodeOrEmpty(liveEntries);
  if (o.subresource) return fromLive();
  const sent = 'sentManagedFields' in o ? o.sentManagedFields : metaOf(o.next).managedFields;
  if (isResetManagedFields(sent)) return emptyManaged();
  const managed = decodeOrEmpty(sent);
  return managed.fields.size > 0 ? managed : fromLive();
}

function decodeOrEmpty(entries: unknown): Managed {
  try {
    return decodeManagedFields(entries);
  } catch (err) {
    if (err instanceof ManagedFieldsError) return emptyManaged();
    throw err;
  }
}

export interface ApplyPatchOptions extends Common {
  /** The Kind the configuration must name; defaults to the schema type's name. */
  readonly kind?: string;
  /** The stored object; undefined when the apply creates it. */
  readonly live: object | undefined;
  /** The configuration as the client sent it (not decoded: absent fields must stay absent). */
  readonly applied: object;
  readonly force: boolean;
}

export interface ApplyPatchResult {
  /** The merged object, with managedFields set (not yet defaulted or validated). */
  readonly object: Obj;
  readonly managedFields: ManagedFieldsEntry[];
}

/** Group/version/kind as upstream prints it in errors: `batch/v1, Kind=Job`, `/v1, Kind=Pod`. */
function gvkString(apiVersion: unknown, kind: unknown): string {
  const av = typeof apiVersion === 'string' ? apiVersion : '';
  const parts = av.split('/');
  const [group, version] = parts.length === 1 ? ['', parts[0]] : parts.length === 2 ? parts : ['', ''];
  return `${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`;
}

/**
 * Server-side apply: merges `applied` into `live` (or into an empty object when live is
 * undefined) and records `manager` as its Apply owner. Throws ApplyConflictError (409) for
 * fields other managers own unless `force`, an ApiError 400 for a configuration of another
 * kind or one carrying managedFields, TypedValueError for one off the schema, and
 * ManagedFieldsError when the live entries cannot be read.
 */
export function applyPatch(o: ApplyPatchOptions): ApplyPatchResult {
  const liveEntries = metaOf(o.live).managedFields;
  let managed: Managed;
  try {
    managed = decodeManagedFields(liveEntries);
  } catch (err) {
    throw new ManagedFieldsError(`failed to decode managed fields: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const applied = o.applied as Obj;
  const kind = o.kind ?? goName(o.typeName);
  if (applied.apiVersion !== o.apiVersion || applied.kind !== kind) {
    throw badRequest(`invalid object type: ${gvkString(applied.apiVersion, applied.kind)}`);
  }
  const live = withoutManagedFields(o.live ?? zeroObject(o.catalog, o.typeName));

  let result: { object: Obj; managed: Managed };
  try {
    result = applyAllowingLastApplied(o, live, applied, managed);
  } catch (err) {
    if (err instanceof MergeConflicts) throw new ApplyConflictError(err.conflicts);
    throw err;
  }
  const { object } = result;
  if (o.manager === KUBECTL_MANAGER && lastAppliedOf(object) !== undefined) {
    setLastApplied(object, buildLastApplied(applied));
  }
  const managedFields = encodeManagedFields(result.managed);
  const meta = isObject(object.metadata) ? object.metadata : (object.metadata = {});
  if (managedFields.length > 0) meta.managedFields = managedFields;
  else delete meta.managedFields;
  return { object, managedFields };
}

/** kubectl's first server-side apply may take fields still as its client-side apply left them. */
function applyAllowingLastApplied(o: ApplyPatchOptions, live: Obj, applied: Obj, managed: Managed) {
  try {
    return runApply(o, live, applied, managed, o.force);
  } catch (err) {
    if (!(err instanceof MergeConflicts) || o.manager !== KUBECTL_MANAGER) throw err;
    const allowed = allowedConflictsFromLastApplied(o.catalog, o.typeName, o.apiVersion, o.live);
    if (!allowed) throw err;
    const remaining = err.conflicts.filter((c) => !allowed.has(c.path));
    if (remaining.length > 0) throw new MergeConflicts(remaining);
    return runApply(o, live, applied, managed, true);
  }
}

/** skip-non-applied, identity, managed-fields updater, strip-meta and the structured merge. */
function runApply(o: ApplyPatchOptions, live: Obj, applied: Obj, start: Managed, force: boolean) {
  const managed: Managed = { fields: new Map(start.fields), times: new Map(start.times) };
  // Before a first apply, whatever the object holds is owned by a placeholder manager.
  if (managed.fields.size === 0)
    runUpdate(o, zeroObject(o.catalog, o.typeName), live, managed, BEFORE_FIRST_APPLY);

  if (metaOf(applied).managedFields !== undefined && metaOf(applied).managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  try {
    validateTyped(o.catalog, o.typeName, applied);
  } catch (err) {
    if (!(err instanceof TypedValueError)) throw err;
    const m = metaOf(applied);
    const where = `${m.namespace ?? ''}/${m.name ?? ''}; ${gvkString(applied.apiVersion, applied.kind)}`;
    throw new TypedValueError('', `failed to create typed patch object (${where}): ${err.message}`);
  }

  const id = buildManagerIdentifier({
    manager: o.manager || 'unknown',
    operation: 'Apply',
    ...(o.subresource && { subresource: o.subresource }),
  });
  const r = recordApply(ctxOf(o), live, applied, o.apiVersion, managed.fields, id, force);
  stripMeta(r.managers, id);
  const times = new Map(managed.times);
  let object: Obj;
  if (r.object !== undefined) {
    times.set(id, formatTime(o.time));
    object = structuredClone(r.object) as Obj;
  } else object = structuredClone(live);
  return { object, managed: { fields: r.managers, times } };
}
