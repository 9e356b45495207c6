/**
 * The Job controller's decision, with no I/O: a Job, its pods, the time and the in-memory records
 * in; the pods to create and delete, the status to write, the finalizers to remove and the events
 * out. It runs in three steps so the controller can feed back what really happened in between:
 * `planSync` (which pods to create or delete), `statusAfterManage` (the status to persist before
 * any finalizer is removed) and `statusAfterRemovals` (the counts once the finalizers are gone).
 * `syncJob` chains the three, assuming every write succeeds.
 */

import type { Job, JobCondition, JobStatus } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { copyPlain } from '../../util/copy.js';
import type { EventType } from '../events/types.js';
import {
  type BackoffConfig,
  type BackoffRecord,
  DEFAULT_BACKOFF,
  nextBackoffRecord,
  remainingBackoffForIndexMs,
  remainingBackoffMs,
} from './backoff.js';
import { ensureCondition, findCondition, hasTrueCondition, newCondition, rfc3339 } from './conditions.js';
import { JOB_CONTROLLER_NAME, MAX_POD_CREATE_DELETE_PER_SYNC, MESSAGE, REASON } from './constants.js';
import {
  countIndexes,
  firstPendingIndexes,
  type Interval,
  mergeIndexes,
  parseIndexes,
  withIndexes,
} from './indexes.js';
import {
  calculateFailedIndexes,
  hasBackoffLimitPerIndex,
  podsWithDelayedDeletion,
  replacementCounts,
} from './perIndex.js';
import { matchPodFailurePolicy, type PodFailurePolicyAction } from './podFailurePolicy.js';
import {
  completionIndex,
  hasTrackingFinalizer,
  isIndexedJob,
  isPodActive,
  isPodFailed,
  isPodReady,
  isPodTerminating,
  onlyReplaceFailedPods,
  validIndex,
} from './pods.js';
import { buildPod, type PodCreation } from './podTemplate.js';
import { activePodsForRemoval } from './removal.js';
import { matchSuccessPolicy } from './successPolicy.js';
import { statusAfterRemovals, type TrackingResult, trackStatus } from './tracking.js';

export { statusAfterRemovals, type TrackingResult };

export interface SyncInput {
  job: Job;
  /** The pods the Job controls (claimed by controller ownerReference). */
  pods: readonly Pod[];
  now: Date;
  /** Creation and deletion expectations met: pods may be created or deleted and the Job finished. */
  expectationsSatisfied?: boolean;
  /** Pods whose finalizer removal is in flight: treated as already handled. */
  finalizerRemovalsInFlight?: ReadonlySet<string>;
  /** The pod-failure backoff record kept from the previous syncs. */
  backoff?: BackoffRecord;
  backoffConfig?: BackoffConfig;
}

export interface EventSpec {
  type: EventType;
  reason: string;
  message: string;
}

export interface PodDeletion {
  pod: Pod;
  /** Scale-down and suspend remove the tracking finalizer first, so the pod is never counted. */
  removeFinalizerFirst: boolean;
}

/** The job_controller_job_sync_* `action` label. */
export type SyncAction = 'reconciling' | 'tracking' | 'pods_created' | 'pods_deleted';

export type SkipReason = 'managedByOther' | 'finished' | 'unknownCompletionMode';

/** Everything the later steps need from the first; plain data. */
export interface JobContext {
  job: Job;
  /** The status as read, to tell whether anything changed. */
  originalStatus: JobStatus;
  now: Date;
  pods: readonly Pod[];
  activePods: readonly Pod[];
  inFlight: ReadonlySet<string>;
  uncountedSucceeded: ReadonlySet<string>;
  uncountedFailed: ReadonlySet<string>;
  expectationsSatisfied: boolean;
  succeeded: number;
  failed: number;
  ready: number;
  terminating: number;
  startTime: string | undefined;
  backoff: BackoffRecord;
  finishedCondition: JobCondition | undefined;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  failedIndexes: Interval[] | undefined;
  delayedDeletion: Map<number, Pod>;
  /** manageJob ran (expectations met, Job not being deleted, not finishing). */
  manageRan: boolean;
  backoffConfig: BackoffConfig;
}

