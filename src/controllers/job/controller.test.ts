import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, newTestApi } from '../../../test/fakes/api.js';
import { jobs } from '../../api/batch/v1/job.js';
import type { Job } from '../../api/batch/v1/types.js';
import { type Pod, pods } from '../../api/core/v1/pod.js';
import { conflict, OBJECT_MODIFIED } from '../../api/meta/status.js';
import type { KubeObject } from '../../api/meta/types.js';
import type { Client } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { log } from '../../util/log.js';
import type { Counter, Gauge, Histogram, Metrics } from '../../util/metrics.js';
import type { EventRecorder, EventType } from '../events/types.js';
import { JOB_COMPLETION_INDEX, JOB_TRACKING_FINALIZER } from './constants.js';
import { JobController } from './controller.js';
import { hasIndex, parseIndexes } from './indexes.js';
import { ClientPodControl, type PodControl } from './podControl.js';

class FakeRecorder implements EventRecorder {
  readonly events: Array<{ type: EventType; reason: string; message: string }> = [];
  event(_obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }
  eventf(obj: KubeObject, type: EventType, reason: string, format: string, ...args: unknown[]): void {
    this.event(obj, type, reason, `${format} ${args.join(' ')}`);
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

/** Counts by `name{labels}`, enough to assert what the controller reported. */
class FakeMetrics implements Metrics {
  readonly values = new Map<string, number>();
  private add(name: string, labels: Readonly<Record<string, string>> = {}, by = 1) {
    const key = `${name}${JSON.stringify(labels)}`;
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  counter(name: string): Counter {
    return { inc: (labels, by) => this.add(name, labels, by) };
  }
  gauge(name: string): Gauge {
    return {
      set: () => {},
      inc: (l, by) => this.add(name, l, by),
      dec: (l, by) => this.add(name, l, -(by ?? 1)),
    };
  }
  histogram(name: string): Histogram {
    return { observe: (_v, labels) => this.add(`${name}_count`, labels) };
  }
  render(): string {
    return '';
  }
  sum(prefix: string): number {
    let n = 0;
    for (const [k, v] of this.values) if (k.startsWith(prefix)) n += v;
    return n;
  }
}

const NS = 'default';

function jobManifest(name: string, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return {
    metadata: { name, namespace: NS },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } },
      ...spec,
    },
  };
}

