import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { CORE } from '../../schema/schema.js';
import { ALL_VERBS, coreFieldLabelError, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';

export type Node = KubeObject;

export const nodes: ResourceType<Node> = {
  group: '',
  version: 'v1',
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  listKind: 'NodeList',
  namespaced: false,
  verbs: ALL_VERBS,
  shortNames: ['no'],
  subresources: [
    { name: 'status', kind: { group: '', version: 'v1', kind: 'Node' }, verbs: ['get', 'patch', 'update'] },
  ],
  fieldLabelError: coreFieldLabelError,
  selectableFields: {
    'spec.unschedulable': (n) => String((n.spec as { unschedulable?: boolean })?.unschedulable ?? false),
  },
  schema: `${CORE}Node`,
  strategy: {
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate: keepSpec,
    validateName: nameIsDNSSubdomain,
  },
};
