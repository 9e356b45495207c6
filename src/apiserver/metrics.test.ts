import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { MetricsRegistry } from '../util/metrics.js';
import {
  instrumentHandler,
  type RequestLabels,
  RequestMetrics,
  requestLabels,
  serveMetrics,
} from './metrics.js';

const SERVED = new Set(['/v1/pods', '/v1/namespaces', '/v1/events', 'batch/v1/jobs', 'batch/v1/cronjobs']);
const served = (g: string, v: string, r: string) => SERVED.has(`${g}/${v}/${r}`);

const labels = (l: Partial<RequestLabels>): RequestLabels => ({
  verb: 'GET',
  dry_run: '',
  group: '',
  version: '',
  resource: '',
  subresource: '',
  scope: '',
  component: 'apiserver',
  ...l,
});
const jobs = (l: Partial<RequestLabels>) => labels({ group: 'batch', version: 'v1', resource: 'jobs', ...l });

describe('request labels', () => {
  const cases: Array<{
    name: string;
    method: string;
    path: string;
    type?: string;
    want: RequestLabels | undefined;
  }> = [
    {
      name: 'getting a named job is a GET scoped to the resource',
      method: 'GET',
      path: '/apis/batch/v1/namespaces/ns/jobs/pi',
      want: jobs({ verb: 'GET', scope: 'resource' }),
    },
    {
      name: 'listing jobs in a namespace is a LIST scoped to the namespace',
      method: 'GET',
      path: '/apis/batch/v1/namespaces/ns/jobs?limit=500',
      want: jobs({ verb: 'LIST', scope: 'namespace' }),
    },
    {
      name: 'listing jobs across namespaces is a LIST scoped to the cluster',
      method: 'GET',
      path: '/apis/batch/v1/jobs',
      want: jobs({ verb: 'LIST', scope: 'cluster' }),
    },
    {
      name: 'a watch parameter makes a WATCH',
      method: 'GET',
      path: '/apis/batch/v1/namespaces/ns/jobs?watch=true&resourceVersion=5',
      want: jobs({ verb: 'WATCH', scope: 'namespace' }),
    },
    {
      name: 'watch=false stays a LIST',
      method: 'GET',
      path: '/apis/batch/v1/namespaces/ns/jobs?watch=false',
      want: jobs({ verb: 'LIST', scope: 'namespace' }),
    },
    {
      name: 'the legacy /watch/ path is a WATCH too',
      method: 'GET',
      path: '/api/v1/watch/namespaces/ns/pods',
      want: labels({ verb: 'WATCH', version: 'v1', resource: 'pods', scope: 'namespace' }),
    },
    {
      name: 'a create is a POST scoped to the resource, as upstream scopes creates',
      method: 'POST',
      path: '/apis/batch/v1/namespaces/ns/jobs',
      want: jobs({ verb: 'POST', scope: 'resource' }),
    },
    {
      name: 'a dry-run create carries dry_run All',
      method: 'POST',
      path: '/apis/batch/v1/namespaces/ns/jobs?dryRun=All&dryRun=All',
      want: jobs({ verb: 'POST', scope: 'resource', dry_run: 'All' }),
    },
    {
      name: 'an unknown dryRun value is reported as invalid',
      method: 'POST',
      path: '/apis/batch/v1/namespaces/ns/jobs?dryRun=Some',
      want: jobs({ verb: 'POST', scope: 'resource', dry_run: 'invalid' }),
    },
    {
      name: 'a server-side apply is an APPLY',
      method: 'PATCH',
      path: '/apis/batch/v1/namespaces/ns/jobs/pi?fieldManager=kubectl',
      type: 'application/apply-patch+yaml',
      want: jobs({ verb: 'APPLY', scope: 'resource' }),
    },
    {
      name: 'a merge patch of the status subresource is a PATCH with the subresource',
      method: 'PATCH',
      path: '/apis/batch/v1/namespaces/ns/jobs/pi/status',
      type: 'application/merge-patch+json',
      want: jobs({ verb: 'PATCH', scope: 'resource', subresource: 'status' }),
    },
    {
      name: 'deleting a collection is reported as DELETE, as upstream reports the HTTP method',
      method: 'DELETE',
      path: '/api/v1/namespaces/ns/pods',
      want: labels({ verb: 'DELETE', version: 'v1', resource: 'pods', scope: 'namespace' }),
    },
    {
      name: 'reading pod logs is a CONNECT',
      method: 'GET',
      path: '/api/v1/namespaces/ns/pods/p/log',
      want: labels({
        verb: 'CONNECT',
        version: 'v1',
        resource: 'pods',
        subresource: 'log',
        scope: 'resource',
      }),
    },
    {
      name: 'a namespace itself is scoped to the resource',
      method: 'GET',
      path: '/api/v1/namespaces/ns',
      want: labels({ verb: 'GET', version: 'v1', resource: 'namespaces', scope: 'resource' }),
    },
    {
      name: 'an unknown method is counted as other',
      method: 'OPTIONS',
      path: '/apis/batch/v1/jobs',
      want: jobs({ verb: 'other', scope: 'cluster' }),
    },
    {
      name: 'health checks carry their path as subresource and no component',
      method: 'GET',
      path: '/readyz',
      want: labels({ subresource: '/readyz', component: '' }),
    },
    {
      name: 'aggregated discovery carries its path as subresource',
      method: 'GET',
      path: '/apis',
      want: labels({ subresource: '/apis' }),
    },
    {
      name: 'an OpenAPI document is counted under openapi/v3/',
      method: 'GET',
      path: '/openapi/v3/apis/batch/v1?hash=abc',
      want: labels({ subresource: 'openapi/v3/', component: '' }),
    },
    {
      name: 'a resource batchd does not serve is not counted',
      method: 'GET',
      path: '/apis/apps/v1/deployments',
      want: undefined,
    },
    { name: '/version is not counted', method: 'GET', path: '/version', want: undefined },
    { name: '/metrics is not counted', method: 'GET', path: '/metrics', want: undefined },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const url = new URL(tc.path, 'https://batchd');
      expect(requestLabels(tc.method, url, tc.type, served)).toEqual(tc.want);
    });
});

