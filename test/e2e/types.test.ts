/**
 * Types, defaulting and validation end to end: kubectl printing upstream's validation errors for
 * bad manifests, a manifest read back with the defaults a cluster adds, and malformed bodies of
 * every kind answered with a 400 or 422 by a server that keeps running.
 */
import { describe, expect, test } from 'vitest';
import { API_ONLY, type KubeObjectLike, serverForFile } from '../helpers.js';

const NS = 'types';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;
const CRONJOBS = `/apis/batch/v1/namespaces/${NS}/cronjobs`;

const server = serverForFile({ namespaces: [NS], args: API_ONLY });

const job = (name: string, spec: string, podSpec = 'restartPolicy: Never') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:
      ${podSpec}
      containers:
      - name: main
        image: busybox
        command: ["true"]
`;

describe('kubectl create -f prints upstream validation errors', () => {
  const cases: Array<{ name: string; manifest: string; want: string }> = [
    {
      name: 'an Indexed job without completions',
      manifest: job('indexed', '  completionMode: Indexed\n  parallelism: 2'),
      want: 'The Job "indexed" is invalid: spec.completions: Required value: when completion mode is Indexed',
    },
    {
      name: 'a pod template with restartPolicy Always',
      manifest: job('always', '  parallelism: 1', 'restartPolicy: Always'),
      want: 'The Job "always" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    },
    {
      name: 'a name with capitals',
      manifest: job('MyJob', '  parallelism: 1'),
      want: 'The Job "MyJob" is invalid: metadata.name: Invalid value: "MyJob": a lowercase RFC 1123 subdomain must consist of',
    },
    {
      name: 'a CronJob scheduled at minute 61',
      manifest: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: minute
spec:
  schedule: "61 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: busybox
`,
      want: 'The CronJob "minute" is invalid: spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
    },
  ];
  for (const tc of cases) {
    test(tc.name, async () => {
      const res = await server.kubectl(['create', '-n', NS, '-f', '-'], {
        stdin: tc.manifest,
      });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain(tc.want);
    });
  }

  test('nothing was created by the rejected manifests', async () => {
    const res = await server.request<{ items: unknown[] }>('GET', JOBS);
    expect(res.body.items).toEqual([]);
  });
});

describe('a manifest reads back with the defaults a cluster adds', () => {
  test('a minimal Job', async () => {
    const created = await server.kubectl(['create', '-n', NS, '-f', '-'], {
      stdin: job('pi', '  backoffLimit: 4'),
    });
    expect(created.code, created.stderr).toBe(0);
    const res = await server.kubectl(['get', 'job', 'pi', '-n', NS, '-o', 'json']);
    const got = JSON.parse(res.stdout) as KubeObjectLike & { spec: unknown; status: unknown };
    const uid = got.metadata.uid ?? '';
    const generated = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': uid,
      'job-name': 'pi',
    };
    expect(got.metadata.labels).toEqual(generated);
    expect(got.metadata.generation).toBe(1);
    expect(got.spec).toEqual({
      parallelism: 1,
      completions: 1,
      backoffLimit: 4,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
      manualSelector: false,
      template: {
        metadata: { creationTimestamp: null, labels: generated },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'busybox',
              command: ['true'],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'Always',
            },
          ],
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
      completionMode: 'NonIndexed',
      suspend: false,
      podReplacementPolicy: 'TerminatingOrFailed',
    });
    // Go writes struct fields in declaration order, so JSON clients see upstream's key order
    // (kubectl re-sorts them, so read the raw answer).
    const raw = await server.request<{ spec: object }>('GET', `${JOBS}/pi`);
    expect(Object.keys(raw.body.spec)).toEqual([
      'parallelism',
      'completions',
      'backoffLimit',
      'selector',
      'manualSelector',
      'template',
      'completionMode',
      'suspend',
      'podReplacementPolicy',
    ]);
    expect(got.status).toEqual({});
  });

  test('a minimal CronJob', async () => {
    const res = await server.request<KubeObjectLike & { spec: unknown }>('POST', CRONJOBS, {
      body: {
        metadata: { name: 'hourly' },
        spec: {
          schedule: '@hourly',
          jobTemplate: {
            spec: {
              template: {
                spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox:1.36' }] },
              },
            },
          },
        },
      },
    });
    expect(res.code, res.text).toBe(201);
    expect(res.body.spec).toEqual({
      schedule: '@hourly',
      concurrencyPolicy: 'Allow',
      suspend: false,
      jobTemplate: {
        metadata: { creationTimestamp: null },
        spec: {
          template: {
            metadata: { creationTimestamp: null },
            spec: {
              containers: [
                {
                  name: 'c',
                  image: 'busybox:1.36',
                  resources: {},
                  terminationMessagePath: '/dev/termination-log',
                  terminationMessagePolicy: 'File',
                  imagePullPolicy: 'IfNotPresent',
                },
              ],
              restartPolicy: 'OnFailure',
              terminationGracePeriodSeconds: 30,
              dnsPolicy: 'ClusterFirst',
              securityContext: {},
              schedulerName: 'default-scheduler',
            },
          },
        },
      },
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
  });

  test('unknown fields are dropped and a wrong type is a 400 naming the Go field', async () => {
    const body = JSON.parse(
      JSON.stringify({ metadata: { name: 'extra' }, spec: { bogus: 1, template: {} } }),
    );
    body.spec.template = {
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', colour: 'red' }] },
    };
    const ok = await server.request<KubeObjectLike & { spec: Record<string, unknown> }>('POST', JOBS, {
      body,
    });
    expect(ok.code, ok.text).toBe(201);
    expect(ok.body.spec.bogus).toBeUndefined();
    expect(JSON.stringify(ok.body)).not.toContain('colour');

    const bad = await server.request<{ message: string; code: number }>('POST', JOBS, {
      body: { metadata: { name: 'typed' }, spec: { parallelism: 'two' } },
    });
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe(
      'Job in version "v1" cannot be handled as a Job: json: cannot unmarshal string into Go struct field JobSpec.spec.parallelism of type int32',
    );
  });
});

