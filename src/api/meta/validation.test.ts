import { expect, test } from 'vitest';
import type { FieldError } from './status.js';
import type { ObjectMeta, OwnerReference } from './types.js';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validateObjectMeta,
  validateObjectMetaUpdate,
} from './validation.js';

// Upstream's texts, typed out here so a drift in the implementation shows up as a diff.
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const meta = (over: Partial<ObjectMeta> = {}): ObjectMeta => ({ name: 'pi', namespace: 'default', ...over });
const stored = (over: Partial<ObjectMeta> = {}): ObjectMeta =>
  meta({
    uid: 'u1',
    resourceVersion: '7',
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
    ...over,
  });
const owner = (over: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  name: 'pi',
  uid: 'u1',
  ...over,
});
/** As kubectl prints a cause: `<field>: <message>`. */
const rendered = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.message}`);
const create = (m: ObjectMeta, namespaced = true) =>
  rendered(validateObjectMeta(m, { namespaced, nameValidator: nameIsDNSSubdomain }));
const update = (next: ObjectMeta, old: ObjectMeta = stored()) =>
  rendered(validateObjectMetaUpdate(next, old));
const twoControllers = [owner({ name: 'a', controller: true }), owner({ name: 'b', controller: true })];

const cases: Array<{ name: string; got: () => unknown; want: unknown }> = [
  // name formats
  {
    name: 'a dotted lower-case name is a DNS subdomain',
    got: () => isDNS1123Subdomain('pi.example-1'),
    want: [],
  },
  {
    name: 'an upper-case name is not a DNS subdomain',
    got: () => isDNS1123Subdomain('MyJob'),
    want: [SUBDOMAIN],
  },
  {
    name: 'a subdomain is limited to 253 characters',
    got: () => isDNS1123Subdomain('a'.repeat(254)),
    want: ['must be no more than 253 characters'],
  },
  {
    name: 'a DNS label may not contain dots',
    got: () => isDNS1123Label('a.b'),
    want: ['must not contain dots'],
  },
  { name: 'a DNS label must be lower case', got: () => isDNS1123Label('Ab'), want: [LABEL] },
  {
    name: 'a DNS label is limited to 63 characters',
    got: () => isDNS1123Label('a'.repeat(64)),
    want: ['must be no more than 63 characters'],
  },
  {
    name: 'a generateName may end in a dash',
    got: () => [nameIsDNSSubdomain('pi-', true), nameIsDNSLabel('pi-', true)],
    want: [[], []],
  },
  { name: 'a name may not end in a dash', got: () => nameIsDNSSubdomain('pi-', false), want: [SUBDOMAIN] },
  {
    name: 'masking drops two characters as upstream does, so .- passes as a prefix',
    got: () => nameIsDNSLabel('.-', true),
    want: [],
  },

  // create
  {
    name: 'a complete namespaced object is valid',
    got: () => create(meta({ labels: { app: 'pi' }, annotations: { 'Example.com/Note': 'x' } })),
    want: [],
  },
  {
    name: 'an object without name or generateName is rejected',
    got: () => create(meta({ name: '' })),
    want: ['metadata.name: Required value: name or generateName is required'],
  },
  {
    name: 'a bad generateName is reported next to the bad name generated from it',
    got: () => create(meta({ generateName: 'Pi-', name: 'Pi-x1z2q' })),
    want: [
      `metadata.generateName: Invalid value: "Pi-": ${SUBDOMAIN}`,
      `metadata.name: Invalid value: "Pi-x1z2q": ${SUBDOMAIN}`,
    ],
  },
  {
    name: 'a namespaced object needs a namespace',
    got: () => create(meta({ namespace: '' })),
    want: ['metadata.namespace: Required value'],
  },
  {
    name: 'the namespace must be a DNS label',
    got: () => create(meta({ namespace: 'my.ns' })),
    want: ['metadata.namespace: Invalid value: "my.ns": must not contain dots'],
  },
  {
    name: 'a cluster-scoped object may not name a namespace',
    got: () => create(meta(), false),
    want: ['metadata.namespace: Forbidden: not allowed on this type'],
  },
  {
    name: 'a negative generation is rejected',
    got: () => create(meta({ generation: -1 })),
    want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
  },
  {
    name: 'a bad label key is reported on the labels path',
    got: () => create(meta({ labels: { '-x': 'y' } })),
    want: [`metadata.labels: Invalid value: "-x": ${NAME_PART}`],
  },
  {
    name: 'a bad annotation key is reported on the annotations path',
    got: () => create(meta({ annotations: { 'a b': '' } })),
    want: [`metadata.annotations: Invalid value: "a b": ${NAME_PART}`],
  },
  {
    name: 'annotations over 256 KiB in total are too long',
    got: () => create(meta({ annotations: { a: 'x'.repeat(131_072), b: 'y'.repeat(131_072) } })),
    want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
  },
  {
    name: 'an owner reference needs apiVersion, kind, name and uid',
    got: () =>
      create(meta({ ownerReferences: [owner({ apiVersion: 'batch/', kind: '', name: '', uid: '' })] })),
    want: [
      'metadata.ownerReferences.apiVersion: Invalid value: "batch/": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ],
  },
  {
    name: 'an Event may not own anything',
    got: () => create(meta({ ownerReferences: [owner({ apiVersion: 'v1', kind: 'Event' })] })),
    want: [
      `metadata.ownerReferences: Invalid value: ${JSON.stringify(owner({ apiVersion: 'v1', kind: 'Event' }))}: /v1, Kind=Event is disallowed from being an owner`,
    ],
  },
  {
    name: 'only one owner reference may be the controller',
    got: () => create(meta({ ownerReferences: twoControllers })),
    want: [
      `metadata.ownerReferences: Invalid value: ${JSON.stringify(twoControllers)}: Only one reference can have Controller set to true. Found "true" in references for Job/a and Job/b`,
    ],
  },
  {
    name: 'a finalizer without a domain is valid (upstream only warns)',
    got: () => create(meta({ finalizers: ['kubernetes', 'batch.kubernetes.io/job-tracking'] })),
    want: [],
  },
  {
    name: 'a finalizer must be a qualified name',
    got: () => create(meta({ finalizers: ['a b'] })),
    want: [`metadata.finalizers: Invalid value: "a b": ${NAME_PART}`],
  },
  {
    name: 'orphan and foregroundDeletion exclude each other',
    got: () => create(meta({ finalizers: ['orphan', 'foregroundDeletion'] })),
    want: [
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ],
  },
  {
    name: 'managed fields need a known operation, FieldsV1 and a printable manager',
    got: () => create(meta({ managedFields: [{ manager: 'k\u0007', fieldsType: 'FieldsV2' }] })),
    want: [
      'metadata.managedFields[0].operation: Invalid value: "": must be `Apply` or `Update`',
      'metadata.managedFields[0].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
      'metadata.managedFields[0].manager: Invalid value: "k\\u0007": invalid character U+0007 (at position 1)',
    ],
  },

  // update
  {
    name: 'an unchanged object with a resourceVersion is a valid update',
    got: () => update(stored()),
    want: [],
  },
  {
    name: 'the name format is not re-checked on update',
    got: () => update(stored({ name: 'Old_Name' }), stored({ name: 'Old_Name' })),
    want: [],
  },
  {
    name: 'an update must carry a resourceVersion',
    got: () => update(stored({ resourceVersion: '' })),
    want: ['metadata.resourceVersion: Invalid value: "": must be specified for an update'],
  },
  {
    name: 'generation may not go backwards',
    got: () => update(stored({ generation: 0 }), stored({ generation: 2 })),
    want: ['metadata.generation: Invalid value: 0: must not be decremented'],
  },
  {
    name: 'name, namespace and uid are immutable',
    got: () => update(stored({ name: 'b', namespace: 'other', uid: 'u2' })),
    want: [
      'metadata.name: Invalid value: "b": field is immutable',
      'metadata.namespace: Invalid value: "other": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ],
  },
  {
    name: 'creationTimestamp is immutable and printed as Go prints a time',
    got: () => update(stored({ creationTimestamp: '2026-01-02T00:00:00Z' })),
    want: ['metadata.creationTimestamp: Invalid value: 2026-01-02 00:00:00 +0000 UTC: field is immutable'],
  },
  {
    name: 'the same instant spelled differently is not a change',
    got: () => update(stored({ creationTimestamp: '2026-01-01T01:00:00+01:00' })),
    want: [],
  },
  {
    name: 'a client may not set deletionTimestamp',
    got: () => update(stored({ deletionTimestamp: '2026-01-03T04:05:06.5Z' })),
    want: ['metadata.deletionTimestamp: Invalid value: 2026-01-03 04:05:06.5 +0000 UTC: field is immutable'],
  },
  {
    name: 'a client may not clear deletionTimestamp',
    got: () => update(stored(), stored({ deletionTimestamp: '2026-01-03T00:00:00Z' })),
    want: ['metadata.deletionTimestamp: Invalid value: null: field is immutable'],
  },
  {
    name: 'deletionGracePeriodSeconds is immutable',
    got: () => update(stored({ deletionGracePeriodSeconds: 0 })),
    want: ['metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable'],
  },
  {
    name: 'no finalizer may be added once deletion has started',
    got: () => {
      const deleting = stored({ deletionTimestamp: '2026-01-03T00:00:00Z', finalizers: ['a.io/keep'] });
      return update({ ...deleting, finalizers: ['b.io/y', 'a.io/keep', 'a.io/x'] }, deleting);
    },
    want: [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"a.io/x", "b.io/y"}',
    ],
  },
  {
    name: 'finalizers may be removed while deletion is under way',
    got: () => {
      const deleting = stored({ deletionTimestamp: '2026-01-03T00:00:00Z', finalizers: ['a.io/keep'] });
      return update({ ...deleting, finalizers: [] }, deleting);
    },
    want: [],
  },
  {
    name: 'labels are still checked on update',
    got: () => update(stored({ labels: { ok: '-bad' } })),
    want: [expect.stringMatching(/^metadata\.labels: Invalid value: "-bad": a valid label must be/)],
  },
  {
    name: 'owner references are still checked on update',
    got: () => update(stored({ ownerReferences: [owner({ uid: '' })] })),
    want: ['metadata.ownerReferences.uid: Invalid value: "": must not be empty'],
  },
];

for (const tc of cases) test(tc.name, () => expect(tc.got()).toEqual(tc.want));
