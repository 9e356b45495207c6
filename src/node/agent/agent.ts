/**
 * The node agent: batchd's kubelet. It registers this machine as a Node and heartbeats it,
 * binds pending pods (scheduler.ts), and runs the pods bound here through a ContainerRuntime:
 * one sync per pod at a time (a work queue keyed by uid), deciding what to start or stop
 * (podActions.ts), then writing the status the kubelet would (status.ts) only when it changed.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Container, PodStatus } from 'kubernetes-types/core/v1.js';
import { type Node, nodes } from '../../api/core/v1/node.js';
import { type Pod, pods } from '../../api/core/v1/pod.js';
import type { PodLogRequest } from '../../api/core/v1/podLogs.js';
import { ApiError, badRequest } from '../../api/meta/status.js';
import type { Client } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { EventRecorder } from '../../controllers/events/types.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import type { Counter, Gauge, Metrics } from '../../util/metrics.js';
import { volumeEnvName } from '../runtime/sandbox.js';
import type { ContainerRecord, ContainerRuntime, ContainerSpec } from '../runtime/types.js';
import { goDuration, RestartBackoff } from './backoff.js';
import { ContainerConfigError, containerEnv, type EnvContext } from './env.js';
import { type Allocatable, podRequests, type Resources } from './fit.js';
import { type ContainerKind, type ContainerRun, containerId, isExited } from './model.js';
import { type MachineInfo, newNode, nodeStatus } from './nodeObject.js';
import { computePodActions } from './podActions.js';
import { recoverRuns } from './recover.js';
import { Scheduler } from './scheduler.js';
import {
  DEADLINE_MESSAGE,
  DEADLINE_REASON,
  finishedPhase,
  generatePodStatus,
  type StatusInput,
} from './status.js';

export interface NodeAgentOptions {
  client: Client;
  runtime: ContainerRuntime;
  clock: Clock;
  log: Logger;
  /** Kubelet events (`kubelet`) and scheduling events (`default-scheduler`). */
  recorders: { kubelet: EventRecorder; scheduler: EventRecorder };
  metrics?: Metrics;
  machine: MachineInfo;
  /** The pod IP: 127.0.0.1, as pods share the host's network unless sandboxed. */
  podIP?: string;
  /** Where emptyDir volumes live (`<dir>/<podUid>/<volume>`); none: no directories are made. */
  volumesDir?: string;
  /** Tell containers where their volumes are (`BATCHD_VOLUME_<NAME>`): the runtime cannot mount them. */
  volumeEnv?: boolean;
  /** Node status heartbeat period (upstream nodeStatusUpdateFrequency: 10 s). */
  heartbeatMs?: number;
  /** Pods synced at once. */
  workers?: number;
  /**
   * How long the status of a pod whose containers just started waits before it is written (default
   * 100 ms), so a container that ends at once costs one status write, not a Running one and then a
   * terminal one. The kubelet's status lags a start by up to a PLEG relist (1 s) for the same reason.
   */
  statusSettleMs?: number;
  /** Waits for urgent work (CronJob fires) before taking each key. */
  gate?: PriorityGate;
  /** Logs of finished attempts are pruned past this age and total size (checked hourly). */
  logRetention?: { maxAgeMs: number; maxBytes: number };
}

export type { PodLogRequest };

interface PodRecord {
  uid: string;
  pod: Pod;
  runs: Map<string, ContainerRun>;
  /** The pod will start nothing more: finished, deleted, or past its deadline. */
  terminal: boolean;
  deadlineExceeded: boolean;
  /** The status last written, the base for condition transition times. */
  written?: PodStatus;
  writtenJson?: string;
  stopping: Set<string>;
  cancelDeadline?: () => void;
  /** The pod no longer exists in the API. */
  gone: boolean;
  deleteSent: boolean;
  /** Counted in the node's used resources (bound and not finished). */
  holdsRoom: boolean;
  /** Until when (epoch ms) the status of containers just started waits (statusSettleMs). */
  settleUntil: number | undefined;
}

