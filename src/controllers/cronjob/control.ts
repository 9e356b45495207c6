/**
 * The CronJob controller's writes and reads against the API (upstream's jobControl and
 * cjControl): the seam where tests put a fake that records what was asked.
 */
import { cronjobs } from '../../api/batch/v1/cronjob.js';
import { jobs } from '../../api/batch/v1/job.js';
import type { CronJob, Job } from '../../api/batch/v1/types.js';
import type { Client } from '../../client/client.js';

export interface JobControl {
  getJob(namespace: string, name: string): Promise<Job>;
  createJob(namespace: string, job: Job): Promise<Job>;
  /** Deletes with propagationPolicy Background: the garbage collector takes the pods. */
  deleteJob(namespace: string, name: string): Promise<void>;
  getCronJob(namespace: string, name: string): Promise<CronJob>;
  updateCronJobStatus(cj: CronJob): Promise<CronJob>;
}

/** The JobControl over a Client. */
export function clientJobControl(client: Client): JobControl {
  return {
    getJob: (ns, name) => client.resource(jobs, ns).get(name),
    createJob: (ns, job) => client.resource(jobs, ns).create(job),
    deleteJob: (ns, name) => client.resource(jobs, ns).delete(name, { propagationPolicy: 'Background' }),
    getCronJob: (ns, name) => client.resource(cronjobs, ns).get(name),
    updateCronJobStatus: (cj) => client.resource(cronjobs, cj.metadata.namespace).updateStatus(cj),
  };
}
