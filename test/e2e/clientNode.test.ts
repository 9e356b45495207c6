/**
 * @kubernetes/client-node 1.4 against the real binary, configured only by the kubeconfig batchd
 * writes: the typed BatchV1Api, an informer, and the generic KubernetesObjectApi.
 */
import {
  ApiException,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1Job,
  type V1Status,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_ONLY, eventually, killAll, removeTempDirs, type Server, startServer } from '../helpers.js';

let server: Server;
let kc: KubeConfig;
let batch: BatchV1Api;

beforeAll(async () => {
  server = await startServer({ args: API_ONLY });
  kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig);
  batch = kc.makeApiClient(BatchV1Api);
});

afterAll(async () => {
  await server?.stop();
  await killAll();
  removeTempDirs();
});

async function namespace(name: string): Promise<string> {
  await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name } } });
  return name;
}

/** The ApiException a call rejects with, with its Status body parsed. */
async function apiError(call: Promise<unknown>): Promise<{ code: number; status: V1Status }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof ApiException)) throw err;
    const e = err as ApiException<string>;
    return { code: e.code, status: JSON.parse(e.body) as V1Status };
  }
  throw new Error('the call succeeded');
}

/** The typed twin of the helpers' newJob: client-node's models use Date for timestamps. */
const v1Job = (name: string): V1Job => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    template: {
      spec: { containers: [{ name: 'main', image: 'busybox', command: ['true'] }], restartPolicy: 'Never' },
    },
  },
});

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('BatchV1Api', () => {
  test('create, read, list, replace, merge patch and delete a job', async () => {
    const ns = await namespace('typed');
    const created = await batch.createNamespacedJob({ namespace: ns, body: v1Job('typed') });
    expect(created.metadata).toMatchObject({ name: 'typed', namespace: ns, generation: 1 });
    expect(created.metadata?.uid).toBeTruthy();

    const read = await batch.readNamespacedJob({ name: 'typed', namespace: ns });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const list = await batch.listNamespacedJob({ namespace: ns });
    expect(list.items.map((j) => j.metadata?.name)).toEqual(['typed']);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(created.metadata?.resourceVersion),
    );

    read.spec!.activeDeadlineSeconds = 600;
    const replaced = await batch.replaceNamespacedJob({ name: 'typed', namespace: ns, body: read });
    expect(replaced.spec?.activeDeadlineSeconds).toBe(600);
    expect(replaced.metadata?.generation).toBe(2);

    const patched = await batch.patchNamespacedJob(
      { name: 'typed', namespace: ns, body: { metadata: { labels: { patched: 'yes' } } } },
      mergePatch,
    );
    // A Job created without labels carries its template's generated labels (upstream defaulting).
    expect(patched.metadata?.labels).toMatchObject({ patched: 'yes', 'job-name': 'typed' });
    expect(patched.metadata?.generation).toBe(2);
    expect(patched.spec?.activeDeadlineSeconds).toBe(600);

    const status = await batch.deleteNamespacedJob({
      name: 'typed',
      namespace: ns,
      propagationPolicy: 'Background',
    });
    expect(status).toMatchObject({
      status: 'Success',
      details: { name: 'typed', group: 'batch', kind: 'jobs' },
    });
    const missing = await apiError(batch.readNamespacedJob({ name: 'typed', namespace: ns }));
    expect(missing.code).toBe(404);
    expect(missing.status.message).toBe('jobs.batch "typed" not found');
  });

  test('replaceNamespacedJobStatus keeps the spec, and the main PUT keeps the status', async () => {
    const ns = await namespace('status');
    const job = await batch.createNamespacedJob({ namespace: ns, body: v1Job('st') });

    job.spec!.parallelism = 7;
    job.status = { active: 1, startTime: new Date('2026-01-01T00:00:00Z') };
    const afterStatus = await batch.replaceNamespacedJobStatus({ name: 'st', namespace: ns, body: job });
    expect(afterStatus.status?.active).toBe(1);
    expect(afterStatus.spec?.parallelism).not.toBe(7);
    expect(afterStatus.metadata?.generation).toBe(1);

    afterStatus.spec!.parallelism = 3;
    afterStatus.status = { active: 99 };
    const afterMain = await batch.replaceNamespacedJob({ name: 'st', namespace: ns, body: afterStatus });
    expect(afterMain.spec?.parallelism).toBe(3);
    expect(afterMain.status?.active).toBe(1);
    expect(afterMain.metadata?.generation).toBe(2);

    const read = await batch.readNamespacedJobStatus({ name: 'st', namespace: ns });
    expect(read.status?.active).toBe(1);
    expect(read.spec?.parallelism).toBe(3);
  });

  test('a replace with a stale resourceVersion is a 409 Conflict', async () => {
    const ns = await namespace('stale');
    const first = await batch.createNamespacedJob({ namespace: ns, body: v1Job('cas') });
    await batch.patchNamespacedJob(
      { name: 'cas', namespace: ns, body: { metadata: { labels: { v: '2' } } } },
      mergePatch,
    );
    first.metadata!.labels = { v: 'lost-update' };
    const err = await apiError(batch.replaceNamespacedJob({ name: 'cas', namespace: ns, body: first }));
    expect(err.code).toBe(409);
    expect(err.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on jobs.batch "cas": the object has been modified; please apply your changes to the latest version and try again',
    });
    const now = await batch.readNamespacedJob({ name: 'cas', namespace: ns });
    expect(now.metadata?.labels).toMatchObject({ v: '2' });
    expect(now.metadata?.labels?.v).not.toBe('lost-update');
  });
});

