/**
 * backoffLimitPerIndex (Indexed Jobs): failed indexes, and the failed pod each retried index keeps
 * (finalizer and all) until its replacement exists, so the replacement can inherit its failure count.
 */
import type { Job } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { hasIndex, type Interval, type Intervals, parseIndexes, withIndexes } from './indexes.js';
import { matchPodFailurePolicy } from './podFailurePolicy.js';
import {
  completionIndex,
  hasTrackingFinalizer,
  indexAbsoluteFailureCount,
  indexFailureCount,
  indexIgnoredFailureCount,
  isPodFailed,
  podFinishTime,
  validIndex,
} from './pods.js';
import type { PodCreation } from './podTemplate.js';

export const hasBackoffLimitPerIndex = (job: Job): boolean =>
  isIndexedJobSpec(job) &&
  job.spec?.backoffLimitPerIndex !== undefined &&
  job.spec.backoffLimitPerIndex !== null;

const isIndexedJobSpec = (job: Job) => job.spec?.completionMode === 'Indexed';

/**
 * status.failedIndexes plus the indexes of uncounted failed pods that used up their retries or
 * matched a FailIndex rule.
 */
export function calculateFailedIndexes(job: Job, pods: readonly Pod[]): Interval[] {
  const completions = job.spec?.completions ?? 0;
  const limit = job.spec?.backoffLimitPerIndex ?? 0;
  const prev = parseIndexes(job.status?.failedIndexes, completions);
  const failed: number[] = [];
  for (const pod of pods) {
    if (!hasTrackingFinalizer(pod) || !isPodFailed(pod, job)) continue;
    const ix = completionIndex(pod);
    if (!validIndex(ix, job)) continue;
    const m = matchPodFailurePolicy(job.spec?.podFailurePolicy, pod);
    if (m.action === 'FailIndex' || (m.countFailed && indexFailureCount(pod) >= limit)) failed.push(ix);
  }
  return withIndexes(prev, failed);
}

/**
 * For each index that is neither finished nor running, its latest failed pod still holding the
 * finalizer (highest failure count, then latest finish).
 */
export function podsWithDelayedDeletion(
  job: Job,
  candidates: readonly Pod[],
  active: readonly Pod[],
  succeeded: Intervals,
  failed: Intervals,
): Map<number, Pod> {
  const activeIndexes = new Set(active.map(completionIndex));
  const out = new Map<number, Pod>();
  for (const pod of candidates) {
    if (!isPodFailed(pod, job)) continue;
    const ix = completionIndex(pod);
    if (!validIndex(ix, job) || hasIndex(succeeded, ix) || hasIndex(failed, ix) || activeIndexes.has(ix))
      continue;
    const prev = out.get(ix);
    if (
      !prev ||
      (indexAbsoluteFailureCount(prev) <= indexAbsoluteFailureCount(pod) &&
        podFinishTime(pod) >= podFinishTime(prev))
    )
      out.set(ix, pod);
  }
  return out;
}

/** The failure counts a replacement for `replaced` inherits: one more counted, or one more ignored. */
export function replacementCounts(job: Job, index: number, replaced: Pod | undefined): PodCreation {
  if (!replaced) return { index, indexFailureCount: 0, indexIgnoredFailureCount: 0 };
  let failures = indexFailureCount(replaced);
  let ignored = indexIgnoredFailureCount(replaced);
  if (matchPodFailurePolicy(job.spec?.podFailurePolicy, replaced).countFailed) failures++;
  else ignored++;
  return { index, indexFailureCount: failures, indexIgnoredFailureCount: ignored };
}
