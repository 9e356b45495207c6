/** batch/v1 objects as batchd handles them: the upstream shapes (kubernetes-types) on our ObjectMeta. */
import type * as batch from 'kubernetes-types/batch/v1.js';
import type { KubeObject } from '../../meta/types.js';

export type JobSpec = batch.JobSpec;
export type JobStatus = batch.JobStatus;
export type JobCondition = batch.JobCondition;
export type CronJobSpec = batch.CronJobSpec;
export type CronJobStatus = batch.CronJobStatus;

export interface Job extends KubeObject {
  spec?: JobSpec;
  status?: JobStatus;
}

export interface CronJob extends KubeObject {
  spec?: CronJobSpec;
  status?: CronJobStatus;
}

/** Labels the server puts on a Job's pod template and selector (upstream's batch label keys). */
export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LEGACY_LABEL_CONTROLLER_UID = 'controller-uid';
export const LEGACY_LABEL_JOB_NAME = 'job-name';

/** Is a condition of this type present with status True? (upstream's IsConditionTrue: any entry counts) */
export const isConditionTrue = (status: JobStatus | undefined, type: string): boolean =>
  (status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

export const isJobComplete = (job: Job) => isConditionTrue(job.status, 'Complete');
export const isJobFailed = (job: Job) => isConditionTrue(job.status, 'Failed');
export const isJobFinished = (job: Job) => isJobComplete(job) || isJobFailed(job);
