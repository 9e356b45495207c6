/**
 * batch/v1 defaulting, as upstream applies it whenever a Job or CronJob is decoded: on every
 * request body and again on every read from storage.
 */
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { defaultPodTemplateSpec } from '../../core/v1/podDefaults.js';
import type { CronJob, Job, JobSpec } from './types.js';

const MAX_INT32 = 2 ** 31 - 1;

/**
 * Fills a Job's defaults in place (upstream SetDefaults_Job plus the pod template's).
 * @example
 *   defaultJob(job); // job.spec.completions === 1, job.spec.backoffLimit === 6, ...
 */
export function defaultJob(job: Job): void {
  const spec: JobSpec = (job.spec ??= { template: {} });
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  // With a per-index limit the job-wide limit would only get in the way, so it is effectively unlimited.
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? MAX_INT32 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) if (!pattern.status) pattern.status = 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplateSpec((spec.template ??= {}) as PodTemplateSpec);
}

/** Fills a CronJob's defaults in place; its job template gets only the pod template's. */
export function defaultCronJob(cj: CronJob): void {
  const spec = (cj.spec ??= { schedule: '', jobTemplate: {} });
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  const jobSpec = (spec.jobTemplate ??= {}).spec;
  // Job defaults (completions, backoffLimit, ...) come when the controller creates each Job.
  if (jobSpec) defaultPodTemplateSpec((jobSpec.template ??= {}) as PodTemplateSpec);
}
