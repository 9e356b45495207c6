/**
 * The metadata and watch rules every resource shares, by raw HTTPS against the real binary:
 * no-op writes, generation, the status subresource, generateName, finalizers, deletecollection,
 * and watch start points, selectors, timeouts and bookmarks.
 */
import { describe, expect, test } from 'vitest';
import {
  API_ONLY,
  createNamespace,
  eventually,
  type KubeObjectLike,
  newJob,
  serverForFile,
} from '../helpers.js';

const MERGE = 'application/merge-patch+json';

const server = serverForFile({ args: API_ONLY });

const namespace = (name: string) => createNamespace(server, name);

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${ns}/jobs`;

async function call(
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
  wantCode = 200,
): Promise<KubeObjectLike> {
  const res = await server.request<KubeObjectLike>(method, path, {
    ...(body !== undefined ? { body } : {}),
    ...(contentType ? { contentType } : {}),
  });
  expect(res.code, `${method} ${path}: ${res.text}`).toBe(wantCode);
  return res.body;
}

const create = (ns: string, job: KubeObjectLike) => call('POST', jobsPath(ns), job, undefined, 201);
const get = (ns: string, name: string) => call('GET', `${jobsPath(ns)}/${name}`);
const mergePatch = (path: string, patch: unknown) => call('PATCH', path, patch, MERGE);
const names = (list: KubeObjectLike) => (list.items ?? []).map((i) => i.metadata.name);

describe('writes', () => {
  test('a PUT of the unchanged object and a merge patch that changes nothing keep the resourceVersion', async () => {
    const ns = await namespace('noop');
    const job = await create(ns, newJob('same', { labels: { a: 'b' } }));
    const put = await call('PUT', `${jobsPath(ns)}/same`, job);
    expect(put.metadata.resourceVersion).toBe(job.metadata.resourceVersion);
    const patched = await mergePatch(`${jobsPath(ns)}/same`, { metadata: { labels: { a: 'b' } } });
    expect(patched.metadata.resourceVersion).toBe(job.metadata.resourceVersion);
    const list = await call('GET', jobsPath(ns));
    expect(list.metadata.resourceVersion).toBe(job.metadata.resourceVersion);
  });

  test('generation counts spec changes only: not metadata, not status', async () => {
    const ns = await namespace('generation');
    const path = `${jobsPath(ns)}/gen`;
    const steps: Array<{ name: string; write: () => Promise<KubeObjectLike>; generation: number }> = [
      { name: 'create', write: () => create(ns, newJob('gen')), generation: 1 },
      { name: 'a label', write: () => mergePatch(path, { metadata: { labels: { x: 'y' } } }), generation: 1 },
      { name: 'a spec field', write: () => mergePatch(path, { spec: { parallelism: 2 } }), generation: 2 },
      { name: 'status', write: () => mergePatch(`${path}/status`, { status: { active: 2 } }), generation: 2 },
      {
        name: 'another spec field',
        write: () => mergePatch(path, { spec: { parallelism: 3 } }),
        generation: 3,
      },
    ];
    for (const step of steps) {
      const obj = await step.write();
      expect(obj.metadata.generation, step.name).toBe(step.generation);
    }
  });

  test('a status write keeps the spec and a main write keeps the status', async () => {
    const ns = await namespace('subresource');
    const path = `${jobsPath(ns)}/split`;
    await create(ns, newJob('split'));
    const afterStatus = await mergePatch(`${path}/status`, {
      spec: { parallelism: 9 },
      status: { active: 1 },
    });
    expect(afterStatus.status).toEqual({ active: 1 });
    expect(afterStatus.spec?.parallelism).toBe(1);
    const afterMain = await mergePatch(path, { spec: { parallelism: 4 }, status: { active: 7 } });
    expect(afterMain.spec?.parallelism).toBe(4);
    expect(afterMain.status).toEqual({ active: 1 });
    const current = await call('GET', `${path}/status`);
    expect(current).toEqual(afterMain);
  });

  test('generateName appends five random characters', async () => {
    const ns = await namespace('generated');
    const job = newJob('');
    job.metadata = { generateName: 'batch-' };
    const a = await create(ns, job);
    const b = await create(ns, job);
    expect(a.metadata.name).toMatch(/^batch-[a-z0-9]{5}$/);
    expect(b.metadata.name).toMatch(/^batch-[a-z0-9]{5}$/);
    expect(a.metadata.name).not.toBe(b.metadata.name);
    expect(a.metadata.generateName).toBe('batch-');
  });

  test('a finalizer keeps a deleted job, marked, until an update removes the last one', async () => {
    const ns = await namespace('finalizers');
    const path = `${jobsPath(ns)}/held`;
    const job = newJob('held');
    job.metadata.finalizers = ['example.com/hold', 'example.com/audit'];
    const created = await create(ns, job);

    const marked = await call('DELETE', `${path}?propagationPolicy=Background`);
    expect(marked.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(marked.metadata.generation).toBe((created.metadata.generation ?? 0) + 1);
    const stillThere = await get(ns, 'held');
    expect(stillThere.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    expect(stillThere.metadata.finalizers).toEqual(['example.com/hold', 'example.com/audit']);

    const added = await server.request('PATCH', path, {
      body: { metadata: { finalizers: ['example.com/hold', 'example.com/audit', 'example.com/late'] } },
      contentType: MERGE,
    });
    expect(added.code, added.text).toBe(422);

    const one = await mergePatch(path, { metadata: { finalizers: ['example.com/audit'] } });
    expect(one.metadata.finalizers).toEqual(['example.com/audit']);
    await get(ns, 'held');

    await mergePatch(path, { metadata: { finalizers: null } });
    const gone = await server.request('GET', path);
    expect(gone.code).toBe(404);
  });

  test('deletecollection with a label selector deletes only the matching jobs', async () => {
    const ns = await namespace('collection');
    await create(ns, newJob('keep', { labels: { app: 'keep' } }));
    await create(ns, newJob('drop1', { labels: { app: 'drop' } }));
    await create(ns, newJob('drop2', { labels: { app: 'drop' } }));
    const deleted = await call(
      'DELETE',
      `${jobsPath(ns)}?labelSelector=app%3Ddrop&propagationPolicy=Background`,
    );
    expect(deleted.kind).toBe('JobList');
    expect(names(deleted)).toEqual(['drop1', 'drop2']);
    expect(names(await call('GET', jobsPath(ns)))).toEqual(['keep']);
  });
});

describe('watch', () => {
  test('resourceVersion=0 first sends ADDED for every existing object, then changes', async () => {
    const ns = await namespace('watch-zero');
    await create(ns, newJob('w1'));
    await create(ns, newJob('w2'));
    const watch = await server.watch(`${jobsPath(ns)}?watch=true&resourceVersion=0`);
    try {
      expect(watch.code).toBe(200);
      expect(watch.headers['content-type']).toBe('application/json');
      expect(watch.headers['transfer-encoding']).toBe('chunked');
      await eventually(() =>
        expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
          'ADDED w1',
          'ADDED w2',
        ]),
      );
      expect(watch.events[0]?.object).toMatchObject({ kind: 'Job', apiVersion: 'batch/v1' });
      await mergePatch(`${jobsPath(ns)}/w1`, { metadata: { labels: { touched: 'yes' } } });
      await call('DELETE', `${jobsPath(ns)}/w2?propagationPolicy=Background`);
      await eventually(() =>
        expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
          'ADDED w1',
          'ADDED w2',
          'MODIFIED w1',
          'DELETED w2',
        ]),
      );
    } finally {
      watch.close();
    }
  });

  test('a watch from a resourceVersion sends only the changes after it', async () => {
    const ns = await namespace('watch-from');
    const first = await create(ns, newJob('before'));
    await create(ns, newJob('after'));
    const watch = await server.watch(
      `${jobsPath(ns)}?watch=true&resourceVersion=${first.metadata.resourceVersion}`,
    );
    try {
      await eventually(() =>
        expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED after']),
      );
    } finally {
      watch.close();
    }
  });

  test('with a label selector, an object leaving the selection arrives as DELETED and one entering as ADDED', async () => {
    const ns = await namespace('watch-selector');
    await create(ns, newJob('mover', { labels: { tier: 'gold' } }));
    const list = await call('GET', jobsPath(ns));
    const watch = await server.watch(
      `${jobsPath(ns)}?watch=true&labelSelector=tier%3Dgold&resourceVersion=${list.metadata.resourceVersion}`,
    );
    try {
      const path = `${jobsPath(ns)}/mover`;
      await mergePatch(path, { metadata: { labels: { tier: 'silver' } } });
      await mergePatch(path, { metadata: { labels: { tier: 'gold', shiny: 'yes' } } });
      await mergePatch(path, { metadata: { labels: { shiny: 'very' } } });
      await eventually(() =>
        expect(watch.events.map((e) => `${e.type} ${e.object.metadata.labels?.tier}`)).toEqual([
          'DELETED gold',
          'ADDED gold',
          'MODIFIED gold',
        ]),
      );
    } finally {
      watch.close();
    }
  });

  test('a field selector on metadata.name watches one object', async () => {
    const ns = await namespace('watch-field');
    const list = await call('GET', jobsPath(ns));
    const watch = await server.watch(
      `${jobsPath(ns)}?watch=true&fieldSelector=metadata.name%3Dpicked&resourceVersion=${list.metadata.resourceVersion}`,
    );
    try {
      await create(ns, newJob('ignored'));
      await create(ns, newJob('picked'));
      await eventually(() =>
        expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED picked']),
      );
    } finally {
      watch.close();
    }
  });

  test('timeoutSeconds ends the stream cleanly', async () => {
    const ns = await namespace('watch-timeout');
    const started = Date.now();
    const watch = await server.watch(`${jobsPath(ns)}?watch=true&timeoutSeconds=1`);
    await watch.done;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    expect(watch.events).toEqual([]);
  });

  test('allowWatchBookmarks sends a BOOKMARK with the current resourceVersion before the timeout', async () => {
    const ns = await namespace('watch-bookmark');
    const job = await create(ns, newJob('marked'));
    const rv = Number(job.metadata.resourceVersion);
    const watch = await server.watch(
      `${jobsPath(ns)}?watch=true&allowWatchBookmarks=true&timeoutSeconds=3&resourceVersion=${rv}`,
    );
    await watch.done;
    const bookmarks = watch.events.filter((e) => e.type === 'BOOKMARK');
    expect(bookmarks).toHaveLength(1);
    expect(bookmarks[0]?.object).toMatchObject({ kind: 'Job', apiVersion: 'batch/v1' });
    expect(Number(bookmarks[0]?.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv);
  });
});
