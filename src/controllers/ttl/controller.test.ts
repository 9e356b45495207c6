/** The TTL-after-finished controller against the real registries on a memory store, with a FakeClock. */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, newTestApi } from '../../../test/fakes/api.js';
import { jobs } from '../../api/batch/v1/job.js';
import type { Job } from '../../api/batch/v1/types.js';
import type { KubeObject } from '../../api/meta/types.js';
import type { Client, ResourceClient, ResourceType } from '../../client/client.js';
import { FakeClock } from '../../util/clock.js';
import { log } from '../../util/log.js';
import { FakeMetrics } from '../cronjob/testdata/builders.js';
import { TtlAfterFinishedController } from './controller.js';

const formatTime = (t: Date) => `${t.toISOString().slice(0, 19)}Z`;

describe('the TTL-after-finished controller', () => {
  let clock: FakeClock;
  let client: Client;
  let metrics: FakeMetrics;
  let controller: TtlAfterFinishedController | undefined;

  beforeEach(async () => {
    clock = new FakeClock(new Date('2026-01-01T10:00:00Z'));
    client = (await newTestApi(clock)).client;
    metrics = new FakeMetrics();
  });
  afterEach(() => controller?.stop());

  async function start(c: Client = client): Promise<void> {
    controller = new TtlAfterFinishedController({
      client: c,
      clock,
      log: log.child({ test: 'ttl' }),
      metrics,
    });
    await controller.start(2);
  }

  const jobClient = () => client.resource(jobs, 'default');

  async function finishedJob(name: string, ttl: number): Promise<void> {
    const job = await jobClient().create({
      metadata: { name },
      spec: {
        ttlSecondsAfterFinished: ttl,
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      },
    });
    const now = formatTime(clock.now());
    const cond = (type: string) => ({ type, status: 'True', lastTransitionTime: now });
    job.status = {
      startTime: now,
      completionTime: now,
      succeeded: 1,
      conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
    };
    await jobClient().updateStatus(job);
  }

  /** Deleted in the foreground: marked for deletion, waiting for the garbage collector. */
  const deletedInForeground = async (name: string) => {
    const job = await jobClient().get(name);
    expect(job.metadata.deletionTimestamp).toBeDefined();
    expect(job.metadata.finalizers).toContain('foregroundDeletion');
  };
  const notDeleted = async (name: string) => {
    expect((await jobClient().get(name)).metadata.deletionTimestamp).toBeUndefined();
  };

  test('a finished Job is deleted in the foreground when its TTL runs out, and not before', async () => {
    await start();
    await finishedJob('short', 100);
    await eventually(() => expect(clock.pendingTimers()).toBeGreaterThan(0));
    clock.step(99_000);
    await notDeleted('short');
    clock.step(1_000);
    await eventually(() => deletedInForeground('short'));
    expect(metrics.observations.get('ttl_after_finished_controller_job_deletion_duration_seconds')).toEqual([
      0,
    ]);
  });

  test('a Job that expired while the controller was down is deleted at start', async () => {
    await finishedJob('stale', 0);
    clock.step(3_600_000);
    await start();
    await eventually(() => deletedInForeground('stale'));
  });

  test('a TTL raised after the Job finished is honoured', async () => {
    await start();
    await finishedJob('raised', 10);
    const job = await jobClient().get('raised');
    await jobClient().update({
      ...job,
      spec: { ...(job.spec as NonNullable<Job['spec']>), ttlSecondsAfterFinished: 1000 },
    });
    clock.step(10_000);
    clock.step(100);
    await notDeleted('raised');
    clock.step(990_000);
    await eventually(() => deletedInForeground('raised'));
  });

  test('the TTL is read again from the API just before the delete', async () => {
    // The informer still holds TTL 10 while the API already says 1000.
    await finishedJob('racy', 10);
    await start(withFreshTtl(client, 1000));
    clock.step(10_000);
    await eventually(() => expect(clock.pendingTimers()).toBeGreaterThan(0));
    await notDeleted('racy');
  });
});

/** A client whose GETs of Jobs answer with another TTL than its lists and watches do. */
function withFreshTtl(inner: Client, ttl: number): Client {
  return {
    resource<T extends KubeObject>(type: ResourceType<T>, namespace?: string): ResourceClient<T> {
      const rc = inner.resource(type, namespace);
      if (type !== (jobs as unknown as ResourceType<T>)) return rc;
      const wrapped = Object.create(rc) as ResourceClient<T>;
      wrapped.get = async (name: string) => {
        const job = (await rc.get(name)) as unknown as Job;
        if (job.spec) job.spec.ttlSecondsAfterFinished = ttl;
        return job as unknown as T;
      };
      return wrapped;
    },
  };
}
