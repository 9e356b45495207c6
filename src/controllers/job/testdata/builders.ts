/** Builders for the job controller's tests: a Job as the API server stores it, and its pods. */
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1.js';
import type { Job, JobSpec, JobStatus } from '../../../api/batch/v1/types.js';
import type { Pod } from '../../../api/core/v1/pod.js';
import { JOB_COMPLETION_INDEX, JOB_INDEX_FAILURE_COUNT, JOB_TRACKING_FINALIZER } from '../constants.js';

export const T0 = new Date('2026-01-01T00:00:00Z');
export const at = (seconds: number) =>
  new Date(T0.getTime() + seconds * 1000).toISOString().replace('.000Z', 'Z');

export interface JobOptions extends Partial<Omit<JobSpec, 'completions'>> {
  /** null: a work-queue Job (completions unset). */
  completions?: number | null;
  indexed?: boolean;
  restartPolicy?: 'Never' | 'OnFailure';
  status?: JobStatus;
  deleting?: boolean;
  name?: string;
}

/** A defaulted Job: parallelism 1, completions 1, backoffLimit 6, NonIndexed unless told. */
export function newJob(o: JobOptions = {}): Job {
  const { completions, indexed, restartPolicy, status, deleting, name = 'job', ...rest } = o;
  const spec: JobSpec = {
    parallelism: 1,
    backoffLimit: 6,
    completionMode: indexed ? 'Indexed' : 'NonIndexed',
    suspend: false,
    podReplacementPolicy: o.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed',
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
    template: {
      metadata: {
        labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': name },
      },
      spec: { restartPolicy: restartPolicy ?? 'Never', containers: [{ name: 'main', image: 'busybox' }] },
    },
    ...rest,
  };
  if (completions !== null) spec.completions = completions ?? 1;
  const job: Job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'ns', uid: 'job-uid', creationTimestamp: at(-100) },
    spec,
    status: status ?? {},
  };
  if (deleting) job.metadata.deletionTimestamp = at(-1);
  return job;
}

export interface PodOptions {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  index?: number | string;
  ready?: boolean;
  deleting?: boolean;
  /** Holds the tracking finalizer (default true). */
  finalizer?: boolean;
  exitCode?: number;
  container?: string;
  initExitCode?: number;
  restarts?: number;
  /** Seconds from T0 at which its containers finished. */
  finishedAt?: number;
  conditions?: PodCondition[];
  failureCount?: number;
  createdAt?: number;
  node?: string;
}

let seq = 0;

export function newPod(name: string, o: PodOptions = {}): Pod {
  const phase = o.phase ?? 'Running';
  const annotations: Record<string, string> = {};
  if (o.index !== undefined) annotations[JOB_COMPLETION_INDEX] = String(o.index);
  if (o.failureCount !== undefined) annotations[JOB_INDEX_FAILURE_COUNT] = String(o.failureCount);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const cs: ContainerStatus = {
    name: o.container ?? 'main',
    image: 'busybox',
    imageID: '',
    ready: phase === 'Running' && o.ready !== false,
    restartCount: o.restarts ?? 0,
    state: terminal
      ? {
          terminated: {
            exitCode: o.exitCode ?? (phase === 'Failed' ? 1 : 0),
            finishedAt: at(o.finishedAt ?? -60),
          },
        }
      : { running: {} },
  };
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: at(o.createdAt ?? -90 + seq++ / 1000),
      labels: { 'batch.kubernetes.io/controller-uid': 'job-uid' },
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'job', uid: 'job-uid', controller: true },
      ],
      ...(o.finalizer === false ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
      ...(o.deleting ? { deletionTimestamp: at(-5), deletionGracePeriodSeconds: 30 } : {}),
    },
    spec: {
      containers: [{ name: 'main', image: 'busybox' }],
      ...(o.node === '' ? {} : { nodeName: o.node ?? 'node' }),
    },
    status: {
      phase,
      conditions: [
        ...(o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: at(-80) }] : []),
        ...(o.conditions ?? []),
      ],
      containerStatuses: [cs],
      ...(o.initExitCode !== undefined
        ? {
            initContainerStatuses: [
              {
                name: 'init',
                image: 'busybox',
                imageID: '',
                ready: false,
                restartCount: 0,
                state: { terminated: { exitCode: o.initExitCode, finishedAt: at(-70) } },
              },
            ],
          }
        : {}),
    },
  };
  return pod;
}

/** Several pods of one phase, named `<prefix>-<n>`. */
export function pods(prefix: string, n: number, o: PodOptions = {}): Pod[] {
  return Array.from({ length: n }, (_, i) => newPod(`${prefix}-${i}`, o));
}

/** One pod per listed index: `[0, 'Succeeded'], [1, 'Running']`. */
export function indexed(
  ...entries: Array<[number | string, NonNullable<PodOptions['phase']>, PodOptions?]>
): Pod[] {
  return entries.map(([ix, phase, o], i) => newPod(`p${ix}-${i}`, { index: ix, phase, ...o }));
}