const FINISHED = new Set(['Succeeded', 'Failed']);

/**
 * @example
 * const agent = new NodeAgent({ client, runtime, clock, log, recorders, machine });
 * await agent.start();
 */
export class NodeAgent {
  readonly nodeName: string;
  private readonly client: Client;
  private readonly runtime: ContainerRuntime;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly informer: Informer<Pod>;
  private readonly queue: WorkQueue;
  private readonly scheduler: Scheduler;
  private readonly backoff = new RestartBackoff();
  private readonly records = new Map<string, PodRecord>();
  private readonly adopted = new Map<string, ContainerRecord[]>();
  private readonly podIP: string;
  private readonly usedTotals = { cpuMillis: 0, memoryBytes: 0, pods: 0 };
  private cancelHeartbeat: () => void = () => {};
  private cancelPrune: () => void = () => {};
  private workers: Promise<void> | undefined;
  private stopped = false;
  private readonly metrics: {
    started?: Counter;
    startErrors?: Counter;
    runningPods?: Gauge;
    scheduleAttempts?: Counter;
  };

  constructor(private readonly opts: NodeAgentOptions) {
    this.nodeName = opts.machine.nodeName;
    this.client = opts.client;
    this.runtime = opts.runtime;
    this.clock = opts.clock;
    this.log = opts.log.child({ component: 'node-agent', node: this.nodeName });
    this.podIP = opts.podIP ?? opts.machine.address;
    this.queue = new WorkQueue(this.clock, {
      baseDelayMs: 100,
      maxDelayMs: 30_000,
      ...(opts.gate ? { gate: opts.gate } : {}),
    });
    this.informer = new Informer(this.client.resource(pods), this.clock, this.log);
    const m = opts.metrics;
    this.metrics = m
      ? {
          // Labels: none.
          started: m.counter('kubelet_started_containers_total', 'Cumulative number of containers started'),
          // Labels: none.
          startErrors: m.counter(
            'kubelet_started_containers_errors_total',
            'Cumulative number of errors when starting containers',
          ),
          // Labels: none.
          runningPods: m.gauge('kubelet_running_pods', 'Number of pods that have a running container'),
          // result: scheduled | unschedulable.
          scheduleAttempts: m.counter(
            'scheduler_schedule_attempts_total',
            'Number of attempts to schedule pods, by the result.',
            ['result'],
          ),
        }
      : {};
    this.scheduler = new Scheduler({
      client: this.client,
      clock: this.clock,
      ...(opts.gate ? { gate: opts.gate } : {}),
      log: this.log,
      recorder: opts.recorders.scheduler,
      nodeName: this.nodeName,
      nodeLabels: () => newNode(opts.machine).metadata.labels ?? {},
      allocatable: () => this.allocatable(),
      bound: () => this.used(),
      lookup: (key) => this.informer.get(key),
      assumed: (pod) => this.queue.add(this.track(pod).uid),
    });
  }

  /** Registers the node, adopts what the runtime still runs, then follows pods. */
  async start(): Promise<void> {
    await this.heartbeat();
    for (const r of await this.runtime.adopt()) {
      const list = this.adopted.get(r.spec.podUid) ?? [];
      list.push(r);
      this.adopted.set(r.spec.podUid, list);
    }
    this.runtime.onExit((r) => this.onExit(r));
    this.informer.on({
      add: (pod) => this.observe(pod),
      update: (_old, pod) => this.observe(pod),
      delete: (pod) => this.observeDelete(pod),
    });
    await this.informer.start();
    // Containers of pods that no longer exist are stopped and forgotten.
    for (const [uid, records] of this.adopted) {
      if (this.records.has(uid)) continue;
      for (const r of records) {
        if (r.state.state === 'running') await this.runtime.stop(r.spec.id, 0);
        await this.runtime.remove(r.spec.id);
      }
    }
    this.adopted.clear();
    this.scheduler.start();
    this.schedulePrune();
    this.workers = this.queue.run(this.opts.workers ?? 16, (uid) => this.sync(uid), this.log);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelHeartbeat();
    this.cancelPrune();
    this.informer.stop();
    await this.scheduler.stop();
    this.queue.shutdown();
    await this.workers;
    for (const rec of this.records.values()) rec.cancelDeadline?.();
  }

