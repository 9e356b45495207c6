/**
 * After a restart of batchd: the container runs of a pod rebuilt from what the runtime still
 * knows (adopt) and, for containers it lost, from the pod's last written status. A container
 * the status shows running but the runtime cannot find is reported as the kubelet does:
 * exit code 137, reason ContainerStatusUnknown.
 */
import type { ContainerStateTerminated, ContainerStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from '../../api/core/v1/pod.js';
import type { ContainerRecord } from '../runtime/types.js';
import { allContainers, type ContainerRun, containerId, type Exited, isExited } from './model.js';

export const LOST_REASON = 'ContainerStatusUnknown';
export const LOST_MESSAGE = 'The container could not be located when the pod was terminated';

const date = (s: string | undefined): Date | undefined => (s ? new Date(s) : undefined);

function fromTerminated(t: ContainerStateTerminated): Exited {
  const startedAt = date(t.startedAt);
  return {
    state: 'exited',
    exitCode: t.exitCode,
    reason: t.reason ?? (t.exitCode === 0 ? 'Completed' : 'Error'),
    ...(t.message ? { message: t.message } : {}),
    ...(startedAt ? { startedAt } : {}),
    finishedAt: date(t.finishedAt) ?? new Date(0),
  };
}

function fromStatus(uid: string, s: ContainerStatus, now: Date): ContainerRun | undefined {
  const attempt = s.restartCount ?? 0;
  const run: ContainerRun = { name: s.name, restartCount: attempt };
  const id = containerId(uid, s.name, attempt);
  if (s.state?.terminated) run.current = { id, attempt, state: fromTerminated(s.state.terminated) };
  else if (s.state?.running) {
    const startedAt = date(s.state.running.startedAt);
    run.current = {
      id,
      attempt,
      state: {
        state: 'exited',
        exitCode: 137,
        reason: LOST_REASON,
        message: LOST_MESSAGE,
        ...(startedAt ? { startedAt } : {}),
        finishedAt: now,
      },
    };
  } else if (s.lastState?.terminated) {
    // Waiting to restart: the attempt that ended is the one to restart from.
    run.current = { id, attempt, state: fromTerminated(s.lastState.terminated) };
  } else return undefined;
  return run;
}

export function recoverRuns(
  pod: Pod,
  records: readonly ContainerRecord[],
  now: Date,
): Map<string, ContainerRun> {
  const uid = pod.metadata.uid ?? '';
  const runs = new Map<string, ContainerRun>();
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const { container } of allContainers(pod)) {
    const mine = records
      .filter((r) => r.spec.containerName === container.name)
      .sort((a, b) => b.spec.attempt - a.spec.attempt);
    const [latest, before] = mine;
    if (latest) {
      const run: ContainerRun = {
        name: container.name,
        restartCount: latest.spec.attempt,
        current: { id: latest.spec.id, attempt: latest.spec.attempt, state: latest.state },
      };
      if (before && isExited(before.state))
        run.previous = { id: before.spec.id, attempt: before.spec.attempt, state: before.state };
      runs.set(container.name, run);
      continue;
    }
    const s = statuses.find((x) => x.name === container.name);
    const run = s && fromStatus(uid, s, now);
    if (run) runs.set(container.name, run);
  }
  return runs;
}
