/**
 * The older surface the seeds list, over raw HTTPS and kubectl: the `/watch/` paths,
 * batch/v1beta1 CronJobs sharing v1's storage, exact-revision lists, and the delete options
 * (`orphanDependents`, preconditions) old clients send.
 */
import { describe, expect, test } from 'vitest';
import { API_ONLY, eventually, type KubeObjectLike, newJob, serverForFile, startServer } from '../helpers.js';

const NS = 'legacy';
const server = serverForFile({ namespaces: [NS, 'legacy-other'], args: API_ONLY });

interface Status {
  code: number;
  reason: string;
  message: string;
}

describe('watch paths', () => {
  const cases = [
    { name: 'a namespace', path: `/apis/batch/v1/watch/namespaces/${NS}/jobs`, sees: ['w-a', 'w-b'] },
    { name: 'one object by name', path: `/apis/batch/v1/watch/namespaces/${NS}/jobs/w-a`, sees: ['w-a'] },
    { name: 'all namespaces', path: '/apis/batch/v1/watch/jobs', sees: ['w-a', 'w-b', 'w-c'] },
  ];
  test('each /watch/ path form streams the objects it names, and no others', async () => {
    const list = await server.request<{ metadata: { resourceVersion: string } }>(
      'GET',
      '/apis/batch/v1/jobs',
    );
    const rv = list.body.metadata.resourceVersion;
    const streams = await Promise.all(cases.map((c) => server.watch(`${c.path}?resourceVersion=${rv}`)));
    for (const s of streams) expect(s.code).toBe(200);
    await server.request('POST', `/apis/batch/v1/namespaces/${NS}/jobs`, { body: newJob('w-a') });
    await server.request('POST', `/apis/batch/v1/namespaces/${NS}/jobs`, { body: newJob('w-b') });
    await server.request('POST', '/apis/batch/v1/namespaces/legacy-other/jobs', { body: newJob('w-c') });
    await eventually(() => expect(streams[2]?.events).toHaveLength(3));
    for (const [i, c] of cases.entries()) {
      const names = streams[i]?.events.map((e) => e.object.metadata.name) ?? [];
      expect(names, c.name).toEqual(c.sees);
    }
    for (const s of streams) s.close();
  });

  test('a core resource has its /api/v1/watch path', async () => {
    const s = await server.watch('/api/v1/watch/namespaces?fieldSelector=metadata.name%3Dlegacy');
    expect(s.code).toBe(200);
    await eventually(() => expect(s.events.map((e) => e.type)).toEqual(['ADDED']));
    s.close();
  });
});

