/**
 * The CronJob controller's decision (upstream's v2 syncCronJob), with no I/O: the CronJob, the
 * Jobs it controls, the time and the API's answers to the reads the decision needs go in; the
 * status, events, Jobs to replace and the Job to create come out. `recordCreation` then folds
 * the create's outcome back in.
 */

import type { CronJob, Job } from '../../api/batch/v1/types.js';
import { isJobFinished } from '../../api/batch/v1/types.js';
import type { ObjectReference } from '../../api/core/v1/event.js';
import { ApiError } from '../../api/meta/status.js';
import { goQuote } from '../../cron/gotext.js';
import { loadLocation } from '../../cron/timezone.js';
import { copyPlain } from '../../util/copy.js';
import { type EventSpec, cronJobEvents as ev, formatRFC1123Z } from './events.js';
import { finishedCondition } from './history.js';
import { isControlledBy, jobFromTemplate, jobName, jobReference } from './jobTemplate.js';
import { formatSchedule, type NextSchedule, nextScheduleTime, nextScheduleTimeDuration } from './schedule.js';
import { parseScheduleCached } from './scheduleCache.js';

/** The API's answer to a GET of an active Job missing from the informer's cache. */
export type ActiveLookup = 'found' | 'notFound' | Error;

export interface SyncInput {
  /** The CronJob after history cleanup; not modified. */
  cronJob: CronJob;
  /** The Jobs whose controller reference names this CronJob. */
  jobs: readonly Job[];
  now: Date;
  /** The zone of schedules without spec.timeZone (kube-controller-manager's local zone). */
  localZone: string;
  /** The API's copy of the CronJob, read when a running Job is missing from status.active ({@link needsFreshCronJob}). */
  fresh?: CronJob | Error;
  /** GET answers for the active references that are not among `jobs`, by uid ({@link missingActiveRefs}). */
  lookups?: ReadonlyMap<string, ActiveLookup>;
}

export interface JobCreation {
  job: Job;
  scheduledTime: Date;
  /** The requeue once the Job is recorded as the newest run. */
  requeueAfterMs: number | undefined;
}

export interface SyncPlan {
  /** The CronJob with its new status (the API's fresh copy when the decision switched to it). */
  cronJob: CronJob;
  statusChanged: boolean;
  events: EventSpec[];
  /** The sync failed: write the status if it changed, then retry with backoff. */
  error?: unknown;
  /** Active Jobs to delete (concurrencyPolicy Replace) before the new one is created. */
  replace: ObjectReference[];
  create?: JobCreation;
  /** When to sync again; undefined: only when something changes. */
  requeueAfterMs?: number;
}

const time = (s: string | null | undefined): number | undefined => (s ? Date.parse(s) : undefined);

/** metav1.Time on the wire: RFC 3339 in UTC, whole seconds. */
export const formatTime = (t: Date): string => `${t.toISOString().slice(0, 19)}Z`;

const inActiveList = (cj: CronJob, uid: string | undefined): boolean =>
  (cj.status?.active ?? []).some((r) => r.uid === uid);

export function removeFromActive(cj: CronJob, uid: string | undefined): void {
  const status = (cj.status ??= {});
  status.active = (status.active ?? []).filter((r) => r.uid !== uid);
}

/** Does the decision need the API's copy of the CronJob (a running Job it does not list as active)? */
export function needsFreshCronJob(cj: CronJob, jobs: readonly Job[]): boolean {
  return jobs.some((j) => !inActiveList(cj, j.metadata.uid) && !isJobFinished(j));
}

/** Active references of any of these copies whose Job the cache does not hold: each needs a GET. */
export function missingActiveRefs(cjs: readonly CronJob[], jobs: readonly Job[]): ObjectReference[] {
  const known = new Set(jobs.map((j) => j.metadata.uid));
  const out = new Map<string, ObjectReference>();
  for (const cj of cjs) {
    for (const ref of cj.status?.active ?? []) {
      if (!known.has(ref.uid)) out.set(ref.uid ?? '', ref);
    }
  }
  return [...out.values()];
}

