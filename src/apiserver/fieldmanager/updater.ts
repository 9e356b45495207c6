/**
 * Ownership bookkeeping of structured-merge-diff's merge.Updater. An update takes the fields it
 * changed from their owners; an apply merges the configuration, prunes what the applier owned
 * before and dropped, and fails on fields it would change that others own unless forced.
 * batchd serves one version per resource, so every set is read in the object's version.
 */
import type { Catalog } from '../../api/schema/schema.js';
import { type Conflict, MergeConflicts } from './conflict.js';
import { FieldSet } from './fieldSet.js';
import { mergeObjects, removeItems } from './merge.js';
import { type Comparison, compareObjects, ensureNamedFieldsAreMembers, toFieldSet } from './typed.js';
import { equalValues } from './value.js';

export interface VersionedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
  /** Owned through Apply (rather than Update). */
  readonly applied: boolean;
}

/** Sets by manager identifier. */
export type ManagedSets = ReadonlyMap<string, VersionedSet>;

export interface UpdaterContext {
  readonly catalog: Catalog;
  readonly typeName: string;
  /** Fields nobody may own through this endpoint (the strategy's reset fields). */
  readonly ignore?: FieldSet | undefined;
}

const filtered = (set: FieldSet, ignore: FieldSet | undefined) =>
  ignore ? set.recursiveDifference(ignore) : set;

/** Takes changed fields from every manager but `workflow`; throws MergeConflicts unless forced. */
function takeOwnership(
  ctx: UpdaterContext,
  oldObj: unknown,
  newObj: unknown,
  managers: ManagedSets,
  workflow: string,
  force: boolean,
): { managers: Map<string, VersionedSet>; compare: Comparison } {
  const raw = compareObjects(ctx.catalog, ctx.typeName, oldObj, newObj);
  const compare: Comparison = {
    modified: filtered(raw.modified, ctx.ignore),
    added: filtered(raw.added, ctx.ignore),
    removed: filtered(raw.removed, ctx.ignore),
  };
  const changed = compare.modified.union(compare.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [manager, vs] of managers) {
    if (manager === workflow) continue;
    const c = vs.set.intersection(changed);
    if (!c.isEmpty()) conflicts.set(manager, c);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const manager of [...conflicts.keys()].sort()) {
      for (const path of conflicts.get(manager)!.paths()) list.push({ manager, path });
    }
    throw new MergeConflicts(list);
  }
  const out = new Map<string, VersionedSet>();
  for (const [manager, vs] of managers) {
    let set = vs.set;
    if (manager !== workflow) {
      const c = conflicts.get(manager);
      if (c) set = set.difference(c);
      set = set.difference(compare.removed);
    }
    if (!set.isEmpty()) out.set(manager, { ...vs, set });
  }
  return { managers: out, compare };
}

/** Records a non-apply write: `manager` now owns every field it changed (Updater.Update). */
export function recordUpdate(
  ctx: UpdaterContext,
  live: unknown,
  next: unknown,
  apiVersion: string,
  managers: ManagedSets,
  manager: string,
): Map<string, VersionedSet> {
  const { managers: out, compare } = takeOwnership(ctx, live, next, managers, manager, true);
  const previous = out.get(manager)?.set ?? new FieldSet();
  const set = filtered(
    previous.difference(compare.removed).union(compare.modified).union(compare.added),
    ctx.ignore,
  );
  if (set.isEmpty()) out.delete(manager);
  else out.set(manager, { set, apiVersion, applied: false });
  return out;
}

export interface ApplyResult {
  /** The merged object, or undefined when the apply changes nothing. */
  readonly object: unknown;
  readonly managers: Map<string, VersionedSet>;
}

/** Merges an applied configuration (Updater.Apply); throws MergeConflicts unless forced. */
export function recordApply(
  ctx: UpdaterContext,
  live: unknown,
  config: unknown,
  apiVersion: string,
  managers: ManagedSets,
  manager: string,
  force: boolean,
): ApplyResult {
  const merged = mergeObjects(ctx.catalog, ctx.typeName, live, config);
  const lastSet = managers.get(manager);
  const withApplier = new Map(managers);
  withApplier.set(manager, {
    set: filtered(toFieldSet(ctx.catalog, ctx.typeName, config), ctx.ignore),
    apiVersion,
    applied: true,
  });
  const pruned = prune(ctx, merged, withApplier, lastSet?.set);
  const { managers: out } = takeOwnership(ctx, live, pruned, withApplier, manager, force);
  return { object: equalValues(live, pruned) ? undefined : pruned, managers: out };
}

/**
 * Removes what the applier owned last time and no longer applies, unless another manager owns
 * it, or it was not there before the apply removed its parent.
 */
function prune(
  ctx: UpdaterContext,
  merged: unknown,
  managers: ManagedSets,
  lastSet: FieldSet | undefined,
): unknown {
  if (!lastSet || lastSet.isEmpty()) return merged;
  const { catalog, typeName } = ctx;
  const named = (s: FieldSet) => ensureNamedFieldsAreMembers(catalog, typeName, s);
  let pruned = removeItems(catalog, typeName, merged, named(lastSet));

  // Add back what any manager (the applier's new configuration included) owns.
  let owned = new FieldSet();
  for (const vs of managers.values()) owned = owned.union(vs.set);
  const mergedSet = named(toFieldSet(catalog, typeName, merged));
  const keep = named(toFieldSet(catalog, typeName, pruned)).union(named(owned));
  pruned = removeItems(catalog, typeName, merged, mergedSet.difference(keep));

  // Only fields of the last applied set may go: what removal dropped by accident comes back.
  const prunedSet = named(toFieldSet(catalog, typeName, pruned));
  return removeItems(catalog, typeName, merged, mergedSet.difference(prunedSet).intersection(named(lastSet)));
}
