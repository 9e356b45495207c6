/**
 * The pod status the kubelet writes (generateAPIPodStatus): container statuses from what the
 * runtime reports, the phase (getPhase), and the kubelet's conditions with transition times
 * kept while a condition's status does not change.
 */
import type {
  ContainerState as ApiContainerState,
  Container,
  ContainerStatus,
  PodCondition,
  PodStatus,
} from 'kubernetes-types/core/v1.js';
import { type Pod, podQOSClass } from '../../api/core/v1/pod.js';
import { type ContainerRun, type Exited, isSidecar } from './model.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export const DEADLINE_REASON = 'DeadlineExceeded';
export const DEADLINE_MESSAGE = 'Pod was active on the node longer than the specified deadline';

export interface StatusInput {
  pod: Pod;
  runs: ReadonlyMap<string, ContainerRun>;
  now: Date;
  hostIP: string;
  podIP: string;
  /** The pod will run nothing more (finished, deleted, past its deadline): its phase may turn final. */
  terminal: boolean;
  deadlineExceeded: boolean;
}

/** A status stamps one `now` on many fields: the last Date formatted is kept. */
let lastFormatted: { date: Date; text: string } | undefined;

function time(d: Date | undefined): string | undefined {
  if (!d) return undefined;
  if (lastFormatted?.date !== d) lastFormatted = { date: d, text: `${d.toISOString().slice(0, 19)}Z` };
  return lastFormatted.text;
}

/** `batchd://<id>`, with the id's slashes mapped so it reads as one token. */
export const containerIdUri = (id: string): string => `batchd://${id.replaceAll('/', '_')}`;

function terminatedState(id: string, s: Exited): ApiContainerState {
  return {
    terminated: {
      exitCode: s.exitCode,
      reason: s.reason,
      ...(s.message ? { message: s.message } : {}),
      ...(s.startedAt ? { startedAt: time(s.startedAt) as string } : {}),
      finishedAt: time(s.finishedAt) as string,
      containerID: containerIdUri(id),
    },
  };
}

/** One container's status (convertToAPIContainerStatuses). */
export function containerStatus(
  c: Container,
  run: ContainerRun | undefined,
  defaultWaiting: string,
  isInit: boolean,
): ContainerStatus {
  const cur = run?.current;
  let state: ApiContainerState;
  let ready = false;
  let started = false;
  if (run?.waiting) {
    state = {
      waiting: {
        reason: run.waiting.reason,
        ...(run.waiting.message ? { message: run.waiting.message } : {}),
      },
    };
  } else if (!cur || cur.state.state === 'starting') {
    state = { waiting: { reason: cur ? 'ContainerCreating' : defaultWaiting } };
  } else if (cur.state.state === 'running') {
    state = { running: { startedAt: time(cur.state.startedAt) as string } };
    started = true;
    ready = !isInit || isSidecar(c);
  } else {
    state = terminatedState(cur.id, cur.state);
    // A completed init container counts as ready, as the kubelet reports it.
    ready = isInit && !isSidecar(c) && cur.state.exitCode === 0;
  }
  // While waiting to restart, lastState is the attempt that just ended; otherwise the one before.
  const last =
    run?.waiting && cur && cur.state.state === 'exited'
      ? terminatedState(cur.id, cur.state)
      : run?.previous
        ? terminatedState(run.previous.id, run.previous.state)
        : {};
  const shown = cur && cur.state.state !== 'starting' ? cur.id : run?.previous?.id;
  return {
    name: c.name,
    state,
    lastState: last,
    ready,
    restartCount: run?.restartCount ?? 0,
    image: c.image ?? '',
    imageID: c.image ?? '',
    ...(shown ? { containerID: containerIdUri(shown) } : {}),
    started,
  };
}

const isRunning = (s: ContainerStatus) => !!s.state?.running;
const failedLast = (s: ContainerStatus) => (s.lastState?.terminated?.exitCode ?? 0) !== 0;

