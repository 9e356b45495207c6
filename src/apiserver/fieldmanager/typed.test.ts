import { describe, expect, test } from 'vitest';
import { FieldSet } from './fieldSet.js';
import { fieldElement, keyElement, pathOf, pathString } from './pathElement.js';
import { catalog, config, JOB, podTemplate } from './testdata/objects.js';
import { compareObjects, ensureNamedFieldsAreMembers, toFieldSet, validateTyped } from './typed.js';

const paths = (s: FieldSet) => s.paths().map(pathString);
const C = '.spec.template.spec.containers';

describe('the fields an object sets', () => {
  const cases: Array<{ name: string; obj: Record<string, unknown>; want: string[] }> = [
    {
      name: 'a scalar is owned as itself, its parents only through it',
      obj: { spec: { backoffLimit: 3 } },
      want: ['.spec.backoffLimit'],
    },
    {
      name: 'labels are owned key by key',
      obj: { metadata: { labels: { app: 'pi', tier: 'batch' } } },
      want: ['.metadata.labels.app', '.metadata.labels.tier'],
    },
    {
      name: 'a container is owned as an item of the list keyed by name, and field by field',
      obj: { spec: podTemplate({ name: 'pi', image: 'perl' }) },
      want: [`${C}[name="pi"]`, `${C}[name="pi"].image`, `${C}[name="pi"].name`],
    },
    {
      name: 'a port without a protocol is keyed with the default protocol',
      obj: { spec: podTemplate({ name: 'pi', ports: [{ containerPort: 80 }] }) },
      want: [
        `${C}[name="pi"]`,
        `${C}[name="pi"].name`,
        `${C}[name="pi"].ports[containerPort=80,protocol="TCP"]`,
        `${C}[name="pi"].ports[containerPort=80,protocol="TCP"].containerPort`,
      ],
    },
    {
      name: 'finalizers are a set, each owned by its value',
      obj: { metadata: { finalizers: ['a', 'b'] } },
      want: ['.metadata.finalizers[="a"]', '.metadata.finalizers[="b"]'],
    },
    {
      name: 'an atomic list, an atomic struct and an atomic map are owned whole',
      obj: {
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'pi', args: ['-x'] }] } },
        },
      },
      want: [
        '.spec.selector',
        '.spec.template.spec.nodeSelector',
        `${C}[name="pi"]`,
        `${C}[name="pi"].args`,
        `${C}[name="pi"].name`,
      ],
    },
    {
      name: 'a null and an empty object are owned as themselves',
      obj: {
        metadata: { creationTimestamp: null },
        spec: podTemplate({ name: 'pi', resources: {} } as never),
      },
      want: [
        '.metadata.creationTimestamp',
        `${C}[name="pi"]`,
        `${C}[name="pi"].name`,
        `${C}[name="pi"].resources`,
      ],
    },
    {
      name: 'resource quantities are owned per resource name',
      obj: { spec: podTemplate({ name: 'pi', resources: { limits: { cpu: '1' } } } as never) },
      want: [`${C}[name="pi"]`, `${C}[name="pi"].name`, `${C}[name="pi"].resources.limits.cpu`],
    },
    {
      name: 'duplicated list items are owned as a whole, nothing below them',
      obj: { spec: podTemplate({ name: 'a', image: 'x' }, { name: 'a', image: 'y' }) },
      want: [`${C}[name="a"]`],
    },
  ];
  for (const tc of cases)
    test(tc.name, () => expect(paths(toFieldSet(catalog, JOB, tc.obj))).toEqual(tc.want));
});

