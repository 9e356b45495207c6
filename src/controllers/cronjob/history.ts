/**
 * History limits: a CronJob keeps its newest `successfulJobsHistoryLimit` succeeded and
 * `failedJobsHistoryLimit` failed Jobs; older finished ones are deleted. Running Jobs are never touched.
 */
import type { CronJob, Job } from '../../api/batch/v1/types.js';

/** Complete or Failed, whichever True condition comes first (upstream's getFinishedStatus). */
export function finishedCondition(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status?.conditions ?? []) {
    if ((c.type === 'Complete' || c.type === 'Failed') && c.status === 'True') return c.type;
  }
  return undefined;
}

/** Oldest first by status.startTime; Jobs that never started last; equal times by name. */
export function byJobStartTime(a: Job, b: Job): number {
  const sa = a.status?.startTime;
  const sb = b.status?.startTime;
  if (!sa && sb) return 1;
  if (sa && !sb) return -1;
  const ta = sa ? Date.parse(sa) : 0;
  const tb = sb ? Date.parse(sb) : 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '')
    ? -1
    : (a.metadata.name ?? '') > (b.metadata.name ?? '')
      ? 1
      : 0;
}

/** The finished Jobs beyond the history limits, oldest first, succeeded ones before failed ones. */
export function jobsBeyondHistoryLimits(cj: CronJob, jobs: readonly Job[]): Job[] {
  const spec = cj.spec;
  const successfulLimit = spec?.successfulJobsHistoryLimit;
  const failedLimit = spec?.failedJobsHistoryLimit;
  const succeeded: Job[] = [];
  const failed: Job[] = [];
  for (const job of jobs) {
    const c = finishedCondition(job);
    if (c === 'Complete') succeeded.push(job);
    else if (c === 'Failed') failed.push(job);
  }
  const oldest = (list: Job[], limit: number | undefined | null): Job[] =>
    limit === undefined || limit === null || list.length <= limit
      ? []
      : [...list].sort(byJobStartTime).slice(0, list.length - limit);
  return [...oldest(succeeded, successfulLimit), ...oldest(failed, failedLimit)];
}
