/**
 * managedFields and server-side apply over raw HTTP: who owns what after creates, updates and
 * applies, the 409 a conflicting apply gets (with its causes), the options apply requires, and
 * applies to /status recorded as their own entries.
 */
import { describe, expect, test } from 'vitest';
import { API_ONLY, newJob, serverForFile } from '../helpers.js';

const NS = 'mf';
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;
const CRONJOBS = `/apis/batch/v1/namespaces/${NS}/cronjobs`;
const APPLY = 'application/apply-patch+yaml';

const server = serverForFile({ namespaces: [NS], args: API_ONLY });

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}
interface Obj {
  metadata: { managedFields?: Entry[]; labels?: Record<string, string> };
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}
interface Status {
  code: number;
  reason: string;
  message: string;
  details?: { causes?: Array<{ reason: string; message: string; field: string }> };
}

const entry = (obj: Obj, manager: string) => obj.metadata.managedFields?.find((m) => m.manager === manager);

describe('Update entries', () => {
  test('a create records the creator as owning what it sent and its defaults, not the generated selector', async () => {
    const res = await server.request<Obj>('POST', `${JOBS}?fieldManager=maker`, { body: newJob('made') });
    expect(res.code, res.text).toBe(201);
    const e = entry(res.body, 'maker');
    expect(e).toMatchObject({ operation: 'Update', apiVersion: 'batch/v1', fieldsType: 'FieldsV1' });
    expect(e?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const spec = e?.fieldsV1['f:spec'] as Record<string, unknown>;
    expect(Object.keys(spec)).toEqual(
      expect.arrayContaining(['f:backoffLimit', 'f:completionMode', 'f:template']),
    );
    expect(spec).not.toHaveProperty('f:selector');
    expect(e?.fieldsV1).not.toHaveProperty('f:status');
  });

  test('a second writer takes the field it changed from the first', async () => {
    await server.request('POST', `${JOBS}?fieldManager=first`, { body: newJob('shared') });
    const res = await server.request<Obj>('PATCH', `${JOBS}/shared?fieldManager=second`, {
      body: '{"spec":{"backoffLimit":2}}',
      contentType: 'application/merge-patch+json',
    });
    expect(res.code, res.text).toBe(200);
    const first = entry(res.body, 'first')?.fieldsV1['f:spec'] as Record<string, unknown>;
    const second = entry(res.body, 'second')?.fieldsV1['f:spec'] as Record<string, unknown>;
    expect(first).not.toHaveProperty('f:backoffLimit');
    expect(second).toEqual({ 'f:backoffLimit': {} });
  });

  test('an update that changes nothing leaves the entries and the resourceVersion alone', async () => {
    const created = await server.request<Obj & { metadata: { resourceVersion: string } }>(
      'POST',
      `${JOBS}?fieldManager=still`,
      { body: newJob('still') },
    );
    const res = await server.request<Obj & { metadata: { resourceVersion: string } }>(
      'PATCH',
      `${JOBS}/still?fieldManager=other`,
      { body: '{"spec":{"backoffLimit":6}}', contentType: 'application/merge-patch+json' },
    );
    expect(res.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
    expect(entry(res.body, 'other')).toBeUndefined();
  });
});

describe('server-side apply', () => {
  const cronJob = (schedule: string, extra = '') =>
    JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'applied' },
      spec: {
        schedule,
        jobTemplate: {
          spec: {
            template: {
              spec: { containers: [{ name: 'c', image: 'busybox' }], restartPolicy: 'OnFailure' },
            },
          },
        },
      },
      ...(extra ? JSON.parse(extra) : {}),
    });

  test('an apply creates a missing object (201) and records an Apply entry', async () => {
    const res = await server.request<Obj>('PATCH', `${CRONJOBS}/applied?fieldManager=ops`, {
      body: cronJob('*/5 * * * *'),
      contentType: APPLY,
    });
    expect(res.code, res.text).toBe(201);
    expect(entry(res.body, 'ops')).toMatchObject({ operation: 'Apply', apiVersion: 'batch/v1' });
    expect(res.body.spec.concurrencyPolicy).toBe('Allow');
  });

  test('an apply changing a field another applier owns is a 409 with one cause per field', async () => {
    const res = await server.request<Status>('PATCH', `${CRONJOBS}/applied?fieldManager=dev`, {
      body: cronJob('0 * * * *'),
      contentType: APPLY,
    });
    expect(res.code, res.text).toBe(409);
    expect(res.body.reason).toBe('Conflict');
    expect(res.body.message).toBe('Apply failed with 1 conflict: conflict with "ops": .spec.schedule');
    expect(res.body.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "ops"', field: '.spec.schedule' },
    ]);
    const forced = await server.request<Obj>('PATCH', `${CRONJOBS}/applied?fieldManager=dev&force=true`, {
      body: cronJob('0 * * * *'),
      contentType: APPLY,
    });
    expect(forced.code, forced.text).toBe(200);
    expect(forced.body.spec.schedule).toBe('0 * * * *');
    expect(entry(forced.body, 'ops')?.fieldsV1['f:spec']).not.toHaveProperty('f:schedule');
  });

  test('an apply to /status is recorded with its subresource', async () => {
    const res = await server.request<Obj>('PATCH', `${CRONJOBS}/applied/status?fieldManager=clock`, {
      body: JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'applied' },
        status: { lastScheduleTime: '2026-01-01T00:00:00Z' },
      }),
      contentType: APPLY,
    });
    expect(res.code, res.text).toBe(200);
    expect(res.body.status?.lastScheduleTime).toBe('2026-01-01T00:00:00Z');
    expect(entry(res.body, 'clock')).toMatchObject({ operation: 'Apply', subresource: 'status' });
  });

  const invalid: Array<{ name: string; path: string; body: string; code: number; message: string }> = [
    {
      name: 'an apply without a field manager',
      path: `${CRONJOBS}/applied`,
      body: cronJob('0 * * * *'),
      code: 422,
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    },
    {
      name: 'an apply naming another object than the URL',
      path: `${CRONJOBS}/other?fieldManager=ops`,
      body: cronJob('0 * * * *'),
      code: 400,
      message: 'the name of the object (applied) does not match the name on the URL (other)',
    },
    {
      name: 'an apply body that is not an object',
      path: `${CRONJOBS}/applied?fieldManager=ops`,
      body: '[1, 2]',
      code: 400,
      message:
        'error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}',
    },
  ];
  test.each(invalid)('$name is refused', async (tc) => {
    const res = await server.request<Status>('PATCH', tc.path, { body: tc.body, contentType: APPLY });
    expect(res.code, res.text).toBe(tc.code);
    expect(res.body.message).toBe(tc.message);
  });
});
