import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../../api/meta/status.js';
import { ApplyConflictError } from './conflict.js';
import { applyPatch, updateManagedFields } from './fieldManager.js';
import { LAST_APPLIED_ANNOTATION } from './lastApplied.js';
import { resetFieldsFor } from './resetFields.js';
import {
  at,
  catalog,
  config,
  entryNames,
  entryOf,
  JOB,
  job,
  jobBody,
  managedOf,
  podTemplate,
  stamp,
  stored,
  updateEntry,
} from './testdata/objects.js';
import { TypedValueError } from './typed.js';

type Obj = Record<string, unknown>;

/** Applies and stores the result, as the registry would after defaulting and validation. */
function apply(
  live: Obj | undefined,
  cfg: Obj,
  manager: string,
  seconds: number,
  opts: { force?: boolean; subresource?: string } = {},
): Obj {
  const { object, managedFields } = applyPatch({
    catalog,
    typeName: JOB,
    apiVersion: 'batch/v1',
    live,
    applied: cfg,
    manager,
    force: opts.force ?? false,
    time: at(seconds),
    resetFields: resetFieldsFor('Job', opts.subresource),
    ...(opts.subresource && { subresource: opts.subresource }),
  });
  return stored(object, managedFields);
}

/** A non-apply write of `next` (kubectl edit, a controller). */
function update(
  live: Obj,
  change: (o: Obj) => void,
  manager: string,
  seconds: number,
  subresource?: string,
): Obj {
  const next = structuredClone(live);
  change(next);
  const entries = updateManagedFields({
    catalog,
    typeName: JOB,
    apiVersion: 'batch/v1',
    live,
    next,
    manager,
    time: at(seconds),
    resetFields: resetFieldsFor('Job', subresource),
    ...(subresource && { subresource }),
  });
  return stored(next, entries);
}

const spec = (o: Obj) => o.spec as Obj & { template: { spec: { containers: Array<Obj & { env?: Obj[] }> } } };
const conflictOf = (run: () => unknown): ApplyConflictError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ApplyConflictError) return err;
    throw err;
  }
  throw new Error('expected a conflict');
};
const fieldsOf = (entries: ManagedFieldsEntry[], manager: string) => entryOf(entries, manager)?.fieldsV1;

const base = config({ backoffLimit: 3, ...podTemplate({ name: 'pi', image: 'perl' }) });

describe('applying to a missing object', () => {
  const obj = apply(undefined, base, 'kubectl', 0);

  test('creates it from the configuration', () => {
    expect(spec(obj).backoffLimit).toBe(3);
    expect(spec(obj).template.spec.containers).toMatchObject([{ name: 'pi', image: 'perl' }]);
  });

  test('records one Apply entry owning exactly what was applied', () =>
    expect(managedOf(obj)).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'batch/v1',
        time: stamp(0),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:backoffLimit': {},
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"pi"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]));
});

