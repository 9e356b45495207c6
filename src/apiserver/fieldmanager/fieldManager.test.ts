import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { describe, expect, test } from 'vitest';
import { updateManagedFields } from './fieldManager.js';
import { resetFieldsFor } from './resetFields.js';
import {
  at,
  catalog,
  entryNames,
  entryOf,
  JOB,
  type JobShape,
  job,
  jobBody,
  managedOf,
  stamp,
  stored,
  updateEntry,
} from './testdata/objects.js';

type Obj = Record<string, unknown>;

/** One write through the main resource or a subresource, recorded as upstream records it. */
function write(
  live: Obj | undefined,
  next: Obj,
  manager: string,
  seconds: number,
  extra: { subresource?: string; sentManagedFields?: unknown } = {},
): ManagedFieldsEntry[] {
  return updateManagedFields({
    catalog,
    typeName: JOB,
    apiVersion: 'batch/v1',
    live,
    next,
    manager,
    time: at(seconds),
    resetFields: resetFieldsFor('Job', extra.subresource),
    ...extra,
  });
}

/** Creates the Job, then stores it with what the create recorded. */
function created(shape: JobShape, manager = 'kubectl-create'): Obj {
  const next = job(shape);
  return stored(next, write(undefined, next, manager, 0));
}

/** Applies `shape` over `live` as `manager`, returning the stored result. */
function updated(live: Obj, shape: JobShape, manager: string, seconds: number, subresource?: string): Obj {
  const next = job({ ...shape, managedFields: managedOf(live) });
  return stored(next, write(live, next, manager, seconds, subresource ? { subresource } : {}));
}

const spec = (fields: Obj) => ({ 'f:spec': fields });
const TEMPLATE = {
  'f:template': {
    'f:spec': {
      'f:containers': { 'k:{"name":"pi"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:resources': {} } },
      'f:restartPolicy': {},
    },
  },
};

describe('managedFields on create and update', () => {
  test('a create records one Update entry owning what the client set, not the server’s metadata', () => {
    const obj = created({ labels: { app: 'pi' }, backoffLimit: 4 });
    expect(managedOf(obj)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'batch/v1',
        time: stamp(0),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': { 'f:backoffLimit': {}, ...TEMPLATE },
        },
      },
    ]);
  });

  test('the FieldsV1 of a create serializes as upstream writes it', () =>
    expect(JSON.stringify(managedOf(created({ backoffLimit: 4 }))[0]?.fieldsV1)).toBe(
      '{"f:spec":{"f:backoffLimit":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"pi\\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}},"f:restartPolicy":{}}}}}',
    ));

  test('a field changed by another manager moves to it; only the changer’s time moves', () => {
    const obj = updated(
      created({ backoffLimit: 4, parallelism: 1 }),
      { backoffLimit: 6, parallelism: 1 },
      'kubectl-edit',
      60,
    );
    expect(entryNames(managedOf(obj))).toEqual(['kubectl-create/Update', 'kubectl-edit/Update']);
    expect(entryOf(managedOf(obj), 'kubectl-create')).toMatchObject({
      time: stamp(0),
      fieldsV1: spec({ 'f:parallelism': {}, ...TEMPLATE }),
    });
    expect(entryOf(managedOf(obj), 'kubectl-edit')).toMatchObject({
      time: stamp(60),
      fieldsV1: spec({ 'f:backoffLimit': {} }),
    });
  });

  test('an update that changes nothing leaves entries and times alone', () => {
    const before = created({ backoffLimit: 4 });
    const after = updated(before, { backoffLimit: 4 }, 'kubectl-edit', 60);
    expect(managedOf(after)).toEqual(managedOf(before));
  });

  test('a manager that changes more fields adds them to its entry and moves its time', () => {
    const obj = updated(
      created({ backoffLimit: 4 }),
      { backoffLimit: 4, parallelism: 2 },
      'kubectl-create',
      30,
    );
    expect(managedOf(obj)).toMatchObject([
      {
        manager: 'kubectl-create',
        time: stamp(30),
        fieldsV1: spec({ 'f:backoffLimit': {}, 'f:parallelism': {}, ...TEMPLATE }),
      },
    ]);
  });

  test('a field removed by an update leaves its owner, and an owner left with nothing disappears', () => {
    const edited = updated(created({ backoffLimit: 4 }), { backoffLimit: 5 }, 'kubectl-edit', 60);
    const removed = updated(edited, {}, 'other', 90);
    expect(entryNames(managedOf(removed))).toEqual(['kubectl-create/Update']);
  });

  test('a status write is its own entry with subresource status and owns no spec change it carried', () => {
    const live = created({ backoffLimit: 4 });
    const obj = updated(live, { backoffLimit: 9, status: { active: 1 } }, 'job-controller', 60, 'status');
    expect(entryOf(managedOf(obj), 'job-controller')).toEqual(
      updateEntry('job-controller', 60, { 'f:status': { 'f:active': {} } }, 'status'),
    );
    expect(entryOf(managedOf(obj), 'kubectl-create')?.fieldsV1).toEqual(
      spec({ 'f:backoffLimit': {}, ...TEMPLATE }),
    );
  });

  test('a main-resource write that carries a status owns none of it', () => {
    const obj = updated(
      created({ backoffLimit: 4 }),
      { backoffLimit: 4, status: { active: 1 } },
      'kubectl-replace',
      60,
    );
    expect(entryNames(managedOf(obj))).toEqual(['kubectl-create/Update']);
  });

  test('a manager with no name is recorded as unknown', () =>
    expect(entryNames(managedOf(created({}, '')))).toEqual(['unknown/Update']));

  test('Apply entries come first, then Update entries oldest first', () => {
    const entries = [
      updateEntry('late', 50, { 'f:spec': { 'f:parallelism': {} } }),
      updateEntry('early', 10, { 'f:spec': { 'f:completions': {} } }),
      { ...updateEntry('applier', 90, { 'f:spec': { 'f:backoffLimit': {} } }), operation: 'Apply' },
    ];
    const live = stored(jobBody({ backoffLimit: 1, parallelism: 1 }), entries);
    const next = job({ backoffLimit: 1, parallelism: 1, labels: { a: 'b' }, managedFields: entries });
    expect(entryNames(write(live, next, 'labeler', 100))).toEqual([
      'applier/Apply',
      'early/Update',
      'late/Update',
      'labeler/Update',
    ]);
  });
});