export interface SyncPlan {
  /** Set when the Job is left alone; nothing else in the plan applies. */
  skipped?: SkipReason;
  creations: PodCreation[];
  deletions: PodDeletion[];
  /** Sync again after this long (pod-failure backoff, active deadline). */
  requeueAfterMs?: number;
  events: EventSpec[];
  action: SyncAction;
  /** The pod_creation_total reason for this sync's creations. */
  creationReason: 'new' | 'recreate_terminating_or_failed' | 'recreate_failed';
  ctx?: JobContext;
}

/** What the controller managed to do of the plan's pod writes. */
export interface ManageOutcome {
  /** UIDs of the pods whose deletion succeeded (NotFound counts). */
  deleted: ReadonlySet<string>;
  /** Creations that failed or were abandoned after a failed slow-start batch. */
  failedCreations: number;
}

export interface SyncResult {
  skipped?: SkipReason;
  creations: Pod[];
  deletions: PodDeletion[];
  /** Pods whose tracking finalizer is to be removed (after `status` is written). */
  finalizerRemovals: Pod[];
  /** The final status, once pods are written and finalizers removed. */
  status: JobStatus;
  /** The status persisted before removing finalizers (it records the UIDs about to be counted). */
  interimStatus: JobStatus;
  events: EventSpec[];
  requeueAfterMs?: number;
  backoff?: BackoffRecord;
  action: SyncAction;
  /** Failed pods matched by a pod failure policy rule, by action. */
  podFailurePolicyActions: Partial<Record<PodFailurePolicyAction, number>>;
}

const MIN_REQUEUE_MS = 1000;

/** A Job whose spec.managedBy names another controller is theirs to run. */
export const managedByOther = (job: Job): boolean =>
  !!job.spec?.managedBy && job.spec.managedBy !== JOB_CONTROLLER_NAME;

const isSuspended = (job: Job) => job.spec?.suspend === true;

/** Interim failure condition (two-phase terminal conditions, the 1.31+ default). */
const failureTarget = (reason: string, message: string, now: Date) =>
  newCondition('FailureTarget', 'True', reason, message, now);

function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])])
      restarts += cs.restartCount;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function pastActiveDeadline(job: Job, startTime: string | undefined, now: Date): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  if (ads === undefined || !startTime || isSuspended(job)) return false;
  return now.getTime() - Date.parse(startTime) >= ads * 1000;
}

/** Pods holding the finalizer, not yet counted or in flight, with a valid index for Indexed Jobs. */
function newFinishedPods(
  job: Job,
  pods: readonly Pod[],
  inFlight: ReadonlySet<string>,
  uncounted: ReadonlySet<string>,
  pick: (p: Pod) => boolean,
): Pod[] {
  const indexed = isIndexedJob(job);
  return pods.filter((p) => {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || uncounted.has(uid) || inFlight.has(uid)) return false;
    if (indexed && !validIndex(completionIndex(p), job)) return false;
    return pick(p);
  });
}

function emptyPlan(skipped: SkipReason | undefined, events: EventSpec[] = []): SyncPlan {
  const plan: SyncPlan = {
    creations: [],
    deletions: [],
    events,
    action: 'reconciling',
    creationReason: 'new',
  };
  if (skipped) plan.skipped = skipped;
  return plan;
}