/** The kubelet's getPhase: Pending until initialized and started, then Running, then Succeeded or Failed. */
export function podPhase(
  pod: Pod,
  initStatuses: readonly ContainerStatus[],
  statuses: readonly ContainerStatus[],
  terminal: boolean,
): PodPhase {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  (pod.spec?.initContainers ?? []).forEach((c, i) => {
    const s = initStatuses[i];
    if (isSidecar(c)) {
      if (!s || !isRunning(s)) pendingSidecars++;
      return;
    }
    if (!s || isRunning(s)) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (failedLast(s)) failedInit++;
    } else pendingInit++;
  });
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const s of statuses) {
    if (isRunning(s)) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else if (s.state?.waiting) waiting++;
    else unknown++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const regularStarted = statuses.some(
    (s) => s.state?.running || s.state?.terminated || s.lastState?.terminated,
  );
  if (pendingInit > 0 || (pendingSidecars > 0 && !regularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const names = (xs: string[]) => `[${xs.join(' ')}]`;

function initializedCondition(
  pod: Pod,
  init: readonly ContainerStatus[],
  regular: readonly ContainerStatus[],
  phase: PodPhase,
): PodCondition {
  const specs = pod.spec?.initContainers ?? [];
  if (!specs.length) return { type: 'Initialized', status: 'True' };
  const incomplete: string[] = [];
  specs.forEach((c, i) => {
    const s = init[i];
    if (isSidecar(c)) {
      if (!s?.started) incomplete.push(c.name);
    } else if (s?.state?.terminated?.exitCode !== 0) incomplete.push(c.name);
  });
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  const regularStarted = regular.some(
    (s) => s.state?.running || s.state?.terminated || s.lastState?.terminated,
  );
  if (regularStarted || !incomplete.length) return { type: 'Initialized', status: 'True' };
  return {
    type: 'Initialized',
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: ${names(incomplete)}`,
  };
}

function containersReadyCondition(
  pod: Pod,
  init: readonly ContainerStatus[],
  regular: readonly ContainerStatus[],
  phase: PodPhase,
): PodCondition {
  if (phase === 'Succeeded') return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const unready: string[] = [];
  (pod.spec?.initContainers ?? []).forEach((c, i) => {
    if (isSidecar(c) && !init[i]?.ready) unready.push(c.name);
  });
  regular.forEach((s) => {
    if (!s.ready) unready.push(s.name);
  });
  if (!unready.length) return { type: 'ContainersReady', status: 'True' };
  return {
    type: 'ContainersReady',
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: ${names(unready)}`,
  };
}

/** Transition times: kept from the previous condition of that type while its status holds. */
function stamp(cond: PodCondition, old: readonly PodCondition[], now: Date): PodCondition {
  const prev = old.find((c) => c.type === cond.type);
  const at =
    prev && prev.status === cond.status && prev.lastTransitionTime ? prev.lastTransitionTime : time(now);
  return { ...cond, lastProbeTime: null as unknown as string, lastTransitionTime: at as string };
}

/** Conditions the kubelet owns; others (DisruptionTarget, readiness gates) are carried over. */
const KUBELET_CONDITIONS = new Set([
  'PodScheduled',
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
]);

/** The phase the containers alone imply, before waiting for what still runs: has the pod finished? */
export function finishedPhase(input: StatusInput): boolean {
  const s = generatePodStatus({ ...input, terminal: input.terminal }, true);
  return s.phase === 'Succeeded' || s.phase === 'Failed';
}

/** The status to write for a pod this node runs. */
export function generatePodStatus(
  input: StatusInput,
  ignoreRunning = false,
): PodStatus & { phase: PodPhase } {
  const { pod, runs, now } = input;
  const old = pod.status ?? {};
  const initSpecs = pod.spec?.initContainers ?? [];
  const regularStarted = (pod.spec?.containers ?? []).some((c) => runs.get(c.name)?.current);
  const initDone =
    regularStarted ||
    initSpecs.every((c) => {
      const cur = runs.get(c.name)?.current?.state;
      return isSidecar(c) ? cur?.state === 'running' : cur?.state === 'exited' && cur.exitCode === 0;
    });
  const initStatuses = initSpecs.map((c) => containerStatus(c, runs.get(c.name), 'PodInitializing', true));
  const statuses = (pod.spec?.containers ?? []).map((c) =>
    containerStatus(c, runs.get(c.name), initDone ? 'ContainerCreating' : 'PodInitializing', false),
  );
  const anyRunning = [...runs.values()].some((r) => r.current && r.current.state.state !== 'exited');
  let phase = podPhase(pod, initStatuses, statuses, input.terminal);
  if (input.deadlineExceeded || (input.terminal && phase !== 'Succeeded')) phase = 'Failed';
  // A pod turns Succeeded or Failed only once nothing of it runs any more (sidecars included).
  const oldPhase = old.phase as PodPhase | undefined;
  if (oldPhase === 'Succeeded' || oldPhase === 'Failed') phase = oldPhase;
  else if ((phase === 'Succeeded' || phase === 'Failed') && anyRunning && !ignoreRunning)
    phase = oldPhase === 'Pending' && !regularStarted ? 'Pending' : 'Running';
  const sandboxDown = (phase === 'Succeeded' || phase === 'Failed') && !anyRunning;
  const containersReady = containersReadyCondition(pod, initStatuses, statuses, phase);
  const ready: PodCondition =
    containersReady.status === 'True'
      ? { type: 'Ready', status: 'True' }
      : {
          type: 'Ready',
          status: containersReady.status,
          ...(containersReady.reason ? { reason: containersReady.reason } : {}),
          ...(containersReady.message ? { message: containersReady.message } : {}),
        };
  const oldConds = old.conditions ?? [];
  const conditions = [
    { type: 'PodReadyToStartContainers', status: sandboxDown ? 'False' : 'True' },
    initializedCondition(pod, initStatuses, statuses, phase),
    ready,
    containersReady,
    { type: 'PodScheduled', status: 'True' },
  ].map((c) => stamp(c, oldConds, now));
  for (const c of oldConds) if (!KUBELET_CONDITIONS.has(c.type)) conditions.push(c);
  const status: PodStatus & { phase: PodPhase } = {
    phase,
    conditions,
    ...(input.deadlineExceeded ? { message: DEADLINE_MESSAGE, reason: DEADLINE_REASON } : {}),
    ...(old.nominatedNodeName ? { nominatedNodeName: old.nominatedNodeName } : {}),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: old.startTime ?? (time(now) as string),
    ...(initSpecs.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    qosClass: old.qosClass ?? podQOSClass(pod),
  };
  return status;
}
