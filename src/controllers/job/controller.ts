/**
 * The Job controller's wiring: informers on jobs and pods, a work queue, expectations, and the
 * writes the pure sync (sync.ts) asks for: pod creates and deletes, status updates, finalizer
 * removals, events and metrics.
 */

import { jobs } from '../../api/batch/v1/job.js';
import { isJobFinished, type Job } from '../../api/batch/v1/types.js';
import { type Pod, pods as podsResource } from '../../api/core/v1/pod.js';
import { fromLabelSelector, InvalidSelectorError } from '../../api/meta/labels.js';
import { ApiError } from '../../api/meta/status.js';
import type { OwnerReference } from '../../api/meta/types.js';
import type { Client } from '../../client/client.js';
import { Informer, objectKey } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Metrics } from '../../util/metrics.js';
import type { EventRecorder } from '../events/types.js';
import { type BackoffRecord, DEFAULT_BACKOFF, scaledBackoff } from './backoff.js';
import { JOB_TRACKING_FINALIZER } from './constants.js';
import { ControllerExpectations, FinalizerRemovalExpectations } from './expectations.js';
import { countIndexes, parseIndexes } from './indexes.js';
import { type JobMetrics, newJobMetrics } from './metrics.js';
import { ClientPodControl, inSlowStartBatches, type PodControl } from './podControl.js';
import { hasTrackingFinalizer, isIndexedJob } from './pods.js';
import { buildPod } from './podTemplate.js';
import {
  type EventSpec,
  type ManageOutcome,
  managedByOther,
  planSync,
  type SyncPlan,
  statusAfterManage,
  statusAfterRemovals,
} from './sync.js';

export interface JobControllerOptions {
  client: Client;
  clock: Clock;
  log: Logger;
  recorder: EventRecorder;
  metrics?: Metrics;
  /** Jobs synced in parallel (`--job-workers`, default 5). */
  workers?: number;
  /** Multiplies the pod-failure backoff (10 s base, 10 min cap): a server flag for tests and CI. */
  backoffScale?: number;
  podControl?: PodControl;
  /**
   * Delay before a pod event or status-only Job update syncs the Job. Upstream waits 1 s to
   * coalesce bursts; we default to 0, since the queue already coalesces while a sync runs.
   */
  syncBatchPeriodMs?: number;
  /** Waits for urgent work (CronJob fires) before taking each key. */
  gate?: PriorityGate;
}

const controllerRef = (pod: Pod): OwnerReference | undefined =>
  pod.metadata.ownerReferences?.find((r) => r.controller === true);

const isJobRef = (ref: OwnerReference | undefined): ref is OwnerReference =>
  !!ref && ref.kind === 'Job' && ref.apiVersion.startsWith('batch/');

const completionMode = (job: Job) => (isIndexedJob(job) ? 'Indexed' : 'NonIndexed');

export class JobController {
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly recorder: EventRecorder;
  private readonly metrics: JobMetrics | undefined;
  private readonly podControl: PodControl;
  private readonly jobInformer: Informer<Job>;
  private readonly podInformer: Informer<Pod>;
  private readonly queue: WorkQueue;
  /** Pods whose finalizer must go although no live Job will sync them (orphans, finished Jobs). */
  private readonly orphanQueue: WorkQueue;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new FinalizerRemovalExpectations();
  private readonly backoffRecords = new Map<string, BackoffRecord>();
  /** Pods by controlling Job uid, and pods with no controller by namespace (adoption candidates). */
  private readonly owned = new Map<string, Map<string, Pod>>();
  private readonly orphans = new Map<string, Map<string, Pod>>();
  private readonly workers: number;
  private readonly batchMs: number;
  private readonly backoffConfig;

