/**
 * What to start next in one pod (the kubelet's computePodActions): init containers one at a
 * time in order (a sidecar counts once it runs), then every regular container together;
 * exited containers restart under the restartPolicy, after their back-off.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';
import {
  type ContainerKind,
  type ContainerRun,
  type Exited,
  isExited,
  isSidecar,
  shouldRestart,
} from './model.js';

export interface PodActions {
  start: Array<{ container: Container; kind: ContainerKind }>;
  /** Containers whose restart must wait: how long, from now. */
  backoff: Array<{ container: Container; waitMs: number }>;
}

/** ms the restart of an exited container must still wait (0: now). */
export type BackoffRemaining = (name: string, exited: Exited) => number;

export function computePodActions(
  pod: Pod,
  runs: ReadonlyMap<string, ContainerRun>,
  remaining: BackoffRemaining,
): PodActions {
  const out: PodActions = { start: [], backoff: [] };
  const restart = (container: Container, kind: ContainerKind, exited: Exited) => {
    if (!shouldRestart(pod, kind, exited)) return;
    const waitMs = remaining(container.name, exited);
    if (waitMs > 0) out.backoff.push({ container, waitMs });
    else out.start.push({ container, kind });
  };
  const regular = pod.spec?.containers ?? [];
  const regularStarted = regular.some((c) => runs.get(c.name)?.current);
  for (const c of pod.spec?.initContainers ?? []) {
    const kind: ContainerKind = isSidecar(c) ? 'sidecar' : 'init';
    const cur = runs.get(c.name)?.current;
    // Once regular containers ran, init containers are done for good; only sidecars come back.
    if (regularStarted && kind === 'init') continue;
    if (!cur) {
      out.start.push({ container: c, kind });
      if (!regularStarted) return out;
      continue;
    }
    if (cur.state.state === 'starting') {
      if (!regularStarted) return out;
      continue;
    }
    if (kind === 'sidecar') {
      if (isExited(cur.state)) {
        restart(c, kind, cur.state);
        if (!regularStarted) return out;
      }
      continue;
    }
    if (cur.state.state === 'running') return out;
    if (isExited(cur.state) && cur.state.exitCode !== 0) {
      restart(c, kind, cur.state);
      return out;
    }
  }
  for (const c of regular) {
    const cur = runs.get(c.name)?.current;
    if (!cur) out.start.push({ container: c, kind: 'regular' });
    else if (isExited(cur.state)) restart(c, 'regular', cur.state);
  }
  return out;
}
