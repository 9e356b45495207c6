/** The Job a CronJob creates for one scheduled time, and how Jobs point back at their CronJob. */

import type { CronJob, Job } from '../../api/batch/v1/types.js';
import type { ObjectReference } from '../../api/core/v1/event.js';
import type { OwnerReference } from '../../api/meta/types.js';
import { formatRFC3339 } from '../../cron/timezone.js';
import { copyPlain } from '../../util/copy.js';

/** When the Job was scheduled to run, RFC 3339 in the CronJob's time zone (UTC when it has none). */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * `<cronjob>-<minutes since the epoch>`: the same scheduled time always gives the same name, so
 * a controller that crashed between creating a Job and recording it cannot create it twice.
 */
export function jobName(cj: CronJob, scheduledTime: Date): string {
  return `${cj.metadata.name}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

/** The controller reference a CronJob's Jobs carry (blockOwnerDeletion: foreground deletes wait for them). */
export function controllerRef(cj: CronJob): OwnerReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: cj.metadata.name ?? '',
    uid: cj.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The ownerReference marked controller, if any (metav1.GetControllerOf). */
export function controllerOf(job: Job): OwnerReference | undefined {
  return job.metadata.ownerReferences?.find((r) => r.controller === true);
}

/** Is the Job controlled by this very CronJob (same uid)? */
export function isControlledBy(job: Job, cj: CronJob): boolean {
  const ref = controllerOf(job);
  return ref !== undefined && ref.uid === cj.metadata.uid;
}

/** The Job for one scheduled time: the template's labels, annotations and spec, owned by the CronJob. */
export function jobFromTemplate(cj: CronJob, scheduledTime: Date): Job {
  const template = cj.spec?.jobTemplate ?? {};
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = formatRFC3339(
    scheduledTime,
    cj.spec?.timeZone || 'UTC',
  );
  const labels = template.metadata?.labels;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledTime),
      ...(cj.metadata.namespace ? { namespace: cj.metadata.namespace } : {}),
      ...(labels && Object.keys(labels).length ? { labels: { ...labels } } : {}),
      annotations,
      ownerReferences: [controllerRef(cj)],
    },
    spec: copyPlain(template.spec ?? { template: {} }),
  };
}

/** The reference `status.active` keeps for a Job (what client-go's GetReference builds). */
export function jobReference(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata.namespace ?? '',
    name: job.metadata.name ?? '',
    uid: job.metadata.uid ?? '',
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata.resourceVersion ?? '',
  };
}
