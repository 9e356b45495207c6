/**
 * batch/v1beta1 CronJobs: served for old manifests, charts and scripts (upstream removed the
 * version in 1.25; batchd keeps it, behind `--runtime-config batch/v1beta1=false`). The fields
 * are v1's, so the resource is v1's with another version: stored as batch/v1, defaulted and
 * validated as v1, and every answer carries upstream's deprecation warning.
 */
import { BATCH_V1BETA1 } from '../../schema/batchV1beta1.js';
import type { ResourceType, Subresource } from '../../scheme.js';
import { type CronJob, cronjobs as v1 } from '../v1/cronjob.js';

const kind = { group: 'batch', version: 'v1beta1', kind: 'CronJob' };

export const cronjobsV1beta1: ResourceType<CronJob> = {
  ...v1,
  version: 'v1beta1',
  subresources: v1.subresources.map((s): Subresource => ({ ...s, kind })),
  schema: `${BATCH_V1BETA1}CronJob`,
  storageVersion: 'v1',
  deprecationWarning:
    'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob',
};
