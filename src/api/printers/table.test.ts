import type { Namespace } from 'kubernetes-types/core/v1.js';
import { describe, expect, test } from 'vitest';
import { ApiError } from '../meta/status.js';
import { namespacePrinter } from './core.js';
import { defaultPrinter } from './default.js';
import { printerFor } from './index.js';
import { parseTableAccept, parseTableOptions, tableWatchEncoder, toTable } from './table.js';

const NOW = new Date('2025-06-01T12:00:00Z');

const nsA: Namespace = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: {
    name: 'a',
    uid: 'u-a',
    resourceVersion: '11',
    creationTimestamp: '2025-06-01T11:00:00Z',
    labels: { 'kubernetes.io/metadata.name': 'a' },
  },
  status: { phase: 'Active' },
};
const nsB: Namespace = {
  metadata: { name: 'b', resourceVersion: '12', creationTimestamp: '2025-06-01T11:59:00Z' },
  status: { phase: 'Terminating' },
};

describe('toTable', () => {
  test('a list becomes a v1 Table with list metadata, headers and partial-metadata rows', () => {
    const table = toTable(namespacePrinter, [nsA, nsB], {
      now: NOW,
      listMeta: { resourceVersion: '40', continue: 'tok', remainingItemCount: 3 },
    });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '40', continue: 'tok', remainingItemCount: 3 },
      columnDefinitions: namespacePrinter.columns,
      rows: [
        {
          cells: ['a', 'Active', '60m'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: nsA.metadata },
        },
        {
          cells: ['b', 'Terminating', '60s'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: nsB.metadata },
        },
      ],
    });
  });

  test('empty list metadata fields are omitted as Go omitempty does', () => {
    const table = toTable(namespacePrinter, [], {
      now: NOW,
      listMeta: { resourceVersion: '', continue: '' },
    });
    expect(table.metadata).toEqual({});
    expect(table.rows).toEqual([]);
  });

  test('a single object takes its own resourceVersion', () => {
    expect(toTable(namespacePrinter, [nsA], { now: NOW }).metadata).toEqual({ resourceVersion: '11' });
  });

  test('includeObject=None leaves a null object on every row', () => {
    const table = toTable(namespacePrinter, [nsA], { now: NOW, includeObject: 'None' });
    expect(table.rows[0]).toEqual({ cells: ['a', 'Active', '60m'], object: null });
  });

  test('includeObject=Object embeds the object, stamping a missing kind and apiVersion', () => {
    const table = toTable(namespacePrinter, [nsA, nsB], {
      now: NOW,
      includeObject: 'Object',
      listMeta: {},
      objectKind: { apiVersion: 'v1', kind: 'Namespace' },
    });
    expect(table.rows.map((r) => r.object)).toEqual([nsA, { apiVersion: 'v1', kind: 'Namespace', ...nsB }]);
    expect(table.rows[0]?.object).toBe(nsA);
  });

  test('noHeaders leaves columnDefinitions null', () => {
    expect(toTable(namespacePrinter, [nsA], { now: NOW, noHeaders: true }).columnDefinitions).toBeNull();
  });

  test('a v1beta1 request gets v1beta1 Table and partial metadata', () => {
    const table = toTable(namespacePrinter, [nsA], { now: NOW, apiVersion: 'meta.k8s.io/v1beta1' });
    expect(table.apiVersion).toBe('meta.k8s.io/v1beta1');
    expect(table.rows[0]?.object).toMatchObject({ apiVersion: 'meta.k8s.io/v1beta1' });
  });

  test('column definitions are copies, so a caller cannot change the printer', () => {
    const table = toTable(namespacePrinter, [], { now: NOW, listMeta: {} });
    table.columnDefinitions![0]!.name = 'changed';
    expect(namespacePrinter.columns[0]?.name).toBe('Name');
  });
});

