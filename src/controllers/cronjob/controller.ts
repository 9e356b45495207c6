/**
 * The CronJob controller (upstream's v2): informers on CronJobs and Jobs, a work queue keyed
 * `namespace/name`, and a requeue at each CronJob's next scheduled time through the clock.
 * Each sync is reconcile.ts; the decision inside it is sync.ts.
 */

import { cronjobs } from '../../api/batch/v1/cronjob.js';
import { jobs } from '../../api/batch/v1/job.js';
import type { CronJob, Job } from '../../api/batch/v1/types.js';
import type { Client } from '../../client/client.js';
import { Informer, objectKey } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Metrics } from '../../util/metrics.js';
import type { EventRecorder } from '../events/types.js';
import { clientJobControl, type JobControl } from './control.js';
import { finishedCondition } from './history.js';
import { controllerOf } from './jobTemplate.js';
import { type CronJobMetrics, newCronJobMetrics } from './metrics.js';
import { reconcileCronJob } from './reconcile.js';
import { onCronJobUpdate } from './updateHandler.js';

export interface CronJobControllerOptions {
  client: Client;
  clock: Clock;
  log: Logger;
  /** A recorder whose component is `cronjob-controller`. */
  recorder: EventRecorder;
  metrics: Metrics;
  /**
   * The zone of schedules without spec.timeZone: kube-controller-manager uses its own local zone.
   * `Local` (the default) is this machine's zone; any IANA name or `UTC` overrides it.
   */
  localZone?: string;
  /** Replaces the client-backed JobControl (tests). */
  control?: JobControl;
  /** Held while CronJobs are due: the other controllers wait, so Jobs appear on time. */
  gate?: PriorityGate;
}

/**
 * CronJobs synced at once. Upstream runs 5 against a remote API server; here a sync's writes are
 * in-process and its awaits cheap, so at a minute boundary many syncs share each commit: every
 * due CronJob's Job is created before the status writes that follow them.
 */
export const CRONJOB_WORKERS = 100;

export class CronJobController {
  private readonly cronJobInformer: Informer<CronJob>;
  private readonly jobInformer: Informer<Job>;
  private readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly metrics: CronJobMetrics;
  private readonly control: JobControl;
  private readonly localZone: string;
  /** Jobs by `namespace/<name of their controller>`: a sync reads its CronJob's Jobs without a scan. */
  private readonly jobsByOwner = new Map<string, Map<string, Job>>();

  constructor(opts: CronJobControllerOptions) {
    this.log = opts.log.child({ controller: 'cronjob' });
    this.clock = opts.clock;
    this.recorder = opts.recorder;
    this.metrics = newCronJobMetrics(opts.metrics);
    this.control = opts.control ?? clientJobControl(opts.client);
    this.localZone = opts.localZone ?? 'Local';
    this.queue = new WorkQueue(opts.clock, opts.gate ? { gate: opts.gate, urgent: true } : {});
    this.cronJobInformer = new Informer(opts.client.resource(cronjobs), opts.clock, this.log);
    this.jobInformer = new Informer(opts.client.resource(jobs), opts.clock, this.log);
    this.cronJobInformer.on({
      add: (cj) => this.queue.add(objectKey(cj)),
      update: (old, cur) => this.updateCronJob(old, cur),
      delete: (cj) => this.queue.add(objectKey(cj)),
    });
    this.jobInformer.on({
      add: (job) => {
        this.index(undefined, job);
        this.enqueueOwner(job);
      },
      update: (old, cur) => {
        this.index(old, cur);
        const oldRef = controllerOf(old);
        const curRef = controllerOf(cur);
        if (oldRef && (oldRef.uid !== curRef?.uid || oldRef.name !== curRef?.name)) this.enqueueOwner(old);
        // A sync reads a Job's owner, finish and deletion only: its pods' progress changes nothing.
        // (Upstream wakes the CronJob on every Job update, to the same effect at a higher cost.)
        if (jobMatters(old, cur)) this.enqueueOwner(cur);
      },
      delete: (job) => {
        this.index(job, undefined);
        this.enqueueOwner(job);
      },
    });
  }

  /** Lists CronJobs, then Jobs (so each Job's owner resolves), then starts the workers. */
  async start(workers = CRONJOB_WORKERS): Promise<void> {
    await this.cronJobInformer.start();
    await this.jobInformer.start();
    void this.queue.run(workers, (key) => this.sync(key), this.log);
  }

  stop(): void {
    this.cronJobInformer.stop();
    this.jobInformer.stop();
    this.queue.shutdown();
  }

  private updateCronJob(old: CronJob, cur: CronJob): void {
    const key = objectKey(cur);
    const action = onCronJobUpdate(old, cur, this.clock.now(), this.localZone);
    if (action.kind === 'now') this.queue.add(key);
    else if (action.kind === 'after') this.queue.addAfter(key, action.ms);
    else if (action.kind === 'unparseable') {
      this.recorder.event(cur, action.event.type, action.event.reason, action.event.message);
    }
  }

  private index(old: Job | undefined, cur: Job | undefined): void {
    const slot = (job: Job) => {
      const ref = controllerOf(job);
      return ref ? `${job.metadata.namespace}/${ref.name}` : undefined;
    };
    const oldSlot = old && slot(old);
    if (oldSlot) {
      const m = this.jobsByOwner.get(oldSlot);
      m?.delete(objectKey(old));
      if (m?.size === 0) this.jobsByOwner.delete(oldSlot);
    }
    const curSlot = cur && slot(cur);
    if (curSlot) {
      let m = this.jobsByOwner.get(curSlot);
      if (!m) this.jobsByOwner.set(curSlot, (m = new Map()));
      m.set(objectKey(cur), cur);
    }
  }

  /** Wakes the CronJob that controls a Job, if its name and uid still resolve (upstream's resolveControllerRef). */
  private enqueueOwner(job: Job): void {
    const ref = controllerOf(job);
    if (ref?.kind !== 'CronJob') return;
    const key = `${job.metadata.namespace}/${ref.name}`;
    const cj = this.cronJobInformer.get(key);
    if (cj?.metadata.uid === ref.uid) this.queue.add(key);
  }

  private async sync(key: string): Promise<void> {
    const cj = this.cronJobInformer.get(key);
    if (!cj) return;
    // Upstream lists by the controller reference's name alone: labels and uid do not matter here.
    const owned = [...(this.jobsByOwner.get(key)?.values() ?? [])];
    const result = await reconcileCronJob(
      {
        control: this.control,
        recorder: this.recorder,
        metrics: this.metrics,
        now: this.clock.now(),
        localZone: this.localZone,
      },
      cj,
      owned,
    );
    if (result.requeueAfterMs !== undefined) {
      this.queue.forget(key);
      this.queue.addAfter(key, result.requeueAfterMs);
      return;
    }
    if (result.error !== undefined) throw result.error;
  }
}

/** Whether a Job update can change what its CronJob's sync does. */
function jobMatters(old: Job, cur: Job): boolean {
  const oldRef = controllerOf(old);
  const curRef = controllerOf(cur);
  return (
    oldRef?.uid !== curRef?.uid ||
    oldRef?.name !== curRef?.name ||
    finishedCondition(old) !== finishedCondition(cur) ||
    old.metadata.deletionTimestamp !== cur.metadata.deletionTimestamp
  );
}
