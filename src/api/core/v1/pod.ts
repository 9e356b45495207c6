import type { PodCondition, Pod as PodObject, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import { forbidden, required } from '../../meta/status.js';
import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSSubdomain } from '../../meta/validation.js';
import { CORE } from '../../schema/schema.js';
import { ALL_VERBS, coreFieldLabelError, type ResourceType } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';
import { defaultPod } from './podDefaults.js';
import { validatePod, validatePodUpdate } from './podValidation.js';
import { quantityMilliValue, toQuantity } from './quantity.js';

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

/** Our Pod (our ObjectMeta) as the kubernetes-types shape the core/v1 defaulting and validation take. */
const asPod = (pod: Pod): PodObject => pod as unknown as PodObject;

const core = (kind: string) => ({ group: '', version: 'v1', kind });

/**
 * Upstream ComputePodQOS: Guaranteed when every container limits cpu and memory and the summed
 * requests equal the summed limits, BestEffort when nothing is requested or limited, else Burstable.
 */
export function podQOSClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const sum = (into: Map<string, bigint>, list: Record<string, unknown> | undefined, found?: Set<string>) => {
    for (const name of ['cpu', 'memory']) {
      const q = toQuantity(list?.[name]);
      if (!q || q.unscaled <= 0n) continue;
      found?.add(name);
      into.set(name, (into.get(name) ?? 0n) + quantityMilliValue(q));
    }
  };
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    sum(requests, c.resources?.requests);
    const found = new Set<string>();
    sum(limits, c.resources?.limits, found);
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (!requests.size && !limits.size) return 'BestEffort';
  for (const [name, req] of requests) if (limits.get(name) !== req) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/**
 * Binding writes reach validation through this set: pod updates may not change spec.nodeName,
 * but the binding subresource exists to set it once (upstream's BindingREST).
 */
const bindings = new WeakSet<Pod>();

/** What a pods/binding write may change: spec.nodeName, once, and the PodScheduled condition it carries. */
function prepareBinding(pod: Pod, old: Pod): void {
  const nodeName = pod.spec?.nodeName ?? '';
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const next = structuredClone(old);
  pod.spec = { ...(next.spec as PodSpec), nodeName };
  const conditions: PodCondition[] = (next.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  if (scheduled) conditions.push(scheduled);
  pod.status = { ...next.status, conditions };
  pod.metadata.labels = next.metadata.labels ?? {};
  if (!next.metadata.labels) delete pod.metadata.labels;
  bindings.add(pod);
}

function validateBinding(pod: Pod, old: Pod) {
  if (old.spec?.nodeName) {
    return [
      forbidden(
        'spec.nodeName',
        `pod ${old.metadata.name} is already assigned to node "${old.spec.nodeName}"`,
      ),
    ];
  }
  if (!pod.spec?.nodeName) return [required('target.name')];
  return [];
}

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
    { name: 'binding', kind: core('Binding'), verbs: ['create'] },
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
      // The API server decides the QoS class on create, so it is set before any node sees the pod.
      pod.status = { phase: 'Pending', qosClass: podQOSClass(pod) };
    },
    validate: (pod) => validatePod(asPod(pod)),
    validateUpdate: (pod, old) =>
      bindings.has(pod) ? validateBinding(pod, old) : validatePodUpdate(asPod(pod), asPod(old)),
    prepareForUpdate: keepStatus,
    prepareForSubresourceUpdate: { binding: prepareBinding },
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