describe('the job controller against an in-process API', () => {
  let client: Client;
  let clock: FakeClock;
  let recorder: FakeRecorder;
  let metrics: FakeMetrics;
  let controller: JobController;

  beforeEach(async () => {
    clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    const api = await newTestApi(clock);
    client = api.client;
    recorder = new FakeRecorder();
    metrics = new FakeMetrics();
    controller = new JobController({
      client,
      clock,
      log: log.child({ test: 'job' }),
      recorder,
      metrics,
      workers: 2,
    });
    await controller.start();
  });
  afterEach(() => controller.stop());

  const podApi = () => client.resource(pods, NS);
  const jobApi = () => client.resource(jobs, NS);
  const listPods = async (jobName: string) =>
    (await podApi().list({ labelSelector: `batch.kubernetes.io/job-name=${jobName}` })).items;

  /** Plays the node agent: moves a pod to a terminal phase with a container exit code. */
  async function finish(pod: Pod, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Failed' ? 1 : 0) {
    const cur = await podApi().get(pod.metadata.name ?? '');
    await podApi().updateStatus({
      ...cur,
      status: {
        phase,
        containerStatuses: [
          {
            name: 'main',
            image: 'busybox',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode, finishedAt: clock.now().toISOString() } },
          },
        ],
      },
    });
  }

  async function podsOf(jobName: string, n: number): Promise<Pod[]> {
    let found: Pod[] = [];
    await eventually(async () => {
      found = (await listPods(jobName)).filter((p) => !p.metadata.deletionTimestamp && !isTerminal(p));
      expect(found).toHaveLength(n);
    });
    return found;
  }

  test('a job gets pods built as upstream builds them', async () => {
    const job = await jobApi().create(jobManifest('shape', { parallelism: 2, completions: 4 }));
    const [pod] = await podsOf('shape', 2);
    expect(pod?.metadata.generateName).toBe('shape-');
    expect(pod?.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect(pod?.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: 'shape',
        uid: job.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(pod?.metadata.labels).toMatchObject({
      'batch.kubernetes.io/controller-uid': job.metadata.uid,
      'batch.kubernetes.io/job-name': 'shape',
      'controller-uid': job.metadata.uid,
      'job-name': 'shape',
    });
    await eventually(async () => {
      const j = await jobApi().get('shape');
      expect(j.status).toMatchObject({ active: 2, ready: 0, terminating: 0 });
      expect(j.status?.startTime).toBe('2026-01-01T00:00:00Z');
    });
    expect(recorder.reasons().filter((r) => r === 'SuccessfulCreate')).toHaveLength(2);
  });

  test('pods that succeed complete the job with a completionTime', async () => {
    await jobApi().create(jobManifest('ok', { parallelism: 2, completions: 3 }));
    for (const pod of await podsOf('ok', 2)) await finish(pod, 'Succeeded');
    for (const pod of await podsOf('ok', 1)) await finish(pod, 'Succeeded');
    await eventually(async () => {
      const j = await jobApi().get('ok');
      expect(j.status?.conditions?.map((c) => `${c.type}:${c.reason}`)).toEqual([
        'SuccessCriteriaMet:CompletionsReached',
        'Complete:CompletionsReached',
      ]);
      expect(j.status).toMatchObject({ succeeded: 3, uncountedTerminatedPods: {} });
      expect(j.status?.active ?? 0).toBe(0);
      expect(j.status?.completionTime).toBeDefined();
    });
    // Every pod was counted, then released.
    await eventually(async () => {
      for (const p of await listPods('ok')) expect(p.metadata.finalizers ?? []).toEqual([]);
    });
    expect(recorder.reasons()).toContain('Completed');
    expect(
      metrics.sum('job_controller_jobs_finished_total{"completion_mode":"NonIndexed","result":"succeeded"'),
    ).toBe(1);
    expect(metrics.sum('job_controller_job_pods_finished_total')).toBe(3);
  });

  test('failures back off before the replacement and end in BackoffLimitExceeded', async () => {
    await jobApi().create(jobManifest('bad', { backoffLimit: 1 }));
    const [first] = await podsOf('bad', 1);
    await finish(first as Pod, 'Failed');
    await eventually(async () => expect((await jobApi().get('bad')).status?.failed).toBe(1));
    // The replacement waits the ten-second backoff.
    expect((await listPods('bad')).filter((p) => !isTerminal(p))).toHaveLength(0);
    clock.step(10_000);
    const [second] = await podsOf('bad', 1);
    await finish(second as Pod, 'Failed');
    await eventually(async () => {
      const j = await jobApi().get('bad');
      expect(j.status?.conditions?.map((c) => `${c.type}:${c.reason}`)).toEqual([
        'FailureTarget:BackoffLimitExceeded',
        'Failed:BackoffLimitExceeded',
      ]);
      expect(j.status).toMatchObject({ failed: 2 });
      expect(j.status?.active ?? 0).toBe(0);
      expect(j.status?.completionTime).toBeUndefined();
    });
    expect(recorder.events.find((e) => e.reason === 'BackoffLimitExceeded')).toMatchObject({
      type: 'Warning',
      message: 'Job has reached the specified backoff limit',
    });
  });

  test('suspending a job deletes its active pods without counting them', async () => {
    await jobApi().create(jobManifest('sus', { parallelism: 2, completions: 4 }));
    await podsOf('sus', 2);
    const cur = await jobApi().get('sus');
    await jobApi().update({ ...cur, spec: { ...(cur.spec as NonNullable<Job['spec']>), suspend: true } });
    await eventually(async () => {
      const j = await jobApi().get('sus');
      expect(j.status?.conditions?.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
        'Suspended=True:JobSuspended',
      ]);
      expect(j.status?.active ?? 0).toBe(0);
      expect(j.status?.failed ?? 0).toBe(0);
      expect(await listPods('sus')).toHaveLength(0);
    });
    expect(recorder.reasons()).toContain('Suspended');
    const again = await jobApi().get('sus');
    await jobApi().update({
      ...again,
      spec: { ...(again.spec as NonNullable<Job['spec']>), suspend: false },
    });
    await podsOf('sus', 2);
    await eventually(async () => {
      const j = await jobApi().get('sus');
      expect(j.status?.conditions?.map((c) => `${c.type}=${c.status}:${c.reason}`)).toEqual([
        'Suspended=False:JobResumed',
      ]);
    });
  });

  test('an indexed job records completedIndexes as its indexes succeed', async () => {
    await jobApi().create(jobManifest('idx', { completionMode: 'Indexed', parallelism: 2, completions: 3 }));
    const running = await podsOf('idx', 2);
    const byIndex = new Map(running.map((p) => [p.metadata.annotations?.[JOB_COMPLETION_INDEX], p]));
    expect([...byIndex.keys()].sort()).toEqual(['0', '1']);
    const zero = byIndex.get('0') as Pod;
    expect(zero.metadata.generateName).toBe('idx-0-');
    expect(zero.metadata.labels?.[JOB_COMPLETION_INDEX]).toBe('0');
    expect(zero.spec?.hostname).toBe('idx-0');
    expect(zero.spec?.containers[0]?.env).toEqual([
      {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX}']` },
        },
      },
    ]);
    await finish(zero, 'Succeeded');
    await eventually(async () => expect((await jobApi().get('idx')).status?.completedIndexes).toBe('0'));
    const next = await podsOf('idx', 2);
    expect(next.map((p) => p.metadata.annotations?.[JOB_COMPLETION_INDEX]).sort()).toEqual(['1', '2']);
    for (const p of next) await finish(p, 'Succeeded');
    await eventually(async () => {
      const j = await jobApi().get('idx');
      expect(j.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
      expect(j.status?.conditions?.map((c) => c.type)).toEqual(['SuccessCriteriaMet', 'Complete']);
    });
  });

  test('a job managed by another controller gets no pods and no status', async () => {
    await jobApi().create(jobManifest('ext', { managedBy: 'example.com/custom' }));
    await jobApi().create(jobManifest('probe'));
    await podsOf('probe', 1);
    expect(await listPods('ext')).toHaveLength(0);
    expect((await jobApi().get('ext')).status ?? {}).toEqual({});
    expect(metrics.sum('job_controller_jobs_by_external_controller_total')).toBe(1);
  });

  test('an orphan pod matching the selector is adopted and a pod that stops matching is released', async () => {
    const job = await jobApi().create(jobManifest('adopt', { parallelism: 1, completions: 2 }));
    const [mine] = await podsOf('adopt', 1);
    await podApi().patch(mine?.metadata.name ?? '', 'merge', { metadata: { ownerReferences: null } });
    await eventually(async () => {
      const p = await podApi().get(mine?.metadata.name ?? '');
      expect(p.metadata.ownerReferences?.[0]?.uid).toBe(job.metadata.uid);
    });
    await podApi().patch(mine?.metadata.name ?? '', 'merge', {
      metadata: { labels: { 'batch.kubernetes.io/controller-uid': null, 'controller-uid': null } },
    });
    await eventually(async () => {
      const p = await podApi().get(mine?.metadata.name ?? '');
      expect(p.metadata.ownerReferences ?? []).toEqual([]);
      // The released pod is replaced.
      const owned = (
        await podApi().list({ labelSelector: `batch.kubernetes.io/controller-uid=${job.metadata.uid}` })
      ).items;
      expect(owned.filter((x) => !isTerminal(x))).toHaveLength(1);
    });
  });
});