/** The decision, step by step as upstream's syncCronJob. */
export function syncCronJob(input: SyncInput): SyncPlan {
  const { jobs, now, localZone } = input;
  let cronJob: CronJob = copyPlain(input.cronJob);
  const events: EventSpec[] = [];
  let statusChanged = false;
  const plan = (): SyncPlan => ({ cronJob, statusChanged, events, replace: [] });

  // 1. What the Jobs say: finished ones leave status.active, succeeded ones move lastSuccessfulTime.
  for (const job of jobs) {
    const found = inActiveList(cronJob, job.metadata.uid);
    const finished = finishedCondition(job);
    if (!found && !finished) {
      const fresh = input.fresh;
      if (fresh instanceof Error) return { ...plan(), error: fresh };
      if (fresh && inActiveList(fresh, job.metadata.uid)) {
        // Our cached copy is older than the status write that recorded this Job.
        cronJob = copyPlain(fresh);
        continue;
      }
      // Crashed between creating and recording, a stale cache, or someone else's Job: not adopted.
      events.push(ev.unexpectedJob(job.metadata.name ?? ''));
    } else if (finished) {
      if (found) {
        removeFromActive(cronJob, job.metadata.uid);
        events.push(ev.sawCompletedJob(job.metadata.name ?? '', finished));
        statusChanged = true;
      }
      if (finished === 'Complete') {
        const completion = time(job.status?.completionTime);
        const last = time(cronJob.status?.lastSuccessfulTime);
        if (completion !== undefined && (last === undefined || completion > last)) {
          (cronJob.status ??= {}).lastSuccessfulTime = job.status?.completionTime ?? '';
          statusChanged = true;
        }
      }
    }
  }

  // 2. Active references whose Job is gone; the cache may only be slow, so the API decides.
  const listed = new Set(jobs.map((j) => j.metadata.uid));
  for (const ref of [...(cronJob.status?.active ?? [])]) {
    if (listed.has(ref.uid)) continue;
    const answer = input.lookups?.get(ref.uid ?? '') ?? 'found';
    if (answer instanceof Error) return { ...plan(), error: answer };
    if (answer === 'notFound') {
      events.push(ev.missingJob(ref.name ?? ''));
      removeFromActive(cronJob, ref.uid);
      statusChanged = true;
    }
  }

  // 3–5. Being deleted, an unknown zone, or suspended: only the status above.
  if (cronJob.metadata.deletionTimestamp) return plan();
  const tz = cronJob.spec?.timeZone;
  if (tz !== undefined && tz !== null) {
    try {
      loadLocation(tz);
    } catch (err) {
      events.push(ev.unknownTimeZone(goQuote(tz), (err as Error).message));
      return plan();
    }
  }
  if (cronJob.spec?.suspend) return plan();

  // 6. The schedule, with the time zone folded in.
  const formatted = formatSchedule(cronJob);
  const schedule = cronJob.spec?.schedule ?? '';
  if (formatted.unsupported) events.push(ev.unsupportedSchedule(goQuote(schedule)));
  let sched: NextSchedule;
  try {
    sched = parseScheduleCached(formatted.spec);
  } catch (err) {
    events.push(ev.unparseableSchedule(goQuote(schedule), (err as Error).message));
    return plan();
  }
  const requeue = () => nextScheduleTimeDuration(cronJob, now, sched, localZone);
  const withRequeue = (): SyncPlan => {
    const ms = requeue();
    return ms === undefined ? plan() : { ...plan(), requeueAfterMs: ms };
  };

  // 7. The newest unmet activation, if any.
  const next = nextScheduleTime(cronJob, now, sched, localZone);
  if (next.error) {
    events.push(ev.invalidSchedule(schedule, next.error.message));
    return plan();
  }
  const scheduledTime = next.scheduledTime;
  if (!scheduledTime) return withRequeue();
  if (next.tooMany) events.push(ev.tooManyMissedTimes());

  // 8. Too late to start (nextScheduleTime already searched only within the deadline).
  const sds = cronJob.spec?.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null && scheduledTime.getTime() + sds * 1000 < now.getTime()) {
    events.push(ev.missSchedule(formatRFC1123Z(scheduledTime)));
    return withRequeue();
  }

  // 9. Already started for this time.
  const name = jobName(cronJob, scheduledTime);
  const active = cronJob.status?.active ?? [];
  if (
    active.some((r) => r.name === name && r.namespace === cronJob.metadata.namespace) ||
    time(cronJob.status?.lastScheduleTime) === scheduledTime.getTime()
  ) {
    return withRequeue();
  }

  // 10–11. Concurrency. Forbid leaves lastScheduleTime alone, so the slot may still start late.
  const policy = cronJob.spec?.concurrencyPolicy;
  if (policy === 'Forbid' && active.length > 0) {
    events.push(ev.jobAlreadyActive());
    return withRequeue();
  }
  const replace = policy === 'Replace' ? [...active] : [];

  // 12. The Job to create; its requeue is computed as if it were already recorded.
  const recorded: CronJob = {
    ...cronJob,
    status: { ...cronJob.status, lastScheduleTime: formatTime(scheduledTime) },
  };
  return {
    ...plan(),
    replace,
    create: {
      job: jobFromTemplate(cronJob, scheduledTime),
      scheduledTime,
      requeueAfterMs: nextScheduleTimeDuration(recorded, now, sched, localZone),
    },
  };
}

