/**
 * The jobs/scale subresource (autoscaling/v1 Scale), beyond upstream 1.32 so that an unmodified
 * `kubectl scale job NAME --replicas=N` works as it did before 1.22: a Job's parallelism is the
 * Scale's spec.replicas, its active pods the status.replicas.
 */

import { formatLabelSelector } from '../../meta/labels.js';
import { badRequest, conflict, OBJECT_MODIFIED } from '../../meta/status.js';
import type { ObjectMeta } from '../../meta/types.js';
import type { Job } from './types.js';

export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: ObjectMeta;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

/** The Scale view of a job. */
export function jobToScale(job: Job): Scale {
  const m = job.metadata;
  const selector = formatLabelSelector(job.spec?.selector);
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: m.name ?? '',
      namespace: m.namespace ?? '',
      ...(m.uid ? { uid: m.uid } : {}),
      ...(m.resourceVersion ? { resourceVersion: m.resourceVersion } : {}),
      creationTimestamp: m.creationTimestamp ?? null,
    },
    spec: { replicas: job.spec?.parallelism ?? 0 },
    status: { replicas: job.status?.active ?? 0, ...(selector ? { selector } : {}) },
  };
}

/**
 * The job with the Scale's replicas as its parallelism. A resourceVersion or uid in the Scale
 * is a precondition on the job (`kubectl scale --resource-version`).
 */
export function scaleJob(job: Job, scale: Scale): Job {
  const name = job.metadata.name ?? '';
  if (scale.metadata?.name && scale.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  const rv = scale.metadata?.resourceVersion;
  if (
    (rv && rv !== job.metadata.resourceVersion) ||
    (scale.metadata?.uid && scale.metadata.uid !== job.metadata.uid)
  ) {
    throw conflict({ group: 'batch', resource: 'jobs' }, name, OBJECT_MODIFIED);
  }
  const next = structuredClone(job);
  if (next.spec) next.spec.parallelism = scale.spec?.replicas ?? 0;
  return next;
}