describe('batch/v1beta1 CronJobs', () => {
  const cronJob = (apiVersion: string, name: string) => ({
    apiVersion,
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: {
        spec: {
          template: { spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' } },
        },
      },
    },
  });
  const V1 = `/apis/batch/v1/namespaces/${NS}/cronjobs`;
  const BETA = `/apis/batch/v1beta1/namespaces/${NS}/cronjobs`;

  test('an object written through one version reads back through the other, defaulted as v1', async () => {
    const created = await server.request<KubeObjectLike>('POST', BETA, {
      body: cronJob('batch/v1beta1', 'beta'),
    });
    expect(created.code, created.text).toBe(201);
    expect(created.body.apiVersion).toBe('batch/v1beta1');
    const asV1 = await server.request<KubeObjectLike & { spec: { concurrencyPolicy: string } }>(
      'GET',
      `${V1}/beta`,
    );
    expect(asV1.body.apiVersion).toBe('batch/v1');
    expect(asV1.body.spec.concurrencyPolicy).toBe('Allow');

    await server.request('POST', V1, { body: cronJob('batch/v1', 'stable') });
    const asBeta = await server.request<KubeObjectLike>('GET', `${BETA}/stable`);
    expect(asBeta.body.apiVersion).toBe('batch/v1beta1');
    const list = await server.request<{ items: KubeObjectLike[] }>('GET', BETA);
    expect(list.body.items.map((i) => i.metadata.name).sort()).toEqual(['beta', 'stable']);
  });

  test('a v1beta1 write is validated as v1', async () => {
    const bad = {
      ...cronJob('batch/v1beta1', 'bad'),
      spec: { ...cronJob('', '').spec, schedule: 'every day' },
    };
    const res = await server.request<Status>('POST', BETA, { body: bad });
    expect(res.code).toBe(422);
    expect(res.body.message).toContain('spec.schedule: Invalid value: "every day"');
  });

  test('a watch through v1beta1 carries v1beta1 objects', async () => {
    const list = await server.request<{ metadata: { resourceVersion: string } }>('GET', BETA);
    const s = await server.watch(`${BETA}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    await server.request('POST', V1, { body: cronJob('batch/v1', 'watched') });
    await eventually(() => expect(s.events).toHaveLength(1));
    expect(s.events[0]?.object.apiVersion).toBe('batch/v1beta1');
    s.close();
  });

  test('discovery lists v1beta1 with v1 preferred, and kubectl reads both', async () => {
    const group = await server.request<{
      versions: Array<{ version: string }>;
      preferredVersion: { version: string };
    }>('GET', '/apis/batch');
    expect(group.body.versions.map((v) => v.version)).toEqual(['v1', 'v1beta1']);
    expect(group.body.preferredVersion.version).toBe('v1');
    const res = await server.kubectl([
      'get',
      'cronjobs.v1beta1.batch',
      'beta',
      '-n',
      NS,
      '-o',
      'jsonpath={.apiVersion}',
    ]);
    expect(res.stdout).toBe('batch/v1beta1');
  });
});

describe('lists and deletes', () => {
  const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;

  test('an Exact list after later writes returns the items as they were', async () => {
    await server.request('POST', JOBS, { body: newJob('exact-1') });
    const before = await server.request<{ metadata: { resourceVersion: string }; items: KubeObjectLike[] }>(
      'GET',
      `${JOBS}?labelSelector=exact`,
    );
    const rv = before.body.metadata.resourceVersion;
    await server.request('POST', JOBS, { body: newJob('exact-2', { labels: { exact: 'y' } }) });
    await server.request('PATCH', `${JOBS}/exact-1`, {
      body: '{"metadata":{"labels":{"exact":"y"}}}',
      contentType: 'application/merge-patch+json',
    });
    const now = await server.request<{ items: KubeObjectLike[] }>('GET', `${JOBS}?labelSelector=exact`);
    expect(now.body.items.map((i) => i.metadata.name)).toEqual(['exact-1', 'exact-2']);
    const then = await server.request<{ items: KubeObjectLike[] }>(
      'GET',
      `${JOBS}?labelSelector=exact&resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(then.body.items).toEqual([]);
  });

  test('orphanDependents=true orphans, and with a propagationPolicy it is a 422', async () => {
    await server.request('POST', JOBS, { body: newJob('orphaned') });
    const both = await server.request<Status>(
      'DELETE',
      `${JOBS}/orphaned?orphanDependents=true&propagationPolicy=Background`,
    );
    expect(both.code).toBe(422);
    expect((await server.request('GET', `${JOBS}/orphaned`)).code).toBe(200);
    const res = await server.request<KubeObjectLike>('DELETE', `${JOBS}/orphaned?orphanDependents=true`);
    expect(res.code, res.text).toBe(200);
    await eventually(async () => expect((await server.request('GET', `${JOBS}/orphaned`)).code).toBe(404));
  });

  test('a deletecollection with dryRun=All answers the list and deletes nothing', async () => {
    await server.request('POST', JOBS, { body: newJob('dry-a', { labels: { dry: 'y' } }) });
    await server.request('POST', JOBS, { body: newJob('dry-b', { labels: { dry: 'y' } }) });
    const res = await server.request<{ items: KubeObjectLike[] }>(
      'DELETE',
      `${JOBS}?labelSelector=dry%3Dy&dryRun=All`,
    );
    expect(res.code, res.text).toBe(200);
    expect(res.body.items.map((i) => i.metadata.name).sort()).toEqual(['dry-a', 'dry-b']);
    const left = await server.request<{ items: KubeObjectLike[] }>('GET', `${JOBS}?labelSelector=dry%3Dy`);
    expect(left.body.items).toHaveLength(2);
  });

  test('a delete whose preconditions do not match is a 409 and deletes nothing', async () => {
    const created = await server.request<KubeObjectLike>('POST', JOBS, { body: newJob('guarded') });
    const res = await server.request<Status>('DELETE', `${JOBS}/guarded`, {
      body: { preconditions: { uid: 'not-the-uid' } },
    });
    expect(res.code).toBe(409);
    expect(res.body.message).toContain('Precondition failed: UID in precondition: not-the-uid');
    const ok = await server.request('DELETE', `${JOBS}/guarded`, {
      body: { preconditions: { uid: created.body.metadata.uid } },
    });
    expect(ok.code, ok.text).toBe(200);
  });
});

describe('jobs/scale, pods/binding, deprecation warnings, pretty', () => {
  const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;

  test('kubectl scale job sets the parallelism, honouring --current-replicas', async () => {
    await server.request('POST', JOBS, { body: newJob('scaled') });
    const scaled = await server.kubectl(['scale', 'job', 'scaled', '-n', NS, '--replicas', '3']);
    expect(scaled.code, scaled.stderr).toBe(0);
    expect(scaled.stdout).toContain('job.batch/scaled scaled');
    const wrong = await server.kubectl([
      'scale',
      'job',
      'scaled',
      '-n',
      NS,
      '--replicas',
      '5',
      '--current-replicas',
      '2',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Expected replicas to be 2, was 3');
    const scale = await server.request<{
      kind: string;
      spec: { replicas: number };
      status: { selector: string };
    }>('GET', `${JOBS}/scaled/scale`);
    expect(scale.body.kind).toBe('Scale');
    expect(scale.body.spec.replicas).toBe(3);
    expect(scale.body.status.selector).toMatch(/^batch\.kubernetes\.io\/controller-uid=/);
  });

  test('a negative scale is the Job validation error, and nothing changes', async () => {
    const res = await server.request<Status>('PUT', `${JOBS}/scaled/scale`, {
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'scaled' },
        spec: { replicas: -1 },
      },
    });
    expect(res.code, res.text).toBe(422);
    expect(res.body.message).toContain(
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    );
    const job = await server.request<{ spec: { parallelism: number } }>('GET', `${JOBS}/scaled`);
    expect(job.body.spec.parallelism).toBe(3);
  });

  test('a Binding assigns a pod to a node once', async () => {
    const pods = `/api/v1/namespaces/${NS}/pods`;
    await server.request('POST', pods, {
      body: { metadata: { name: 'bound' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const res = await server.request<Status>('POST', `${pods}/bound/binding`, {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bound' },
        target: { kind: 'Node', name: 'n1' },
      },
    });
    expect(res.code, res.text).toBe(201);
    const pod = await server.request<{ spec: { nodeName: string } }>('GET', `${pods}/bound`);
    expect(pod.body.spec.nodeName).toBe('n1');
    const again = await server.request<Status>('POST', `${pods}/bound/binding`, {
      body: {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: 'bound' },
        target: { kind: 'Node', name: 'n2' },
      },
    });
    expect(again.code).toBeGreaterThanOrEqual(400);
    expect(again.body.message).toContain('is already assigned to node "n1"');
  });

  test('every v1beta1 answer carries the deprecation warning, which kubectl prints', async () => {
    const warning =
      'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob';
    const list = await server.request('GET', `/apis/batch/v1beta1/namespaces/${NS}/cronjobs`);
    expect(list.headers.warning).toBe(`299 - ${JSON.stringify(warning)}`);
    const missing = await server.request('GET', `/apis/batch/v1beta1/namespaces/${NS}/cronjobs/none`);
    expect(missing.code).toBe(404);
    expect(missing.headers.warning).toBe(`299 - ${JSON.stringify(warning)}`);
    const res = await server.kubectl(['get', 'cronjobs.v1beta1.batch', '-n', NS]);
    expect(res.stderr).toContain(`Warning: ${warning}`);
  });

  test('pretty=true indents the JSON', async () => {
    const res = await server.request('GET', `${JOBS}/scaled?pretty=true`);
    expect(res.text.startsWith('{\n  "kind": "Job",')).toBe(true);
    const compact = await server.request('GET', `${JOBS}/scaled`);
    expect(compact.text.startsWith('{"kind":"Job",')).toBe(true);
  });
});

describe('--runtime-config batch/v1beta1=false', () => {
  test('turns the version off: 404, and not in discovery', async () => {
    const off = await startServer({ args: [...API_ONLY, '--runtime-config', 'batch/v1beta1=false'] });
    try {
      const res = await off.request('GET', '/apis/batch/v1beta1/namespaces/default/cronjobs');
      expect(res.code).toBe(404);
      const group = await off.request<{ versions: Array<{ version: string }> }>('GET', '/apis/batch');
      expect(group.body.versions.map((v) => v.version)).toEqual(['v1']);
    } finally {
      await off.stop();
    }
  });
});
