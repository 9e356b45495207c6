/** The job controller's metrics, with upstream's names (subsystem `job_controller`) and labels. */
import type { Counter, Histogram, Metrics } from '../../util/metrics.js';

/** 15 exponential buckets from 4 ms, doubling (upstream's job sync histogram). */
const SYNC_BUCKETS = Array.from({ length: 15 }, (_, i) => 0.004 * 2 ** i);

export interface JobMetrics {
  /** completion_mode: NonIndexed|Indexed; result: success|error; action: reconciling|tracking|pods_created|pods_deleted */
  syncDuration: Histogram;
  /** completion_mode, result, action: as job_sync_duration_seconds */
  syncs: Counter;
  /** completion_mode; result: succeeded|failed; reason: the terminal condition's reason */
  jobsFinished: Counter;
  /** completion_mode; result: succeeded|failed */
  podsFinished: Counter;
  /** action: FailJob|FailIndex|Ignore|Count */
  podFailuresByPolicy: Counter;
  /** event: add|delete */
  trackingFinalizers: Counter;
  /** status: succeeded|failed; backoffLimit: perIndex|global */
  finishedIndexes: Counter;
  /** reason: new|recreate_terminating_or_failed|recreate_failed; status: succeeded|failed */
  podsCreation: Counter;
  /** controller_name: the Job's spec.managedBy */
  jobsByExternalController: Counter;
}

export function newJobMetrics(m: Metrics): JobMetrics {
  return {
    syncDuration: m.histogram(
      'job_controller_job_sync_duration_seconds',
      'The time it took to sync a job',
      SYNC_BUCKETS,
      ['completion_mode', 'result', 'action'],
    ),
    syncs: m.counter('job_controller_job_syncs_total', 'The number of job syncs', [
      'completion_mode',
      'result',
      'action',
    ]),
    jobsFinished: m.counter('job_controller_jobs_finished_total', 'The number of finished jobs', [
      'completion_mode',
      'result',
      'reason',
    ]),
    podsFinished: m.counter(
      'job_controller_job_pods_finished_total',
      'The number of finished Pods that are fully tracked',
      ['completion_mode', 'result'],
    ),
    podFailuresByPolicy: m.counter(
      'job_controller_pod_failures_handled_by_failure_policy_total',
      'The number of failed Pods handled by failure policy with respect to the failure policy action applied',
      ['action'],
    ),
    trackingFinalizers: m.counter(
      'job_controller_terminated_pods_tracking_finalizer_total',
      'The number of terminated pods (phase=Failed|Succeeded) that have the finalizer batch.kubernetes.io/job-tracking',
      ['event'],
    ),
    finishedIndexes: m.counter(
      'job_controller_job_finished_indexes_total',
      'The number of finished indexes',
      ['status', 'backoffLimit'],
    ),
    podsCreation: m.counter(
      'job_controller_job_pods_creation_total',
      'The number of Pods created by the Job controller',
      ['reason', 'status'],
    ),
    jobsByExternalController: m.counter(
      'job_controller_jobs_by_external_controller_total',
      'The number of Jobs managed by an external controller',
      ['controller_name'],
    ),
  };
}
