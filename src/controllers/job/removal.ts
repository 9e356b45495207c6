/** Which active pods go first when a Job has too many (upstream's activePodsForRemoval). */
import type { Job } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { compareForDeletion, completionIndex, isIndexedJob } from './pods.js';

const byIndex = (a: Pod, b: Pod) => completionIndex(a) - completionIndex(b);

/**
 * Indexed Jobs first give up every pod without a valid index, every pod past completions and, of
 * several pods holding one index, all but the most advanced; then, if that is not enough, the
 * pods the ActivePods order puts first.
 */
export function activePodsForRemoval(job: Job, active: readonly Pod[], atLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left: Pod[] = [...active];
  if (isIndexedJob(job)) {
    const completions = job.spec?.completions ?? 0;
    left = [];
    const groups = new Map<number, Pod[]>();
    for (const pod of [...active].sort(byIndex)) {
      const ix = completionIndex(pod);
      if (ix < 0 || ix >= completions) rm.push(pod);
      else groups.set(ix, [...(groups.get(ix) ?? []), pod]);
    }
    for (const group of groups.values()) {
      group.sort(compareForDeletion);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1] as Pod);
    }
  }
  if (rm.length < atLeast) {
    left.sort(compareForDeletion);
    rm.push(...left.slice(0, atLeast - rm.length));
  }
  return rm;
}