/** Step 1: count the pods, decide whether the Job is finishing, and which pods to create or delete. */
export function planSync(input: SyncInput): SyncPlan {
  const { now } = input;
  if (managedByOther(input.job)) return emptyPlan('managedByOther');
  if (
    hasTrueCondition(input.job.status?.conditions, 'Complete') ||
    hasTrueCondition(input.job.status?.conditions, 'Failed')
  )
    return emptyPlan('finished');
  const mode = input.job.spec?.completionMode;
  if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
    return emptyPlan('unknownCompletionMode', [
      {
        type: 'Warning',
        reason: 'UnknownCompletionMode',
        message: 'Skipped Job sync because completion mode is unknown',
      },
    ]);
  }
  const job: Job = copyPlain(input.job);
  const status: JobStatus = (job.status ??= {});
  status.uncountedTerminatedPods ??= {};
  const spec = job.spec ?? { template: {} };
  const pods = input.pods;
  const inFlight = input.finalizerRemovalsInFlight ?? new Set<string>();
  const uncountedSucceeded = new Set(status.uncountedTerminatedPods.succeeded ?? []);
  const uncountedFailed = new Set(status.uncountedTerminatedPods.failed ?? []);
  const activePods = pods.filter(isPodActive);
  const expectationsSatisfied = input.expectationsSatisfied ?? true;
  const newSucceeded = newFinishedPods(
    job,
    pods,
    inFlight,
    uncountedSucceeded,
    (p) => p.status?.phase === 'Succeeded',
  );
  const newFailed = newFinishedPods(job, pods, inFlight, uncountedFailed, (p) => isPodFailed(p, job));
  const counted = newFailed.filter((p) => matchPodFailurePolicy(spec.podFailurePolicy, p).countFailed).length;
  let succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size;
  const failed = (status.failed ?? 0) + counted + uncountedFailed.size;
  const startTime = status.startTime ?? (isSuspended(job) ? undefined : rfc3339(now));
  if (startTime) status.startTime = startTime;
  // A Job resuming in this sync gets a fresh startTime below, so its deadline counts from now.
  const resuming = !isSuspended(job) && hasTrueCondition(status.conditions, 'Suspended');
  const deadlineStart = resuming ? rfc3339(now) : startTime;
  const backoff = nextBackoffRecord(input.backoff, newSucceeded, newFailed);
  let requeueAfterMs: number | undefined;
  const requeue = (ms: number) => {
    const d = Math.max(MIN_REQUEUE_MS, ms);
    requeueAfterMs = requeueAfterMs === undefined ? d : Math.min(requeueAfterMs, d);
  };

  // The finishing condition: an earlier decision stands; then pod failure policy, backoff limit, deadline.
  let finished: JobCondition | undefined;
  const criteriaMet = findCondition(status.conditions, 'SuccessCriteriaMet');
  const target = findCondition(status.conditions, 'FailureTarget');
  if (criteriaMet?.status === 'True') finished = criteriaMet;
  else if (target?.status === 'True') {
    finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
  } else if (spec.podFailurePolicy) {
    for (const pod of pods) {
      if (!isPodFailed(pod, job)) continue;
      const msg = matchPodFailurePolicy(spec.podFailurePolicy, pod).failJobMessage;
      if (msg !== undefined) {
        finished = failureTarget(REASON.podFailurePolicy, msg, now);
        break;
      }
    }
  }
  if (!finished) {
    if (failed > (spec.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      finished = failureTarget(REASON.backoffLimitExceeded, MESSAGE.backoffLimitExceeded, now);
    } else if (pastActiveDeadline(job, deadlineStart, now)) {
      finished = failureTarget(REASON.deadlineExceeded, MESSAGE.deadlineExceeded, now);
    } else if (spec.activeDeadlineSeconds !== undefined && !isSuspended(job) && deadlineStart) {
      requeue(spec.activeDeadlineSeconds * 1000 - (now.getTime() - Date.parse(deadlineStart)));
    }
  }

  const completions = spec.completions ?? 0;
  let prevSucceededIndexes: Interval[] = [];
  let succeededIndexes: Interval[] = [];
  let failedIndexes: Interval[] | undefined;
  let delayedDeletion = new Map<number, Pod>();
  if (isIndexedJob(job)) {
    prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
    const fresh = pods
      .filter(
        (p) =>
          p.status?.phase === 'Succeeded' && hasTrackingFinalizer(p) && validIndex(completionIndex(p), job),
      )
      .map(completionIndex);
    succeededIndexes = withIndexes(prevSucceededIndexes, fresh);
    succeeded = countIndexes(succeededIndexes);
    if (hasBackoffLimitPerIndex(job)) {
      failedIndexes = calculateFailedIndexes(job, pods);
      const nFailed = countIndexes(failedIndexes);
      if (!finished) {
        if (spec.maxFailedIndexes !== undefined && nFailed > spec.maxFailedIndexes) {
          finished = failureTarget(REASON.maxFailedIndexesExceeded, MESSAGE.maxFailedIndexesExceeded, now);
        } else if (nFailed > 0 && nFailed + succeeded >= completions) {
          finished = failureTarget(REASON.failedIndexes, MESSAGE.failedIndexes, now);
        }
      }
      const candidates = newFinishedPods(job, pods, inFlight, new Set(), () => true);
      delayedDeletion = podsWithDelayedDeletion(job, candidates, activePods, succeededIndexes, failedIndexes);
    }
    if (!finished) {
      const msg = matchSuccessPolicy(spec.successPolicy, completions, succeededIndexes);
      if (msg !== undefined)
        finished = newCondition('SuccessCriteriaMet', 'True', REASON.successPolicy, msg, now);
    }
  }

  const ctx: JobContext = {
    job,
    originalStatus: input.job.status ?? {},
    now,
    pods,
    activePods,
    inFlight,
    uncountedSucceeded,
    uncountedFailed,
    expectationsSatisfied,
    succeeded,
    failed,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    startTime,
    backoff,
    finishedCondition: finished,
    prevSucceededIndexes,
    succeededIndexes,
    failedIndexes,
    delayedDeletion,
    manageRan: false,
    backoffConfig: input.backoffConfig ?? DEFAULT_BACKOFF,
  };
  const plan: SyncPlan = { ...emptyPlan(undefined), ctx };
  if (finished) {
    // A finishing Job stops its running pods but keeps their finalizers: they are counted as they end.
    plan.deletions = activePods.map((pod) => ({ pod, removeFinalizerFirst: false }));
  } else if (expectationsSatisfied && !job.metadata.deletionTimestamp) {
    ctx.manageRan = true;
    manageJob(ctx, plan, requeue);
  }
  if (requeueAfterMs !== undefined) plan.requeueAfterMs = requeueAfterMs;
  return plan;
}

