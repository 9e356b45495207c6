/**
 * The TTL-after-finished decision (upstream's ttlafterfinished controller): a finished Job with
 * `spec.ttlSecondsAfterFinished` expires that many seconds after it finished. Pure: `now` comes in.
 */
import type { Job } from '../../api/batch/v1/types.js';
import { isJobFinished } from '../../api/batch/v1/types.js';

/** A finished Job whose finish time cannot be read: retried with backoff, as upstream. */
export class FinishTimeError extends Error {
  override readonly name = 'FinishTimeError';
}

/** Finished, with a TTL, and not already being deleted. */
export function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && isJobFinished(job);
}

/**
 * When the Job finished: the lastTransitionTime of its first Complete/Failed=True condition, or
 * its completionTime when that condition carries no time.
 * @throws {FinishTimeError} when neither is there.
 */
export function jobFinishTime(job: Job): Date {
  const key = `${job.metadata.namespace}/${job.metadata.name}`;
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') {
      const at = c.lastTransitionTime ?? job.status?.completionTime;
      if (!at) throw new FinishTimeError(`unable to find the time when the Job ${key} finished`);
      return new Date(at);
    }
  }
  throw new FinishTimeError(`unable to find the status of the finished Job ${key}`);
}

export type TtlDecision =
  /** Not finished, no TTL, or being deleted. */
  | { kind: 'ignore' }
  /** Look again after this long. */
  | { kind: 'wait'; afterMs: number }
  /** Expired at this time: delete it (after re-reading it from the API). */
  | { kind: 'expired'; expireAt: Date };

/**
 * What to do with a Job now. A finish time in the future (clock skew, or our clock moved back)
 * only delays the deletion.
 * @throws {FinishTimeError} for a finished Job with no readable finish time.
 */
export function processTTL(job: Job, now: Date): TtlDecision {
  if (job.metadata.deletionTimestamp || !needsCleanup(job)) return { kind: 'ignore' };
  const expireAt = new Date(jobFinishTime(job).getTime() + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000);
  const remaining = expireAt.getTime() - now.getTime();
  return remaining > 0 ? { kind: 'wait', afterMs: remaining } : { kind: 'expired', expireAt };
}
