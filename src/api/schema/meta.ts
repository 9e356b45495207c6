/** meta/v1 types: object and list metadata, owner references, label selectors, delete options, Status. */
import {
  arrayOf,
  boolean,
  field as f,
  fieldsV1,
  int32,
  int64,
  META,
  mapOf,
  mergedBy,
  metaRef,
  string,
  time,
  types,
} from './schema.js';

const meta = metaRef;

export const metaTypes = types(META, {
  TypeMeta: {
    doc: 'The kind and API version of an object, carried by every top-level object.',
    fields: {
      kind: f(
        1,
        string,
        'Names the schema of this object, such as Job or Pod. The server fills it in on its answers.',
      ),
      apiVersion: f(2, string, 'The versioned schema of this object, such as batch/v1.'),
    },
  },
  ListMeta: {
    doc: 'Metadata of a list response.',
    fields: {
      selfLink: f(1, string, 'Deprecated and always empty.'),
      resourceVersion: f(
        2,
        string,
        'The revision this list was read at. Start a watch from it to see every later change.',
      ),
      continue: f(
        3,
        string,
        'Set when the list was cut short by a limit: pass it back as the continue parameter to read the next page.',
      ),
      remainingItemCount: f(
        4,
        int64,
        'How many items remain after this page, when the server can tell (only for lists without a selector).',
        { presence: 'pointer' },
      ),
    },
  },
  ObjectMeta: {
    doc: 'Metadata that every stored object carries: its identity, labels, owners and lifecycle marks.',
    fields: {
      name: f(
        1,
        string,
        'Unique name of the object within its namespace (or the cluster for cluster-scoped kinds). Cannot be changed.',
      ),
      generateName: f(
        2,
        string,
        'A prefix the server completes with five random characters when name is empty, to make a unique name.',
      ),
      namespace: f(3, string, 'The namespace the object lives in. Empty for cluster-scoped objects.'),
      selfLink: f(4, string, 'Deprecated and always empty.'),
      uid: f(
        5,
        string,
        'Unique identity of this object, assigned by the server at creation and never reused.',
      ),
      resourceVersion: f(
        6,
        string,
        'An opaque revision of this object, changed by every write. Send it back on updates for optimistic concurrency; watches resume from it.',
      ),
      generation: f(
        7,
        int64,
        'A counter of changes to the desired state (spec), set by the server on kinds that track generations.',
      ),
      creationTimestamp: f(8, time, 'When the server created the object (UTC, seconds). Read only.', {
        presence: 'always',
      }),
      deletionTimestamp: f(
        9,
        time,
        'Set when deletion was requested and the object waits for finalizers or a grace period. Read only.',
      ),
      deletionGracePeriodSeconds: f(
        10,
        int64,
        'Seconds the object is given to terminate gracefully once marked for deletion. Read only.',
        { presence: 'pointer' },
      ),
      labels: f(11, mapOf(string), 'Key/value pairs used to organize and select objects (label selectors).'),
      annotations: f(
        12,
        mapOf(string),
        'Key/value pairs for tools and humans; not used to select objects. Values may be large.',
      ),
      ownerReferences: f(
        13,
        arrayOf(meta('OwnerReference')),
        'The objects this one depends on. When every owner is gone the garbage collector deletes this object. At most one owner may be the controller.',
        mergedBy('uid'),
      ),
      finalizers: f(
        14,
        arrayOf(string),
        'Names of pending cleanup tasks. An object marked for deletion stays until this list is empty.',
        { patchStrategy: 'merge', listType: 'set' },
      ),
      managedFields: f(
        17,
        arrayOf(meta('ManagedFieldsEntry')),
        'Which manager (field manager name) last set which fields, and how (Apply or Update). Maintained by the server.',
        { listType: 'atomic' },
      ),
    },
  },
  OwnerReference: {
    doc: 'A reference to an owner object in the same namespace.',
    mapType: 'atomic',
    fields: {
      apiVersion: f(5, string, 'API version of the owner.', { presence: 'always', required: true }),
      kind: f(1, string, 'Kind of the owner.', { presence: 'always', required: true }),
      name: f(3, string, 'Name of the owner.', { presence: 'always', required: true }),
      uid: f(4, string, 'UID of the owner.', { presence: 'always', required: true }),
      controller: f(6, boolean, 'True when the owner is the managing controller of this object.', {
        presence: 'pointer',
      }),
      blockOwnerDeletion: f(
        7,
        boolean,
        'When true, a foreground deletion of the owner waits until this object is gone.',
        { presence: 'pointer' },
      ),
    },
  },
  ManagedFieldsEntry: {
    doc: 'The fields one manager owns in an object.',
    fields: {
      manager: f(
        1,
        string,
        'The name of the workflow that manages these fields (the fieldManager of its requests).',
      ),
      operation: f(2, string, 'Apply or Update: the kind of request that set these fields.'),
      apiVersion: f(3, string, 'The API version the fields were written in.'),
      time: f(4, time, 'When the manager last changed one of these fields.'),
      fieldsType: f(6, string, 'The format of fieldsV1; always "FieldsV1".'),
      fieldsV1: f(7, fieldsV1, 'The set of fields, as a tree of f:<name>, k:<key> and v:<value> entries.', {
        presence: 'pointer',
      }),
      subresource: f(8, string, 'The subresource the write went to (status), empty for the main resource.'),
    },
  },
  LabelSelector: {
    doc: 'Selects objects by their labels: every pair and every expression must hold. An empty selector selects all objects.',
    mapType: 'atomic',
    fields: {
      matchLabels: f(1, mapOf(string), 'Each pair {key: value} requires the label key to equal value.'),
      matchExpressions: f(
        2,
        arrayOf(meta('LabelSelectorRequirement')),
        'Requirements on label values, ANDed.',
        {
          listType: 'atomic',
        },
      ),
    },
  },
  LabelSelectorRequirement: {
    doc: 'One requirement of a label selector: a key, an operator and values.',
    fields: {
      key: f(1, string, 'The label key the requirement applies to.', { presence: 'always', required: true }),
      operator: f(2, string, 'In, NotIn, Exists or DoesNotExist.', { presence: 'always', required: true }),
      values: f(
        3,
        arrayOf(string),
        'Values for In and NotIn (must not be empty); must be empty for Exists and DoesNotExist.',
        { listType: 'atomic' },
      ),
    },
  },
  Condition: {
    doc: 'A standard condition of an object status.',
    fields: {
      type: f(1, string, 'Type of the condition, in CamelCase.', { presence: 'always', required: true }),
      status: f(2, string, 'True, False or Unknown.', {
        presence: 'always',
        required: true,
      }),
      observedGeneration: f(3, int64, 'The metadata.generation the condition was computed from.'),
      lastTransitionTime: f(4, time, 'When the status last changed.', { presence: 'always', required: true }),
      reason: f(5, string, 'A CamelCase reason for the last transition.', {
        presence: 'always',
        required: true,
      }),
      message: f(6, string, 'A human-readable description of the transition.', {
        presence: 'always',
        required: true,
      }),
    },
  },
  Preconditions: {
    doc: 'Conditions a delete checks before it proceeds.',
    fields: {
      uid: f(1, string, 'The object must have this UID.', { presence: 'pointer' }),
      resourceVersion: f(2, string, 'The object must have this resourceVersion.', { presence: 'pointer' }),
    },
  },
  DeleteOptions: {
    doc: 'Options of a DELETE request.',
    inline: [{ proto: 0, type: `${META}TypeMeta` }],
    fields: {
      gracePeriodSeconds: f(
        1,
        int64,
        'Seconds to wait before the object is deleted; 0 deletes at once. Nil uses the kind default.',
        { presence: 'pointer' },
      ),
      preconditions: f(
        2,
        meta('Preconditions'),
        'Must hold before the deletion happens, or it fails with 409.',
      ),
      orphanDependents: f(
        3,
        boolean,
        'Deprecated: use propagationPolicy. True orphans the dependents, false deletes them in the background.',
        { presence: 'pointer' },
      ),
      propagationPolicy: f(
        4,
        string,
        'What happens to dependents: Orphan keeps them, Background deletes them after the owner, Foreground deletes them before the owner.',
        { presence: 'pointer' },
      ),
      dryRun: f(5, arrayOf(string), 'All: validate and answer without deleting anything.', {
        listType: 'atomic',
      }),
      ignoreStoreReadErrorWithClusterBreakingPotential: f(
        6,
        boolean,
        'Delete objects that cannot be read back from storage. Dangerous; for recovery only.',
        { presence: 'pointer' },
      ),
    },
  },
  StatusCause: {
    doc: 'One cause of a failure: a field and what is wrong with it.',
    fields: {
      reason: f(1, string, 'A machine-readable description of the cause, such as FieldValueInvalid.'),
      message: f(2, string, 'A human-readable description of the cause.'),
      field: f(3, string, 'The path of the field at fault, such as spec.template.spec.restartPolicy.'),
    },
  },
  StatusDetails: {
    doc: 'Extra data about a failure.',
    fields: {
      name: f(1, string, 'The name of the object concerned.'),
      group: f(2, string, 'The group of the object concerned.'),
      kind: f(3, string, 'The kind (or resource) of the object concerned.'),
      uid: f(6, string, 'The UID of the object concerned.'),
      causes: f(4, arrayOf(meta('StatusCause')), 'The individual causes.', { listType: 'atomic' }),
      retryAfterSeconds: f(5, int32, 'Seconds a client should wait before retrying.'),
    },
  },
  Status: {
    doc: 'The result of a request that returns no object, and every error.',
    inline: [{ proto: 0, type: `${META}TypeMeta` }],
    fields: {
      metadata: f(1, meta('ListMeta'), 'Standard list metadata.', { presence: 'always' }),
      status: f(2, string, 'Success or Failure.'),
      message: f(3, string, 'A human-readable description of the result.'),
      reason: f(4, string, 'A machine-readable reason, such as NotFound or Invalid.'),
      details: f(5, meta('StatusDetails'), 'Extra data about the failure.'),
      code: f(6, int32, 'The HTTP status code of the result.'),
    },
  },
});