/** Upstream's manageJob: suspend, scale down, or create the shortfall (after any backoff). */
function manageJob(ctx: JobContext, plan: SyncPlan, requeue: (ms: number) => void): void {
  const { job } = ctx;
  const spec = job.spec ?? { template: {} };
  const active = ctx.activePods.length;
  const parallelism = spec.parallelism ?? 1;
  const scaleDown = (pods: Pod[]) => {
    plan.deletions = pods
      .slice(0, MAX_POD_CREATE_DELETE_PER_SYNC)
      .map((pod) => ({ pod, removeFinalizerFirst: true }));
    plan.action = 'pods_deleted';
  };
  if (isSuspended(job)) {
    scaleDown(activePodsForRemoval(job, ctx.activePods, active));
    return;
  }
  let wantActive: number;
  if (spec.completions === undefined || spec.completions === null) {
    wantActive = ctx.succeeded > 0 ? active : parallelism;
  } else {
    wantActive = Math.max(0, Math.min(parallelism, spec.completions - ctx.succeeded));
  }
  const excess = activePodsForRemoval(job, ctx.activePods, Math.max(0, active - wantActive));
  if (excess.length) {
    // Deletion wins: a sync never both deletes and creates.
    scaleDown(excess);
    return;
  }
  plan.action = 'tracking';
  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return;
  plan.action = 'pods_created';
  const now = ctx.now.getTime();
  const cfg = ctx.backoffConfig;
  if (!hasBackoffLimitPerIndex(job)) {
    const wait = remainingBackoffMs(
      ctx.backoff.failuresAfterLastSuccess,
      ctx.backoff.lastFailureTime,
      now,
      cfg,
    );
    if (wait > 0) {
      requeue(wait);
      return;
    }
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  const failedRecreate = job.spec?.podReplacementPolicy === 'Failed' && ctx.failed > 0;
  plan.creationReason = failedRecreate
    ? 'recreate_failed'
    : ctx.failed > 0 || ctx.terminating > 0
      ? 'recreate_terminating_or_failed'
      : 'new';
  if (!isIndexedJob(job)) {
    plan.creations = Array.from({ length: diff }, () => ({}));
    return;
  }
  const completions = spec.completions ?? 0;
  const indexesOf = (pods: readonly Pod[]) =>
    [...new Set(pods.map(completionIndex).filter((ix) => ix >= 0))].map((ix) => ({ first: ix, last: ix }));
  let taken = mergeIndexes(ctx.succeededIndexes, indexesOf(ctx.activePods));
  if (onlyReplaceFailedPods(job)) taken = mergeIndexes(taken, indexesOf(ctx.pods.filter(isPodTerminating)));
  if (ctx.failedIndexes) taken = mergeIndexes(taken, ctx.failedIndexes);
  let indexes = firstPendingIndexes(taken, diff, completions);
  if (hasBackoffLimitPerIndex(job)) {
    // Each index waits out its own backoff; if none is ready, come back for the soonest.
    const waits = indexes.map((ix) => remainingBackoffForIndexMs(ctx.delayedDeletion.get(ix), now, cfg));
    const ready = indexes.filter((_, i) => waits[i] === 0);
    if (!ready.length && indexes.length) {
      requeue(Math.min(...waits));
      return;
    }
    indexes = ready;
    plan.creations = indexes.map((ix) => replacementCounts(job, ix, ctx.delayedDeletion.get(ix)));
    return;
  }
  plan.creations = indexes.map((index) => ({ index }));
}

/**
 * Step 2: given what the pod writes achieved, the status to persist before any finalizer is
 * removed (new uncounted UIDs, interim conditions, active/ready/terminating) and the pods whose
 * finalizers may then go.
 */
export function statusAfterManage(p: SyncPlan, outcome: ManageOutcome): TrackingResult | undefined {
  const ctx = p.ctx;
  if (!ctx) return undefined;
  const { job, now } = ctx;
  const status = job.status as JobStatus;
  const events: EventSpec[] = [];
  let active = ctx.activePods.length;
  let { ready, terminating } = ctx;
  let finished = ctx.finishedCondition;
  const removed = p.deletions.filter((d) => outcome.deleted.has(d.pod.metadata.uid ?? ''));
  const removedReady = removed.filter((d) => isPodReady(d.pod)).length;
  active -= removed.length;
  terminating += removed.length;
  ready -= removedReady;
  if (finished) {
    // Not finished until every running pod is being deleted and the informer has seen all our pods.
    if (removed.length !== ctx.activePods.length || !ctx.expectationsSatisfied) finished = undefined;
  } else {
    active += p.creations.length - outcome.failedCreations;
    const completions = job.spec?.completions;
    const complete =
      completions === undefined || completions === null
        ? ctx.succeeded > 0 && active === 0
        : ctx.succeeded >= completions && active === 0;
    if (complete) {
      finished = newCondition(
        'SuccessCriteriaMet',
        'True',
        REASON.completionsReached,
        MESSAGE.completionsReached,
        now,
      );
    } else if (ctx.manageRan) {
      status.conditions ??= [];
      if (isSuspended(job)) {
        if (ensureCondition(status.conditions, 'Suspended', 'True', REASON.suspended, MESSAGE.suspended, now))
          events.push({ type: 'Normal', reason: 'Suspended', message: MESSAGE.suspended });
      } else if (
        ensureCondition(status.conditions, 'Suspended', 'False', REASON.resumed, MESSAGE.resumed, now)
      ) {
        events.push({ type: 'Normal', reason: 'Resumed', message: MESSAGE.resumed });
        // The active deadline counts continuous running time, so a resume restarts it.
        status.startTime = rfc3339(now);
      }
      if (!status.conditions.length) delete status.conditions;
    }
  }
  status.active = active;
  status.ready = ready;
  status.terminating = terminating;
  return trackStatus(ctx, finished, events);
}

/** All three steps, assuming every pod write and finalizer removal succeeds. */
export function syncJob(input: SyncInput): SyncResult {
  const p = planSync(input);
  const ctx = p.ctx;
  const tracked = statusAfterManage(p, {
    deleted: new Set(p.deletions.map((d) => d.pod.metadata.uid ?? '')),
    failedCreations: 0,
  });
  if (!ctx || !tracked) {
    const status = input.job.status ?? {};
    const out: SyncResult = {
      creations: [],
      deletions: [],
      finalizerRemovals: [],
      status,
      interimStatus: status,
      events: p.events,
      action: p.action,
      podFailurePolicyActions: {},
    };
    if (p.skipped) out.skipped = p.skipped;
    return out;
  }
  const creations = p.creations.map((c) => buildPod(ctx.job, c));
  // The events the pod writes would record (the controller's PodControl records the real ones).
  const podEvents: EventSpec[] = [
    ...p.deletions.map((d) => podEvent('SuccessfulDelete', `Deleted pod: ${d.pod.metadata.name ?? ''}`)),
    ...creations.map((c) => podEvent('SuccessfulCreate', `Created pod: ${c.metadata.generateName ?? ''}`)),
  ];
  const done = statusAfterRemovals(tracked, new Set(tracked.removals.map((pod) => pod.metadata.uid ?? '')));
  const out: SyncResult = {
    creations,
    deletions: p.deletions,
    finalizerRemovals: tracked.removals,
    interimStatus: tracked.status,
    status: done.status,
    events: [...p.events, ...podEvents, ...tracked.events, ...done.events],
    backoff: tracked.backoff,
    action: p.action,
    podFailurePolicyActions: tracked.policyActions,
  };
  if (p.requeueAfterMs !== undefined) out.requeueAfterMs = p.requeueAfterMs;
  return out;
}

const podEvent = (reason: string, message: string): EventSpec => ({ type: 'Normal', reason, message });