describe('instrumented handler and /metrics', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    server = undefined;
  });

  test('answered requests are counted by code and timed; unauthenticated ones are not; /metrics renders them', async () => {
    const registry = new MetricsRegistry();
    const requestMetrics = new RequestMetrics(registry);
    let t = 0;
    const handler = instrumentHandler(
      (req, res) => {
        if (req.url === '/metrics') return serveMetrics(req, res, registry);
        t += req.url?.includes('missing') ? 30 : 3; // each request "takes" 3 ms, a missing one 30 ms
        const code = req.headers.authorization ? (req.url?.includes('missing') ? 404 : 200) : 401;
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end('{}');
      },
      { metrics: requestMetrics, served, now: () => t },
    );
    server = createServer(handler);
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const auth = { authorization: 'Bearer t' };
    expect((await fetch(`${base}/apis/batch/v1/namespaces/ns/jobs/pi`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${base}/apis/batch/v1/namespaces/ns/jobs/missing`, { headers: auth })).status).toBe(
      404,
    );
    expect((await fetch(`${base}/apis/batch/v1/namespaces/ns/jobs/pi`)).status).toBe(401);
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await res.text();
    const l =
      'component="apiserver",dry_run="",group="batch",resource="jobs",scope="resource",subresource="",verb="GET",version="v1"';
    expect(body).toContain(`apiserver_request_total{code="200",${l}} 1\n`);
    expect(body).toContain(`apiserver_request_total{code="404",${l}} 1\n`);
    expect(body).not.toContain('code="401"');
    expect(body).toContain(`apiserver_request_duration_seconds_bucket{${l},le="0.005"} 1\n`);
    expect(body).toContain(`apiserver_request_duration_seconds_bucket{${l},le="0.025"} 1\n`);
    expect(body).toContain(`apiserver_request_duration_seconds_bucket{${l},le="0.05"} 2\n`);
    expect(body).toContain(`apiserver_request_duration_seconds_bucket{${l},le="+Inf"} 2\n`);
    expect(body).toContain(`apiserver_request_duration_seconds_sum{${l}} 0.033\n`);
    expect(body).toContain(`apiserver_request_duration_seconds_count{${l}} 2\n`);
    expect(body).toContain('# TYPE apiserver_request_duration_seconds histogram\n');
  });

  test('/metrics refuses a POST with 405', async () => {
    const registry = new MetricsRegistry();
    server = createServer((req, res) => serveMetrics(req, res, registry));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, {
      method: 'POST',
    });
    expect(res.status).toBe(405);
  });
});
