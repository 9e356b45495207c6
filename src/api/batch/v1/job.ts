import { isDNS1123Label } from '../../meta/labels.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { BATCH } from '../../schema/schema.js';
import { ALL_VERBS, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';
import { defaultJob } from './defaults.js';
import { validateJob, validateJobStatusUpdate, validateJobUpdate } from './jobValidation.js';
import {
  type Job,
  type JobSpec,
  LABEL_CONTROLLER_UID,
  LABEL_JOB_NAME,
  LEGACY_LABEL_CONTROLLER_UID,
  LEGACY_LABEL_JOB_NAME,
} from './types.js';

export type { Job } from './types.js';

/**
 * Upstream's generateSelector: unless the selector is manual, the pod template carries the job's
 * name and uid as labels (kept when the user set them, so validation can reject a mismatch) and
 * the selector matches the uid.
 */
function generateSelector(job: Job): void {
  const spec: JobSpec = (job.spec ??= { template: {} });
  if (spec.manualSelector === true) return;
  const name = job.metadata.name ?? '';
  const uid = job.metadata.uid ?? '';
  const template = (spec.template ??= {});
  const labels = ((template.metadata ??= {}).labels ??= {});
  for (const [key, value] of [
    [LEGACY_LABEL_JOB_NAME, name],
    [LABEL_JOB_NAME, name],
    [LEGACY_LABEL_CONTROLLER_UID, uid],
    [LABEL_CONTROLLER_UID, uid],
  ] as const) {
    if (!Object.hasOwn(labels, key)) labels[key] = value;
  }
  const matchLabels = ((spec.selector ??= {}).matchLabels ??= {});
  if (!Object.hasOwn(matchLabels, LABEL_CONTROLLER_UID)) matchLabels[LABEL_CONTROLLER_UID] = uid;
}

/** A name that is a subdomain but not a DNS label works, but makes odd pod names and hostnames. */
export function nameWarnings(name: string | undefined): string[] {
  const msgs = isDNS1123Label(name ?? '');
  if (!msgs.length) return [];
  return [
    `metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`,
  ];
}

/** Upstream's WarningsForJobSpec (the Indexed part). */
function specWarnings(spec: JobSpec | undefined): string[] {
  if (
    spec?.completionMode === 'Indexed' &&
    (spec.completions ?? 0) > 100_000 &&
    (spec.parallelism ?? 0) > 10_000
  ) {
    return [
      'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
    ];
  }
  return [];
}

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
    // Beyond upstream 1.32: `kubectl scale job` reads and writes parallelism through it.
    {
      name: 'scale',
      kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    },
  ],
  tracksGeneration: true,
  schema: `${BATCH}Job`,
  fieldLabelError: (field) => `field label "${field}" not supported for batchv1.Job`,
  selectableFields: {
    // Upstream's JobToSelectableFields: the succeeded count as a string.
    'status.successful': (job) => String(job.status?.succeeded ?? 0),
  },
  strategy: {
    defaults: defaultJob,
    prepareForCreate(job) {
      job.status = {};
      generateSelector(job);
    },
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: keepSpec,
    prepareForSubresourceUpdate: { scale: keepStatus },
    validateName: nameIsDNSSubdomain,
    validate: (job) => validateJob(job),
    validateUpdate: validateJobUpdate,
    validateStatusUpdate: validateJobStatusUpdate,
    warningsOnCreate: (job) => [...nameWarnings(job.metadata.name), ...specWarnings(job.spec)],
    warningsOnUpdate: (job) => specWarnings(job.spec),
    // batch/v1 keeps the pods of a deleted Job unless told otherwise (upstream's OrphanDependents).
    defaultGarbageCollectionPolicy: 'Orphan',
    deleteWarning: (opts) =>
      opts.propagationPolicy === undefined && opts.orphanDependents === undefined
        ? 'child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning'
        : undefined,
  },
};
