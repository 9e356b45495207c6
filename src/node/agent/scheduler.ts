/**
 * The default scheduler for a one-node cluster: binds each pod without spec.nodeName to this
 * node when it fits, one pod at a time in arrival order; a pod that does not fit gets
 * PodScheduled=False (Unschedulable) and a FailedScheduling event, and is tried again when a
 * bound pod finishes or goes away.
 */

import type { PodCondition } from 'kubernetes-types/core/v1.js';
import { type Pod, pods } from '../../api/core/v1/pod.js';
import { ApiError } from '../../api/meta/status.js';
import type { Client } from '../../client/client.js';
import { objectKey } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { EventRecorder } from '../../controllers/events/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import {
  type Allocatable,
  fitFailures,
  type Resources,
  selectorMismatch,
  unschedulableMessage,
} from './fit.js';

export const SCHEDULER_NAME = 'default-scheduler';

export interface SchedulerDeps {
  client: Client;
  clock: Clock;
  log: Logger;
  /** Waits for urgent work (CronJob fires) before taking each key. */
  gate?: PriorityGate;
  recorder: EventRecorder;
  nodeName: string;
  nodeLabels: () => Record<string, string>;
  allocatable: () => Allocatable;
  /** What the pods bound here and not finished hold (including those bound a moment ago). */
  bound: () => { requested: Resources; pods: number };
  /** A pod as the informer has it now. */
  lookup: (key: string) => Pod | undefined;
  /** Called when a pod was bound, before the informer sees it, so its requests count at once. */
  assumed: (pod: Pod) => void;
}

const time = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

export class Scheduler {
  private readonly queue: WorkQueue;
  private readonly unschedulable = new Set<string>();
  private running: Promise<void> | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    this.queue = new WorkQueue(deps.clock, deps.gate ? { gate: deps.gate } : {});
  }

  /** Should the scheduler look at this pod at all? */
  static wants(pod: Pod): boolean {
    const spec = pod.spec;
    if (!spec || spec.nodeName || pod.metadata.deletionTimestamp) return false;
    if ((spec.schedulerName ?? SCHEDULER_NAME) !== SCHEDULER_NAME) return false;
    return !spec.schedulingGates?.length;
  }

  start(): void {
    this.running = this.queue.run(1, (key) => this.scheduleOne(key), this.deps.log);
  }

  async stop(): Promise<void> {
    this.queue.shutdown();
    await this.running;
  }

  enqueue(pod: Pod): void {
    if (Scheduler.wants(pod)) this.queue.add(objectKey(pod));
  }

  forget(pod: Pod): void {
    this.unschedulable.delete(objectKey(pod));
  }

  /** Room was freed on the node: try the pods that did not fit again. */
  retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
    this.unschedulable.clear();
  }

  private async scheduleOne(key: string): Promise<void> {
    const pod = this.deps.lookup(key);
    if (!pod || !Scheduler.wants(pod)) return;
    const reasons = [
      selectorMismatch(pod, this.deps.nodeLabels()),
      ...fitFailures(pod, this.deps.bound(), this.deps.allocatable()),
    ].filter((r): r is string => !!r);
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const client = this.deps.client.resource(pods, ns);
    if (reasons.length) {
      this.unschedulable.add(key);
      const message = unschedulableMessage(reasons);
      this.deps.recorder.event(pod, 'Warning', 'FailedScheduling', message);
      const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
      if (cur?.status === 'False' && cur.message === message) return;
      const condition: PodCondition = {
        type: 'PodScheduled',
        status: 'False',
        lastProbeTime: null as unknown as string,
        lastTransitionTime:
          cur?.status === 'False' && cur.lastTransitionTime
            ? cur.lastTransitionTime
            : time(this.deps.clock.now()),
        reason: 'Unschedulable',
        message,
      };
      const conditions = [
        ...(pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled'),
        condition,
      ];
      await ignoreGone(
        client.patch(
          name,
          'json',
          [
            { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
            { op: 'add', path: '/status/conditions', value: conditions },
          ],
          { subresource: 'status' },
        ),
      );
      return;
    }
    const scheduled: PodCondition = {
      type: 'PodScheduled',
      status: 'True',
      lastProbeTime: null as unknown as string,
      lastTransitionTime: time(this.deps.clock.now()),
    };
    const binding: Pod = {
      ...pod,
      spec: { ...(pod.spec ?? { containers: [] }), nodeName: this.deps.nodeName },
      status: { ...pod.status, conditions: [scheduled] },
    };
    const bound = await ignoreGone(client.updateSubresource('binding', binding));
    if (!bound) return;
    this.unschedulable.delete(key);
    this.deps.assumed(bound);
    this.deps.recorder.event(
      pod,
      'Normal',
      'Scheduled',
      `Successfully assigned ${ns}/${name} to ${this.deps.nodeName}`,
    );
  }
}

/** A pod deleted, replaced or bound by someone else meanwhile is not an error for us. */
async function ignoreGone<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && [404, 409, 422].includes(err.code)) return undefined;
    throw err;
  }
}