export type CreateOutcome =
  /** The API created it. */
  | { kind: 'created'; job: Job }
  /** A Job of that name exists already: the one read back. */
  | { kind: 'alreadyExists'; job: Job }
  | { kind: 'failed'; error: unknown };

export interface CreationResult {
  cronJob: CronJob;
  statusChanged: boolean;
  events: EventSpec[];
  error?: unknown;
  requeueAfterMs?: number;
  /** Seconds from the scheduled time to the Job's creationTimestamp (the skew metric), for a new Job. */
  skewSeconds?: number;
}

/** Creating in a namespace being deleted fails for every Job: nothing worth an event. */
export function isNamespaceTerminating(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')) return true;
  return err.code === 403 && /because it is being terminated/.test(err.message);
}

/** Folds a create's outcome into the CronJob (step 12–13 of upstream's syncCronJob). */
export function recordCreation(cj: CronJob, creation: JobCreation, outcome: CreateOutcome): CreationResult {
  const cronJob = copyPlain(cj);
  const none: CreationResult = { cronJob, statusChanged: false, events: [] };
  if (outcome.kind === 'failed') {
    if (isNamespaceTerminating(outcome.error)) return { ...none, error: outcome.error };
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    return { ...none, events: [ev.failedCreate(message)], error: outcome.error };
  }
  const job = outcome.job;
  const events: EventSpec[] = [];
  let skewSeconds: number | undefined;
  if (outcome.kind === 'alreadyExists') {
    // Someone else's Job: assume its creator keeps the status. Ours, already listed: nothing to do.
    if (!isControlledBy(job, cronJob) || inActiveList(cronJob, job.metadata.uid)) return none;
  } else {
    const created = time(job.metadata.creationTimestamp);
    if (created !== undefined) skewSeconds = (created - creation.scheduledTime.getTime()) / 1000;
    events.push(ev.successfulCreate(job.metadata.name ?? ''));
  }
  const status = (cronJob.status ??= {});
  status.active = [...(status.active ?? []), jobReference(job)];
  status.lastScheduleTime = formatTime(creation.scheduledTime);
  return {
    cronJob,
    statusChanged: true,
    events,
    ...(creation.requeueAfterMs !== undefined ? { requeueAfterMs: creation.requeueAfterMs } : {}),
    ...(skewSeconds !== undefined ? { skewSeconds } : {}),
  };
}
