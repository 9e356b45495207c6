import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { BATCH } from '../../schema/schema.js';
import { ALL_VERBS, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';
import { validateCronJob, validateCronJobUpdate } from './cronjobValidation.js';
import { defaultCronJob } from './defaults.js';
import { nameWarnings } from './job.js';
import type { CronJob } from './types.js';

export type { CronJob } from './types.js';

export const cronjobs: ResourceType<CronJob> = {
  group: 'batch',
  version: 'v1',
  resource: 'cronjobs',
  singular: 'cronjob',
  kind: 'CronJob',
  listKind: 'CronJobList',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: [
    {
      name: 'status',
      kind: { group: 'batch', version: 'v1', kind: 'CronJob' },
      verbs: ['get', 'patch', 'update'],
    },
  ],
  tracksGeneration: true,
  schema: `${BATCH}CronJob`,
  strategy: {
    defaults: defaultCronJob,
    prepareForCreate(cj) {
      cj.status = {};
    },
    prepareForUpdate: keepStatus,
    // Upstream does not validate CronJob status writes beyond the metadata.
    prepareForStatusUpdate: keepSpec,
    validateName: nameIsDNSSubdomain,
    validate: validateCronJob,
    validateUpdate: validateCronJobUpdate,
    warningsOnCreate: (cj) => nameWarnings(cj.metadata.name),
    warningsOnUpdate(cj) {
      return (cj.spec?.schedule ?? '').includes('TZ')
        ? [
            'cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
          ]
        : [];
    },
  },
};
