/** The CronJob controller's metric, with upstream's name (subsystem `cronjob_controller`). */
import { exponentialBuckets, type Histogram, type Metrics } from '../../util/metrics.js';

export interface CronJobMetrics {
  /** No labels. Seconds from a Job's scheduled time to its creationTimestamp. */
  jobCreationSkew: Histogram;
}

export function newCronJobMetrics(m: Metrics): CronJobMetrics {
  return {
    jobCreationSkew: m.histogram(
      'cronjob_controller_job_creation_skew_duration_seconds',
      'Time between when a cronjob is scheduled to be run, and when the corresponding job is created',
      exponentialBuckets(1, 2, 10),
    ),
  };
}
