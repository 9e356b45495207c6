/**
 * Every error class of the API, by raw HTTPS requests against the real binary: the status code
 * and the whole Status body (code, reason, message, details) as upstream's apiserver answers, and
 * nothing written by a request that failed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  API_ONLY,
  type HttpResult,
  type KubeObjectLike,
  killAll,
  newJob,
  newNamespace,
  type RequestOptions,
  removeTempDirs,
  type Server,
  startServer,
} from '../helpers.js';

const NS = 'errs';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;
const MERGE = 'application/merge-patch+json';

let server: Server;
/** The job every case may target, as it was before the case ran. */
let existing: KubeObjectLike;
/** A resourceVersion `existing` had before its last write. */
let staleRv: string;

beforeAll(async () => {
  server = await startServer({ args: API_ONLY });
  expect((await server.request('POST', '/api/v1/namespaces', { body: newNamespace(NS) })).code).toBe(201);
  const created = await server.request<KubeObjectLike>('POST', JOBS, {
    body: newJob('existing', { labels: { app: 'e' } }),
  });
  expect(created.code, created.text).toBe(201);
  staleRv = created.body.metadata.resourceVersion ?? '';
  const patched = await server.request<KubeObjectLike>('PATCH', `${JOBS}/existing`, {
    body: { metadata: { labels: { rev: 'two' } } },
    contentType: MERGE,
  });
  expect(patched.code, patched.text).toBe(200);
  existing = patched.body;
});

afterAll(async () => {
  await server?.stop();
  await killAll();
  removeTempDirs();
});

/** The store's current revision, which any list reports: unchanged means nothing was written. */
async function currentRevision(): Promise<string> {
  const res = await server.request<KubeObjectLike>('GET', '/api/v1/namespaces');
  return res.body.metadata.resourceVersion ?? '';
}

/** A Status body of the Failure kind: the fields every error carries, plus the case's own. */
function failure(code: number, reason: string, message: string | RegExp, details?: object) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code,
    reason,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
    ...(details ? { details } : {}),
  };
}

const INVALID_NAME =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const MODIFIED =
  'Operation cannot be fulfilled on jobs.batch "existing": the object has been modified; please apply your changes to the latest version and try again';

interface Case {
  name: string;
  method: string;
  path: string;
  opts?: () => RequestOptions;
  want: ReturnType<typeof failure>;
}