const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

// §6.5 row 87: the status write that records finished pods (flush #1: uncountedTerminatedPods, or
// completedIndexes for Indexed successes) meets a 409. No finalizer may go before that write lands.

/** Wraps a client so that the first Job status write matching `when` fails with a Conflict. */
function conflictOnFirstStatusWrite(inner: Client, when: (job: Job) => boolean) {
  const state = { conflicts: 0 };
  const client: Client = {
    resource(type, namespace) {
      const r = inner.resource(type, namespace);
      if (type !== (jobs as unknown)) return r;
      return new Proxy(r, {
        get(target, key, receiver) {
          if (key !== 'updateStatus') return Reflect.get(target, key, receiver) as unknown;
          return async (obj: Job, opts?: { dryRun?: boolean }) => {
            if (state.conflicts === 0 && when(obj)) {
              state.conflicts++;
              throw conflict({ group: 'batch', resource: 'jobs' }, obj.metadata.name ?? '', OBJECT_MODIFIED);
            }
            return target.updateStatus(obj as never, opts);
          };
        },
      });
    },
  };
  return { client, state };
}

const uncountedUids = (job: Job) => [
  ...(job.status?.uncountedTerminatedPods?.succeeded ?? []),
  ...(job.status?.uncountedTerminatedPods?.failed ?? []),
];

/**
 * Whether the stored status already accounts for a finished pod: its UID waits in
 * uncountedTerminatedPods, or (Indexed Jobs, which track successes by index) its index is completed.
 */
function recorded(job: Job, pod: Pod): boolean {
  if (uncountedUids(job).includes(pod.metadata.uid ?? '')) return true;
  const ix = Number(pod.metadata.annotations?.[JOB_COMPLETION_INDEX]);
  const done = parseIndexes(job.status?.completedIndexes, job.spec?.completions ?? 0);
  return pod.status?.phase === 'Succeeded' && Number.isInteger(ix) && hasIndex(done, ix);
}

/** A status write that records finished pods: flush #1 of upstream's two-step counting. */
const recordsFinishedPods = (job: Job) =>
  uncountedUids(job).length > 0 || !!job.status?.completedIndexes || !!job.status?.failedIndexes;

/**
 * The real pod writes, plus a check before each finalizer removal: the stored Job must already
 * account for the pod, or the pod could vanish without being counted.
 */
