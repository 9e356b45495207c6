import { describe, expect, test } from 'vitest';
import { DecodeError, decodeAs } from './decode.js';
import { catalog } from './index.js';
import { BATCH, CORE } from './schema.js';

describe('the type catalog', () => {
  test('every reference resolves and no message reuses a protobuf field number', () => {
    expect(catalog.verify()).toEqual([]);
  });

  test('embedded structs are flat in JSON, first, in Go order', () => {
    expect([...catalog.fields(`${BATCH}Job`).keys()]).toEqual([
      'kind',
      'apiVersion',
      'metadata',
      'spec',
      'status',
    ]);
    expect([...catalog.fields(`${CORE}Probe`).keys()].slice(0, 4)).toEqual([
      'exec',
      'httpGet',
      'tcpSocket',
      'grpc',
    ]);
  });
});

const job = (spec: object) => ({ metadata: { name: 'j' }, spec });

describe('the typed decoder', () => {
  const cases: Array<{ name: string; input: object; want: unknown; unknown?: string[] }> = [
    {
      name: 'omitempty zeros are dropped and absent struct values appear as Go writes them',
      input: job({
        template: {
          spec: { nodeName: '', containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 0 }] }] },
        },
      }),
      want: {
        metadata: { name: 'j', creationTimestamp: null },
        spec: {
          template: {
            metadata: { creationTimestamp: null },
            spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }], resources: {} }] },
          },
        },
        status: {},
      },
    },
    {
      name: 'pointers keep their zero values',
      input: job({ parallelism: 0, suspend: false, template: {} }),
      want: { spec: { parallelism: 0, suspend: false } },
    },
    {
      name: 'unknown fields are dropped and reported with their path',
      input: {
        metadata: { name: 'j', colour: 1 },
        spec: { template: { spec: { containers: [{ name: 'c', x: 1 }] } } },
      },
      want: { metadata: { name: 'j' } },
      unknown: ['metadata.colour', 'spec.template.spec.containers[0].x'],
    },
    {
      name: 'times are read as RFC 3339 and written in UTC whole seconds',
      input: { metadata: { name: 'j', creationTimestamp: '2026-01-02T03:04:05.678+02:00' } },
      want: { metadata: { creationTimestamp: '2026-01-02T01:04:05Z' } },
    },
    {
      name: 'empty maps and lists with omitempty disappear',
      input: { metadata: { name: 'j', labels: {}, finalizers: [] } },
      want: { metadata: { name: 'j', creationTimestamp: null } },
    },
  ];
  for (const tc of cases) {
    test(tc.name, () => {
      const got = decodeAs(catalog, `${BATCH}Job`, tc.input);
      expect(got.value).toMatchObject(tc.want as object);
      expect(got.unknownFields).toEqual(tc.unknown ?? []);
    });
  }

  test('an empty map is dropped from the output entirely', () => {
    const got = decodeAs(catalog, `${BATCH}Job`, { metadata: { name: 'j', labels: {} } });
    expect(got.value.metadata).toEqual({ name: 'j', creationTimestamp: null });
  });

  const errors: Array<{ name: string; input: unknown; want: string }> = [
    {
      name: 'a string for an int32',
      input: job({ parallelism: 'x' }),
      want: 'json: cannot unmarshal string into Go struct field JobSpec.spec.parallelism of type int32',
    },
    {
      name: 'an int32 out of range',
      input: job({ completions: 2 ** 31 }),
      want: 'json: cannot unmarshal number 2147483648 into Go struct field JobSpec.spec.completions of type int32',
    },
    {
      name: 'a fraction for an integer',
      input: job({ backoffLimit: 1.5 }),
      want: 'json: cannot unmarshal number 1.5 into Go struct field JobSpec.spec.backoffLimit of type int32',
    },
    {
      name: 'a number for a string inside a list',
      input: job({ template: { spec: { containers: [{ name: 3 }] } } }),
      want: 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string',
    },
    {
      name: 'an object for a list',
      input: job({ template: { spec: { containers: {} } } }),
      want: 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container',
    },
    {
      name: 'a list for the whole object',
      input: [],
      want: 'json: cannot unmarshal array into Go value of type v1.Job',
    },
    {
      name: 'a bad time',
      input: { metadata: { creationTimestamp: 'yesterday' } },
      want: 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    },
  ];
  for (const tc of errors) {
    test(`rejects ${tc.name}`, () => {
      expect(() => decodeAs(catalog, `${BATCH}Job`, tc.input)).toThrow(new DecodeError(tc.want));
    });
  }
});
