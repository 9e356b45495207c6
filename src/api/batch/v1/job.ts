import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { ALL_VERBS, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';

export type Job = KubeObject;

export const jobs: ResourceType<Job> = {
  group: 'batch',
  version: 'v1',
  resource: 'jobs',
  singular: 'job',
  kind: 'Job',
  listKind: 'JobList',
  namespaced: true,
  verbs: ALL_VERBS,
  categories: ['all'],
  subresources: [
    {
      name: 'status',
      kind: { group: 'batch', version: 'v1', kind: 'Job' },
      verbs: ['get', 'patch', 'update'],
    },
  ],
  tracksGeneration: true,
  fieldLabelError: (field) => `field label "${field}" not supported for batchv1.Job`,
  selectableFields: {
    // Upstream's JobToSelectableFields: the succeeded count as a string.
    'status.successful': (job) => String((job.status as { succeeded?: number } | undefined)?.succeeded ?? 0),
  },
  strategy: {
    prepareForCreate(job) {
      delete job.status;
    },
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: keepSpec,
    validateName: nameIsDNSSubdomain,
    // batch/v1 keeps the pods of a deleted Job unless told otherwise (upstream's OrphanDependents).
    defaultGarbageCollectionPolicy: 'Orphan',
    deleteWarning: (opts) =>
      opts.propagationPolicy === undefined && opts.orphanDependents === undefined
        ? 'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning'
        : undefined,
  },
};
