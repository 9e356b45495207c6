/**
 * What the agent knows of one pod's containers: for each container, its restart count, the
 * attempt that runs or ran last, the one before it (lastState, `logs --previous`), and why it
 * waits. Pure data: the decisions and the status are computed from it.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';
import type { ContainerState } from '../runtime/types.js';

export type Exited = Extract<ContainerState, { state: 'exited' }>;
export type AttemptState = ContainerState | { readonly state: 'starting' };

export interface Attempt {
  /** The runtime's id: `<podUid>/<containerName>/<attempt>`. */
  id: string;
  attempt: number;
  state: AttemptState;
}

export interface ContainerRun {
  name: string;
  restartCount: number;
  current?: Attempt;
  /** The attempt before current, once it finished: lastState and `logs --previous`. */
  previous?: Attempt & { state: Exited };
  /** Set while the container cannot (re)start: CrashLoopBackOff, CreateContainerConfigError. */
  waiting?: { reason: string; message?: string };
}

export type ContainerKind = 'init' | 'sidecar' | 'regular';

export const containerId = (podUid: string, name: string, attempt: number): string =>
  `${podUid}/${name}/${attempt}`;

/** Init containers with restartPolicy Always are sidecars: started in order, then left running. */
export const isSidecar = (c: Container): boolean => c.restartPolicy === 'Always';

export const isExited = (s: AttemptState | undefined): s is Exited => s?.state === 'exited';

export function allContainers(pod: Pod): Array<{ container: Container; kind: ContainerKind }> {
  return [
    ...(pod.spec?.initContainers ?? []).map((container) => ({
      container,
      kind: (isSidecar(container) ? 'sidecar' : 'init') as ContainerKind,
    })),
    ...(pod.spec?.containers ?? []).map((container) => ({ container, kind: 'regular' as ContainerKind })),
  ];
}

/** Would the kubelet start this exited container again under the pod's restartPolicy? */
export function shouldRestart(pod: Pod, kind: ContainerKind, exited: Exited): boolean {
  if (kind === 'sidecar') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (kind === 'init') return policy !== 'Never' && exited.exitCode !== 0;
  return policy === 'Always' || (policy === 'OnFailure' && exited.exitCode !== 0);
}