  constructor(opts: JobControllerOptions) {
    this.client = opts.client;
    this.clock = opts.clock;
    this.log = opts.log.child({ controller: 'job' });
    this.recorder = opts.recorder;
    this.metrics = opts.metrics ? newJobMetrics(opts.metrics) : undefined;
    this.podControl = opts.podControl ?? new ClientPodControl(opts.client);
    this.workers = opts.workers ?? 5;
    this.batchMs = opts.syncBatchPeriodMs ?? 0;
    this.backoffConfig = opts.backoffScale === undefined ? DEFAULT_BACKOFF : scaledBackoff(opts.backoffScale);
    this.expectations = new ControllerExpectations(this.clock);
    // Upstream's job API backoff: 1 s doubling to 1 min on sync errors.
    const gate = opts.gate ? { gate: opts.gate } : {};
    this.queue = new WorkQueue(this.clock, { baseDelayMs: 1000, maxDelayMs: 60_000, ...gate });
    this.orphanQueue = new WorkQueue(this.clock, { baseDelayMs: 1000, maxDelayMs: 60_000, ...gate });
    this.jobInformer = new Informer<Job>(this.client.resource(jobs), this.clock, this.log);
    this.podInformer = new Informer<Pod>(this.client.resource(podsResource), this.clock, this.log);
    this.jobInformer.on({
      add: (job) => this.addJob(job),
      update: (old, cur) => this.updateJob(old, cur),
      delete: (job) => this.deleteJob(job),
    });
    this.podInformer.on({
      add: (pod) => this.addPod(pod),
      update: (old, cur) => this.updatePod(old, cur),
      delete: (pod) => this.deletePod(pod),
    });
  }

  async start(): Promise<void> {
    // Pods first, so the first sync of each Job sees every pod it already has.
    await this.podInformer.start();
    await this.jobInformer.start();
    void this.queue.run(this.workers, (key) => this.syncKey(key), this.log);
    void this.orphanQueue.run(1, (key) => this.cleanOrphanPod(key), this.log);
  }

  stop(): void {
    this.jobInformer.stop();
    this.podInformer.stop();
    this.queue.shutdown();
    this.orphanQueue.shutdown();
  }

  // ---- event handlers ----

  private enqueue(job: Job, batched: boolean): void {
    const key = objectKey(job);
    if (batched && this.batchMs > 0) this.queue.addAfter(key, this.batchMs);
    else this.queue.add(key);
  }

  private addJob(job: Job): void {
    if (managedByOther(job)) {
      this.metrics?.jobsByExternalController.inc({ controller_name: job.spec?.managedBy ?? '' });
    }
    this.enqueue(job, false);
  }

  private updateJob(old: Job, cur: Job): void {
    if (old.metadata.uid !== cur.metadata.uid) {
      this.deleteJob(old);
      this.addJob(cur);
      return;
    }
    // A spec change syncs at once; a status-only change (often our own write) is batched.
    this.enqueue(cur, old.metadata.generation === cur.metadata.generation);
    if (isJobFinished(cur)) {
      for (const pod of this.owned.get(cur.metadata.uid ?? '')?.values() ?? [])
        if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
    }
  }

  private deleteJob(job: Job): void {
    this.queue.add(objectKey(job));
    for (const pod of this.owned.get(job.metadata.uid ?? '')?.values() ?? [])
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
  }