describe('the default printer', () => {
  test('prints the name and the creation time as an RFC 3339 date', () => {
    const table = toTable(defaultPrinter, [nsA], { now: NOW, includeObject: 'None' });
    expect(table.columnDefinitions?.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
    expect(table.rows[0]?.cells).toEqual(['a', '2025-06-01T11:00:00Z']);
  });

  test('is what resources without a printer get', () => {
    expect(printerFor('', 'configmaps')).toBe(defaultPrinter);
    expect(printerFor('batch', 'jobs')).not.toBe(defaultPrinter);
    expect(printerFor('', 'pods').columns[1]?.name).toBe('Ready');
  });
});

describe('tableWatchEncoder', () => {
  test('only the first event carries column definitions, and Status objects pass through', () => {
    const encode = tableWatchEncoder(namespacePrinter, { now: () => NOW });
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410 };
    const first = encode(nsA);
    const second = encode(nsB);
    const error = encode(status as never);
    expect(first).toMatchObject({ kind: 'Table', columnDefinitions: namespacePrinter.columns });
    expect(first).toMatchObject({
      metadata: { resourceVersion: '11' },
      rows: [{ cells: ['a', 'Active', '60m'] }],
    });
    expect(second).toMatchObject({ columnDefinitions: null, metadata: { resourceVersion: '12' } });
    expect(error).toBe(status);
  });

  test('a Status first still uses up the headers, as upstream flips the flag on any encode', () => {
    const encode = tableWatchEncoder(namespacePrinter, { now: () => NOW });
    encode({ kind: 'Status' } as never);
    expect(encode(nsA)).toMatchObject({ columnDefinitions: null });
  });
});

const KUBECTL =
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const acceptCases: Array<[string, string | undefined, unknown]> = [
  [
    "kubectl get's header asks for a v1 Table in JSON",
    KUBECTL,
    { apiVersion: 'meta.k8s.io/v1', encoding: 'json' },
  ],
  [
    'a client that only knows v1beta1 gets v1beta1',
    'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json',
    { apiVersion: 'meta.k8s.io/v1beta1', encoding: 'json' },
  ],
  [
    'an unsupported Table version falls through to the next clause',
    'application/json;as=Table;v=v2;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io',
    { apiVersion: 'meta.k8s.io/v1', encoding: 'json' },
  ],
  [
    'a protobuf Table is skipped because batchd speaks no protobuf',
    'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io,application/json',
    undefined,
  ],
  [
    'a Table may be asked for in YAML',
    'application/yaml;as=Table;v=v1;g=meta.k8s.io',
    { apiVersion: 'meta.k8s.io/v1', encoding: 'yaml' },
  ],
  ['plain JSON is not a Table', 'application/json', undefined],
  ['no Accept header is not a Table', undefined, undefined],
  ['a wildcard is not a Table', '*/*', undefined],
  [
    'a wildcard may carry the Table parameters',
    '*/*;as=Table;v=v1;g=meta.k8s.io',
    { apiVersion: 'meta.k8s.io/v1', encoding: 'json' },
  ],
  [
    'a plain JSON clause preferred by q wins over a Table',
    'application/json;as=Table;v=v1;g=meta.k8s.io;q=0.5,application/json',
    undefined,
  ],
  [
    'a q=0 Table clause is refused',
    'application/json;as=Table;v=v1;g=meta.k8s.io;q=0,application/json',
    undefined,
  ],
  [
    'PartialObjectMetadata is served but is not a Table',
    'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io',
    undefined,
  ],
  ['a Table without its group is skipped', 'application/json;as=Table;v=v1,application/json', undefined],
];

for (const [name, accept, want] of acceptCases)
  test(`parseTableAccept: ${name}`, () => expect(parseTableAccept(accept)).toEqual(want));

describe('parseTableOptions', () => {
  const parse = (q: string) => parseTableOptions(new URLSearchParams(q));

  test('absent or empty includeObject means Metadata', () => {
    expect([parse(''), parse('includeObject=')]).toEqual([
      { includeObject: 'Metadata' },
      { includeObject: 'Metadata' },
    ]);
  });

  test('each policy is read, the first value winning', () => {
    expect(['None', 'Metadata', 'Object'].map((v) => parse(`includeObject=${v}&includeObject=None`))).toEqual(
      [{ includeObject: 'None' }, { includeObject: 'Metadata' }, { includeObject: 'Object' }],
    );
  });

  test('anything else is upstream 400', () => {
    let err: unknown;
    try {
      parse('includeObject=object');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message:
        "Unable to convert to Table as requested: includeObject: Invalid value: \"object\": must be 'Metadata', 'Object', 'None', or empty",
    });
  });
});
