import { describe, expect, test } from 'vitest';
import { catalog } from '../../api/schema/index.js';
import {
  isStrategicMergePatch,
  StrategicMergePatchError,
  strategicMergePatch,
  toApiError,
} from './strategic.js';

const JOB = 'io.k8s.api.batch.v1.Job';
const POD = 'io.k8s.api.core.v1.Pod';
const POD_SPEC = 'io.k8s.api.core.v1.PodSpec';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

type Obj = Record<string, unknown>;
const ctr = (name: string, rest: Obj = {}): Obj => ({ name, ...rest });
const names = (...n: string[]) => n.map((name) => ({ name }));
const spec = (podSpec: Obj): Obj => ({ spec: { template: { spec: podSpec } } });

interface Case {
  name: string;
  type: string;
  original: unknown;
  patch: unknown;
  want: unknown;
}

const merging: Case[] = [
  {
    name: 'nested maps merge and a null removes a key',
    type: JOB,
    original: { metadata: { name: 'pi', labels: { app: 'pi', tier: 'batch' } }, spec: { parallelism: 1 } },
    patch: { metadata: { labels: { tier: null, team: 'x' } }, spec: { parallelism: 3 } },
    want: { metadata: { name: 'pi', labels: { app: 'pi', team: 'x' } }, spec: { parallelism: 3 } },
  },
  {
    name: 'a null for a key that is not there changes nothing',
    type: JOB,
    original: { spec: { parallelism: 1 } },
    patch: { spec: { completions: null } },
    want: { spec: { parallelism: 1 } },
  },
  {
    name: 'nulls inside a newly added map are dropped',
    type: META,
    original: { name: 'pi' },
    patch: { labels: { a: 'x', b: null } },
    want: { name: 'pi', labels: { a: 'x' } },
  },
  {
    name: '$patch replace on a map makes the patch the whole map',
    type: META,
    original: { labels: { a: 'x', b: 'y' } },
    patch: { labels: { $patch: 'replace', c: 'z' } },
    want: { labels: { c: 'z' } },
  },
  {
    name: '$patch delete on a map empties it',
    type: POD_SPEC,
    original: { nodeSelector: { disk: 'ssd' }, restartPolicy: 'Never' },
    patch: { nodeSelector: { $patch: 'delete' } },
    want: { nodeSelector: {}, restartPolicy: 'Never' },
  },
  {
    name: 'a map holding a directive is not added where the original has none',
    type: POD_SPEC,
    original: { restartPolicy: 'Never' },
    patch: { nodeSelector: { $patch: 'delete' } },
    want: { restartPolicy: 'Never' },
  },
  {
    name: 'containers merge by name and untouched ones stay',
    type: POD_SPEC,
    original: { containers: [ctr('a', { image: 'a:1' }), ctr('b', { image: 'b:1' })] },
    patch: { containers: [ctr('b', { image: 'b:2' })] },
    want: { containers: [ctr('a', { image: 'a:1' }), ctr('b', { image: 'b:2' })] },
  },
  {
    name: 'a new container lands right after the patched ones, before the untouched ones',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('b'), ctr('c')] },
    patch: { containers: [ctr('a', { image: 'new' }), ctr('d')] },
    want: { containers: [ctr('a', { image: 'new' }), ctr('d'), ctr('b'), ctr('c')] },
  },
  {
    name: 'a new container patched after the last live one is appended',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('b'), ctr('c')] },
    patch: { containers: [ctr('c', { image: 'new' }), ctr('d')] },
    want: { containers: [ctr('a'), ctr('b'), ctr('c', { image: 'new' }), ctr('d')] },
  },
  {
    name: 'a $patch delete item removes the container with that name',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('b'), ctr('c')] },
    patch: { containers: [{ $patch: 'delete', name: 'b' }] },
    want: { containers: [ctr('a'), ctr('c')] },
  },
  {
    name: 'a $patch delete item for a missing name changes nothing',
    type: POD_SPEC,
    original: { containers: [ctr('a')] },
    patch: { containers: [{ $patch: 'delete', name: 'zz' }] },
    want: { containers: [ctr('a')] },
  },
  {
    name: 'a $patch replace item makes the other items the whole list',
    type: POD_SPEC,
    original: { containers: [ctr('a', { image: 'a:1' }), ctr('b')] },
    patch: { containers: [ctr('c'), { $patch: 'replace' }, ctr('a')] },
    want: { containers: [ctr('c'), ctr('a')] },
  },
  {
    name: 'an empty merging list in the patch leaves the live list alone',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('b')] },
    patch: { containers: [] },
    want: { containers: [ctr('a'), ctr('b')] },
  },
  {
    name: 'env inside a container merges by name, with deletes and additions',
    type: POD_SPEC,
    original: {
      containers: [
        ctr('app', {
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
        }),
      ],
    },
    patch: {
      containers: [
        ctr('app', { env: [{ name: 'B', value: '3' }, { name: 'C' }, { $patch: 'delete', name: 'A' }] }),
      ],
    },
    want: { containers: [ctr('app', { env: [{ name: 'B', value: '3' }, { name: 'C' }] })] },
  },
  {
    name: 'ports merge by containerPort',
    type: POD_SPEC,
    original: {
      containers: [ctr('web', { ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] })],
    },
    patch: {
      containers: [ctr('web', { ports: [{ containerPort: 443, name: 'https' }, { containerPort: 8080 }] })],
    },
    want: {
      containers: [
        ctr('web', {
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 443, name: 'https' },
            { containerPort: 8080 },
          ],
        }),
      ],
    },
  },
  {
    name: 'a list without a merge strategy (tolerations) is replaced whole',
    type: POD_SPEC,
    original: {
      tolerations: [
        { key: 'a', operator: 'Exists' },
        { key: 'b', operator: 'Exists' },
      ],
    },
    patch: { tolerations: [{ key: 'c', operator: 'Exists' }] },
    want: { tolerations: [{ key: 'c', operator: 'Exists' }] },
  },
  {
    name: 'a list of strings without a merge strategy (args) is replaced whole',
    type: POD_SPEC,
    original: { containers: [ctr('a', { args: ['x', 'y'] })] },
    patch: { containers: [ctr('a', { args: ['z'] })] },
    want: { containers: [ctr('a', { args: ['z'] })] },
  },
  {
    name: 'finalizers are a set: a patch adds what is missing, new ones first',
    type: META,
    original: { finalizers: ['x', 'y'] },
    patch: { finalizers: ['z', 'x'] },
    want: { finalizers: ['z', 'x', 'y'] },
  },
  {
    name: 'duplicate finalizers collapse even when the patch adds nothing',
    type: META,
    original: { finalizers: ['x', 'x', 'y'] },
    patch: { finalizers: [] },
    want: { finalizers: ['x', 'y'] },
  },
  {
    name: '$deleteFromPrimitiveList removes finalizers',
    type: META,
    original: { finalizers: ['x', 'y', 'z'] },
    patch: { '$deleteFromPrimitiveList/finalizers': ['y', 'absent'] },
    want: { finalizers: ['x', 'z'] },
  },
  {
    name: '$deleteFromPrimitiveList on a missing list does not create it',
    type: META,
    original: { name: 'pi' },
    patch: { '$deleteFromPrimitiveList/finalizers': ['x'] },
    want: { name: 'pi' },
  },
  {
    name: '$deleteFromPrimitiveList also works on a list with no merge strategy',
    type: POD_SPEC,
    original: { containers: [ctr('a', { args: ['x', 'y', 'z'] })] },
    patch: { containers: [ctr('a', { '$deleteFromPrimitiveList/args': ['y'] })] },
    want: { containers: [ctr('a', { args: ['x', 'z'] })] },
  },
  {
    name: 'ownerReferences merge by uid',
    type: META,
    original: {
      ownerReferences: [
        { uid: 'u1', name: 'cron', controller: true },
        { uid: 'u2', name: 'other' },
      ],
    },
    patch: {
      ownerReferences: [
        { uid: 'u1', blockOwnerDeletion: true },
        { $patch: 'delete', uid: 'u2' },
      ],
    },
    want: { ownerReferences: [{ uid: 'u1', name: 'cron', controller: true, blockOwnerDeletion: true }] },
  },
  {
    name: 'job conditions merge by type',
    type: JOB,
    original: { status: { conditions: [{ type: 'Suspended', status: 'True' }] } },
    patch: {
      status: {
        conditions: [
          { type: 'Suspended', status: 'False' },
          { type: 'Complete', status: 'True' },
        ],
      },
    },
    want: {
      status: {
        conditions: [
          { type: 'Suspended', status: 'False' },
          { type: 'Complete', status: 'True' },
        ],
      },
    },
  },
];

