import { describe, expect, test } from 'vitest';
import { pathString } from './pathElement.js';
import { catalog, JOB } from './testdata/objects.js';
import { compareObjects, TypedValueError } from './typed.js';

// Equal parts of two objects are not walked field by field; these pin what that must keep.

const job = (containers: unknown[]) => ({
  spec: { template: { spec: { containers } } },
  metadata: { labels: { a: 'b' } },
});

describe('comparing objects whose parts are equal', () => {
  test('equal objects compare as no change at all', () => {
    const c = compareObjects(
      catalog,
      JOB,
      job([{ name: 'c', image: 'x' }]),
      job([{ name: 'c', image: 'x' }]),
    );
    expect([c.added, c.modified, c.removed].map((s) => s.paths().length)).toEqual([0, 0, 0]);
  });

  const invalid: Array<{ name: string; containers: unknown[]; message: RegExp }> = [
    {
      name: 'a keyed item without its key still fails',
      containers: [{ image: 'x' }],
      message: /omits key field "name"/,
    },
    { name: 'a keyed item that is not a map still fails', containers: ['c'], message: /non-map elements/ },
  ];
  test.each(invalid)('$name, with the list path in the error', ({ containers, message }) => {
    const l = { ...job(containers), status: { active: 1 } };
    const r = { ...job(containers), status: { active: 2 } };
    let err: unknown;
    try {
      compareObjects(catalog, JOB, l, r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypedValueError);
    expect((err as TypedValueError).message).toMatch(message);
    expect((err as TypedValueError).path).toBe('.spec.template.spec.containers');
  });

  test('duplicated items are not read below, as the full comparison does not', () => {
    const dup = [
      { name: 'c', ports: [{ protocol: 'TCP' }] },
      { name: 'c', ports: [{ protocol: 'TCP' }] },
    ];
    const c = compareObjects(catalog, JOB, job(dup), job(dup));
    expect(c.modified.paths().map(pathString)).toEqual([]);
  });
});