class CheckingPodControl implements PodControl {
  readonly violations: string[] = [];
  readonly removed: string[] = [];
  private readonly real: ClientPodControl;
  constructor(private readonly client: Client) {
    this.real = new ClientPodControl(client);
  }
  createPod(namespace: string, pod: Pod) {
    return this.real.createPod(namespace, pod);
  }
  deletePod(namespace: string, name: string) {
    return this.real.deletePod(namespace, name);
  }
  async removeTrackingFinalizer(namespace: string, name: string) {
    const pod = await this.client.resource(pods, namespace).get(name);
    const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.name ?? '';
    const job = await this.client.resource(jobs, namespace).get(owner);
    const uid = pod.metadata.uid ?? '';
    if (!recorded(job, pod)) this.violations.push(`${name} released before it was recorded`);
    this.removed.push(uid);
    await this.real.removeTrackingFinalizer(namespace, name);
  }
}

describe('a Conflict on the first status flush', () => {
  const cases: Array<{
    name: string;
    spec: Partial<NonNullable<Job['spec']>>;
    outcome: 'Succeeded' | 'Failed';
    pods: number;
    want: { conditions: string[]; status: Partial<NonNullable<Job['status']>> };
  }> = [
    {
      name: 'two succeeded pods keep their finalizers through the failed write and are counted once on the retry',
      spec: { parallelism: 2, completions: 2 },
      outcome: 'Succeeded',
      pods: 2,
      want: {
        conditions: ['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached'],
        status: { succeeded: 2 },
      },
    },
    {
      name: 'a failed pod past backoffLimit 0 is recorded by the retry and fails the job once',
      spec: { backoffLimit: 0 },
      outcome: 'Failed',
      pods: 1,
      want: {
        conditions: ['FailureTarget:BackoffLimitExceeded', 'Failed:BackoffLimitExceeded'],
        status: { failed: 1 },
      },
    },
    {
      name: 'an indexed job records both completed indexes on the retry',
      spec: { completionMode: 'Indexed', parallelism: 2, completions: 2 },
      outcome: 'Succeeded',
      pods: 2,
      want: {
        conditions: ['SuccessCriteriaMet:CompletionsReached', 'Complete:CompletionsReached'],
        status: { succeeded: 2, completedIndexes: '0,1' },
      },
    },
  ];

  for (const tc of cases) {
    test(tc.name, async () => {
      const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
      const api = await newTestApi(clock);
      const faulty = conflictOnFirstStatusWrite(api.client, recordsFinishedPods);
      const podControl = new CheckingPodControl(api.client);
      const metrics = new FakeMetrics();
      const controller = new JobController({
        client: faulty.client,
        clock,
        // The conflict is expected: its warning would only clutter the test output.
        log: log.child({ test: 'job-conflict' }, { level: 'silent' }),
        recorder: new FakeRecorder(),
        metrics,
        podControl,
      });
      await controller.start();
      try {
        const jobApi = api.client.resource(jobs, NS);
        const podApi = api.client.resource(pods, NS);
        await jobApi.create(jobManifest('flush', tc.spec));
        let running: Pod[] = [];
        await eventually(async () => {
          running = (await podApi.list()).items;
          expect(running).toHaveLength(tc.pods);
          expect((await jobApi.get('flush')).status?.active).toBe(tc.pods);
        });
        for (const pod of running) {
          await podApi.updateStatus({
            ...pod,
            status: {
              phase: tc.outcome,
              containerStatuses: [
                {
                  name: 'main',
                  image: 'busybox',
                  imageID: '',
                  ready: false,
                  restartCount: 0,
                  state: {
                    terminated: {
                      exitCode: tc.outcome === 'Failed' ? 1 : 0,
                      finishedAt: clock.now().toISOString(),
                    },
                  },
                },
              ],
            },
          });
        }
        // The sync that met the Conflict failed and was put back on the queue with backoff.
        await eventually(() => {
          expect(faulty.state.conflicts).toBe(1);
          const mode = tc.spec.completionMode ?? 'NonIndexed';
          expect(
            metrics.sum(`job_controller_job_syncs_total{"completion_mode":"${mode}","result":"error"`),
          ).toBeGreaterThanOrEqual(1);
        });
        clock.step(1000);
        await eventually(async () => {
          const job = await jobApi.get('flush');
          expect(job.status?.conditions?.map((c) => `${c.type}:${c.reason}`)).toEqual(tc.want.conditions);
          expect(job.status).toMatchObject({ ...tc.want.status, uncountedTerminatedPods: {} });
          for (const p of (await podApi.list()).items) expect(p.metadata.finalizers ?? []).toEqual([]);
        });
        expect(podControl.violations).toEqual([]);
        // Each pod released exactly once, so counted exactly once.
        expect([...podControl.removed].sort()).toEqual(running.map((p) => p.metadata.uid).sort());
      } finally {
        controller.stop();
      }
    });
  }
});