const ordering: Case[] = [
  {
    name: '$setElementOrder reorders containers without changing them',
    type: POD_SPEC,
    original: { containers: [ctr('a', { image: 'a:1' }), ctr('b')] },
    patch: { '$setElementOrder/containers': names('b', 'a') },
    want: { containers: [ctr('b'), ctr('a', { image: 'a:1' })] },
  },
  {
    name: '$setElementOrder keeps a server-only container ahead of the items that followed it',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('sidecar'), ctr('b')] },
    patch: { '$setElementOrder/containers': names('b', 'a') },
    want: { containers: [ctr('sidecar'), ctr('b'), ctr('a')] },
  },
  {
    name: '$setElementOrder may list items the list does not have',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('c')] },
    patch: {
      '$setElementOrder/containers': names('c', 'b', 'a'),
      containers: [ctr('c', { image: 'c:2' }), ctr('a', { image: 'a:2' })],
    },
    want: { containers: [ctr('c', { image: 'c:2' }), ctr('a', { image: 'a:2' })] },
  },
  {
    name: 'an empty $setElementOrder orders new items as Go sort.SliceStable leaves them',
    type: POD_SPEC,
    original: { containers: [ctr('a')] },
    patch: { '$setElementOrder/containers': [], containers: [ctr('e'), ctr('d'), ctr('a', { image: 'i' })] },
    want: { containers: [ctr('a', { image: 'i' }), ctr('d'), ctr('e')] },
  },
  {
    name: '$setElementOrder reorders a list of strings',
    type: META,
    original: { finalizers: ['x', 'y', 'z'] },
    patch: { '$setElementOrder/finalizers': ['z', 'x', 'y'] },
    want: { finalizers: ['z', 'x', 'y'] },
  },
  {
    name: '$setElementOrder places a string the patch adds',
    type: META,
    original: { finalizers: ['x', 'y'] },
    patch: { '$setElementOrder/finalizers': ['w', 'y', 'x'], finalizers: ['w'] },
    want: { finalizers: ['w', 'y', 'x'] },
  },
  {
    name: '$setElementOrder on env inside a container reorders and deletes',
    type: POD_SPEC,
    original: { containers: [ctr('app', { env: [{ name: 'A' }, { name: 'B' }, { name: 'C' }] })] },
    patch: {
      containers: [
        ctr('app', { '$setElementOrder/env': names('C', 'A'), env: [{ $patch: 'delete', name: 'B' }] }),
      ],
    },
    want: { containers: [ctr('app', { env: [{ name: 'C' }, { name: 'A' }] })] },
  },
];

