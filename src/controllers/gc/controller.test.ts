import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { eventually, newTestApi } from '../../../test/fakes/api.js';
import { jobs } from '../../api/batch/v1/job.js';
import { pods } from '../../api/core/v1/pod.js';
import { ApiError } from '../../api/meta/status.js';
import type { KubeObject, OwnerReference } from '../../api/meta/types.js';
import type { Client } from '../../client/client.js';
import { realClock } from '../../util/clock.js';
import { log } from '../../util/log.js';
import { decideDependent, GarbageCollector, type OwnerState } from './controller.js';

const ref = (uid: string, block = false): OwnerReference => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  name: `j-${uid}`,
  uid,
  controller: true,
  ...(block ? { blockOwnerDeletion: true } : {}),
});

const decisions: Array<{ name: string; refs: OwnerReference[]; owners: OwnerState[]; want: unknown }> = [
  { name: 'an object without owners is left alone', refs: [], owners: [], want: { kind: 'none' } },
  {
    name: 'a dependent of a present owner is left alone',
    refs: [ref('a')],
    owners: ['present'],
    want: { kind: 'none' },
  },
  {
    name: 'a dependent whose only owner is gone is deleted in the background',
    refs: [ref('a')],
    owners: ['absent'],
    want: { kind: 'delete', policy: 'Background' },
  },
  {
    name: 'a dependent with one owner gone and one present loses the dangling reference',
    refs: [ref('a'), ref('b')],
    owners: ['absent', 'present'],
    want: { kind: 'removeReferences', uids: ['a'] },
  },
  {
    name: 'a blocking dependent of an owner deleted in the foreground is deleted in the foreground',
    refs: [ref('a', true)],
    owners: ['deletingForeground'],
    want: { kind: 'delete', policy: 'Foreground' },
  },
  {
    name: 'a non-blocking dependent of a foreground deletion is left for the owner to delete',
    refs: [ref('a')],
    owners: ['deletingForeground'],
    want: { kind: 'none' },
  },
];

for (const tc of decisions) test(tc.name, () => expect(decideDependent(tc.refs, tc.owners)).toEqual(tc.want));

describe('the garbage collector against an in-process API', () => {
  let client: Client;
  let gc: GarbageCollector;

  beforeEach(async () => {
    const api = await newTestApi();
    client = api.client;
    const scheme = api.scheme;
    gc = new GarbageCollector(client, scheme.all, realClock, log.child({ test: 'gc' }));
    await gc.start();
  });
  afterEach(() => gc.stop());

  async function jobWithPod(): Promise<{ job: KubeObject; pod: KubeObject }> {
    const job = await client.resource(jobs, 'default').create({
      metadata: { name: 'owner' },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    const pod = await client.resource(pods, 'default').create({
      metadata: {
        name: 'owned',
        ownerReferences: [
          {
            apiVersion: 'batch/v1',
            kind: 'Job',
            name: 'owner',
            uid: job.metadata.uid ?? '',
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    return { job, pod };
  }

  const gone = async (p: Promise<unknown>) => {
    await expect(p).rejects.toSatisfy((e) => e instanceof ApiError && e.code === 404);
  };

  test('background deletion of a job deletes its pod', async () => {
    await jobWithPod();
    await client.resource(jobs, 'default').delete('owner', { propagationPolicy: 'Background' });
    await eventually(() => gone(client.resource(pods, 'default').get('owned')));
  });

  test('orphan deletion keeps the pod and strips its owner reference', async () => {
    await jobWithPod();
    await client.resource(jobs, 'default').delete('owner', { propagationPolicy: 'Orphan' });
    await eventually(() => gone(client.resource(jobs, 'default').get('owner')));
    const pod = await client.resource(pods, 'default').get('owned');
    expect(pod.metadata.ownerReferences).toBeUndefined();
  });

  test('a job deleted with no policy orphans its pods, the batch/v1 default', async () => {
    await jobWithPod();
    await client.resource(jobs, 'default').delete('owner');
    await eventually(() => gone(client.resource(jobs, 'default').get('owner')));
    expect((await client.resource(pods, 'default').get('owned')).metadata.name).toBe('owned');
  });

  test('foreground deletion removes the pod before the job', async () => {
    await jobWithPod();
    await client.resource(jobs, 'default').delete('owner', { propagationPolicy: 'Foreground' });
    const marked = await client.resource(jobs, 'default').get('owner');
    expect(marked.metadata.finalizers).toContain('foregroundDeletion');
    await eventually(() => gone(client.resource(jobs, 'default').get('owner')));
    await gone(client.resource(pods, 'default').get('owned'));
  });

  test('a pod whose owner never existed is collected', async () => {
    await client.resource(pods, 'default').create({
      metadata: {
        name: 'stray',
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'ghost', uid: 'no-such-uid' }],
      },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
    await eventually(() => gone(client.resource(pods, 'default').get('stray')));
  });
});