  /** The annotations of a pod this node runs (the simulated runtime reads its behaviour there). */
  podAnnotations(uid: string): Record<string, string> | undefined {
    return this.records.get(uid)?.pod.metadata.annotations;
  }

  private schedulePrune(): void {
    const keep = this.opts.logRetention;
    if (!keep || this.stopped) return;
    this.cancelPrune = this.clock.setTimer(3_600_000, () => {
      const before = new Date(this.clock.now().getTime() - keep.maxAgeMs);
      this.runtime
        .pruneLogs({ before, maxBytes: keep.maxBytes })
        .catch((err: unknown) => this.log.warn({ err }, 'pruning logs failed'))
        .finally(() => this.schedulePrune());
    });
  }

  // ---- node ----

  private allocatable(): Allocatable {
    const m = this.opts.machine;
    return { cpuMillis: m.cpus * 1000, memoryBytes: m.memoryBytes, pods: m.maxPods };
  }

  private used(): { requested: Resources; pods: number } {
    return { requested: { ...this.usedTotals }, pods: this.usedTotals.pods };
  }

  /** Counts a pod's requests in (or out of) what the node has given away; freeing room retries the unschedulable. */
  private holdRoom(rec: PodRecord, hold: boolean): void {
    if (rec.holdsRoom === hold) return;
    rec.holdsRoom = hold;
    const r = podRequests(rec.pod);
    const sign = hold ? 1 : -1;
    this.usedTotals.cpuMillis += sign * r.cpuMillis;
    this.usedTotals.memoryBytes += sign * r.memoryBytes;
    this.usedTotals.pods += sign;
    if (!hold) this.scheduler.retryUnschedulable();
  }

  private async heartbeat(): Promise<void> {
    const client = this.client.resource(nodes);
    const fresh = newNode(this.opts.machine);
    let node: Node | undefined;
    try {
      node = await client.get(this.nodeName);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
    try {
      if (!node) node = await client.create(fresh);
      else if (JSON.stringify(node.metadata.annotations) !== JSON.stringify(fresh.metadata.annotations)) {
        node = await client.patch(this.nodeName, 'merge', {
          metadata: { labels: fresh.metadata.labels, annotations: fresh.metadata.annotations },
        });
      }
      const status = nodeStatus(this.opts.machine, node.status as never, this.clock.now());
      this.metrics.runningPods?.set(
        [...this.records.values()].filter((r) => r.holdsRoom && !r.terminal).length,
      );
      await client.patch(this.nodeName, 'json', [{ op: 'add', path: '/status', value: status }], {
        subresource: 'status',
      });
    } finally {
      if (!this.stopped) {
        this.cancelHeartbeat = this.clock.setTimer(this.opts.heartbeatMs ?? 10_000, () => {
          this.heartbeat().catch((err: unknown) => this.log.warn({ err }, 'node heartbeat failed'));
        });
      }
    }
  }

  // ---- informer events ----

  private observe(pod: Pod): void {
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) {
      this.scheduler.enqueue(pod);
      return;
    }
    if (nodeName !== this.nodeName) return;
    const rec = this.track(pod);
    this.queue.add(rec.uid);
  }

  /** The record of a pod bound here, created on first sight (with what a previous run left). */
  private track(pod: Pod): PodRecord {
    const uid = pod.metadata.uid ?? '';
    let rec = this.records.get(uid);
    if (rec) {
      // An informer copy older than the pod the binding returned does not replace it.
      if (Number(pod.metadata.resourceVersion) >= Number(rec.pod.metadata.resourceVersion)) rec.pod = pod;
      return rec;
    }
    const finished = FINISHED.has(pod.status?.phase ?? '');
    rec = {
      uid,
      pod,
      runs: recoverRuns(pod, this.adopted.get(uid) ?? [], this.clock.now()),
      terminal: finished,
      deadlineExceeded: pod.status?.reason === DEADLINE_REASON,
      stopping: new Set(),
      gone: false,
      deleteSent: false,
      holdsRoom: false,
      settleUntil: undefined,
    };
    if (!finished) this.holdRoom(rec, true);
    this.adopted.delete(uid);
    this.records.set(uid, rec);
    return rec;
  }