const retainKeys: Case[] = [
  {
    name: '$retainKeys on a volume drops the source it no longer lists',
    type: POD_SPEC,
    original: { volumes: [{ name: 'data', emptyDir: {} }] },
    patch: { volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/srv' } }] },
    want: { volumes: [{ name: 'data', hostPath: { path: '/srv' } }] },
  },
  {
    name: '$retainKeys keeps listed fields the patch does not touch',
    type: POD_SPEC,
    original: { volumes: [{ name: 'cfg', configMap: { name: 'a' }, emptyDir: {} }] },
    patch: { volumes: [{ $retainKeys: ['configMap', 'name'], name: 'cfg' }] },
    want: { volumes: [{ name: 'cfg', configMap: { name: 'a' } }] },
  },
];

// What kubectl sends, captured from its three-way (apply) and two-way (edit) diffs.
const kubectl: Case[] = [
  {
    name: 'kubectl apply with a changed container image updates only that container',
    type: JOB,
    original: {
      metadata: {
        name: 'pi',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":1}' },
      },
      ...spec({
        containers: [ctr('pi', { image: 'perl:5.34', command: ['perl'] }), ctr('log', { image: 'busybox' })],
      }),
    },
    patch: {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}' } },
      ...spec({
        '$setElementOrder/containers': names('pi', 'log'),
        containers: [ctr('pi', { image: 'perl:5.40' })],
      }),
    },
    want: {
      metadata: {
        name: 'pi',
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":1}' },
      },
      ...spec({
        containers: [ctr('pi', { image: 'perl:5.40', command: ['perl'] }), ctr('log', { image: 'busybox' })],
      }),
    },
  },
  {
    name: 'kubectl apply swapping a container keeps a server-added last container before the new one',
    type: POD_SPEC,
    original: { containers: [ctr('a'), ctr('b'), ctr('c'), ctr('injected')] },
    patch: {
      '$setElementOrder/containers': names('a', 'c', 'd'),
      containers: [ctr('d'), { $patch: 'delete', name: 'b' }],
    },
    want: { containers: [ctr('a'), ctr('c'), ctr('injected'), ctr('d')] },
  },
  {
    name: 'kubectl edit of a job (labels, parallelism, a removed finalizer)',
    type: JOB,
    original: {
      metadata: { name: 'pi', labels: { app: 'pi' }, finalizers: ['example.com/a', 'example.com/b'] },
      spec: { parallelism: 1, suspend: true },
    },
    patch: {
      metadata: {
        '$deleteFromPrimitiveList/finalizers': ['example.com/a'],
        '$setElementOrder/finalizers': ['example.com/b'],
        labels: { team: 'x' },
      },
      spec: { parallelism: 2, suspend: false },
    },
    want: {
      metadata: { name: 'pi', labels: { app: 'pi', team: 'x' }, finalizers: ['example.com/b'] },
      spec: { parallelism: 2, suspend: false },
    },
  },
  {
    name: 'kubectl edit of a pod container image and one env value',
    type: POD,
    original: {
      metadata: { name: 'p' },
      spec: {
        containers: [
          ctr('app', {
            image: 'app:1',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          }),
        ],
      },
    },
    patch: {
      spec: {
        '$setElementOrder/containers': names('app'),
        containers: [
          ctr('app', {
            '$setElementOrder/env': names('A', 'B'),
            env: [{ name: 'B', value: '3' }],
            image: 'app:2',
          }),
        ],
      },
    },
    want: {
      metadata: { name: 'p' },
      spec: {
        containers: [
          ctr('app', {
            image: 'app:2',
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '3' },
            ],
          }),
        ],
      },
    },
  },
];