describe('informer', () => {
  test('an informer sees add, update and delete events and keeps its cache', async () => {
    const ns = await namespace('informed');
    await batch.createNamespacedJob({ namespace: ns, body: v1Job('before') });
    const informer = makeInformer<V1Job>(kc, `/apis/batch/v1/namespaces/${ns}/jobs`, () =>
      batch.listNamespacedJob({ namespace: ns }),
    );
    const seen: string[] = [];
    informer.on('add', (j) => seen.push(`add ${j.metadata?.name}`));
    informer.on('update', (j) => seen.push(`update ${j.metadata?.name} ${j.metadata?.labels?.step ?? ''}`));
    informer.on('delete', (j) => seen.push(`delete ${j.metadata?.name}`));
    const errors: unknown[] = [];
    informer.on('error', (err) => errors.push(err));
    await informer.start();
    try {
      await eventually(() => expect(seen).toContain('add before'));
      await batch.createNamespacedJob({ namespace: ns, body: v1Job('during') });
      await eventually(() => expect(seen).toContain('add during'));
      await batch.patchNamespacedJob(
        { name: 'during', namespace: ns, body: { metadata: { labels: { step: 'one' } } } },
        mergePatch,
      );
      await eventually(() => expect(seen).toContain('update during one'));
      await batch.deleteNamespacedJob({ name: 'during', namespace: ns, propagationPolicy: 'Background' });
      await eventually(() => expect(seen).toContain('delete during'));
      expect(informer.list().map((j) => j.metadata?.name)).toEqual(['before']);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});

describe('KubernetesObjectApi', () => {
  test('creates and reads a job by apiVersion and kind (legacy discovery)', async () => {
    const ns = await namespace('generic');
    const client = KubernetesObjectApi.makeApiClient(kc);
    const created = await client.create<V1Job>({
      ...v1Job('generic'),
      metadata: { name: 'generic', namespace: ns },
    });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await client.read<V1Job>({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'generic', namespace: ns },
    });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
    expect(read.spec?.template.spec?.containers[0]?.image).toBe('busybox');
    const list = await client.list('batch/v1', 'Job', ns);
    expect(list.items.map((j) => j.metadata?.name)).toEqual(['generic']);
  });

  test('patch merges strategically by default, and server-side apply owns and removes fields', async () => {
    const ns = await namespace('generic-patch');
    const client = KubernetesObjectApi.makeApiClient(kc);
    const job = {
      ...v1Job('patched'),
      metadata: { name: 'patched', namespace: ns, labels: { a: '1' } },
      spec: { ...v1Job('patched').spec, suspend: true },
    } as V1Job;
    await client.create<V1Job>(job);
    // The default strategy is a strategic merge patch: labels merge, nothing else is replaced.
    const patched = await client.patch<V1Job>({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'patched', namespace: ns, labels: { b: '2' } },
    });
    expect(patched.metadata?.labels).toMatchObject({ a: '1', b: '2' });

    const applied = await client.patch<V1Job>(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'patched', namespace: ns, labels: { c: '3' } },
      },
      undefined,
      undefined,
      'tool',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(applied.metadata?.labels).toMatchObject({ a: '1', b: '2', c: '3' });
    const tool = applied.metadata?.managedFields?.find((m) => m.manager === 'tool');
    expect(tool?.operation).toBe('Apply');
    // Applying again without c removes it: the tool owned it alone.
    const again = await client.patch<V1Job>(
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'patched', namespace: ns, labels: { d: '4' } },
      },
      undefined,
      undefined,
      'tool',
      undefined,
      PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.labels).toMatchObject({ a: '1', b: '2', d: '4' });
    expect(again.metadata?.labels).not.toHaveProperty('c');
  });
});