describe('comparing two objects', () => {
  const cases: Array<{
    name: string;
    from: Record<string, unknown>;
    to: Record<string, unknown>;
    want: { modified?: string[]; added?: string[]; removed?: string[] };
  }> = [
    {
      name: 'a changed scalar is modified',
      from: { spec: { backoffLimit: 3 } },
      to: { spec: { backoffLimit: 4 } },
      want: { modified: ['.spec.backoffLimit'] },
    },
    {
      name: 'a new label is added with its map, which was absent',
      from: { metadata: { name: 'pi' } },
      to: { metadata: { name: 'pi', labels: { app: 'pi' } } },
      want: { added: ['.metadata.labels', '.metadata.labels.app'] },
    },
    {
      name: 'a removed container is removed with each of its fields',
      from: { spec: podTemplate({ name: 'a' }, { name: 'b', image: 'x' }) },
      to: { spec: podTemplate({ name: 'a' }) },
      want: { removed: [`${C}[name="b"]`, `${C}[name="b"].image`, `${C}[name="b"].name`] },
    },
    {
      name: 'reordering a keyed list changes nothing',
      from: { spec: podTemplate({ name: 'a' }, { name: 'b' }) },
      to: { spec: podTemplate({ name: 'b' }, { name: 'a' }) },
      want: {},
    },
    {
      name: 'an atomic list that changes is modified as a whole',
      from: { spec: podTemplate({ name: 'a', args: ['1'] } as never) },
      to: { spec: podTemplate({ name: 'a', args: ['1', '2'] } as never) },
      want: { modified: [`${C}[name="a"].args`] },
    },
    {
      name: 'a set loses one value',
      from: { metadata: { finalizers: ['x', 'y'] } },
      to: { metadata: { finalizers: ['y'] } },
      want: { removed: ['.metadata.finalizers[="x"]'] },
    },
    {
      name: 'an empty list where there was none is added as a leaf',
      from: { spec: {} },
      to: { spec: { template: { spec: { volumes: [] } } } },
      want: { added: ['.spec.template', '.spec.template.spec', '.spec.template.spec.volumes'] },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const c = compareObjects(catalog, JOB, tc.from, tc.to);
      expect({ modified: paths(c.modified), added: paths(c.added), removed: paths(c.removed) }).toEqual({
        modified: [],
        added: [],
        removed: [],
        ...tc.want,
      });
    });
  }
});

test('named struct fields above owned fields become members, map keys and list items do not change', () => {
  const set = FieldSet.of(
    [
      ...pathOf('spec', 'template', 'spec', 'containers'),
      keyElement([['name', 'pi']]),
      fieldElement('image'),
    ],
    pathOf('metadata', 'labels', 'app'),
  );
  expect(paths(ensureNamedFieldsAreMembers(catalog, JOB, set))).toEqual([
    '.metadata',
    '.spec',
    '.metadata.labels',
    '.metadata.labels.app',
    '.spec.template',
    '.spec.template.spec',
    '.spec.template.spec.containers',
    `${C}[name="pi"].image`,
  ]);
});

describe('an applied configuration must fit the schema', () => {
  const cases: Array<{ name: string; obj: Record<string, unknown>; error?: string }> = [
    {
      name: 'a well-formed configuration passes',
      obj: config({ backoffLimit: 1, ...podTemplate({ name: 'a' }) }),
    },
    {
      name: 'an undeclared field is named with its path',
      obj: config({ foo: 1 }),
      error: '.spec.foo: field not declared in schema',
    },
    {
      name: 'two containers of one name are duplicates',
      obj: config(podTemplate({ name: 'a' }, { name: 'a' })),
      error: `${C}: duplicate entries for key [name="a"]`,
    },
    {
      name: 'a container without a name has no key',
      obj: config({ template: { spec: { containers: [{ image: 'x' }] } } }),
      error: `${C}: element 0: associative list with keys has an element that omits key field "name" (and doesn't have default value)`,
    },
    {
      name: 'an object where a list belongs is rejected',
      obj: config({ template: { spec: { containers: { name: 'a' } } } }),
      error: `${C}: expected list, got {"name":"a"}`,
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const run = () => validateTyped(catalog, JOB, tc.obj);
      if (tc.error) expect(run).toThrow(tc.error);
      else expect(run).not.toThrow();
    });
  }
});
