/** One Registry per served resource, wired to the store, the clock and namespace checks. */
import type { Namespace } from '../api/core/v1/namespace.js';
import { namespaces } from '../api/core/v1/namespace.js';
import { ApiError, notFound } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import type { ResourceType, Scheme } from '../api/scheme.js';
import type { Store } from '../storage/store.js';
import type { Clock } from '../util/clock.js';
import { forbiddenTerminating, Registry, type RegistryContext } from './registry.js';

/** The namespaces that always exist, as on a new cluster. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class Registries {
  private readonly byType = new Map<ResourceType, Registry>();

  constructor(
    readonly scheme: Scheme,
    readonly store: Store,
    readonly clock: Clock,
  ) {
    const ctx: RegistryContext = { store, clock, checkNamespace: (ns) => this.checkNamespace(ns) };
    for (const t of scheme.all) this.byType.set(t, new Registry(t, ctx));
  }

  for<T extends KubeObject>(type: ResourceType<T>): Registry<T> {
    const r = this.byType.get(type as unknown as ResourceType);
    if (!r) throw new Error(`resource ${type.resource} is not registered`);
    return r as unknown as Registry<T>;
  }

  lookup(group: string, version: string, resource: string): Registry | undefined {
    const t = this.scheme.lookup(group, version, resource);
    return t && this.byType.get(t);
  }

  private async checkNamespace(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.for(namespaces).get(undefined, name);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404)
        throw notFound({ group: '', resource: 'namespaces' }, name);
      throw err;
    }
    if (ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') throw forbiddenTerminating(name);
  }

  /** Creates the system namespaces that are missing. */
  async bootstrap(): Promise<void> {
    const reg = this.for(namespaces);
    for (const name of SYSTEM_NAMESPACES) {
      try {
        await reg.create(undefined, { metadata: { name } });
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 409)) throw err;
      }
    }
  }
}
