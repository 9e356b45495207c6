import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { CORE } from '../../schema/schema.js';
import { ALL_VERBS, coreFieldLabelError, type ResourceType } from '../../scheme.js';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface Event extends KubeObject {
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  type?: string;
  reportingComponent?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

const ref = (e: Event) => e.involvedObject ?? {};

export const events: ResourceType<Event> = {
  group: '',
  version: 'v1',
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['ev'],
  subresources: [],
  // Upstream's event field selectors (pkg/registry/core/event/strategy.go).
  fieldLabelError: coreFieldLabelError,
  selectableFields: {
    'involvedObject.kind': (e) => ref(e).kind ?? '',
    'involvedObject.namespace': (e) => ref(e).namespace ?? '',
    'involvedObject.name': (e) => ref(e).name ?? '',
    'involvedObject.uid': (e) => ref(e).uid ?? '',
    'involvedObject.apiVersion': (e) => ref(e).apiVersion ?? '',
    'involvedObject.resourceVersion': (e) => ref(e).resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => ref(e).fieldPath ?? '',
    reason: (e) => e.reason ?? '',
    reportingComponent: (e) => e.reportingComponent ?? '',
    source: (e) => e.source?.component ?? '',
    type: (e) => e.type ?? '',
  },
  schema: `${CORE}Event`,
  strategy: { validateName: nameIsDNSSubdomain },
};
