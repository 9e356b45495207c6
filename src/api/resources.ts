/** Every resource batchd serves, in discovery order. */
import { cronjobs } from './batch/v1/cronjob.js';
import { jobs } from './batch/v1/job.js';
import { cronjobsV1beta1 } from './batch/v1beta1/cronjob.js';
import { events } from './core/v1/event.js';
import { namespaces } from './core/v1/namespace.js';
import { nodes } from './core/v1/node.js';
import { pods } from './core/v1/pod.js';
import { type ResourceType, Scheme } from './scheme.js';

export interface SchemeOptions {
  /** Serve batch/v1beta1 CronJobs (upstream 1.32 does not; old manifests do). Default true. */
  batchV1beta1?: boolean;
}

export function newScheme(opts: SchemeOptions = {}): Scheme {
  const scheme = new Scheme().add(
    namespaces as ResourceType,
    pods as ResourceType,
    events as ResourceType,
    nodes as ResourceType,
    jobs as ResourceType,
    cronjobs as ResourceType,
  );
  if (opts.batchV1beta1 !== false) scheme.add(cronjobsV1beta1 as ResourceType);
  return scheme;
}
