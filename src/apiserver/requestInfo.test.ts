import { expect, test } from 'vitest';
import { parseResourcePath } from './requestInfo.js';

const cases: Array<{ name: string; method: string; path: string; watch?: boolean; want: unknown }> = [
  {
    name: 'a namespaced list of jobs',
    method: 'GET',
    path: '/apis/batch/v1/namespaces/default/jobs',
    want: { group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default', verb: 'list' },
  },
  {
    name: 'a job across all namespaces',
    method: 'GET',
    path: '/apis/batch/v1/jobs',
    want: { group: 'batch', version: 'v1', resource: 'jobs', verb: 'list' },
  },
  {
    name: 'a watch by query parameter',
    method: 'GET',
    path: '/api/v1/namespaces/default/pods',
    watch: true,
    want: { group: '', version: 'v1', resource: 'pods', namespace: 'default', verb: 'watch' },
  },
  {
    name: 'a legacy watch path naming one object',
    method: 'GET',
    path: '/apis/batch/v1/watch/namespaces/ns1/jobs/pi',
    want: { group: 'batch', version: 'v1', resource: 'jobs', namespace: 'ns1', name: 'pi', verb: 'watch' },
  },
  {
    name: 'a namespace by name is the cluster-scoped namespaces resource',
    method: 'GET',
    path: '/api/v1/namespaces/team-a',
    want: { group: '', version: 'v1', resource: 'namespaces', name: 'team-a', verb: 'get' },
  },
  {
    name: 'a namespace finalize subresource',
    method: 'PUT',
    path: '/api/v1/namespaces/team-a/finalize',
    want: {
      group: '',
      version: 'v1',
      resource: 'namespaces',
      name: 'team-a',
      subresource: 'finalize',
      verb: 'update',
    },
  },
  {
    name: 'a job status patch',
    method: 'PATCH',
    path: '/apis/batch/v1/namespaces/default/jobs/pi/status',
    want: {
      group: 'batch',
      version: 'v1',
      resource: 'jobs',
      namespace: 'default',
      name: 'pi',
      subresource: 'status',
      verb: 'patch',
    },
  },
  {
    name: 'a DELETE without a name is a deletecollection',
    method: 'DELETE',
    path: '/apis/batch/v1/namespaces/default/jobs',
    want: { group: 'batch', version: 'v1', resource: 'jobs', namespace: 'default', verb: 'deletecollection' },
  },
  { name: 'a group discovery path is no resource', method: 'GET', path: '/apis/batch/v1', want: undefined },
  { name: 'too many segments is no resource', method: 'GET', path: '/api/v1/pods/a/log/x', want: undefined },
];

for (const tc of cases) {
  test(tc.name, () => {
    expect(parseResourcePath(tc.method, tc.path, tc.watch ?? false)).toEqual(tc.want);
  });
}