const fallback: Case[] = [
  {
    name: 'a type outside the catalog merges maps and replaces lists',
    type: 'example.com.v1.Widget',
    original: { spec: { a: 1, items: [{ name: 'x' }, { name: 'y' }] } },
    patch: { spec: { b: 2, items: [{ name: 'z' }] } },
    want: { spec: { a: 1, b: 2, items: [{ name: 'z' }] } },
  },
  {
    name: 'a type outside the catalog still honours $patch',
    type: 'example.com.v1.Widget',
    original: { spec: { a: 1 }, status: { b: 2 } },
    patch: { spec: { $patch: 'replace', c: 3 } },
    want: { spec: { c: 3 }, status: { b: 2 } },
  },
  {
    name: 'a null patch changes nothing',
    type: JOB,
    original: { spec: { parallelism: 1 } },
    patch: null,
    want: { spec: { parallelism: 1 } },
  },
];

describe('strategicMergePatch', () => {
  for (const [group, cases] of Object.entries({ merging, ordering, retainKeys, kubectl, fallback }))
    describe(group, () => {
      for (const tc of cases)
        test(tc.name, () =>
          expect(strategicMergePatch(catalog, tc.type, tc.original, tc.patch)).toEqual(tc.want),
        );
    });

  test('neither the original nor the patch is modified', () => {
    const original = { containers: [ctr('a', { env: [{ name: 'A' }] }), ctr('b'), ctr('c')] };
    const patch = {
      '$setElementOrder/containers': names('a', 'c'),
      containers: [
        ctr('a', { env: [{ name: 'B' }] }),
        { $patch: 'delete', name: 'b' },
        ctr('c', { image: null }),
      ],
    };
    const before = structuredClone({ original, patch });
    strategicMergePatch(catalog, POD_SPEC, original, patch);
    expect({ original, patch }).toEqual(before);
  });
});

