/**
 * One sync of one CronJob (upstream's sync): history cleanup, the decision of sync.ts, the
 * Replace deletions and the create it asks for, then one status write. The I/O goes through a
 * JobControl so the whole round is testable with a fake.
 */

import type { CronJob, Job } from '../../api/batch/v1/types.js';
import { ApiError } from '../../api/meta/status.js';
import { copyPlain } from '../../util/copy.js';
import type { EventRecorder } from '../events/types.js';
import type { JobControl } from './control.js';
import { type EventSpec, cronJobEvents as ev } from './events.js';
import { jobsBeyondHistoryLimits } from './history.js';
import type { CronJobMetrics } from './metrics.js';
import {
  type ActiveLookup,
  type CreateOutcome,
  missingActiveRefs,
  needsFreshCronJob,
  recordCreation,
  removeFromActive,
  syncCronJob,
} from './sync.js';

export interface ReconcileDeps {
  control: JobControl;
  recorder: EventRecorder;
  metrics: CronJobMetrics;
  now: Date;
  /** The zone of schedules without spec.timeZone. */
  localZone: string;
}

export interface ReconcileResult {
  /** The CronJob as written (or as it would have been, when nothing changed). */
  cronJob: CronJob;
  statusWritten: boolean;
  /** Sync again after this long (the queue forgets earlier failures). */
  requeueAfterMs?: number;
  /** Retry with backoff. */
  error?: unknown;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const isCode = (err: unknown, code: number, reason?: string): boolean =>
  err instanceof ApiError && err.code === code && (reason === undefined || err.reason === reason);

/** Runs one sync for a CronJob and the Jobs it controls (from the informer cache; neither is modified). */
export async function reconcileCronJob(
  deps: ReconcileDeps,
  cached: CronJob,
  jobs: readonly Job[],
): Promise<ReconcileResult> {
  const { control, now } = deps;
  const ns = cached.metadata.namespace ?? '';
  let cronJob: CronJob = copyPlain(cached);
  let changed = false;
  const record = (e: EventSpec) => deps.recorder.event(cronJob, e.type, e.reason, e.message);

  // History first, even when suspended or being deleted, and even if the create fails later.
  for (const job of jobsBeyondHistoryLimits(cronJob, jobs)) {
    if (await deleteJob(job.metadata.namespace ?? ns, job.metadata.name ?? '', job.metadata.uid))
      changed = true;
  }

  let fresh: CronJob | Error | undefined;
  if (needsFreshCronJob(cronJob, jobs)) {
    fresh = await control.getCronJob(ns, cronJob.metadata.name ?? '').catch((err: unknown) => asError(err));
  }
  const lookups = new Map<string, ActiveLookup>();
  const copies = fresh && !(fresh instanceof Error) ? [cronJob, fresh] : [cronJob];
  for (const ref of missingActiveRefs(copies, jobs)) {
    lookups.set(
      ref.uid ?? '',
      await control.getJob(ref.namespace || ns, ref.name ?? '').then(
        (): ActiveLookup => 'found',
        (err: unknown): ActiveLookup => (isCode(err, 404) ? 'notFound' : asError(err)),
      ),
    );
  }

  const plan = syncCronJob({
    cronJob,
    jobs,
    now,
    localZone: deps.localZone,
    ...(fresh ? { fresh } : {}),
    lookups,
  });
  cronJob = plan.cronJob;
  changed ||= plan.statusChanged;
  plan.events.forEach(record);
  let error = plan.error;
  let requeueAfterMs = plan.requeueAfterMs;

  if (error === undefined) {
    for (const ref of plan.replace) {
      const refNs = ref.namespace || ns;
      let job: Job;
      try {
        job = await control.getJob(refNs, ref.name ?? '');
      } catch (err) {
        record(ev.failedGet(message(err)));
        error = err;
        break;
      }
      if (!(await deleteJob(refNs, job.metadata.name ?? '', job.metadata.uid))) {
        error = new Error(`could not replace job ${refNs}/${job.metadata.name}`);
        break;
      }
      changed = true;
    }
  }

  if (error === undefined && plan.create) {
    const outcome = await create(plan.create.job);
    if (outcome instanceof Error) {
      error = outcome;
    } else {
      const r = recordCreation(cronJob, plan.create, outcome);
      cronJob = r.cronJob;
      changed ||= r.statusChanged;
      r.events.forEach(record);
      if (r.skewSeconds !== undefined) deps.metrics.jobCreationSkew.observe(r.skewSeconds);
      error = r.error;
      requeueAfterMs = r.requeueAfterMs;
    }
  }

  let statusWritten = false;
  if (changed) {
    try {
      cronJob = await control.updateCronJobStatus(cronJob);
      statusWritten = true;
    } catch (err) {
      return { cronJob, statusWritten, error: err };
    }
  }
  // A requeue wins over an error, as upstream: the next scheduled sync retries anyway.
  if (requeueAfterMs !== undefined) return { cronJob, statusWritten, requeueAfterMs };
  return { cronJob, statusWritten, ...(error !== undefined ? { error } : {}) };

  async function deleteJob(jobNs: string, name: string, uid: string | undefined): Promise<boolean> {
    try {
      await control.deleteJob(jobNs, name);
    } catch (err) {
      record(ev.failedDelete(message(err)));
      return false;
    }
    removeFromActive(cronJob, uid);
    record(ev.successfulDelete(name));
    return true;
  }

  /** The create's outcome; an Error when the Job that already exists cannot be read back. */
  async function create(job: Job): Promise<CreateOutcome | Error> {
    try {
      return { kind: 'created', job: await control.createJob(ns, job) };
    } catch (err) {
      if (!isCode(err, 409, 'AlreadyExists')) return { kind: 'failed', error: err };
    }
    try {
      return { kind: 'alreadyExists', job: await control.getJob(ns, job.metadata.name ?? '') };
    } catch (err) {
      return asError(err);
    }
  }
}

const asError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));
