import type { Pod as PodObject, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { CORE } from '../../schema/schema.js';
import { ALL_VERBS, coreFieldLabelError, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';
import { defaultPod } from './podDefaults.js';
import { validatePod, validatePodUpdate } from './podValidation.js';

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/** Our Pod (our ObjectMeta) as the kubernetes-types shape the core/v1 defaulting and validation take. */
const asPod = (pod: Pod): PodObject => pod as unknown as PodObject;

const core = (kind: string) => ({ group: '', version: 'v1', kind });

export const pods: ResourceType<Pod> = {
  group: '',
  version: 'v1',
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  listKind: 'PodList',
  namespaced: true,
  verbs: ALL_VERBS,
  shortNames: ['po'],
  categories: ['all'],
  returnDeletedObject: true,
  subresources: [
    { name: 'log', kind: core('Pod'), verbs: ['get'] },
    { name: 'status', kind: core('Pod'), verbs: ['get', 'patch', 'update'] },
  ],
  // Upstream's PodToSelectableFields.
  fieldLabelError: coreFieldLabelError,
  selectableFields: {
    'spec.nodeName': (p) => p.spec?.nodeName ?? '',
    'spec.restartPolicy': (p) => p.spec?.restartPolicy ?? '',
    'spec.schedulerName': (p) => p.spec?.schedulerName ?? '',
    'spec.serviceAccountName': (p) => p.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
    'status.phase': (p) => p.status?.phase ?? '',
    'status.podIP': (p) => p.status?.podIP ?? '',
    'status.podIPs': (p) => p.status?.podIPs?.[0]?.ip ?? '',
    'status.nominatedNodeName': (p) => p.status?.nominatedNodeName ?? '',
  },
  schema: `${CORE}Pod`,
  strategy: {
    defaults: (pod) => defaultPod(asPod(pod)),
    prepareForCreate(pod) {
      pod.status = { phase: 'Pending' };
    },
    validate: (pod) => validatePod(asPod(pod)),
    validateUpdate: (pod, old) => validatePodUpdate(asPod(pod), asPod(old)),
    prepareForUpdate: keepStatus,
    prepareForStatusUpdate(pod, old) {
      keepSpec(pod, old);
      // The status writer may not change owners or start a deletion (upstream podStatusStrategy).
      if (old.metadata.ownerReferences) pod.metadata.ownerReferences = old.metadata.ownerReferences;
      else delete pod.metadata.ownerReferences;
    },
    validateName: nameIsDNSSubdomain,
    // A pod on a node gets its grace period for the node agent to stop it; an unbound pod goes at once.
    gracefulDeletion(pod, opts) {
      const grace = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      if (!pod.spec?.nodeName) return 0;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      return Math.max(0, grace);
    },
  },
};
