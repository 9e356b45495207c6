/**
 * What `batchd run` watches until the outcome is known: the input's Jobs and bare Pods (which
 * decide it) and the Jobs its CronJobs create (shown, but deciding nothing).
 */
import { jobs } from '../api/batch/v1/job.js';
import type { Job } from '../api/batch/v1/types.js';
import { type Pod, pods } from '../api/core/v1/pod.js';
import type { KubeObject } from '../api/meta/types.js';
import type { Registries } from '../apiserver/registries.js';
import { Informer } from '../client/informer.js';
import { InProcessClient } from '../client/inprocess.js';
import { realClock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import {
  decideOutcome,
  finishLine,
  jobProgress,
  objectLabel,
  type Progress,
  podProgress,
  progressLine,
  timeoutOutcome,
} from './runOutcome.js';
import type { RunOutput } from './runOutput.js';
import type { Creation } from './runPlan.js';

/** One watched Job or Pod: whether it decides the outcome (the input's) and where it stands. */
interface Watched {
  readonly label: string;
  readonly decides: boolean;
  progress?: Progress;
  announced?: boolean;
}

/**
 * Follows the input's Jobs and Pods, and the Jobs its CronJobs create, to the outcome: the progress
 * block on a terminal, a line per finished Job otherwise.
 */
export class Watch {
  private readonly watched = new Map<string, Watched>();
  private readonly cronJobUids = new Set<string>();
  /** CronJobs' Jobs already reported finished (later updates of them are not news). */
  private readonly ended = new Set<string>();
  private readonly informers: Array<Informer<Job> | Informer<Pod>> = [];
  private readonly waitForever: boolean;
  private settle: (o: { code: number; message?: string }) => void = () => {};
  private readonly settled: Promise<{ code: number; message?: string }>;

  constructor(
    registries: Registries,
    log: Logger,
    created: ReadonlyArray<{ c: Creation; object: KubeObject }>,
    private readonly runNamespace: string,
    private readonly out: RunOutput,
  ) {
    this.settled = new Promise((resolve) => {
      this.settle = resolve;
    });
    let waitsOnPods = false;
    for (const { c, object } of created) {
      const uid = object.metadata.uid ?? '';
      const name = object.metadata.name ?? '';
      const ns = object.metadata.namespace ?? '';
      if (c.type.group === 'batch' && c.type.kind === 'Job')
        this.watched.set(uid, { label: objectLabel('job', name, ns, runNamespace), decides: true });
      else if (c.type.group === 'batch' && c.type.kind === 'CronJob') this.cronJobUids.add(uid);
      else if (c.type.group === '' && c.type.kind === 'Pod') {
        this.watched.set(uid, { label: objectLabel('pod', name, ns, runNamespace), decides: true });
        waitsOnPods = true;
      }
    }
    this.waitForever = this.cronJobUids.size > 0;
    const client = new InProcessClient(registries);
    const jobInformer = new Informer<Job>(client.resource(jobs), realClock, log);
    jobInformer.on({
      add: (job) => this.onJob(job),
      update: (_old, job) => this.onJob(job),
      delete: (job) => this.onGone(job),
    });
    this.informers.push(jobInformer);
    if (waitsOnPods) {
      const podInformer = new Informer<Pod>(client.resource(pods), realClock, log);
      podInformer.on({
        add: (pod) => this.onPod(pod),
        update: (_old, pod) => this.onPod(pod),
        delete: (pod) => this.onGone(pod),
      });
      this.informers.push(podInformer);
    }
  }

  /**
   * Resolves with the outcome: decided by the watched objects, --timeout, or a signal. Only a
   * timeout carries a message: a failure was already shown as its Job's finish line.
   */
  async outcome(
    timeout: { ms: number; text: string } | undefined,
    signal: Promise<number>,
  ): Promise<{ code: number; message?: string }> {
    void signal.then((code) => this.settle({ code }));
    for (const inf of this.informers) await inf.start();
    this.decide();
    const timer = timeout
      ? setTimeout(() => {
          const decisive = [...this.watched.values()].filter((w) => w.decides);
          const o = timeoutOutcome(decisive, timeout.text);
          if (o.done) this.settle({ code: o.code, ...(o.message ? { message: o.message } : {}) });
        }, timeout.ms)
      : undefined;
    try {
      return await this.settled;
    } finally {
      clearTimeout(timer);
    }
  }

  stop(): void {
    for (const inf of this.informers) inf.stop();
  }

  private onJob(job: Job): void {
    const uid = job.metadata.uid ?? '';
    let w = this.watched.get(uid);
    if (!w) {
      const owner = (job.metadata.ownerReferences ?? []).find((r) => this.cronJobUids.has(r.uid));
      if (!owner || this.ended.has(uid)) return;
      const { name = '', namespace = '' } = job.metadata;
      w = { label: objectLabel('job', name, namespace, this.runNamespace), decides: false };
      this.watched.set(uid, w);
    }
    this.update(uid, w, jobProgress(job, w.label));
  }

  private onPod(pod: Pod): void {
    const uid = pod.metadata.uid ?? '';
    const w = this.watched.get(uid);
    if (w) this.update(uid, w, podProgress(pod, w.label));
  }

  /** A watched object deleted before it finished counts as failed; a finished one keeps its end. */
  private onGone(obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const w = this.watched.get(uid);
    if (!w || w.progress?.finished) return;
    const last = w.progress ?? { label: w.label, active: 0, succeeded: 0, failed: 0 };
    this.update(uid, w, {
      ...last,
      finished: { outcome: 'Failed', reason: 'Deleted', message: 'deleted before it finished' },
    });
  }

  private update(uid: string, w: Watched, p: Progress): void {
    w.progress = p;
    if (p.finished && !w.announced) {
      w.announced = true;
      // On a terminal the input's own lines stay in the block; the CronJobs' scroll up as they end.
      if (!this.out.live || !w.decides) this.out.message(finishLine(p));
      if (!w.decides) {
        this.watched.delete(uid);
        this.ended.add(uid);
      }
    }
    this.out.progress(
      [...this.watched.values()].map((v) =>
        progressLine(v.progress ?? { label: v.label, active: 0, succeeded: 0, failed: 0 }),
      ),
    );
    this.decide();
  }

  private decide(): void {
    const decisive = [...this.watched.values()].filter((w) => w.decides).map((w) => w.progress);
    const o = decideOutcome(decisive, { waitForever: this.waitForever });
    if (o.done) this.settle({ code: o.code });
  }
}
