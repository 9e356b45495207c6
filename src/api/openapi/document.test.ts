import { describe, expect, test } from 'vitest';
import { newScheme } from '../resources.js';
import { buildDocument, documentPaths } from './document.js';
import type { Document, Method, Operation } from './types.js';

const scheme = newScheme();
const doc = (path: string): Document => {
  const d = buildDocument(scheme, path);
  if (!d) throw new Error(`no document at ${path}`);
  return d;
};
const batch = doc('apis/batch/v1');
const core = doc('api/v1');
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

function operation(d: Document, path: string, method: Method): Operation {
  const op = d.paths[path]?.[method];
  if (!op) throw new Error(`no ${method} ${path}`);
  return op;
}

function* operations(d: Document): Generator<[string, Method, Operation]> {
  for (const [path, item] of Object.entries(d.paths))
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op) yield [path, method, op];
    }
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  return out;
}

test('the index lists each group version, the discovery roots and version, as upstream does', () => {
  expect(documentPaths(scheme)).toEqual([
    'api',
    'api/v1',
    'apis',
    'apis/batch',
    'apis/batch/v1',
    'apis/batch/v1beta1',
    'version',
  ]);
  expect(documentPaths(newScheme({ batchV1beta1: false }))).not.toContain('apis/batch/v1beta1');
});

test('a path the scheme does not serve has no document', () => {
  expect(buildDocument(scheme, 'apis/apps/v1')).toBeUndefined();
  expect(buildDocument(scheme, 'apis/apps')).toBeUndefined();
});