  private observeDelete(pod: Pod): void {
    this.scheduler.forget(pod);
    const rec = this.records.get(pod.metadata.uid ?? '');
    if (!rec) return;
    rec.gone = true;
    this.queue.add(rec.uid);
  }

  private onExit(r: ContainerRecord): void {
    const rec = this.records.get(r.spec.podUid);
    if (!rec) {
      // Seen by adopt() before the pod was: kept for when it is tracked.
      const list = this.adopted.get(r.spec.podUid);
      if (list) {
        const i = list.findIndex((x) => x.spec.id === r.spec.id);
        if (i >= 0) list[i] = r;
      }
      return;
    }
    const run = rec.runs.get(r.spec.containerName);
    if (run?.current?.id === r.spec.id && !isExited(run.current.state)) run.current.state = r.state;
    rec.stopping.delete(r.spec.id);
    rec.settleUntil = undefined;
    this.queue.add(rec.uid);
  }

  // ---- the pod sync ----

  private async sync(uid: string): Promise<void> {
    const rec = this.records.get(uid);
    if (!rec) return;
    if (rec.gone) {
      await this.forgetPod(rec);
      return;
    }
    const pod = rec.pod;
    const now = this.clock.now();
    const deleting = !!pod.metadata.deletionTimestamp;
    this.checkDeadline(rec, now);
    if (deleting) rec.terminal = true;
    let started = 0;
    if (!rec.terminal) {
      // Start what can start, again while init containers finish at once, then write once.
      for (let round = 0; round <= (pod.spec?.initContainers?.length ?? 0) + 1; round++) {
        const actions = computePodActions(pod, rec.runs, (name, exited) =>
          this.backoff.remaining(`${uid}/${name}`, exited.finishedAt, this.clock.now()),
        );
        for (const b of actions.backoff) this.waitBackoff(rec, b.container, b.waitMs);
        if (!actions.start.length) break;
        started += actions.start.length;
        await Promise.all(actions.start.map((s) => this.startContainer(rec, s.container, s.kind)));
      }
    }
    const settleMs = this.opts.statusSettleMs ?? 100;
    if (started > 0 && settleMs > 0) rec.settleUntil = this.clock.now().getTime() + settleMs;
    if (rec.settleUntil !== undefined && !rec.terminal && !deleting) {
      // Other syncs meanwhile (the binding's echo) wait too; an exit ends the wait (onExit).
      const wait = rec.settleUntil - this.clock.now().getTime();
      if (wait > 0) {
        this.queue.addAfter(uid, wait);
        return;
      }
    }
    rec.settleUntil = undefined;
    let status = this.status(rec);
    if (rec.terminal || finishedPhase(this.statusInput(rec))) {
      rec.terminal = true;
      this.stopAll(rec);
      status = this.status(rec);
    }
    await this.writeStatus(rec, status);
    const running = [...rec.runs.values()].some((r) => r.current && !isExited(r.current.state));
    if (rec.terminal && !running) this.holdRoom(rec, false);
    else if (!rec.terminal) this.checkDeadline(rec, this.clock.now());
    if (deleting && !running && !rec.deleteSent) {
      rec.deleteSent = true;
      await this.deletePod(rec);
    }
  }

  private status(rec: PodRecord) {
    return generatePodStatus(this.statusInput(rec));
  }

  private statusInput(rec: PodRecord): StatusInput {
    const pod = { ...rec.pod, status: { ...rec.pod.status, ...rec.written } } as Pod;
    return {
      pod,
      runs: rec.runs,
      now: this.clock.now(),
      hostIP: this.opts.machine.address,
      podIP: this.podIP,
      terminal: rec.terminal,
      deadlineExceeded: rec.deadlineExceeded,
    };
  }

