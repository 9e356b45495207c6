/** What the controller reads off a pod: activity, readiness, its completion index, when it finished. */
import type { ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { Job } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import {
  JOB_COMPLETION_INDEX,
  JOB_INDEX_FAILURE_COUNT,
  JOB_INDEX_IGNORED_FAILURE_COUNT,
  JOB_TRACKING_FINALIZER,
} from './constants.js';

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/** Active: not finished and not being deleted (upstream's FilterActivePods). */
export const isPodActive = (pod: Pod): boolean => !isTerminal(pod) && !pod.metadata.deletionTimestamp;

/** Terminating: being deleted but not yet in a terminal phase. */
export const isPodTerminating = (pod: Pod): boolean => !isTerminal(pod) && !!pod.metadata.deletionTimestamp;

export const isPodReady = (pod: Pod): boolean =>
  (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export const hasTrackingFinalizer = (pod: Pod): boolean =>
  (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

export const isIndexedJob = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

/** podReplacementPolicy Failed, or any podFailurePolicy: a terminating pod is neither failed nor replaced. */
export const onlyReplaceFailedPods = (job: Job): boolean =>
  job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;

/**
 * Failed for counting: phase Failed, or (unless only failed pods are replaced) deleted before it
 * succeeded, so an orphan that never reaches a terminal phase is still counted.
 */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!pod.metadata.deletionTimestamp && pod.status?.phase !== 'Succeeded';
}

const DIGITS = /^[+-]?\d+$/;

/** The completion index annotation, or -1 when missing, malformed or negative. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !DIGITS.test(v)) return -1;
  const n = Number(v);
  return n < 0 || !Number.isSafeInteger(n) ? -1 : n;
}

/** A valid index of this Job: known and below completions. */
export const validIndex = (ix: number, job: Job): boolean => ix >= 0 && ix < (job.spec?.completions ?? 0);

function annotationCount(pod: Pod, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !DIGITS.test(v)) return 0;
  const n = Number(v);
  return n < 0 || n > 2 ** 31 - 1 ? 0 : n;
}

export const indexFailureCount = (pod: Pod) => annotationCount(pod, JOB_INDEX_FAILURE_COUNT);
export const indexIgnoredFailureCount = (pod: Pod) => annotationCount(pod, JOB_INDEX_IGNORED_FAILURE_COUNT);
/** Failures of the index before this pod, ignored ones included: the per-index backoff's exponent. */
export const indexAbsoluteFailureCount = (pod: Pod) => indexFailureCount(pod) + indexIgnoredFailureCount(pod);

const ms = (t: string | undefined | null) => (t ? Date.parse(t) : Number.NaN);

/** Latest finishedAt when every listed container has terminated with a time; undefined otherwise. */
function latestFinish(prev: number | undefined, statuses: readonly ContainerStatus[]): number | undefined {
  let at = prev;
  for (const cs of statuses) {
    const t = ms(cs.state?.terminated?.finishedAt);
    if (Number.isNaN(t)) return undefined;
    if (at === undefined || t > at) at = t;
  }
  return at;
}

/**
 * When a pod finished (upstream's getFinishedTime): its containers' latest finishedAt (sidecars
 * included), else when it stopped being Ready, else its deletion time minus the grace period, else
 * its creation.
 */
export function podFinishTime(pod: Pod): number {
  let at = latestFinish(undefined, pod.status?.containerStatuses ?? []);
  if (at !== undefined) {
    const sidecars = new Set(
      (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name),
    );
    at = latestFinish(
      at,
      (pod.status?.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)),
    );
  }
  if (at !== undefined) return at;
  const notReady = (pod.status?.conditions ?? []).find((c) => c.type === 'Ready' && c.status === 'False');
  const t = ms(notReady?.lastTransitionTime);
  if (!Number.isNaN(t)) return t;
  const del = ms(pod.metadata.deletionTimestamp);
  if (!Number.isNaN(del)) return del - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  const created = ms(pod.metadata.creationTimestamp);
  return Number.isNaN(created) ? 0 : created;
}

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(pod: Pod): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'Ready' && x.status === 'True');
  const t = ms(c?.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

const maxRestarts = (pod: Pod) =>
  Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount));

/** Zero (unset) sorts first, then the later time: upstream's afterOrZero. */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/**
 * Upstream's ActivePods order, the pods to delete first first: unscheduled, earlier phase, not
 * ready, ready for less time, more restarts, newer.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na ? -1 : 1;
  const pa = PHASE_ORDER[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDER[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  if (ra && rb) {
    const ta = readySince(a);
    const tb = readySince(b);
    if (ta !== tb) return afterOrZero(ta, tb) ? -1 : 1;
  }
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  const ca = a.metadata.creationTimestamp ? ms(a.metadata.creationTimestamp) : undefined;
  const cb = b.metadata.creationTimestamp ? ms(b.metadata.creationTimestamp) : undefined;
  if (ca !== cb) return afterOrZero(ca, cb) ? -1 : 1;
  return 0;
}
