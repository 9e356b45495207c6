/**
 * Counting finished pods exactly once (upstream's trackJobStatusAndRemoveFinalizers): a finished
 * pod's UID is first written to status.uncountedTerminatedPods, then its finalizer is removed,
 * and only then does the UID turn into a count. A crash between the steps cannot count twice.
 */

import { isDeepStrictEqual } from 'node:util';
import type { JobCondition, JobStatus } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { copyPlain } from '../../util/copy.js';
import type { BackoffRecord } from './backoff.js';
import { ensureCondition, findCondition, newCondition } from './conditions.js';
import { MAX_UNCOUNTED_PODS } from './constants.js';
import { countIndexes, formatIndexes, hasIndex, withIndexes } from './indexes.js';
import { hasBackoffLimitPerIndex } from './perIndex.js';
import { matchPodFailurePolicy, type PodFailurePolicyAction } from './podFailurePolicy.js';
import { completionIndex, hasTrackingFinalizer, isIndexedJob, isPodFailed, validIndex } from './pods.js';
import type { EventSpec, JobContext } from './sync.js';

export interface TrackingResult {
  ctx: JobContext;
  /** The status to persist before removing finalizers. */
  status: JobStatus;
  /** It differs from the Job's current status. */
  changed: boolean;
  /** Pods whose finalizer may be removed once `status` is written. */
  removals: Pod[];
  /** UIDs of pods still holding the finalizer (and not in flight). */
  withFinalizer: ReadonlySet<string>;
  /** Failed or Complete, to set once every pod is counted and none is terminating. */
  pending?: JobCondition;
  /** The uncounted list is full: the Job cannot finish in this sync. */
  reachedMaxUncounted: boolean;
  /** Failed pods matched by a pod failure policy rule, by action (a metric). */
  policyActions: Partial<Record<PodFailurePolicyAction, number>>;
  events: EventSpec[];
  /** The backoff record to keep once `status` is written. */
  backoff: BackoffRecord;
}

export interface FinishResult {
  status: JobStatus;
  changed: boolean;
  /** The terminal condition was set in this status. */
  finished?: JobCondition;
  events: EventSpec[];
}

/** Go's marshalling drops zero counters and empty lists: compare in that form. */
export function normalizeStatus(status: JobStatus): JobStatus {
  const s = copyPlain(status);
  for (const k of ['active', 'succeeded', 'failed'] as const) if (!s[k]) delete s[k];
  if (!s.completedIndexes) delete s.completedIndexes;
  if (s.conditions && !s.conditions.length) delete s.conditions;
  const u = s.uncountedTerminatedPods;
  if (u) {
    if (!u.succeeded?.length) delete u.succeeded;
    if (!u.failed?.length) delete u.failed;
  }
  return s;
}

export const sameStatus = (a: JobStatus, b: JobStatus): boolean =>
  isDeepStrictEqual(normalizeStatus(a), normalizeStatus(b));

/** UIDs in the uncounted lists whose pods no longer hold the finalizer become counts. */
function countRemoved(status: JobStatus, withFinalizer: ReadonlySet<string>): void {
  const u = (status.uncountedTerminatedPods ??= {});
  const succeeded = (u.succeeded ?? []).filter((uid) => withFinalizer.has(uid));
  const failed = (u.failed ?? []).filter((uid) => withFinalizer.has(uid));
  status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - succeeded.length;
  status.failed = (status.failed ?? 0) + (u.failed ?? []).length - failed.length;
  u.succeeded = succeeded;
  u.failed = failed;
}

/** Upstream's canRemoveFinalizer: the retried index's latest failed pod waits for its replacement. */
function canRemoveFinalizer(ctx: JobContext, finishing: boolean, pod: Pod, failed: boolean): boolean {
  if (ctx.job.metadata.deletionTimestamp || finishing || pod.status?.phase === 'Succeeded') return true;
  if (!failed) return false;
  if (hasBackoffLimitPerIndex(ctx.job)) {
    const ix = completionIndex(pod);
    if (ix >= 0 && ctx.delayedDeletion.get(ix)?.metadata.uid === pod.metadata.uid) return false;
  }
  return true;
}