describe('ownership between managers', () => {
  const first = apply(undefined, base, 'kubectl', 0);

  test('two appliers setting the same value share the field without conflict', () => {
    const second = apply(first, config({ backoffLimit: 3 }), 'other', 10);
    expect(fieldsOf(managedOf(second), 'other')).toEqual({ 'f:spec': { 'f:backoffLimit': {} } });
    expect(fieldsOf(managedOf(second), 'kubectl')).toEqual(fieldsOf(managedOf(first), 'kubectl'));
  });

  test('a second applier changing the value conflicts with the first', () => {
    const err = conflictOf(() => apply(first, config({ backoffLimit: 5 }), 'other', 10));
    expect(err.status.code).toBe(409);
    expect(err.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.backoffLimit');
    expect(err.conflicts).toEqual([{ manager: 'kubectl', field: '.spec.backoffLimit' }]);
  });

  test('after kubectl edit changes a field, re-applying the old value conflicts with the editor', () => {
    const edited = update(first, (o) => ((o.spec as Obj).backoffLimit = 6), 'kubectl-edit', 20);
    const err = conflictOf(() => apply(edited, base, 'kubectl', 30));
    expect(err.status).toMatchObject({
      reason: 'Conflict',
      message:
        'Apply failed with 1 conflict: conflict with "kubectl-edit" using batch/v1: .spec.backoffLimit',
      details: {
        causes: [
          {
            reason: 'FieldManagerConflict',
            message: 'conflict with "kubectl-edit" using batch/v1',
            field: '.spec.backoffLimit',
          },
        ],
      },
    });
  });

  test('force takes the field: the value is applied and the editor loses it', () => {
    const edited = update(first, (o) => ((o.spec as Obj).backoffLimit = 6), 'kubectl-edit', 20);
    const forced = apply(edited, base, 'kubectl', 30, { force: true });
    expect(spec(forced).backoffLimit).toBe(3);
    expect(entryNames(managedOf(forced))).toEqual(['kubectl/Apply']);
    expect(entryOf(managedOf(forced), 'kubectl')?.time).toBe(stamp(30));
  });

  test('several conflicts are listed by manager in name order', () => {
    const a = update(first, (o) => ((o.spec as Obj).backoffLimit = 6), 'zeta', 20);
    const b = update(
      a,
      (o) => {
        (o.spec as Obj).parallelism = 2;
        (o.spec as Obj).completions = 2;
      },
      'alpha',
      30,
    );
    const err = conflictOf(() =>
      apply(b, config({ backoffLimit: 1, parallelism: 1, completions: 1 }), 'other', 40),
    );
    expect(err.message).toBe(
      [
        'Apply failed with 3 conflicts: conflicts with "alpha" using batch/v1:',
        '- .spec.completions',
        '- .spec.parallelism',
        'conflicts with "zeta" using batch/v1:',
        '- .spec.backoffLimit',
      ].join('\n'),
    );
  });
});

describe('fields the applier drops', () => {
  const withEnv = config(
    podTemplate({
      name: 'pi',
      image: 'perl',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
    }),
  );

  test('an env var left out of the next apply is removed from the container', () => {
    const first = apply(undefined, withEnv, 'kubectl', 0);
    const next = apply(
      first,
      config(podTemplate({ name: 'pi', image: 'perl', env: [{ name: 'A', value: '1' }] })),
      'kubectl',
      10,
    );
    expect(spec(next).template.spec.containers[0]?.env).toEqual([{ name: 'A', value: '1' }]);
  });

  test('a dropped field another manager also owns stays, and the applier no longer owns it', () => {
    const first = apply(undefined, config({ backoffLimit: 3, parallelism: 2 }), 'kubectl', 0);
    const shared = apply(first, config({ parallelism: 2 }), 'other', 5);
    const next = apply(shared, config({ backoffLimit: 3 }), 'kubectl', 10);
    expect(spec(next).parallelism).toBe(2);
    expect(fieldsOf(managedOf(next), 'kubectl')).toEqual({ 'f:spec': { 'f:backoffLimit': {} } });
  });

  test('a dropped container goes with everything it held', () => {
    const two = config(podTemplate({ name: 'a', image: 'x' }, { name: 'b', image: 'y' }));
    const first = apply(undefined, two, 'kubectl', 0);
    const next = apply(first, config(podTemplate({ name: 'a', image: 'x' })), 'kubectl', 10);
    expect(spec(next).template.spec.containers.map((c) => c.name)).toEqual(['a']);
  });

  test('a field set by an Update is not removed when an applier that never set it omits it', () => {
    const first = apply(undefined, base, 'kubectl', 0);
    const edited = update(first, (o) => ((o.spec as Obj).parallelism = 4), 'kubectl-edit', 5);
    expect(spec(apply(edited, base, 'kubectl', 10)).parallelism).toBe(4);
  });
});

describe('applies that change nothing', () => {
  test('a new applier whose apply changes nothing gets an entry without a time, sorted first', () => {
    const second = apply(apply(undefined, base, 'kubectl', 0), config({ backoffLimit: 3 }), 'other', 10);
    expect(entryNames(managedOf(second))).toEqual(['other/Apply', 'kubectl/Apply']);
    expect(entryOf(managedOf(second), 'other')).not.toHaveProperty('time');
  });

  test('re-applying the same configuration keeps the object and the applier’s time', () => {
    const first = apply(undefined, base, 'kubectl', 0);
    const again = apply(first, base, 'kubectl', 50);
    expect(again).toEqual(first);
  });
});

describe('subresources and reset fields', () => {
  test('a status apply is its own entry and owns only status fields', () => {
    const first = apply(undefined, base, 'kubectl', 0);
    const cfg = { ...config({ backoffLimit: 9 }), status: { active: 1 } };
    const out = apply(first, cfg, 'controller', 10, { subresource: 'status' });
    expect(entryOf(managedOf(out), 'controller')).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:active': {} } },
    });
  });

  test('a main-resource apply owns none of the status it sends', () => {
    const out = apply(undefined, { ...base, status: { active: 1 } }, 'kubectl', 0);
    expect(fieldsOf(managedOf(out), 'kubectl')).not.toHaveProperty('f:status');
  });

  test('a conflict with a status writer names its subresource', () => {
    const first = apply(undefined, base, 'kubectl', 0);
    const ctl = apply(first, { ...config({}), status: { active: 1 } }, 'ctl', 10, { subresource: 'status' });
    const err = conflictOf(() =>
      apply(ctl, { ...config({}), status: { active: 2 } }, 'other', 20, { subresource: 'status' }),
    );
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "ctl" with subresource "status": .status.active',
    );
  });
});