  private checkDeadline(rec: PodRecord, now: Date): void {
    const ads = rec.pod.spec?.activeDeadlineSeconds;
    const startTime = rec.pod.status?.startTime ?? rec.written?.startTime;
    if (ads === undefined || rec.terminal || !startTime) return;
    const due = new Date(startTime).getTime() + ads * 1000;
    if (now.getTime() >= due) {
      rec.terminal = true;
      rec.deadlineExceeded = true;
      this.opts.recorders.kubelet.event(rec.pod, 'Normal', DEADLINE_REASON, DEADLINE_MESSAGE);
      return;
    }
    rec.cancelDeadline?.();
    rec.cancelDeadline = this.clock.setTimer(due - now.getTime(), () => this.queue.add(rec.uid));
  }

  private waitBackoff(rec: PodRecord, c: Container, waitMs: number): void {
    const run = rec.runs.get(c.name);
    if (!run) return;
    const pod = rec.pod.metadata;
    const delay = this.backoff.current(`${rec.uid}/${c.name}`);
    const who = `${pod.name}_${pod.namespace}(${rec.uid})`;
    if (run.waiting?.reason !== 'CrashLoopBackOff') {
      this.opts.recorders.kubelet.event(
        rec.pod,
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${c.name} in pod ${who}`,
      );
    }
    run.waiting = {
      reason: 'CrashLoopBackOff',
      message: `back-off ${goDuration(delay)} restarting failed container=${c.name} pod=${who}`,
    };
    this.queue.addAfter(rec.uid, waitMs);
  }

  private envContext(): EnvContext {
    const m = this.opts.machine;
    return {
      podIP: this.podIP,
      hostIP: m.address,
      nodeName: this.nodeName,
      allocatable: { cpuMillis: m.cpus * 1000, memoryBytes: m.memoryBytes, ephemeralStorageBytes: 0 },
    };
  }

  private mounts(pod: Pod, c: Container): NonNullable<ContainerSpec['mounts']> {
    const out: NonNullable<ContainerSpec['mounts']>[number][] = [];
    for (const vm of c.volumeMounts ?? []) {
      const vol = pod.spec?.volumes?.find((v) => v.name === vm.name);
      let hostPath: string | undefined;
      if (vol?.emptyDir && this.opts.volumesDir) {
        hostPath = join(this.opts.volumesDir, pod.metadata.uid ?? '', vm.name);
        mkdirSync(hostPath, { recursive: true });
      } else if (vol?.hostPath) hostPath = vol.hostPath.path;
      if (hostPath)
        out.push({ hostPath, containerPath: vm.mountPath, ...(vm.readOnly ? { readOnly: true } : {}) });
    }
    return out;
  }

  private async startContainer(rec: PodRecord, c: Container, _kind: ContainerKind): Promise<void> {
    const pod = rec.pod;
    const now = this.clock.now();
    let run = rec.runs.get(c.name);
    if (!run) rec.runs.set(c.name, (run = { name: c.name, restartCount: 0 }));
    const last = run.current;
    const attempt = last ? last.attempt + 1 : 0;
    const kubelet = this.opts.recorders.kubelet;
    let env: ReturnType<typeof containerEnv>;
    try {
      env = containerEnv(pod, c, this.envContext());
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      run.waiting = { reason: err.reason, message: `Error: ${err.message}` };
      kubelet.event(pod, 'Warning', 'Failed', `Error: ${err.message}`);
      this.queue.addAfter(rec.uid, 10_000);
      return;
    }
    if (last && isExited(last.state)) {
      run.previous = { ...last, state: last.state };
      run.restartCount = attempt;
      this.backoff.next(`${rec.uid}/${c.name}`, last.state.finishedAt, now);
      if (last.attempt >= 1) {
        // Only the attempt before the current one is kept (lastState, logs --previous).
        void this.runtime.remove(containerId(rec.uid, c.name, last.attempt - 1)).catch(() => {});
      }
    }
    const id = containerId(rec.uid, c.name, attempt);
    const mounts = this.mounts(pod, c);
    run.current = { id, attempt, state: { state: 'starting' } };
    delete run.waiting;
    const spec: ContainerSpec = {
      id,
      podUid: rec.uid,
      namespace: pod.metadata.namespace ?? '',
      podName: pod.metadata.name ?? '',
      containerName: c.name,
      attempt,
      image: c.image ?? '',
      // Kept with the logs, so `batchd logs job/NAME` finds a deleted Job's pods by its label.
      ...(pod.metadata.labels ? { labels: pod.metadata.labels } : {}),
      argv: env.argv,
      env: this.opts.volumeEnv ? { ...env.env, ...volumeEnv(c, mounts) } : env.env,
      ...(c.workingDir ? { workingDir: c.workingDir } : {}),
      mounts,
      ...limitsOf(c),
      ...(c.terminationMessagePath ? { terminationMessagePath: c.terminationMessagePath } : {}),
      ...(c.terminationMessagePolicy
        ? { terminationMessagePolicy: c.terminationMessagePolicy as 'File' }
        : {}),
      ...securityOf(pod, c),
    };
    if (attempt === 0)
      kubelet.event(pod, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
    const state = await this.runtime.start(spec);
    if (run.current?.id === id && run.current.state.state === 'starting') run.current.state = state;
    if (state.state === 'exited' && state.reason === 'StartError') {
      this.metrics.startErrors?.inc();
      kubelet.event(pod, 'Warning', 'Failed', `Error: ${state.message ?? state.reason}`);
    } else {
      this.metrics.started?.inc();
      kubelet.event(pod, 'Normal', 'Created', `Created container: ${c.name}`);
      kubelet.event(pod, 'Normal', 'Started', `Started container ${c.name}`);
    }
  }

  /** Stops every running container of the pod with its grace period; exits requeue the pod. */
  private stopAll(rec: PodRecord): void {
    const meta = rec.pod.metadata;
    const grace = meta.deletionTimestamp
      ? (meta.deletionGracePeriodSeconds ?? 0)
      : (rec.pod.spec?.terminationGracePeriodSeconds ?? 30);
    for (const run of rec.runs.values()) {
      const cur = run.current;
      if (!cur || isExited(cur.state) || rec.stopping.has(cur.id)) continue;
      if (cur.state.state === 'starting') continue;
      rec.stopping.add(cur.id);
      this.opts.recorders.kubelet.event(rec.pod, 'Normal', 'Killing', `Stopping container ${run.name}`);
      this.runtime.stop(cur.id, grace).then(
        () => this.queue.add(rec.uid),
        (err: unknown) => this.log.warn({ err, container: cur.id }, 'stopping a container failed'),
      );
    }
  }

  private async writeStatus(rec: PodRecord, status: PodStatus): Promise<void> {
    const json = JSON.stringify(status);
    if (json === rec.writtenJson) return;
    const meta = rec.pod.metadata;
    try {
      await this.client.resource(pods, meta.namespace).patch(
        meta.name ?? '',
        'json',
        [
          { op: 'test', path: '/metadata/uid', value: rec.uid },
          { op: 'add', path: '/status', value: status },
        ],
        { subresource: 'status' },
      );
    } catch (err) {
      // Gone or replaced by a pod of the same name: its delete event finishes the record.
      if (err instanceof ApiError && (err.code === 404 || err.code === 422)) return;
      throw err;
    }
    rec.written = status;
    rec.writtenJson = json;
  }

  /** The final delete after the containers stopped, so `kubectl delete pod` returns. */
  private async deletePod(rec: PodRecord): Promise<void> {
    const meta = rec.pod.metadata;
    try {
      await this.client
        .resource(pods, meta.namespace)
        .delete(meta.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: rec.uid } });
    } catch (err) {
      if (err instanceof ApiError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }

  /** The pod is gone from the API: stop what still runs, drop its containers and volumes. */
  private async forgetPod(rec: PodRecord): Promise<void> {
    this.records.delete(rec.uid);
    rec.cancelDeadline?.();
    const ids: string[] = [];
    for (const run of rec.runs.values()) {
      if (run.previous) ids.push(run.previous.id);
      if (run.current) {
        ids.push(run.current.id);
        if (!isExited(run.current.state)) await this.runtime.stop(run.current.id, 0);
      }
    }
    await Promise.all(ids.map((id) => this.runtime.remove(id)));
    this.backoff.forget(`${rec.uid}/`);
    if (this.opts.volumesDir) rmSync(join(this.opts.volumesDir, rec.uid), { recursive: true, force: true });
    this.holdRoom(rec, false);
  }

  // ---- logs ----

  /** pods/log for the API server (its LogSource): the current or previous attempt's log. */
  async podLogs(pod: Pod, req: PodLogRequest, signal: AbortSignal): Promise<AsyncIterable<Buffer>> {
    const target = await this.logTarget(pod, req.container, req.previous);
    if ('error' in target) throw badRequest(target.error);
    const stream = this.runtime.readLog(
      target.id,
      {
        follow: req.follow && !req.previous,
        timestamps: req.timestamps,
        ...(req.tailLines !== undefined ? { tailLines: req.tailLines } : {}),
        ...(req.sinceTime ? { sinceTime: req.sinceTime } : {}),
        ...(req.limitBytes !== undefined ? { limitBytes: req.limitBytes } : {}),
      },
      signal,
    );
    return stream ?? (async function* () {})();
  }

  /** The runtime id of a container's current or previous attempt, waiting briefly for a start. */
  async logTarget(
    pod: Pod,
    container: string,
    previous: boolean,
    waitMs = 10_000,
  ): Promise<{ id: string } | { error: string }> {
    const uid = pod.metadata.uid ?? '';
    const who = `container "${container}" in pod "${pod.metadata.name}"`;
    const deadline = this.clock.now().getTime() + waitMs;
    for (;;) {
      const run = this.records.get(uid)?.runs.get(container);
      if (previous) {
        const last = run?.waiting && run.current && isExited(run.current.state) ? run.current : run?.previous;
        if (last) return { id: last.id };
        return { error: `previous terminated ${who} not found` };
      }
      const cur = run?.current;
      if (cur && cur.state.state !== 'starting') return { id: cur.id };
      if (this.clock.now().getTime() >= deadline || this.stopped) {
        const reason = run?.waiting?.reason ?? (cur ? 'ContainerCreating' : 'PodInitializing');
        return { error: `${who} is waiting to start: ${reason}` };
      }
      await this.clock.after(100);
    }
  }
}

function limitsOf(c: Container): Pick<ContainerSpec, 'limits'> {
  const l = c.resources?.limits;
  if (!l) return {};
  const r = podRequests({ metadata: {}, spec: { containers: [{ name: '', resources: { requests: l } }] } });
  const limits = {
    ...(l.cpu !== undefined ? { cpuMillis: r.cpuMillis } : {}),
    ...(l.memory !== undefined ? { memoryBytes: r.memoryBytes } : {}),
  };
  return Object.keys(limits).length ? { limits } : {};
}

function securityOf(pod: Pod, c: Container): Pick<ContainerSpec, 'runAsUser' | 'runAsGroup'> {
  const user = c.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
  const group = c.securityContext?.runAsGroup ?? pod.spec?.securityContext?.runAsGroup;
  return {
    ...(user !== undefined ? { runAsUser: user } : {}),
    ...(group !== undefined ? { runAsGroup: group } : {}),
  };
}

/**
 * Without a sandbox a container cannot see a volume at its mountPath, so it is told where the
 * volume is: `BATCHD_VOLUME_<NAME>` holds the host directory of each mounted volume.
 */
function volumeEnv(c: Container, mounts: NonNullable<ContainerSpec['mounts']>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const vm of c.volumeMounts ?? []) {
    const m = mounts.find((x) => x.containerPath === vm.mountPath);
    if (m) out[volumeEnvName(vm.name)] = m.hostPath;
  }
  return out;
}