  /** The live Job a pod's controller reference points to, if it is a Job we know. */
  private jobOf(pod: Pod, ref = controllerRef(pod)): Job | undefined {
    if (!isJobRef(ref)) return undefined;
    const job = this.jobInformer.get(`${pod.metadata.namespace}/${ref.name}`);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  private index(pod: Pod): void {
    const key = objectKey(pod);
    const ref = controllerRef(pod);
    const ns = pod.metadata.namespace ?? '';
    if (ref) {
      let m = this.owned.get(ref.uid);
      if (!m) this.owned.set(ref.uid, (m = new Map()));
      m.set(key, pod);
    } else {
      let m = this.orphans.get(ns);
      if (!m) this.orphans.set(ns, (m = new Map()));
      m.set(key, pod);
    }
  }

  private unindex(pod: Pod): void {
    const key = objectKey(pod);
    const ref = controllerRef(pod);
    if (ref) {
      const m = this.owned.get(ref.uid);
      m?.delete(key);
      if (m && !m.size) this.owned.delete(ref.uid);
    } else this.orphans.get(pod.metadata.namespace ?? '')?.delete(key);
  }

  private addPod(pod: Pod): void {
    this.index(pod);
    if (pod.metadata.deletionTimestamp) {
      this.deletePodObserved(pod, false);
      return;
    }
    const job = this.jobOf(pod);
    if (job) {
      this.expectations.creationObserved(objectKey(job));
      this.enqueue(job, true);
      return;
    }
    if (!controllerRef(pod)) {
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
      for (const j of this.matchingJobs(pod)) this.enqueue(j, true);
    }
  }

  private updatePod(old: Pod, cur: Pod): void {
    this.unindex(old);
    this.index(cur);
    if (!old.metadata.deletionTimestamp && cur.metadata.deletionTimestamp) {
      this.deletePodObserved(cur, false);
    }
    const oldRef = controllerRef(old);
    const curRef = controllerRef(cur);
    if (!hasTrackingFinalizer(cur)) {
      for (const ref of [oldRef, curRef]) {
        const j = ref && this.jobOf(cur, ref);
        if (j) this.finalizerExpectations.observed(objectKey(j), cur.metadata.uid ?? '');
      }
    }
    if (this.metrics && isTerminal(cur)) {
      if (!hasTrackingFinalizer(old) && hasTrackingFinalizer(cur))
        this.metrics.trackingFinalizers.inc({ event: 'add' });
      if (hasTrackingFinalizer(old) && !hasTrackingFinalizer(cur))
        this.metrics.trackingFinalizers.inc({ event: 'delete' });
    }
    if (oldRef?.uid !== curRef?.uid) {
      const j = oldRef && this.jobOf(old, oldRef);
      if (j) this.enqueue(j, true);
    }
    const job = this.jobOf(cur);
    if (job) {
      this.enqueue(job, true);
      return;
    }
    if (!curRef) {
      if (hasTrackingFinalizer(cur)) this.orphanQueue.add(objectKey(cur));
      for (const j of this.matchingJobs(cur)) this.enqueue(j, true);
    }
  }

  private deletePod(pod: Pod): void {
    this.unindex(pod);
    this.deletePodObserved(pod, true);
  }

  /** A deletion seen (deletionTimestamp set, or gone): lower the Job's expectation and sync it. */
  private deletePodObserved(pod: Pod, final: boolean): void {
    const job = this.jobOf(pod);
    if (!job) {
      if (final) return;
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key);
    if (final) this.finalizerExpectations.observed(key, pod.metadata.uid ?? '');
    this.enqueue(job, true);
  }

  private matchingJobs(pod: Pod): Job[] {
    return this.jobInformer.list(pod.metadata.namespace).filter((job) => {
      try {
        return fromLabelSelector(job.spec?.selector).matches(pod.metadata.labels);
      } catch (err) {
        if (err instanceof InvalidSelectorError) return false;
        throw err;
      }
    });
  }

  // ---- the sync ----

  private async syncKey(key: string): Promise<void> {
    const job = this.jobInformer.get(key);
    if (!job) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoffRecords.delete(key);
      return;
    }
    if (managedByOther(job)) return;
    if (isJobFinished(job)) {
      this.backoffRecords.delete(key);
      return;
    }
    const start = performance.now();
    let action = 'reconciling';
    let result = 'success';
    try {
      action = await this.syncJob(key, job);
    } catch (err) {
      result = 'error';
      throw err;
    } finally {
      const labels = { completion_mode: completionMode(job), result, action };
      this.metrics?.syncDuration.observe((performance.now() - start) / 1000, labels);
      this.metrics?.syncs.inc(labels);
    }
  }