describe('objects stored before managedFields', () => {
  const legacy = stored(jobBody({ backoffLimit: 1 }), []);

  test('their fields belong to before-first-apply, which an apply conflicts with', () => {
    const err = conflictOf(() => apply(legacy, config({ backoffLimit: 2 }), 'kubectl', 10));
    expect(err.message).toBe(
      'Apply failed with 1 conflict: conflict with "before-first-apply" using batch/v1: .spec.backoffLimit',
    );
  });

  test('an apply of new fields leaves the old ones to before-first-apply', () => {
    const out = apply(legacy, config({ parallelism: 2 }), 'kubectl', 10);
    expect(entryNames(managedOf(out))).toEqual(['kubectl/Apply', 'before-first-apply/Update']);
  });
});

describe('moving from client-side to server-side apply', () => {
  const annotated = (lastBackoff: number, liveBackoff: number) => {
    const last = JSON.stringify(config({ backoffLimit: lastBackoff }));
    const entries = [
      updateEntry('kubectl-client-side-apply', 0, {
        'f:metadata': { 'f:annotations': { '.': {}, [`f:${LAST_APPLIED_ANNOTATION}`]: {} } },
        'f:spec': { 'f:backoffLimit': {} },
      }),
    ];
    return stored(
      jobBody({ backoffLimit: liveBackoff, annotations: { [LAST_APPLIED_ANNOTATION]: last } }),
      entries,
    );
  };

  test('kubectl may take fields still as the last client-side apply set them, and refreshes the annotation', () => {
    const cfg = config({ backoffLimit: 4 });
    const out = apply(annotated(3, 3), cfg, 'kubectl', 10);
    expect(spec(out).backoffLimit).toBe(4);
    const annotation = ((out.metadata as Obj).annotations as Record<string, string>)[LAST_APPLIED_ANNOTATION];
    expect(annotation).toBe(
      '{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi","namespace":"default"},"spec":{"backoffLimit":4}}\n',
    );
  });

  test('a field changed since the last client-side apply still conflicts', () => {
    const err = conflictOf(() => apply(annotated(3, 5), config({ backoffLimit: 4 }), 'kubectl', 10));
    expect(err.conflicts).toEqual([{ manager: 'kubectl-client-side-apply', field: '.spec.backoffLimit' }]);
  });

  test('another manager name gets no such allowance', () => {
    expect(() => apply(annotated(3, 3), config({ backoffLimit: 4 }), 'helm', 10)).toThrow(ApplyConflictError);
  });
});

describe('configurations that cannot be applied', () => {
  const cases: Array<{ name: string; cfg: Obj; live?: Obj; error: RegExp; type: unknown }> = [
    {
      name: 'another kind is a bad request',
      cfg: { ...base, kind: 'CronJob' },
      error: /^invalid object type: batch\/v1, Kind=CronJob$/,
      type: ApiError,
    },
    {
      name: 'a configuration that carries managedFields is a bad request',
      cfg: config({}, { managedFields: [] }),
      error: /^metadata.managedFields must be nil$/,
      type: ApiError,
    },
    {
      name: 'an undeclared field fails the typed conversion',
      cfg: config({ foo: 1 }),
      error:
        /^failed to create typed patch object \(default\/pi; batch\/v1, Kind=Job\): \.spec\.foo: field not declared in schema$/,
      type: TypedValueError,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const run = () => apply(tc.live ?? job(), tc.cfg, 'kubectl', 0);
      expect(run).toThrow(tc.error);
      expect(run).toThrow(tc.type as never);
    });
  }
});
