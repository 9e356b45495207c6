/**
 * The scheduler's NodeResourcesFit on one node: a pod fits when its effective requests, added
 * to those of the pods already bound and not finished, stay within allocatable, and the pod
 * count stays within `pods`. The failure message is the one `kubectl describe pod` shows.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { quantityMilliValue, quantityValue, toQuantity } from '../../api/core/v1/quantity.js';

export interface Resources {
  cpuMillis: number;
  memoryBytes: number;
}

export interface Allocatable extends Resources {
  pods: number;
}

const ZERO: Resources = { cpuMillis: 0, memoryBytes: 0 };

function containerRequests(c: Container): Resources {
  const req = c.resources?.requests ?? {};
  const cpu = toQuantity(req.cpu);
  const mem = toQuantity(req.memory);
  return {
    cpuMillis: cpu ? Number(quantityMilliValue(cpu)) : 0,
    memoryBytes: mem ? Number(quantityValue(mem)) : 0,
  };
}

const add = (a: Resources, b: Resources): Resources => ({
  cpuMillis: a.cpuMillis + b.cpuMillis,
  memoryBytes: a.memoryBytes + b.memoryBytes,
});
const max = (a: Resources, b: Resources): Resources => ({
  cpuMillis: Math.max(a.cpuMillis, b.cpuMillis),
  memoryBytes: Math.max(a.memoryBytes, b.memoryBytes),
});

/**
 * Upstream's effective pod request: the regular containers and sidecars together, or the
 * largest init step (an init container plus the sidecars started before it), whichever is more.
 */
export function podRequests(pod: Pod): Resources {
  let running = ZERO;
  for (const c of pod.spec?.containers ?? []) running = add(running, containerRequests(c));
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      sidecars = add(sidecars, r);
      initPeak = max(initPeak, sidecars);
    } else initPeak = max(initPeak, add(r, sidecars));
  }
  const overhead = pod.spec?.overhead;
  const over: Resources = overhead
    ? containerRequests({ name: '', resources: { requests: overhead } })
    : ZERO;
  return add(max(add(running, sidecars), initPeak), over);
}

/** Why a pod does not fit, in upstream's words (`Insufficient cpu`, `Too many pods`, ...). */
export function fitFailures(
  pod: Pod,
  bound: { requested: Resources; pods: number },
  allocatable: Allocatable,
): string[] {
  const reasons: string[] = [];
  if (bound.pods + 1 > allocatable.pods) reasons.push('Too many pods');
  const want = podRequests(pod);
  if (want.cpuMillis > 0 && bound.requested.cpuMillis + want.cpuMillis > allocatable.cpuMillis)
    reasons.push('Insufficient cpu');
  if (want.memoryBytes > 0 && bound.requested.memoryBytes + want.memoryBytes > allocatable.memoryBytes)
    reasons.push('Insufficient memory');
  return reasons;
}

/** A nodeSelector that the node's labels do not satisfy. */
export function selectorMismatch(pod: Pod, nodeLabels: Record<string, string>): string | undefined {
  const sel = pod.spec?.nodeSelector ?? {};
  for (const [k, v] of Object.entries(sel)) {
    if (nodeLabels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  }
  return undefined;
}

/**
 * The FailedScheduling message for one node, with the preemption diagnosis upstream appends when
 * no lower-priority pod could make room (batchd never preempts).
 */
export function unschedulableMessage(reasons: readonly string[]): string {
  const parts = [...new Set(reasons)].sort().map((r) => `1 ${r}`);
  const preemption = reasons.some((r) => r.startsWith('node(s)'))
    ? '1 Preemption is not helpful for scheduling.'
    : '1 No preemption victims found for incoming pod.';
  return `0/1 nodes are available: ${parts.join(', ')}. preemption: 0/1 nodes are available: ${preemption}`;
}
