import { beforeEach, describe, expect, test } from 'vitest';
import { type Job, jobs } from '../api/batch/v1/job.js';
import { pods } from '../api/core/v1/pod.js';
import { ApiError } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import { newScheme } from '../api/resources.js';
import { MemoryStore } from '../storage/memory/store.js';
import { FakeClock } from '../util/clock.js';
import { Registries } from './registries.js';
import type { Registry, RegistryWatchEvent } from './registry.js';

const job = (name: string, labels: Record<string, string> = {}): Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, labels },
  spec: {
    parallelism: 1,
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof ApiError) return `${err.code} ${err.reason}`;
    throw err;
  }
}

describe('the generic registry', () => {
  let store: MemoryStore;
  let clock: FakeClock;
  let reg: Registry<Job>;

  beforeEach(async () => {
    store = new MemoryStore();
    clock = new FakeClock(new Date('2026-03-01T10:00:00.500Z'));
    const registries = new Registries(newScheme(), store, clock);
    await registries.bootstrap();
    reg = registries.for(jobs);
  });

  test('a create fills uid, whole-second creationTimestamp, generation 1 and the resourceVersion', async () => {
    const created = await reg.create('default', job('a'));
    expect(created.metadata).toMatchObject({
      namespace: 'default',
      generation: 1,
      creationTimestamp: '2026-03-01T10:00:00Z',
      resourceVersion: String(await store.currentRevision()),
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  const updates: Array<{
    name: string;
    change: (o: KubeObject) => void;
    generation: number;
    bumpsRv: boolean;
  }> = [
    {
      name: 'a spec change bumps generation',
      change: (o) => Object.assign(o.spec as object, { parallelism: 3 }),
      generation: 2,
      bumpsRv: true,
    },
    {
      name: 'a label change keeps generation',
      change: (o) => (o.metadata.labels = { x: 'y' }),
      generation: 1,
      bumpsRv: true,
    },
    {
      name: 'a status change through the main resource is dropped, so nothing is written',
      change: (o) => (o.status = { active: 5 }),
      generation: 1,
      bumpsRv: false,
    },
    { name: 'an identical object is not written', change: () => {}, generation: 1, bumpsRv: false },
  ];
  for (const tc of updates) {
    test(tc.name, async () => {
      const created = await reg.create('default', job('u'));
      const next = structuredClone(created);
      tc.change(next);
      const updated = await reg.update('default', 'u', next);
      expect(updated.metadata.generation).toBe(tc.generation);
      expect(updated.metadata.resourceVersion !== created.metadata.resourceVersion).toBe(tc.bumpsRv);
    });
  }

  test('a status update keeps spec and a stale resourceVersion is a conflict', async () => {
    const created = await reg.create('default', job('s'));
    const next = structuredClone(created);
    next.status = { active: 1 };
    if (next.spec) next.spec.parallelism = 9;
    const updated = await reg.update('default', 's', next, { subresource: 'status' });
    expect(updated.status).toEqual({ active: 1 });
    expect(updated.spec?.parallelism).toBe(1);
    expect(await code(reg.update('default', 's', created))).toBe('409 Conflict');
  });

  test('a finalizer keeps a deleted object until the last one is removed', async () => {
    const created = await reg.create('default', {
      ...job('f'),
      metadata: { name: 'f', finalizers: ['example.com/hold'] },
    });
    const res = await reg.delete('default', 'f', { propagationPolicy: 'Background' });
    expect(res.deleted).toBe(false);
    expect(res.object.metadata.deletionTimestamp).toBe('2026-03-01T10:00:00Z');
    expect(res.object.metadata.generation).toBe(2);
    const held = await reg.get('default', 'f');
    held.metadata.finalizers = ['example.com/hold', 'example.com/more'];
    expect(await code(reg.update('default', 'f', held))).toBe('422 Invalid');
    held.metadata.finalizers = [];
    await reg.update('default', 'f', held);
    expect(await code(reg.get('default', 'f'))).toBe('404 NotFound');
    void created;
  });

  test('a continue token older than the compacted history is 410 Expired with a fresh token', async () => {
    for (const n of ['a', 'b', 'c']) await reg.create('default', job(n));
    const first = await reg.list('default', { limit: 1 });
    expect(first.metadata.remainingItemCount).toBe(2);
    await reg.create('default', job('d'));
    await store.compact(await store.currentRevision());
    const err = await reg
      .list('default', { limit: 1, continue: first.metadata.continue ?? '' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({ code: 410, reason: 'Expired' });
    const next = await reg.list('default', {
      limit: 10,
      continue: (err as ApiError).status.metadata.continue ?? '',
    });
    expect(next.items.map((i) => i.metadata.name)).toEqual(['b', 'c', 'd']);
  });

  test('pages of a list are one snapshot even while objects change', async () => {
    for (const n of ['a', 'b', 'c']) await reg.create('default', job(n));
    const first = await reg.list('default', { limit: 2 });
    await reg.delete('default', 'c', { propagationPolicy: 'Background' });
    await reg.create('default', job('d'));
    const second = await reg.list('default', { limit: 2, continue: first.metadata.continue ?? '' });
    expect([...first.items, ...second.items].map((i) => i.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(second.metadata.continue).toBeUndefined();
  });

  test('a watch with a selector sees an object leave the selection as DELETED and enter it as ADDED', async () => {
    const created = await reg.create('default', job('w', { app: 'x' }));
    const events: RegistryWatchEvent[] = [];
    const stop = await reg.watch(
      'default',
      { labelSelector: 'app=x', resourceVersion: created.metadata.resourceVersion ?? '' },
      (e) => events.push(e),
    );
    const away = await reg.get('default', 'w');
    away.metadata.labels = { app: 'y' };
    await reg.update('default', 'w', away);
    const back = await reg.get('default', 'w');
    back.metadata.labels = { app: 'x' };
    const final = await reg.update('default', 'w', back);
    stop();
    expect(events.map((e) => `${e.type} ${e.object.metadata.labels?.app}`)).toEqual(['DELETED x', 'ADDED x']);
    expect(events[1]?.object.metadata.resourceVersion).toBe(final.metadata.resourceVersion);
  });

  test('a watch from a compacted revision is 410 Expired', async () => {
    const a = await reg.create('default', job('a'));
    await reg.create('default', job('b'));
    await store.compact(await store.currentRevision());
    const err = await reg
      .watch('default', { resourceVersion: a.metadata.resourceVersion ?? '' }, () => {})
      .catch((e: unknown) => e);
    expect((err as ApiError).status).toMatchObject({ code: 410, reason: 'Expired' });
  });

  test('a generated name gets five random characters', async () => {
    const created = await reg.create('default', { ...job(''), metadata: { generateName: 'pi-' } });
    expect(created.metadata.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test('a create in a missing namespace is 404 and writes nothing', async () => {
    const before = await store.currentRevision();
    expect(await code(reg.create('nope', job('x')))).toBe('404 NotFound');
    expect(await store.currentRevision()).toBe(before);
  });
});

describe('pod deletion', () => {
  test('a pod on a node is kept for its grace period; an unbound pod goes at once', async () => {
    const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
    const registries = new Registries(newScheme(), new MemoryStore(), clock);
    await registries.bootstrap();
    const reg = registries.for(pods);
    const spec = { containers: [{ name: 'c', image: 'busybox' }] };
    await reg.create('default', {
      metadata: { name: 'bound' },
      spec: { ...spec, nodeName: 'n1', terminationGracePeriodSeconds: 10 },
    });
    await reg.create('default', { metadata: { name: 'free' }, spec });
    const bound = await reg.delete('default', 'bound');
    expect(bound.deleted).toBe(false);
    expect(bound.object.metadata).toMatchObject({
      deletionTimestamp: '2026-03-01T10:00:10Z',
      deletionGracePeriodSeconds: 10,
    });
    expect((await reg.delete('default', 'free')).deleted).toBe(true);
    expect((await reg.delete('default', 'bound', { gracePeriodSeconds: 0 })).deleted).toBe(true);
  });
});