export function trackStatus(
  ctx: JobContext,
  finished: JobCondition | undefined,
  events: EventSpec[],
): TrackingResult {
  const { job, now } = ctx;
  const status = job.status as JobStatus;
  const indexed = isIndexedJob(job);
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  const uidOf = (p: Pod) => p.metadata.uid ?? '';
  const withFinalizer = new Set(
    pods.filter((p) => hasTrackingFinalizer(p) && !ctx.inFlight.has(uidOf(p))).map(uidOf),
  );
  countRemoved(status, withFinalizer);
  const uncounted = status.uncountedTerminatedPods as { succeeded: string[]; failed: string[] };
  const removals: Pod[] = [];
  const newIndexes: number[] = [];
  const policyActions: Partial<Record<PodFailurePolicyAction, number>> = {};
  const failing = finished?.type === 'FailureTarget';
  let reachedMaxUncounted = false;
  for (const pod of pods) {
    const uid = uidOf(pod);
    if (!withFinalizer.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(ctx, finished !== undefined, pod, failed)) continue;
    removals.push(pod);
    const ix = completionIndex(pod);
    if (pod.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
      // An Indexed Job counts by index, so a succeeded pod needs no UID in the ledger.
      if (indexed) {
        if (validIndex(ix, job) && !hasIndex(ctx.prevSucceededIndexes, ix)) newIndexes.push(ix);
      } else if (!ctx.uncountedSucceeded.has(uid)) uncounted.succeeded.push(uid);
    } else if (failed || failing) {
      // A failing Job counts every pod it stops as failed.
      if (!ctx.uncountedFailed.has(uid) && (!indexed || validIndex(ix, job))) {
        const m = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
        if (m.action) policyActions[m.action] = (policyActions[m.action] ?? 0) + 1;
        if (m.countFailed) uncounted.failed.push(uid);
      }
    }
    if (newIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMaxUncounted = true;
      break;
    }
  }
  if (indexed) {
    const succeeded = withIndexes(ctx.succeededIndexes, newIndexes);
    status.completedIndexes = formatIndexes(succeeded);
    status.succeeded = countIndexes(succeeded);
    if (ctx.failedIndexes) status.failedIndexes = formatIndexes(ctx.failedIndexes);
    else delete status.failedIndexes;
  }
  let pending: JobCondition | undefined;
  status.conditions ??= [];
  if (finished?.type === 'FailureTarget') {
    status.conditions.push(finished);
    pending = newCondition('Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
  } else if (finished?.type === 'SuccessCriteriaMet') {
    if (!findCondition(status.conditions, 'SuccessCriteriaMet')) status.conditions.push(finished);
    pending = newCondition('Complete', 'True', finished.reason ?? '', finished.message ?? '', now);
  } else if (finished) pending = finished;
  if (!status.conditions.length) delete status.conditions;
  const result: TrackingResult = {
    ctx,
    status,
    changed: !sameStatus(status, ctx.originalStatus),
    removals,
    withFinalizer,
    reachedMaxUncounted,
    policyActions,
    events,
    backoff: ctx.backoff,
  };
  if (pending) result.pending = pending;
  return result;
}

/**
 * The status once the finalizers of `removed` are gone: their UIDs become counts and, when nothing
 * is left uncounted or terminating, the pending terminal condition is set.
 */
export function statusAfterRemovals(t: TrackingResult, removed: ReadonlySet<string>): FinishResult {
  const status = copyPlain(t.status);
  const withFinalizer = new Set([...t.withFinalizer].filter((uid) => !removed.has(uid)));
  countRemoved(status, withFinalizer);
  const events: EventSpec[] = [];
  const allRemoved = t.removals.every((p) => removed.has(p.metadata.uid ?? ''));
  const u = status.uncountedTerminatedPods ?? {};
  const pending = t.pending;
  let finished: JobCondition | undefined;
  if (
    pending &&
    allRemoved &&
    !t.reachedMaxUncounted &&
    !(u.succeeded ?? []).length &&
    !(u.failed ?? []).length &&
    (status.terminating ?? 0) === 0
  ) {
    const conditions = (status.conditions ??= []);
    ensureCondition(
      conditions,
      pending.type as 'Failed' | 'Complete',
      'True',
      pending.reason ?? '',
      pending.message ?? '',
      t.ctx.now,
    );
    finished = findCondition(conditions, pending.type);
    if (pending.type === 'Complete') {
      status.completionTime = finished?.lastTransitionTime ?? pending.lastTransitionTime ?? '';
      const completions = t.ctx.job.spec?.completions;
      if (completions !== undefined && completions !== null && (status.succeeded ?? 0) > completions)
        events.push({
          type: 'Warning',
          reason: 'TooManySucceededPods',
          message: 'Too many succeeded pods running after completion count reached',
        });
      events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
    } else {
      events.push({ type: 'Warning', reason: pending.reason ?? '', message: pending.message ?? '' });
    }
  }
  const out: FinishResult = { status, changed: !sameStatus(status, t.status), events };
  if (finished) out.finished = finished;
  return out;
}