describe('managedFields a client sends', () => {
  const live = created({ backoffLimit: 4 });
  const mine = [updateEntry('mine', 5, { 'f:spec': { 'f:backoffLimit': {} } })];

  const cases: Array<{ name: string; sent: unknown; subresource?: string; want: string[] }> = [
    {
      name: 'sending none keeps the live entries',
      sent: undefined,
      want: ['kubectl-create/Update', 'kubectl-edit/Update'],
    },
    { name: 'sent entries replace the live ones', sent: mine, want: ['mine/Update', 'kubectl-edit/Update'] },
    { name: 'an empty list clears them for good', sent: [], want: [] },
    { name: 'a list of one empty entry clears them too', sent: [{}], want: [] },
    {
      name: 'entries that cannot be read are ignored in favour of the live ones',
      sent: [{ manager: 'x', operation: 'Patch', apiVersion: 'batch/v1', fieldsType: 'FieldsV1' }],
      want: ['kubectl-create/Update', 'kubectl-edit/Update'],
    },
    {
      name: 'a status write ignores them',
      sent: mine,
      subresource: 'status',
      want: ['kubectl-create/Update', 'kubectl-edit/Update/status'],
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const next = job({ backoffLimit: 4, status: { active: 2 }, parallelism: 3 });
      const entries = write(live, next, 'kubectl-edit', 60, {
        sentManagedFields: tc.sent,
        ...(tc.subresource && { subresource: tc.subresource }),
      });
      expect(entryNames(entries)).toEqual(tc.want);
    });
  }
});

describe('objects without managedFields', () => {
  test('an existing object stored without entries stays without them', () => {
    const live = stored(jobBody({ backoffLimit: 1 }), []);
    expect(write(live, job({ backoffLimit: 2 }), 'kubectl-edit', 60)).toEqual([]);
  });

  test('an object whose lists cannot be keyed drops its entries rather than failing the write', () => {
    const live = created({ backoffLimit: 1 });
    const next = job({ backoffLimit: 2, managedFields: managedOf(live) });
    (next.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers = [
      { image: 'x' },
    ];
    expect(write(live, next, 'kubectl-edit', 60)).toEqual([]);
  });
});

describe('at most ten Update managers', () => {
  const labels = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, 'v']));
  const entries = Array.from({ length: 10 }, (_, i) =>
    updateEntry(`m${i}`, i, { 'f:metadata': { 'f:labels': { [`f:l${i}`]: {} } } }),
  );
  const live = stored(jobBody({ labels: labels(10) }), entries);

  test('an eleventh manager folds the two oldest into ancient-changes, with the later one’s time', () => {
    const out = write(live, job({ labels: labels(11), managedFields: entries }), 'm10', 100);
    expect(out).toHaveLength(10);
    expect(entryOf(out, 'ancient-changes')).toEqual(
      updateEntry('ancient-changes', 1, { 'f:metadata': { 'f:labels': { 'f:l0': {}, 'f:l1': {} } } }),
    );
    expect(entryNames(out)).toEqual([
      'ancient-changes/Update',
      ...Array.from({ length: 8 }, (_, i) => `m${i + 2}/Update`),
      'm10/Update',
    ]);
  });

  test('a tenth manager is kept as it is', () => {
    const nine = entries.slice(0, 9);
    const out = write(
      stored(jobBody({ labels: labels(9) }), nine),
      job({ labels: labels(10), managedFields: nine }),
      'new',
      100,
    );
    expect(out).toHaveLength(10);
    expect(entryOf(out, 'ancient-changes')).toBeUndefined();
  });
});
