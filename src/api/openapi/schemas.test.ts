import { describe, expect, test } from 'vitest';
import { catalog } from '../schema/index.js';
import { arrayOf, Catalog, field as f, int32, mapOf, quantity, ref, string, time } from '../schema/schema.js';
import { componentSchemas, QUANTITY, reachable, TIME, typeSchema } from './schemas.js';
import type { SchemaObject } from './types.js';

const BATCH = 'io.k8s.api.batch.v1.';
const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

const prop = (type: string, field: string): SchemaObject => {
  const s = typeSchema(catalog, catalog.get(type)).properties?.[field];
  if (!s) throw new Error(`${type} has no property ${field}`);
  return s;
};

describe('properties of catalog types render as upstream renders them', () => {
  const cases: Array<{ name: string; type: string; field: string; want: SchemaObject }> = [
    {
      name: 'a container env list carries its merge strategy, merge key and list-map keys',
      type: `${CORE}Container`,
      field: 'env',
      want: {
        type: 'array',
        'x-kubernetes-patch-strategy': 'merge',
        'x-kubernetes-patch-merge-key': 'name',
      },
    },
    {
      name: 'podFailurePolicy rules are an atomic list of struct items defaulting to {}',
      type: `${BATCH}PodFailurePolicy`,
      field: 'rules',
      want: {
        type: 'array',
        'x-kubernetes-list-type': 'atomic',
        items: { allOf: [{ $ref: `#/components/schemas/${BATCH}PodFailurePolicyRule` }], default: {} },
      },
    },
    {
      name: 'pod spec containers merge by name',
      type: `${CORE}PodSpec`,
      field: 'containers',
      want: { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
    },
    {
      name: 'an int32 pointer has a format and no default',
      type: `${BATCH}JobSpec`,
      field: 'parallelism',
      want: { type: 'integer', format: 'int32' },
    },
    {
      name: 'a struct value field wraps its $ref in allOf with default {}',
      type: `${BATCH}JobSpec`,
      field: 'template',
      want: { allOf: [{ $ref: `#/components/schemas/${CORE}PodTemplateSpec` }], default: {} },
    },
    {
      name: 'a struct pointer field wraps its $ref without a default',
      type: `${BATCH}JobSpec`,
      field: 'podFailurePolicy',
      want: { allOf: [{ $ref: `#/components/schemas/${BATCH}PodFailurePolicy` }] },
    },
    {
      name: 'a Time field points at the Time component and gets no default',
      type: `${META}ObjectMeta`,
      field: 'creationTimestamp',
      want: { allOf: [{ $ref: `#/components/schemas/${TIME}` }] },
    },
    {
      name: 'a map of strings gives its values the empty-string default',
      type: `${META}ObjectMeta`,
      field: 'labels',
      want: { type: 'object', additionalProperties: { type: 'string', default: '' } },
    },
    {
      name: 'a map of quantities refers to Quantity without a default',
      type: `${CORE}ResourceRequirements`,
      field: 'limits',
      want: { type: 'object', additionalProperties: { $ref: `#/components/schemas/${QUANTITY}` } },
    },
    {
      name: 'a string enum lists its values sorted',
      type: `${CORE}Container`,
      field: 'imagePullPolicy',
      want: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
    },
    {
      name: 'a declared default is kept next to the enum',
      type: `${CORE}ContainerPort`,
      field: 'protocol',
      want: { default: 'TCP' },
    },
    {
      name: 'a required string without omitempty defaults to the empty string',
      type: `${BATCH}CronJobSpec`,
      field: 'schedule',
      want: { type: 'string', default: '' },
    },
    {
      name: 'ownerReferences are a map list keyed by uid',
      type: `${META}ObjectMeta`,
      field: 'ownerReferences',
      want: {
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['uid'],
        'x-kubernetes-patch-merge-key': 'uid',
      },
    },
  ];
  for (const tc of cases) test(tc.name, () => expect(prop(tc.type, tc.field)).toMatchObject(tc.want));

  test('a field keeps its catalog documentation as its description', () => {
    const field = catalog.fields(`${BATCH}JobSpec`).get('backoffLimit');
    expect(prop(`${BATCH}JobSpec`, 'backoffLimit').description).toBe(field?.doc);
  });
});

describe('type-level schemas', () => {
  test('required fields are listed in declaration order', () => {
    expect(typeSchema(catalog, catalog.get(`${BATCH}CronJobSpec`)).required).toEqual([
      'schedule',
      'jobTemplate',
    ]);
  });

  test('embedded TypeMeta contributes apiVersion and kind, and properties come sorted', () => {
    const props = Object.keys(typeSchema(catalog, catalog.get(`${BATCH}Job`)).properties ?? {});
    expect(props).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  });

  test('an atomic struct carries x-kubernetes-map-type', () => {
    expect(typeSchema(catalog, catalog.get(`${META}LabelSelector`))['x-kubernetes-map-type']).toBe('atomic');
  });

  test('a top-level kind carries the group-version-kinds it is given', () => {
    const gvk = { group: 'batch', kind: 'Job', version: 'v1' };
    expect(typeSchema(catalog, catalog.get(`${BATCH}Job`), [gvk])['x-kubernetes-group-version-kind']).toEqual(
      [gvk],
    );
  });
});

describe('components', () => {
  const tiny = new Catalog([
    {
      name: 'x.Outer',
      doc: 'outer',
      fields: {
        inner: f(1, ref('x.Inner'), 'inner'),
        when: f(2, time, 'when'),
        sizes: f(3, mapOf(quantity), 'sizes'),
        names: f(4, arrayOf(string), 'names'),
      },
    },
    { name: 'x.Inner', doc: 'inner', fields: { n: f(1, int32, 'n', { presence: 'always' }) } },
    { name: 'x.Unused', doc: 'unused', fields: {} },
  ]);

  test('only the types reachable from the roots are collected, custom types included', () => {
    expect([...reachable(tiny, ['x.Outer'])].sort()).toEqual([QUANTITY, TIME, 'x.Inner', 'x.Outer'].sort());
  });

  test('custom types get their own JSON forms', () => {
    const schemas = componentSchemas(tiny, ['x.Outer']);
    expect(schemas[TIME]).toMatchObject({ type: 'string', format: 'date-time' });
    expect(schemas[QUANTITY]).toMatchObject({ oneOf: [{ type: 'string' }, { type: 'number' }] });
    expect(schemas['x.Inner']?.properties?.n).toMatchObject({ type: 'integer', format: 'int32', default: 0 });
  });
});