describe('malformed input gets a 400 or 422 and never a crash', () => {
  const containers = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'busybox' }));
  const bodies: Array<{ name: string; body: string | object; code: number }> = [
    {
      name: 'a number too large for int32',
      body: { metadata: { name: 'big' }, spec: { parallelism: 2 ** 40 } },
      code: 400,
    },
    {
      name: 'a number too large for any integer',
      body: '{"metadata":{"name":"huge"},"spec":{"backoffLimit":1e400}}',
      code: 400,
    },
    {
      name: 'a fraction where an integer goes',
      body: { metadata: { name: 'frac' }, spec: { completions: 1.5 } },
      code: 400,
    },
    { name: 'an array where an object goes', body: { metadata: { name: 'arr' }, spec: [] }, code: 400 },
    { name: 'an object where a string goes', body: { metadata: { name: { a: 1 } } }, code: 400 },
    {
      name: 'deeply nested arrays',
      body: `{"metadata":{"name":"deep"},"spec":{"template":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      code: 400,
    },
    {
      name: 'deeply nested objects in an unknown field',
      body: `{"metadata":{"name":"deep2"},"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
      code: 422,
    },
    {
      name: 'invalid UTF-8 in the name',
      body: Buffer.concat([
        Buffer.from('{"metadata":{"name":"a'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"}}'),
      ]).toString('latin1'),
      code: 422,
    },
    {
      name: '10,000 containers with one duplicate name',
      body: {
        metadata: { name: 'wide' },
        spec: {
          template: {
            spec: { restartPolicy: 'Never', containers: [...containers(10_000), { name: 'c0', image: 'x' }] },
          },
        },
      },
      code: 422,
    },
  ];
  for (const tc of bodies) {
    test(tc.name, async () => {
      const res = await server.request<{ kind: string; code: number }>('POST', JOBS, {
        body:
          typeof tc.body === 'string'
            ? Buffer.from(tc.body, tc.name.includes('UTF-8') ? 'latin1' : 'utf8')
            : tc.body,
      });
      expect(res.code, res.text.slice(0, 300)).toBe(tc.code);
      expect(res.body.kind).toBe('Status');
    });
  }

  test('the server still answers', async () => {
    expect((await server.request('GET', '/healthz')).code).toBe(200);
    const list = await server.request<{ items: KubeObjectLike[] }>('GET', JOBS);
    expect(list.body.items.map((j) => j.metadata.name).sort()).toEqual(['extra', 'pi']);
  });
});
