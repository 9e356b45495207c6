/**
 * The in-process Client: calls the registries directly, so controllers embedded in batchd pay no
 * HTTP, TLS or JSON cost, yet go through the same defaulting, validation and storage rules.
 */
import type { DeleteOptions, KubeObject } from '../api/meta/types.js';
import type { ResourceType } from '../api/scheme.js';
import { applyPatch } from '../apiserver/patch/apply.js';
import type { Registries } from '../apiserver/registries.js';
import type { Registry } from '../apiserver/registry.js';
import { copyPlain } from '../util/copy.js';
import type {
  Client,
  ClientWatchEvent,
  ListOptions,
  PatchType,
  ResourceClient,
  WatchOptions,
} from './client.js';

/** The manager controllers' writes are recorded under, as upstream's controller manager's are. */
export const CONTROLLER_MANAGER = 'kube-controller-manager';

export class InProcessClient implements Client {
  constructor(
    private readonly registries: Registries,
    private readonly fieldManager = CONTROLLER_MANAGER,
  ) {}

  resource<T extends KubeObject>(type: ResourceType<T>, namespace?: string): ResourceClient<T> {
    return new InProcessResourceClient(
      this.registries.for(type),
      type.namespaced ? namespace : undefined,
      this.fieldManager,
    );
  }
}

class InProcessResourceClient<T extends KubeObject> implements ResourceClient<T> {
  constructor(
    private readonly registry: Registry<T>,
    private readonly namespace: string | undefined,
    private readonly fieldManager: string,
  ) {}

  get(name: string) {
    return this.registry.get(this.namespace, name);
  }

  list(opts: ListOptions = {}) {
    return this.registry.list(this.namespace, opts);
  }

  async watch(opts: WatchOptions, onEvent: (ev: ClientWatchEvent<T>) => void) {
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const stop = await this.registry.watch(this.namespace, opts, (ev) =>
      onEvent({ type: ev.type, object: ev.object }),
    );
    return {
      stop: () => {
        stop();
        resolveDone();
      },
      done,
    };
  }

  create(obj: T, opts: { dryRun?: boolean } = {}) {
    return this.registry.create(this.namespace ?? obj.metadata.namespace, copyPlain(obj), {
      ...opts,
      fieldManager: this.fieldManager,
    });
  }

  update(obj: T, opts: { dryRun?: boolean } = {}) {
    return this.registry.update(this.ns(obj), obj.metadata.name ?? '', copyPlain(obj), {
      ...opts,
      fieldManager: this.fieldManager,
    });
  }

  updateStatus(obj: T, opts: { dryRun?: boolean } = {}) {
    return this.registry.update(this.ns(obj), obj.metadata.name ?? '', copyPlain(obj), {
      ...opts,
      subresource: 'status',
      fieldManager: this.fieldManager,
    });
  }

  updateSubresource(subresource: string, obj: T) {
    return this.registry.update(this.ns(obj), obj.metadata.name ?? '', copyPlain(obj), {
      subresource,
      fieldManager: this.fieldManager,
    });
  }

  patch(
    name: string,
    type: PatchType,
    patch: unknown,
    opts: { subresource?: string; dryRun?: boolean } = {},
  ) {
    return this.registry.guaranteedUpdate(
      this.namespace,
      name,
      // guaranteedUpdate hands over a fresh copy of the stored object: the patch may work on it.
      (current) => applyPatch(type, current, patch, this.registry.type.schema, true) as T,
      { ...opts, fieldManager: this.fieldManager },
    );
  }

  async delete(name: string, opts: DeleteOptions = {}) {
    await this.registry.delete(this.namespace, name, opts);
  }

  async deleteCollection(opts: ListOptions = {}, deleteOpts: DeleteOptions = {}) {
    await this.registry.deleteCollection(this.namespace, opts, deleteOpts);
  }

  private ns(obj: T): string | undefined {
    return this.namespace ?? obj.metadata.namespace;
  }
}
