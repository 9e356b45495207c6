/** Pod writes, behind a seam tests can replace (upstream's PodControl). */

import type { Pod } from '../../api/core/v1/pod.js';
import { pods } from '../../api/core/v1/pod.js';
import { ApiError } from '../../api/meta/status.js';
import type { Client } from '../../client/client.js';
import { JOB_TRACKING_FINALIZER } from './constants.js';

export interface PodControl {
  createPod(namespace: string, pod: Pod): Promise<Pod>;
  /** Deleting a pod that is already gone succeeds. */
  deletePod(namespace: string, name: string): Promise<void>;
  /** Removing the tracking finalizer from a pod that is already gone succeeds. */
  removeTrackingFinalizer(namespace: string, name: string): Promise<void>;
}

export const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.code === 404;

/** Upstream removes the finalizer with a strategic merge patch, so other finalizers are kept. */
const removeFinalizerPatch = {
  metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] },
};

export class ClientPodControl implements PodControl {
  constructor(private readonly client: Client) {}

  createPod(namespace: string, pod: Pod): Promise<Pod> {
    return this.client.resource(pods, namespace).create(pod);
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    try {
      await this.client.resource(pods, namespace).delete(name);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async removeTrackingFinalizer(namespace: string, name: string): Promise<void> {
    try {
      await this.client.resource(pods, namespace).patch(name, 'strategic', removeFinalizerPatch);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export interface BatchOutcome<T> {
  results: T[];
  errors: unknown[];
  /** Never attempted: the batch before them had an error. */
  skipped: number;
}

/**
 * Slow start: batches of 1, 2, 4, … run in parallel, and a batch with an error ends the round, so
 * a quota or admission failure costs a handful of requests, not thousands. There is no pause
 * between batches: the limit is the API's own speed.
 */
export async function inSlowStartBatches<T>(
  count: number,
  create: (i: number) => Promise<T>,
): Promise<BatchOutcome<T>> {
  const out: BatchOutcome<T> = { results: [], errors: [], skipped: 0 };
  let done = 0;
  for (let size = Math.min(1, count); done < count; size = Math.min(2 * size, count - done)) {
    const batch = await Promise.allSettled(Array.from({ length: size }, (_, i) => create(done + i)));
    done += size;
    for (const r of batch) {
      if (r.status === 'fulfilled') out.results.push(r.value);
      else out.errors.push(r.reason);
    }
    if (out.errors.length) {
      out.skipped = count - done;
      break;
    }
  }
  return out;
}
