/** The pod the controller creates for a Job, built as upstream builds it from spec.template. */

import type { Container } from 'kubernetes-types/core/v1.js';
import type { Job } from '../../api/batch/v1/types.js';
import type { Pod } from '../../api/core/v1/pod.js';
import { copyPlain } from '../../util/copy.js';
import {
  COMPLETION_INDEX_ENV,
  JOB_COMPLETION_INDEX,
  JOB_INDEX_FAILURE_COUNT,
  JOB_INDEX_IGNORED_FAILURE_COUNT,
  JOB_TRACKING_FINALIZER,
  MAX_GENERATED_NAME_LENGTH,
} from './constants.js';

/** What distinguishes one new pod from its siblings. */
export interface PodCreation {
  /** The completion index (Indexed Jobs only). */
  index?: number;
  /** With backoffLimitPerIndex: failures of this index so far, counted and ignored. */
  indexFailureCount?: number;
  indexIgnoredFailureCount?: number;
}

/** `<job>-<i>-`, cutting the job name (never the index) to leave room for the random suffix. */
export function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  if (prefix.length <= MAX_GENERATED_NAME_LENGTH) return prefix;
  return prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix;
}

/** Each container reads its index from the pod's label, unless it already sets the variable. */
function withIndexEnv(c: Container): Container {
  if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) return c;
  const env = [
    ...(c.env ?? []),
    {
      name: COMPLETION_INDEX_ENV,
      valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` } },
    },
  ];
  return { ...c, env };
}

export function buildPod(job: Job, creation: PodCreation): Pod {
  const template = copyPlain(job.spec?.template ?? {});
  const meta = template.metadata ?? {};
  const spec = template.spec ?? { containers: [] };
  const name = job.metadata.name ?? '';
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
  let generateName = `${name}-`;
  const { index } = creation;
  if (index !== undefined) {
    annotations[JOB_COMPLETION_INDEX] = String(index);
    labels[JOB_COMPLETION_INDEX] = String(index);
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
    spec.hostname = `${name}-${index}`;
    generateName = generateNameWithIndex(name, index);
    if (creation.indexFailureCount !== undefined) {
      annotations[JOB_INDEX_FAILURE_COUNT] = String(creation.indexFailureCount);
      if ((creation.indexIgnoredFailureCount ?? 0) > 0)
        annotations[JOB_INDEX_IGNORED_FAILURE_COUNT] = String(creation.indexIgnoredFailureCount);
    }
  }
  const metadata: Pod['metadata'] = {
    generateName,
    namespace: job.metadata.namespace ?? 'default',
    labels,
    finalizers,
    ownerReferences: [
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name,
        uid: job.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
