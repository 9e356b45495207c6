/**
 * The TTL-after-finished controller: deletes finished Jobs `ttlSecondsAfterFinished` after they
 * finish, in the foreground so their pods go first. The TTL is mutable, so an expired Job is read
 * again from the API and checked once more just before the delete.
 */

import { jobs } from '../../api/batch/v1/job.js';
import type { Job } from '../../api/batch/v1/types.js';
import { ApiError } from '../../api/meta/status.js';
import type { Client } from '../../client/client.js';
import { Informer, objectKey } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { exponentialBuckets, type Histogram, type Metrics } from '../../util/metrics.js';
import { needsCleanup, processTTL } from './ttl.js';

export interface TtlAfterFinishedControllerOptions {
  client: Client;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Waits for urgent work (CronJob fires) before taking each key. */
  gate?: PriorityGate;
}

/** No labels. Seconds from a Job's expiry to its deletion request. */
export function newTtlMetrics(m: Metrics): { jobDeletionDuration: Histogram } {
  return {
    jobDeletionDuration: m.histogram(
      'ttl_after_finished_controller_job_deletion_duration_seconds',
      'The time it took to delete the job since it became eligible for deletion',
      exponentialBuckets(0.1, 2, 14),
    ),
  };
}

const isNotFound = (err: unknown) => err instanceof ApiError && err.code === 404;

export class TtlAfterFinishedController {
  private readonly informer: Informer<Job>;
  private readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly client: Client;
  private readonly metrics: { jobDeletionDuration: Histogram };

  constructor(opts: TtlAfterFinishedControllerOptions) {
    this.log = opts.log.child({ controller: 'ttlafterfinished' });
    this.clock = opts.clock;
    this.client = opts.client;
    this.metrics = newTtlMetrics(opts.metrics);
    this.queue = new WorkQueue(opts.clock, opts.gate ? { gate: opts.gate } : {});
    this.informer = new Informer(opts.client.resource(jobs), opts.clock, this.log);
    const enqueue = (job: Job) => {
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) this.queue.add(objectKey(job));
    };
    this.informer.on({ add: enqueue, update: (_old, cur) => enqueue(cur) });
  }

  async start(workers = 5): Promise<void> {
    await this.informer.start();
    void this.queue.run(workers, (key) => this.sync(key), this.log);
  }

  stop(): void {
    this.informer.stop();
    this.queue.shutdown();
  }

  private async sync(key: string): Promise<void> {
    const cached = this.informer.get(key);
    if (!cached || !this.expired(key, cached)) return;
    const ns = cached.metadata.namespace ?? '';
    const name = cached.metadata.name ?? '';
    let fresh: Job;
    try {
      fresh = await this.client.resource(jobs, ns).get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    // The user may have raised the TTL since the cache saw it.
    const expireAt = this.expired(key, fresh);
    if (!expireAt) return;
    this.log.debug({ job: key }, 'deleting job: TTL after finished expired');
    try {
      await this.client.resource(jobs, ns).delete(name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: fresh.metadata.uid ?? '' },
      });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    this.metrics.jobDeletionDuration.observe((this.clock.now().getTime() - expireAt.getTime()) / 1000);
  }

  /** The expiry time if the Job is due now; otherwise requeues it for when it will be. */
  private expired(key: string, job: Job): Date | undefined {
    const d = processTTL(job, this.clock.now());
    if (d.kind === 'wait') this.queue.addAfter(key, d.afterMs);
    return d.kind === 'expired' ? d.expireAt : undefined;
  }
}