describe.each(documentPaths(scheme))('the %s document', (path) => {
  const d = doc(path);
  test('every $ref resolves to a component of the same document', () => {
    const missing = refs(d)
      .map((r) => r.replace('#/components/schemas/', ''))
      .filter((name) => !d.components.schemas[name]);
    expect(missing).toEqual([]);
  });
  test('every operationId is unique', () => {
    const ids = [...operations(d)].map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('batch/v1 components', () => {
  const kinds = (name: string) => batch.components.schemas[name]?.['x-kubernetes-group-version-kind'];
  const cases = [
    { name: 'Job is the batch/v1 Job', schema: 'io.k8s.api.batch.v1.Job', kind: 'Job', group: 'batch' },
    {
      name: 'JobList is the batch/v1 JobList',
      schema: 'io.k8s.api.batch.v1.JobList',
      kind: 'JobList',
      group: 'batch',
    },
    {
      name: 'CronJob is the batch/v1 CronJob',
      schema: 'io.k8s.api.batch.v1.CronJob',
      kind: 'CronJob',
      group: 'batch',
    },
    { name: 'Status is the core v1 Status', schema: `${META}Status`, kind: 'Status', group: '' },
  ];
  for (const tc of cases)
    test(tc.name, () =>
      expect(kinds(tc.schema)).toEqual([{ group: tc.group, kind: tc.kind, version: 'v1' }]),
    );

  test('DeleteOptions and WatchEvent are kinds of the core group and of each batch version', () => {
    for (const kind of ['DeleteOptions', 'WatchEvent'])
      expect(kinds(META + kind)).toEqual([
        { group: '', kind, version: 'v1' },
        { group: 'batch', kind, version: 'v1' },
        { group: 'batch', kind, version: 'v1beta1' },
      ]);
  });

  test('the pod template types a Job carries are included, pods themselves are not', () => {
    expect(batch.components.schemas['io.k8s.api.core.v1.PodTemplateSpec']).toBeDefined();
    expect(batch.components.schemas['io.k8s.api.core.v1.Pod']).toBeUndefined();
  });
});

describe('operations are named and shaped as upstream names them', () => {
  const cases: Array<{
    name: string;
    d: Document;
    path: string;
    method: Method;
    id: string;
    action: string;
  }> = [
    {
      name: 'create a namespaced job',
      d: batch,
      path: '/apis/batch/v1/namespaces/{namespace}/jobs',
      method: 'post',
      id: 'createBatchV1NamespacedJob',
      action: 'post',
    },
    {
      name: 'list jobs in a namespace',
      d: batch,
      path: '/apis/batch/v1/namespaces/{namespace}/jobs',
      method: 'get',
      id: 'listBatchV1NamespacedJob',
      action: 'list',
    },
    {
      name: 'delete a collection of jobs',
      d: batch,
      path: '/apis/batch/v1/namespaces/{namespace}/jobs',
      method: 'delete',
      id: 'deleteBatchV1CollectionNamespacedJob',
      action: 'deletecollection',
    },
    {
      name: 'list jobs in every namespace',
      d: batch,
      path: '/apis/batch/v1/jobs',
      method: 'get',
      id: 'listBatchV1JobForAllNamespaces',
      action: 'list',
    },
    {
      name: 'patch a job status',
      d: batch,
      path: '/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status',
      method: 'patch',
      id: 'patchBatchV1NamespacedJobStatus',
      action: 'patch',
    },
    {
      name: 'replace a cronjob',
      d: batch,
      path: '/apis/batch/v1/namespaces/{namespace}/cronjobs/{name}',
      method: 'put',
      id: 'replaceBatchV1NamespacedCronJob',
      action: 'put',
    },
    {
      name: 'watch one cronjob on the legacy path',
      d: batch,
      path: '/apis/batch/v1/watch/namespaces/{namespace}/cronjobs/{name}',
      method: 'get',
      id: 'watchBatchV1NamespacedCronJob',
      action: 'watch',
    },
    {
      name: 'watch jobs of every namespace on the legacy path',
      d: batch,
      path: '/apis/batch/v1/watch/jobs',
      method: 'get',
      id: 'watchBatchV1JobListForAllNamespaces',
      action: 'watchlist',
    },
    {
      name: 'read a cluster-scoped namespace',
      d: core,
      path: '/api/v1/namespaces/{name}',
      method: 'get',
      id: 'readCoreV1Namespace',
      action: 'get',
    },
    {
      name: 'finalize a namespace',
      d: core,
      path: '/api/v1/namespaces/{name}/finalize',
      method: 'put',
      id: 'replaceCoreV1NamespaceFinalize',
      action: 'put',
    },
    {
      name: 'read a pod log',
      d: core,
      path: '/api/v1/namespaces/{namespace}/pods/{name}/log',
      method: 'get',
      id: 'readCoreV1NamespacedPodLog',
      action: 'get',
    },
    {
      name: 'watch nodes on the legacy path',
      d: core,
      path: '/api/v1/watch/nodes',
      method: 'get',
      id: 'watchCoreV1NodeList',
      action: 'watchlist',
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const op = operation(tc.d, tc.path, tc.method);
      expect(op.operationId).toBe(tc.id);
      expect(op['x-kubernetes-action']).toBe(tc.action);
    });

  test('the resource list of a group version is served at its prefix', () => {
    expect(operation(batch, '/apis/batch/v1/', 'get').operationId).toBe('getBatchV1APIResources');
    expect(operation(core, '/api/v1/', 'get').operationId).toBe('getCoreV1APIResources');
  });
});

describe('operations follow the verbs each resource declares', () => {
  test('namespaces have no collection delete (their verbs leave it out)', () => {
    expect(core.paths['/api/v1/namespaces']?.delete).toBeUndefined();
  });
  test('the finalize subresource answers only PUT', () => {
    expect(Object.keys(core.paths['/api/v1/namespaces/{name}/finalize'] ?? {}).sort()).toEqual([
      'parameters',
      'put',
    ]);
  });
  test('a pod delete answers the pod, a job delete answers a Status', () => {
    const answer = (d: Document, path: string) =>
      refs(operation(d, path, 'delete').responses['200'])[0]
        ?.split('/')
        .pop();
    expect(answer(core, '/api/v1/namespaces/{namespace}/pods/{name}')).toBe('io.k8s.api.core.v1.Pod');
    expect(answer(batch, '/apis/batch/v1/namespaces/{namespace}/jobs/{name}')).toBe(`${META}Status`);
  });
});

describe('kubectl finds server-side field validation on every PATCH', () => {
  for (const d of [batch, core])
    for (const [path, method, op] of operations(d)) {
      if (method !== 'patch') continue;
      test(`${op.operationId} lists fieldValidation among its own query parameters, with its kind`, () => {
        expect(op.parameters?.some((p) => p.name === 'fieldValidation' && p.in === 'query')).toBe(true);
        expect(op['x-kubernetes-group-version-kind']?.kind).toBeTruthy();
        expect(Object.keys(op.requestBody?.content ?? {})).toContain(
          'application/strategic-merge-patch+json',
        );
        expect(path).toContain('{name}');
      });
    }

  test('the job PATCH names the batch/v1 Job kind', () => {
    const op = operation(batch, '/apis/batch/v1/namespaces/{namespace}/jobs/{name}', 'patch');
    expect(op['x-kubernetes-group-version-kind']).toEqual({ group: 'batch', kind: 'Job', version: 'v1' });
    expect(op.parameters?.map((p) => p.name)).toEqual(['dryRun', 'fieldManager', 'fieldValidation', 'force']);
  });
});

describe('parameters shared by every operation of a path move to the path', () => {
  test('an item path shares its name, namespace and pretty', () => {
    const item = batch.paths['/apis/batch/v1/namespaces/{namespace}/jobs/{name}'];
    expect(item?.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual([
      'path:name',
      'path:namespace',
      'query:pretty',
    ]);
  });
  test('a path with one operation carries all of them at the path, sorted by name', () => {
    const item = batch.paths['/apis/batch/v1/jobs'];
    expect(item?.get?.parameters).toBeUndefined();
    const names = item?.parameters?.map((p) => p.name) ?? [];
    expect(names).toEqual([...names].sort());
    expect(names).toContain('watch');
  });
});

describe('discovery documents', () => {
  const cases = [
    {
      name: 'api answers APIVersions at /api/',
      path: 'api',
      route: '/api/',
      id: 'getCoreAPIVersions',
      type: 'APIVersions',
    },
    {
      name: 'apis answers APIGroupList at /apis/',
      path: 'apis',
      route: '/apis/',
      id: 'getAPIVersions',
      type: 'APIGroupList',
    },
    {
      name: 'apis/batch answers APIGroup at /apis/batch/',
      path: 'apis/batch',
      route: '/apis/batch/',
      id: 'getBatchAPIGroup',
      type: 'APIGroup',
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const op = operation(doc(tc.path), tc.route, 'get');
      expect(op.operationId).toBe(tc.id);
      expect(refs(op.responses['200'])[0]).toBe(`#/components/schemas/${META}${tc.type}`);
    });
});