const errors: Array<{
  name: string;
  type?: string;
  original: unknown;
  patch: unknown;
  code: number;
  message: string;
}> = [
  {
    name: 'a list item without the merge key',
    original: { containers: [ctr('a')] },
    patch: { containers: [{ image: 'nginx' }] },
    code: 500,
    message: 'map: map[image:nginx] does not contain declared merge key: name',
  },
  {
    name: 'a $patch delete item without the merge key',
    original: { containers: [ctr('a')] },
    patch: { containers: [{ $patch: 'delete', image: 'x' }] },
    code: 500,
    message: 'map: map[$patch:delete image:x] does not contain declared merge key: name',
  },
  {
    name: 'a $patch merge list item',
    original: { containers: [ctr('a')] },
    patch: { containers: [{ $patch: 'merge', name: 'a' }] },
    code: 500,
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: 'an unknown $patch list item',
    original: { containers: [ctr('a')] },
    patch: { containers: [{ $patch: 'bogus', name: 'a' }] },
    code: 500,
    message: 'unknown patch type: bogus in map: map[$patch:bogus name:a]',
  },
  {
    name: '$patch merge on a map',
    original: { nodeSelector: { a: 'b' } },
    patch: { nodeSelector: { $patch: 'merge' } },
    code: 500,
    message: 'unknown patch type: merge in map: map[$patch:merge]',
  },
  {
    name: 'a patch list in another order than $setElementOrder',
    original: { containers: [ctr('a'), ctr('b')] },
    patch: {
      '$setElementOrder/containers': names('a', 'b'),
      containers: [ctr('b', { image: 'x' }), ctr('a', { image: 'y' })],
    },
    code: 500,
    message:
      "The order in patch list:\n[map[image:x name:b] map[image:y name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
  },
  {
    name: '$setElementOrder that is not a list',
    original: { containers: [ctr('a')] },
    patch: { '$setElementOrder/containers': 'a' },
    code: 500,
    message: 'expected a []interface {}, but received a string',
  },
  {
    name: '$setElementOrder without a field',
    original: { containers: [ctr('a')] },
    patch: { $setElementOrder: [] },
    code: 400,
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: '$setElementOrder naming a field the type does not have',
    original: { containers: [ctr('a')] },
    patch: { '$setElementOrder/sidecars': names('a') },
    code: 500,
    message: 'unable to find api field in struct PodSpec for the json field "sidecars"',
  },
  {
    name: '$deleteFromPrimitiveList without a field',
    type: META,
    original: { finalizers: ['x'] },
    patch: { $deleteFromPrimitiveListfinalizers: ['x'] },
    code: 400,
    message: 'invalid patch format of primitive list',
  },
  {
    name: '$retainKeys that is not a list',
    original: { volumes: [{ name: 'v', emptyDir: {} }] },
    patch: { volumes: [{ name: 'v', $retainKeys: 'name' }] },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'a patched field missing from $retainKeys',
    original: { volumes: [{ name: 'v', emptyDir: {} }] },
    patch: { volumes: [{ name: 'v', hostPath: { path: '/x' }, $retainKeys: ['name'] }] },
    code: 400,
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'a list of lists',
    type: META,
    original: { finalizers: [] },
    patch: { finalizers: [['x']] },
    code: 422,
    message: 'lists of lists are not supported',
  },
  {
    name: 'items of different types in a merging list',
    type: META,
    original: { finalizers: ['a'] },
    patch: { finalizers: [1] },
    code: 500,
    message: 'list element types are not identical: [[a] [1]]',
  },
  {
    name: 'a patch that is not an object',
    original: {},
    patch: [{ op: 'add' }],
    code: 400,
    message: 'json: cannot unmarshal array into Go value of type map[string]interface {}',
  },
];

describe('strategicMergePatch errors', () => {
  for (const tc of errors)
    test(`${tc.name} is a ${tc.code}: ${tc.message.split('\n')[0]}`, () => {
      const run = () => strategicMergePatch(catalog, tc.type ?? POD_SPEC, tc.original, tc.patch);
      expect(run).toThrow(StrategicMergePatchError);
      expect(run).toThrow(expect.objectContaining({ code: tc.code, message: tc.message }));
    });
});

describe('toApiError', () => {
  const cases = [
    {
      name: 'a malformed directive is a 400 BadRequest carrying the message',
      err: new StrategicMergePatchError('invalid patch format of retainKeys', 400),
      want: { code: 400, reason: 'BadRequest', message: 'invalid patch format of retainKeys' },
    },
    {
      name: 'a list of lists is a 422 with upstream generic message',
      err: new StrategicMergePatchError('lists of lists are not supported', 422),
      want: {
        code: 422,
        reason: 'Invalid',
        message: 'the server rejected our request due to an error in our request',
      },
    },
    {
      name: 'any other merge error is a 500 with no reason',
      err: new StrategicMergePatchError('map: map[] does not contain declared merge key: name', 500),
      want: { code: 500, message: 'map: map[] does not contain declared merge key: name' },
    },
  ];
  for (const tc of cases)
    test(tc.name, () => {
      const { status } = toApiError(tc.err);
      expect(status).toMatchObject({ kind: 'Status', status: 'Failure', ...tc.want });
      if (!('reason' in tc.want)) expect(status.reason).toBeUndefined();
    });
});

describe('isStrategicMergePatch', () => {
  const cases: Array<[string | undefined, boolean]> = [
    ['application/strategic-merge-patch+json', true],
    ['application/strategic-merge-patch+json; charset=utf-8', true],
    ['Application/Strategic-Merge-Patch+JSON', true],
    ['application/merge-patch+json', false],
    ['application/json-patch+json', false],
    ['application/apply-patch+yaml', false],
    [undefined, false],
  ];
  for (const [contentType, want] of cases)
    test(`${contentType ?? 'no content type'} is ${want ? '' : 'not '}strategic`, () =>
      expect(isStrategicMergePatch(contentType)).toBe(want));
});
