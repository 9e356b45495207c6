import type { KubeObject } from '../../meta/types.js';
import { nameIsDNSLabel } from '../../meta/validation.js';
import { CORE } from '../../schema/schema.js';
import { coreFieldLabelError, type ResourceType, type Verb } from '../../scheme.js';
import { keepSpec, keepStatus } from '../../strategies.js';

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: 'Active' | 'Terminating'; conditions?: unknown[] };
}

/** The finalizer the namespace controller removes once a namespace's content is gone. */
export const FINALIZER_KUBERNETES = 'kubernetes';

const core = (kind: string) => ({ group: '', version: 'v1', kind });
const verbs: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const namespaces: ResourceType<Namespace> = {
  group: '',
  version: 'v1',
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  namespaced: false,
  verbs,
  shortNames: ['ns'],
  subresources: [
    { name: 'finalize', kind: core('Namespace'), verbs: ['update'] },
    { name: 'status', kind: core('Namespace'), verbs: ['get', 'patch', 'update'] },
  ],
  fieldLabelError: coreFieldLabelError,
  selectableFields: { 'status.phase': (ns) => ns.status?.phase ?? '' },
  schema: `${CORE}Namespace`,
  strategy: {
    defaults(ns) {
      ns.status ??= {};
      ns.status.phase ??= 'Active';
      // Upstream labels every namespace with its own name, so selectors can pick namespaces by name.
      if (ns.metadata.name) (ns.metadata.labels ??= {})['kubernetes.io/metadata.name'] = ns.metadata.name;
    },
    prepareForCreate(ns) {
      ns.status = { phase: 'Active' };
      const finalizers = new Set(ns.spec?.finalizers ?? []);
      finalizers.add(FINALIZER_KUBERNETES);
      ns.spec = { ...ns.spec, finalizers: [...finalizers] };
    },
    // spec.finalizers changes only through the finalize subresource.
    prepareForUpdate(ns, old) {
      keepStatus(ns, old);
      keepSpec(ns, old);
    },
    prepareForStatusUpdate: keepSpec,
    prepareForSubresourceUpdate: { finalize: (ns, old) => prepareForFinalize(ns, old) },
    prepareForDelete(ns) {
      ns.status = { ...ns.status, phase: 'Terminating' };
    },
    deletionPending: (ns) => (ns.spec?.finalizers?.length ?? 0) > 0,
    validateName: nameIsDNSLabel,
  },
};

/** The finalize subresource writes spec.finalizers and nothing else. */
export function prepareForFinalize(ns: Namespace, old: Namespace): void {
  const finalizers = ns.spec?.finalizers;
  ns.spec = { ...old.spec };
  if (finalizers) ns.spec.finalizers = finalizers;
  else delete ns.spec.finalizers;
  keepStatus(ns, old);
}
