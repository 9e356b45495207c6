import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { ALL_VERBS, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';

export type CronJob = KubeObject;

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
  strategy: {
    prepareForCreate(cj) {
      delete cj.status;
    },
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: keepSpec,
    validateName: nameIsDNSSubdomain,
  },
};