  private async syncJob(key: string, job: Job): Promise<string> {
    // Read expectations before the pods: a pod arriving in between only defers the work.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.claimPods(job);
    const backoff = this.backoffRecords.get(key);
    const plan = planSync({
      job,
      pods,
      now: this.clock.now(),
      expectationsSatisfied: satisfied,
      finalizerRemovalsInFlight: this.finalizerExpectations.get(key),
      ...(backoff ? { backoff } : {}),
      backoffConfig: this.backoffConfig,
    });
    this.record(job, plan.events);
    if (plan.skipped) return plan.action;
    const { outcome, error } = await this.managePods(key, job, plan);
    const tracked = statusAfterManage(plan, outcome);
    if (!tracked) return plan.action;
    this.record(job, tracked.events);
    let current = job;
    if (tracked.changed) {
      current = await this.writeStatus(job, tracked.status);
      this.countFinishedPods(job, job.status ?? {}, tracked.status);
    }
    this.backoffRecords.set(key, tracked.backoff);
    for (const [action, n] of Object.entries(tracked.policyActions))
      this.metrics?.podFailuresByPolicy.inc({ action }, n);

    const removed = await this.removeFinalizers(key, tracked.removals);
    const done = statusAfterRemovals(tracked, removed);
    if (done.changed) {
      await this.writeStatus(current, done.status);
      this.countFinishedPods(job, tracked.status, done.status);
      if (done.finished) {
        this.record(job, done.events);
        const result = done.finished.type === 'Complete' ? 'succeeded' : 'failed';
        this.metrics?.jobsFinished.inc({
          completion_mode: completionMode(job),
          result,
          reason: done.finished.reason ?? '',
        });
      }
    }
    if (removed.size < tracked.removals.length)
      throw new Error(`removing tracking finalizers of ${key}: some failed`);
    if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs);
    if (error) throw error;
    return plan.action;
  }

  /** Carries out the plan's deletions and creations; what failed is reported, the first error returned. */
  private async managePods(
    key: string,
    job: Job,
    plan: SyncPlan,
  ): Promise<{ outcome: ManageOutcome; error?: unknown }> {
    const ns = job.metadata.namespace ?? '';
    const deleted = new Set<string>();
    let error: unknown;
    if (plan.deletions.length) {
      if (plan.action === 'pods_deleted') this.expectations.expectDeletions(key, plan.deletions.length);
      await Promise.all(
        plan.deletions.map(async ({ pod, removeFinalizerFirst }) => {
          const name = pod.metadata.name ?? '';
          try {
            if (removeFinalizerFirst && hasTrackingFinalizer(pod))
              await this.podControl.removeTrackingFinalizer(ns, name);
            await this.podControl.deletePod(ns, name);
            deleted.add(pod.metadata.uid ?? '');
            this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          } catch (err) {
            if (plan.action === 'pods_deleted') this.expectations.deletionObserved(key);
            this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${message(err)}`);
            error ??= err;
          }
        }),
      );
    }
    let failedCreations = 0;
    if (plan.creations.length) {
      const ctxJob = plan.ctx?.job ?? job;
      this.expectations.expectCreations(key, plan.creations.length);
      const out = await inSlowStartBatches(plan.creations.length, async (i) => {
        const created = await this.podControl.createPod(ns, buildPod(ctxJob, plan.creations[i] ?? {}));
        this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`);
        return created;
      });
      failedCreations = out.errors.length + out.skipped;
      this.expectations.creationObserved(key, failedCreations);
      for (const err of out.errors) {
        // A namespace being deleted refuses every create; that is not worth an event or a retry.
        if (isNamespaceTerminating(err)) continue;
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${message(err)}`);
        error ??= err;
      }
      const labels = { reason: plan.creationReason };
      if (out.results.length)
        this.metrics?.podsCreation.inc({ ...labels, status: 'succeeded' }, out.results.length);
      if (out.errors.length)
        this.metrics?.podsCreation.inc({ ...labels, status: 'failed' }, out.errors.length);
    }
    return { outcome: { deleted, failedCreations }, ...(error ? { error } : {}) };
  }

  private async removeFinalizers(key: string, pods: readonly Pod[]): Promise<Set<string>> {
    const removed = new Set<string>();
    if (!pods.length) return removed;
    this.finalizerExpectations.expect(
      key,
      pods.map((p) => p.metadata.uid ?? ''),
    );
    await Promise.all(
      pods.map(async (pod) => {
        const uid = pod.metadata.uid ?? '';
        try {
          await this.podControl.removeTrackingFinalizer(
            pod.metadata.namespace ?? '',
            pod.metadata.name ?? '',
          );
          removed.add(uid);
        } catch (err) {
          this.log.warn({ err, pod: objectKey(pod) }, 'removing the tracking finalizer failed');
          this.finalizerExpectations.observed(key, uid);
        }
      }),
    );
    return removed;
  }

  private async writeStatus(job: Job, status: Job['status']): Promise<Job> {
    const obj: Job = { ...job, status: status ?? {} };
    return await this.client.resource(jobs, job.metadata.namespace).updateStatus(obj);
  }

  private countFinishedPods(
    job: Job,
    before: NonNullable<Job['status']>,
    after: NonNullable<Job['status']>,
  ): void {
    if (!this.metrics) return;
    const mode = completionMode(job);
    const completions = job.spec?.completions ?? 0;
    const succeeded = (s: NonNullable<Job['status']>) =>
      isIndexedJob(job) ? countIndexes(parseIndexes(s.completedIndexes, completions)) : (s.succeeded ?? 0);
    const ds = succeeded(after) - succeeded(before);
    const df = (after.failed ?? 0) - (before.failed ?? 0);
    if (ds > 0) this.metrics.podsFinished.inc({ completion_mode: mode, result: 'succeeded' }, ds);
    if (df > 0) this.metrics.podsFinished.inc({ completion_mode: mode, result: 'failed' }, df);
    if (isIndexedJob(job)) {
      const backoffLimit = job.spec?.backoffLimitPerIndex !== undefined ? 'perIndex' : 'global';
      if (ds > 0) this.metrics.finishedIndexes.inc({ status: 'succeeded', backoffLimit }, ds);
      const fi = (s: NonNullable<Job['status']>) => countIndexes(parseIndexes(s.failedIndexes, completions));
      const dfi = fi(after) - fi(before);
      if (dfi > 0) this.metrics.finishedIndexes.inc({ status: 'failed', backoffLimit }, dfi);
    }
  }

  private record(job: Job, events: readonly EventSpec[]): void {
    for (const e of events) this.recorder.event(job, e.type, e.reason, e.message);
  }

  /**
   * The pods this Job controls: those whose controller reference names it, adopting matching
   * orphans (ownerReference and tracking finalizer added) and releasing pods that no longer match.
   */
  private async claimPods(job: Job): Promise<Pod[]> {
    const uid = job.metadata.uid ?? '';
    const ns = job.metadata.namespace ?? '';
    let selector: ReturnType<typeof fromLabelSelector> | undefined;
    try {
      selector = fromLabelSelector(job.spec?.selector);
    } catch (err) {
      if (!(err instanceof InvalidSelectorError)) throw err;
    }
    const out: Pod[] = [];
    const deleting = !!job.metadata.deletionTimestamp;
    for (const pod of this.owned.get(uid)?.values() ?? []) {
      if (
        selector &&
        !selector.matches(pod.metadata.labels) &&
        !pod.metadata.deletionTimestamp &&
        !deleting
      ) {
        await this.release(pod, uid);
        continue;
      }
      out.push(pod);
    }
    if (!selector || selector.empty || deleting) return out;
    for (const pod of [...(this.orphans.get(ns)?.values() ?? [])]) {
      if (pod.metadata.deletionTimestamp || !selector.matches(pod.metadata.labels)) continue;
      const adopted = await this.adopt(job, pod);
      if (adopted) out.push(adopted);
    }
    return out;
  }

  private async adopt(job: Job, pod: Pod): Promise<Pod | undefined> {
    // Adopt only for the Job as it is now: a deleted or recreated Job must not take pods.
    const fresh = await this.client
      .resource(jobs, job.metadata.namespace)
      .get(job.metadata.name ?? '')
      .catch(() => undefined);
    if (!fresh || fresh.metadata.uid !== job.metadata.uid || fresh.metadata.deletionTimestamp)
      return undefined;
    const ref: OwnerReference = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      name: job.metadata.name ?? '',
      uid: job.metadata.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    };
    const finalizers = pod.metadata.finalizers ?? [];
    try {
      return await this.client
        .resource(podsResource, pod.metadata.namespace)
        .patch(pod.metadata.name ?? '', 'merge', {
          metadata: {
            uid: pod.metadata.uid,
            ownerReferences: [...(pod.metadata.ownerReferences ?? []), ref],
            finalizers: finalizers.includes(JOB_TRACKING_FINALIZER)
              ? finalizers
              : [...finalizers, JOB_TRACKING_FINALIZER],
          },
        });
    } catch (err) {
      if (err instanceof ApiError && (err.code === 404 || err.code === 409 || err.code === 422))
        return undefined;
      throw err;
    }
  }

  private async release(pod: Pod, uid: string): Promise<void> {
    try {
      await this.client
        .resource(podsResource, pod.metadata.namespace)
        .patch(pod.metadata.name ?? '', 'merge', {
          metadata: {
            uid: pod.metadata.uid,
            ownerReferences: (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid),
          },
        });
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409 || err.code === 422))) throw err;
    }
  }

  /**
   * The backup cleanup: a pod still holding our finalizer whose Job is gone or finished (or that
   * has no controller) loses the finalizer. Pods of other owners and of external controllers are
   * not ours to touch.
   */
  private async cleanOrphanPod(key: string): Promise<void> {
    const pod = this.podInformer.get(key);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRef(pod);
    if (ref) {
      if (!isJobRef(ref)) return;
      const job = this.jobInformer.get(`${pod.metadata.namespace}/${ref.name}`);
      if (job && job.metadata.uid === ref.uid) {
        if (managedByOther(job) || !isJobFinished(job)) return;
      }
    }
    await this.podControl.removeTrackingFinalizer(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  }
}

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ApiError &&
    (err.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating') === true ||
      /because it is being terminated/.test(err.message))
  );
}