const cases: Case[] = [
  {
    name: 'a request without a token is 401 Unauthorized',
    method: 'GET',
    path: JOBS,
    opts: () => ({ token: false }),
    want: failure(401, 'Unauthorized', 'Unauthorized'),
  },
  {
    name: 'a write with a wrong token is 401 Unauthorized',
    method: 'POST',
    path: JOBS,
    opts: () => ({ token: 'not-the-token', body: newJob('sneaky') }),
    want: failure(401, 'Unauthorized', 'Unauthorized'),
  },
  {
    name: 'reading a missing job is 404 NotFound with the plural resource as details.kind',
    method: 'GET',
    path: `${JOBS}/nosuch`,
    want: failure(404, 'NotFound', 'jobs.batch "nosuch" not found', {
      name: 'nosuch',
      group: 'batch',
      kind: 'jobs',
    }),
  },
  {
    name: 'deleting a missing job is 404 NotFound',
    method: 'DELETE',
    path: `${JOBS}/nosuch`,
    want: failure(404, 'NotFound', 'jobs.batch "nosuch" not found', {
      name: 'nosuch',
      group: 'batch',
      kind: 'jobs',
    }),
  },
  {
    name: 'a missing core-group object is 404 NotFound without a group in details',
    method: 'GET',
    path: `/api/v1/namespaces/${NS}/pods/nosuch`,
    want: failure(404, 'NotFound', 'pods "nosuch" not found', { name: 'nosuch', kind: 'pods' }),
  },
  {
    name: 'a path no resource serves is 404 NotFound with empty details',
    method: 'GET',
    path: `/apis/batch/v1/namespaces/${NS}/widgets`,
    want: failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  },
  {
    name: 'creating a job that exists is 409 AlreadyExists',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: newJob('existing') }),
    want: failure(409, 'AlreadyExists', 'jobs.batch "existing" already exists', {
      name: 'existing',
      group: 'batch',
      kind: 'jobs',
    }),
  },
  {
    name: 'a PUT with a stale resourceVersion is 409 Conflict',
    method: 'PUT',
    path: `${JOBS}/existing`,
    opts: () => ({
      body: {
        ...existing,
        metadata: { ...existing.metadata, resourceVersion: staleRv, labels: { lost: 'update' } },
      },
    }),
    want: failure(409, 'Conflict', MODIFIED, { name: 'existing', group: 'batch', kind: 'jobs' }),
  },
  {
    name: 'a merge patch carrying a stale resourceVersion is 409 Conflict',
    method: 'PATCH',
    path: `${JOBS}/existing`,
    opts: () => ({
      body: { metadata: { resourceVersion: staleRv, labels: { lost: 'update' } } },
      contentType: MERGE,
    }),
    want: failure(409, 'Conflict', MODIFIED, { name: 'existing', group: 'batch', kind: 'jobs' }),
  },
  {
    name: 'a name with capitals is 422 Invalid with a cause on metadata.name',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: newJob('BadName') }),
    want: failure(
      422,
      'Invalid',
      `Job.batch "BadName" is invalid: metadata.name: Invalid value: "BadName": ${INVALID_NAME}`,
      {
        name: 'BadName',
        group: 'batch',
        kind: 'Job',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: `Invalid value: "BadName": ${INVALID_NAME}`,
            field: 'metadata.name',
          },
        ],
      },
    ),
  },
  {
    name: 'a job with neither name nor generateName is 422 Invalid',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: { ...newJob(''), metadata: {} } }),
    want: failure(
      422,
      'Invalid',
      'Job.batch "" is invalid: metadata.name: Required value: name or generateName is required',
      {
        group: 'batch',
        kind: 'Job',
        causes: [
          {
            reason: 'FieldValueRequired',
            message: 'Required value: name or generateName is required',
            field: 'metadata.name',
          },
        ],
      },
    ),
  },
  {
    name: 'malformed JSON is 400 BadRequest',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: '{"apiVersion": "batch/v1", "kind": ' }),
    want: failure(400, 'BadRequest', /^Job in version "v1" cannot be handled as a Job: json parse error: /),
  },
  {
    name: 'a body namespace other than the URL namespace is 400 BadRequest',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: newJob('elsewhere', { namespace: 'default' }) }),
    want: failure(
      400,
      'BadRequest',
      'the namespace of the provided object does not match the namespace sent on the request',
    ),
  },
  {
    name: 'a PUT whose body names another object is 400 BadRequest',
    method: 'PUT',
    path: `${JOBS}/existing`,
    opts: () => ({ body: { ...existing, metadata: { ...existing.metadata, name: 'other' } } }),
    want: failure(
      400,
      'BadRequest',
      'the name of the object (other) does not match the name on the URL (existing)',
    ),
  },
  {
    name: 'a label selector that does not parse is 400 BadRequest',
    method: 'GET',
    path: `${JOBS}?labelSelector=${encodeURIComponent('app in (x')}`,
    want: failure(400, 'BadRequest', "unable to parse requirement: found '', expected: ',' or ')'"),
  },
  {
    name: 'an unsupported pod field selector is 400 BadRequest',
    method: 'GET',
    path: `/api/v1/namespaces/${NS}/pods?fieldSelector=${encodeURIComponent('spec.foo=x')}`,
    want: failure(400, 'BadRequest', 'field label not supported: spec.foo'),
  },
  {
    // Upstream's batch/v1 field label conversion words it its own way (pkg/apis/batch/v1/conversion.go).
    name: 'an unsupported job field selector is 400 BadRequest',
    method: 'GET',
    path: `${JOBS}?fieldSelector=${encodeURIComponent('spec.foo=x')}`,
    want: failure(400, 'BadRequest', 'field label "spec.foo" not supported for batchv1.Job'),
  },
  {
    name: 'POST on a named job is 405 MethodNotAllowed',
    method: 'POST',
    path: `${JOBS}/existing`,
    opts: () => ({ body: newJob('existing') }),
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'PUT on the job collection is 405 MethodNotAllowed',
    method: 'PUT',
    path: JOBS,
    opts: () => ({ body: existing }),
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'DELETE on the namespace collection (no deletecollection verb) is 405 MethodNotAllowed',
    method: 'DELETE',
    path: '/api/v1/namespaces',
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'DELETE on a status subresource is 405 MethodNotAllowed',
    method: 'DELETE',
    path: `${JOBS}/existing/status`,
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'POST on the cluster-wide job path is 405 MethodNotAllowed',
    method: 'POST',
    path: '/apis/batch/v1/jobs',
    opts: () => ({ body: newJob('nowhere', { namespace: NS }) }),
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'DELETE on the cluster-wide job path is 405 MethodNotAllowed',
    method: 'DELETE',
    path: '/apis/batch/v1/jobs',
    want: failure(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
      {},
    ),
  },
  {
    name: 'a job name without a namespace in the path is 404 NotFound with empty details',
    method: 'GET',
    path: '/apis/batch/v1/jobs/existing',
    want: failure(404, 'NotFound', 'the server could not find the requested resource', {}),
  },
  {
    name: 'a patch sent as text/plain is 415 UnsupportedMediaType',
    method: 'PATCH',
    path: `${JOBS}/existing`,
    opts: () => ({ body: '{"metadata":{"labels":{"x":"y"}}}', contentType: 'text/plain' }),
    want: failure(
      415,
      'UnsupportedMediaType',
      /^the body of the request was in an unknown format - accepted media types include: (?=.*application\/json-patch\+json)(?=.*application\/merge-patch\+json)/,
    ),
  },
  {
    name: 'a create sent as text/plain is 415 UnsupportedMediaType',
    method: 'POST',
    path: JOBS,
    opts: () => ({ body: JSON.stringify(newJob('plain')), contentType: 'text/plain' }),
    want: failure(
      415,
      'UnsupportedMediaType',
      /^the body of the request was in an unknown format - accepted media types include: (?=.*application\/json)(?=.*application\/yaml)/,
    ),
  },
  {
    name: 'a body above 3 MiB is 413 RequestEntityTooLarge',
    method: 'POST',
    path: JOBS,
    opts: () => {
      const job = newJob('huge');
      job.metadata.annotations = { filler: 'x'.repeat(3 * 1024 * 1024) };
      return { body: job };
    },
    want: failure(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
  },
];

describe('error responses', () => {
  for (const tc of cases) {
    test(tc.name, async () => {
      const before = await currentRevision();
      const res: HttpResult = await server.request(tc.method, tc.path, tc.opts?.() ?? {});
      expect(res.code, res.text).toBe(tc.want.code);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.body).toEqual(tc.want);
      // A failed request writes nothing.
      expect(await currentRevision()).toBe(before);
      const now = await server.request<KubeObjectLike>('GET', `${JOBS}/existing`);
      expect(now.body).toEqual(existing);
    });
  }
});

describe('endpoints open without a token', () => {
  for (const path of ['/healthz', '/livez', '/readyz']) {
    test(`${path} answers ok without a token`, async () => {
      const res = await server.request('GET', path, { token: false });
      expect(res.code).toBe(200);
      expect(res.text).toBe('ok');
    });
  }

  test('/version answers without a token', async () => {
    const res = await server.request<{ major: string; minor: string }>('GET', '/version', { token: false });
    expect(res.code).toBe(200);
    expect(res.body).toMatchObject({ major: '1', minor: '32' });
  });

  test('discovery is not open', async () => {
    const res = await server.request('GET', '/apis', { token: false });
    expect(res.code).toBe(401);
  });
});
