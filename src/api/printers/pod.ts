/**
 * The pod table, as upstream's printPod (1.32): the READY / STATUS / RESTARTS summary that
 * people read as "the pod's state", with init containers, sidecars (restartable init
 * containers) and deletion folded in.
 */
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { AGE_COLUMN, column, NAME_COLUMN, wideColumn } from './columns.js';
import { parseTime, translateTimestampSince } from './duration.js';
import type { TablePrinter, TableRowCondition } from './table.js';

/** The cells that need the pod-status walk, exported for tests and for `describe`-like callers. */
export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

const isSidecar = (c: Partial<Container> | undefined) => c?.restartPolicy === 'Always';

/** The finish time of the previous run, or undefined when there was none (Go's zero time). */
const lastFinished = (s: ContainerStatus) => parseTime(s.lastState?.terminated?.finishedAt);

const later = (a: number | undefined, b: number | undefined) =>
  b !== undefined && (a === undefined || b > a) ? b : a;

function conditionIsTrue(conditions: readonly PodCondition[] | undefined, type: string): boolean {
  // Upstream stops at the first condition of the type for Initialized, and checks every one for
  // Ready; with well-formed pods (one condition per type) both read the same.
  return conditions?.find((c) => c.type === type)?.status === 'True';
}

function hasReadyCondition(conditions: readonly PodCondition[] | undefined): boolean {
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** READY, STATUS and RESTARTS for one pod at `now`. */
export function summarizePod(pod: Pod, now: Date): PodSummary {
  const spec = pod.spec;
  const status = pod.status ?? {};
  const phase = status.phase ?? '';
  const conditions = status.conditions;

  let reason = status.reason || phase;
  // A pod held back by scheduling gates reports it only through its PodScheduled condition.
  for (const c of conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let total = spec?.containers?.length ?? 0;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  let sidecarRestarts = 0;
  let lastSidecarRestart: number | undefined;

  const initSpecs = new Map<string, Container>();
  for (const c of spec?.initContainers ?? []) {
    initSpecs.set(c.name, c);
    if (isSidecar(c)) total++;
  }

  // Init containers run in order; the first one that has not finished (or started, for a
  // sidecar) names the status, and the walk stops there.
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (const [i, c] of initStatuses.entries()) {
    restarts += c.restartCount ?? 0;
    lastRestart = later(lastRestart, lastFinished(c));
    const sidecar = isSidecar(initSpecs.get(c.name));
    if (sidecar) {
      sidecarRestarts += c.restartCount ?? 0;
      lastSidecarRestart = later(lastSidecarRestart, lastFinished(c));
    }
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) {
      if (terminated.reason) reason = `Init:${terminated.reason}`;
      else if (terminated.signal) reason = `Init:Signal:${terminated.signal}`;
      else reason = `Init:ExitCode:${terminated.exitCode ?? 0}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionIsTrue(conditions, 'Initialized')) {
    // Once running, init-container restarts are history; only sidecars keep counting.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    // Walked last to first, so the first container's state is the one that ends up shown.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      if (!c) continue;
      restarts += c.restartCount ?? 0;
      lastRestart = later(lastRestart, lastFinished(c));
      const terminated = c.state?.terminated;
      if (c.state?.waiting?.reason) {
        reason = c.state.waiting.reason;
      } else if (terminated) {
        if (terminated.reason) reason = terminated.reason;
        else if (terminated.signal) reason = `Signal:${terminated.signal}`;
        else reason = `ExitCode:${terminated.exitCode ?? 0}`;
      } else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A finished container must not hide others still running (e.g. a pod whose main
    // container exited but a second one serves on).
    if (reason === 'Completed' && hasRunning) {
      reason = hasReadyCondition(conditions) ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  const restartsCell =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${translateTimestampSince(lastRestart, now)} ago)`
      : `${restarts}`;
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

/**
 * The IP column. Upstream prints the first of the internal podIPs, which the v1 conversion
 * fills from `podIP` when that is set (and authoritative when the two disagree).
 */
function podIP(pod: Pod): string {
  return pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || '<none>';
}

/** READINESS GATES: `<true>/<gates>` over the first condition of each gate's type. */
function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const met = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True');
  return `${met.length}/${gates.length}`;
}

const SUCCEEDED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const FAILED: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

/** `kubectl get pods`: NAME READY STATUS RESTARTS AGE; wide adds IP NODE NOMINATED NODE READINESS GATES. */
export const podPrinter: TablePrinter<Pod> = {
  columns: [
    NAME_COLUMN,
    column('Ready', 'string', 'Containers ready to serve, out of all long-running containers.'),
    column('Status', 'string', 'A one-word summary of the pod and its containers.'),
    column('Restarts', 'string', 'Container restarts so far, and how long ago the latest was.'),
    AGE_COLUMN,
    wideColumn('IP', 'string', 'The IP address of the pod.'),
    wideColumn('Node', 'string', 'The node the pod is bound to.'),
    wideColumn(
      'Nominated Node',
      'string',
      'The node the scheduler expects to place the pod on after preemption.',
    ),
    wideColumn('Readiness Gates', 'string', 'Extra conditions that must hold for the pod to count as ready.'),
  ],
  row(pod, now) {
    const summary = summarizePod(pod, now);
    return [
      pod.metadata?.name ?? '',
      summary.ready,
      summary.status,
      summary.restarts,
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      podIP(pod),
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod) {
    if (pod.status?.phase === 'Succeeded') return SUCCEEDED;
    if (pod.status?.phase === 'Failed') return FAILED;
    return undefined;
  },
};
