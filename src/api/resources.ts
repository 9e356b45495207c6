/** Every resource batchd serves, in discovery order. */
import { cronjobs } from './batch/v1/cronjob.js';
import { jobs } from './batch/v1/job.js';
import { events } from './core/v1/event.js';
import { namespaces } from './core/v1/namespace.js';
import { nodes } from './core/v1/node.js';
import { pods } from './core/v1/pod.js';
import { type ResourceType, Scheme } from './scheme.js';

export function newScheme(): Scheme {
  return new Scheme().add(
    namespaces as ResourceType,
    pods as ResourceType,
    events as ResourceType,
    nodes as ResourceType,
    jobs as ResourceType,
    cronjobs as ResourceType,
  );
}
