import { describe, expect, test } from 'vitest';
import { FieldSet } from './fieldSet.js';
import { mergeObjects, removeItems } from './merge.js';
import { fieldElement, keyElement, type Path, pathOf, valueElement } from './pathElement.js';
import { catalog, JOB, podTemplate } from './testdata/objects.js';

const containers = (obj: unknown) =>
  (obj as { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } }).spec.template.spec
    .containers;
const names = (obj: unknown) => containers(obj).map((c) => c.name);
const container = (name: string): Path => [
  ...pathOf('spec', 'template', 'spec', 'containers'),
  keyElement([['name', name]]),
];

describe('merging a configuration into a live object', () => {
  test('a scalar takes the configuration’s value', () =>
    expect(
      mergeObjects(
        catalog,
        JOB,
        { spec: { backoffLimit: 1, parallelism: 2 } },
        { spec: { backoffLimit: 5 } },
      ),
    ).toEqual({ spec: { backoffLimit: 5, parallelism: 2 } }));

  test('labels merge key by key', () =>
    expect(
      mergeObjects(
        catalog,
        JOB,
        { metadata: { labels: { a: '1', b: '2' } } },
        { metadata: { labels: { b: '3', c: '4' } } },
      ),
    ).toEqual({ metadata: { labels: { a: '1', b: '3', c: '4' } } }));

  const orders: Array<{ name: string; live: string[]; applied: string[]; want: string[] }> = [
    {
      name: 'shared containers take the applied order',
      live: ['a', 'b'],
      applied: ['b', 'a'],
      want: ['b', 'a'],
    },
    {
      name: 'live-only containers stay where they were and new ones follow the shared ones',
      live: ['a', 'x', 'b'],
      applied: ['b', 'c'],
      want: ['a', 'x', 'b', 'c'],
    },
    {
      name: 'a new container applied first comes before the shared one',
      live: ['a', 'b'],
      applied: ['c', 'a'],
      want: ['c', 'a', 'b'],
    },
  ];
  for (const tc of orders) {
    test(tc.name, () => {
      const live = { spec: podTemplate(...tc.live.map((name) => ({ name }))) };
      const applied = { spec: podTemplate(...tc.applied.map((name) => ({ name }))) };
      expect(names(mergeObjects(catalog, JOB, live, applied))).toEqual(tc.want);
    });
  }

  test('a container merges field by field and its env by name', () => {
    const live = { spec: podTemplate({ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }) };
    const applied = { spec: podTemplate({ name: 'a', env: [{ name: 'B', value: '2' }] }) };
    expect(containers(mergeObjects(catalog, JOB, live, applied))).toEqual([
      {
        name: 'a',
        image: 'x',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
    ]);
  });

  test('an atomic list is replaced', () =>
    expect(
      containers(
        mergeObjects(
          catalog,
          JOB,
          { spec: podTemplate({ name: 'a', args: ['1', '2'] } as never) },
          { spec: podTemplate({ name: 'a', args: ['3'] } as never) },
        ),
      )[0]?.args,
    ).toEqual(['3']));

  test('a set takes the union, a live-only value staying after its live neighbour', () =>
    expect(
      mergeObjects(
        catalog,
        JOB,
        { metadata: { finalizers: ['x', 'y'] } },
        { metadata: { finalizers: ['z', 'x'] } },
      ),
    ).toEqual({ metadata: { finalizers: ['z', 'x', 'y'] } }));

  test('an atomic struct is replaced whole', () =>
    expect(
      mergeObjects(
        catalog,
        JOB,
        { spec: { selector: { matchLabels: { a: 'b' } } } },
        { spec: { selector: { matchExpressions: [{ key: 'k', operator: 'Exists' }] } } },
      ),
    ).toEqual({ spec: { selector: { matchExpressions: [{ key: 'k', operator: 'Exists' }] } } }));

  test('merging into nothing gives the configuration', () =>
    expect(mergeObjects(catalog, JOB, undefined, { spec: { backoffLimit: 1 } })).toEqual({
      spec: { backoffLimit: 1 },
    }));
});

describe('removing fields', () => {
  const live = {
    metadata: { labels: { a: '1', b: '2' }, finalizers: ['x', 'y'] },
    spec: podTemplate({ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }, { name: 'b', image: 'y' }),
  };
  const cases: Array<{ name: string; remove: Path[]; want: unknown }> = [
    {
      name: 'a label goes, the others stay',
      remove: [pathOf('metadata', 'labels', 'a')],
      want: { ...live, metadata: { labels: { b: '2' }, finalizers: ['x', 'y'] } },
    },
    {
      name: 'a set value goes',
      remove: [[...pathOf('metadata', 'finalizers'), valueElement('x')]],
      want: { ...live, metadata: { labels: { a: '1', b: '2' }, finalizers: ['y'] } },
    },
    {
      name: 'a container owned as an item goes whole',
      remove: [container('b')],
      want: { ...live, spec: podTemplate({ name: 'a', image: 'x', env: [{ name: 'A', value: '1' }] }) },
    },
    {
      name: 'removing a list’s last item leaves null, which decoding drops',
      remove: [[...container('a'), fieldElement('env'), keyElement([['name', 'A']])]],
      want: {
        ...live,
        spec: podTemplate({ name: 'a', image: 'x', env: null } as never, { name: 'b', image: 'y' }),
      },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => expect(removeItems(catalog, JOB, live, FieldSet.of(...tc.remove))).toEqual(tc.want));
  }
});
