/**
 * The namespace controller: when a namespace is deleted (phase Terminating), it deletes everything
 * in it, then removes the `kubernetes` finalizer so the namespace itself goes away, as upstream's
 * namespace lifecycle controller does.
 */
import { FINALIZER_KUBERNETES, type Namespace, namespaces } from '../../api/core/v1/namespace.js';
import type { KubeObject } from '../../api/meta/types.js';
import type { ResourceType } from '../../api/scheme.js';
import type { Client } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';

/** While content remains (finalizers, grace periods), look again this often. */
const RECHECK_MS = 1000;

export type NamespaceAction = { kind: 'none' } | { kind: 'deleteContent' } | { kind: 'finalize' };

/** The decision: nothing for a live namespace; empty it while anything remains; then finalize. */
export function syncNamespace(ns: Namespace | undefined, remaining: number): NamespaceAction {
  if (!ns?.metadata.deletionTimestamp) return { kind: 'none' };
  if (!ns.spec?.finalizers?.includes(FINALIZER_KUBERNETES)) return { kind: 'none' };
  return remaining > 0 ? { kind: 'deleteContent' } : { kind: 'finalize' };
}

export class NamespaceController {
  private readonly informer: Informer<Namespace>;
  private readonly queue: WorkQueue;
  private readonly log: Logger;

  constructor(
    private readonly client: Client,
    private readonly contentTypes: readonly ResourceType[],
    clock: Clock,
    log: Logger,
  ) {
    this.log = log.child({ controller: 'namespace' });
    this.queue = new WorkQueue(clock);
    this.informer = new Informer(client.resource(namespaces), clock, this.log);
    const enqueue = (ns: Namespace) => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.informer.on({ add: enqueue, update: (_old, ns) => enqueue(ns) });
  }

  async start(workers = 2): Promise<void> {
    await this.informer.start();
    void this.queue.run(workers, (name) => this.sync(name), this.log);
  }

  stop(): void {
    this.informer.stop();
    this.queue.shutdown();
  }

  private async sync(name: string): Promise<void> {
    const ns = this.informer.get(name);
    if (!ns?.metadata.deletionTimestamp) return;
    let remaining = await this.countContent(name);
    let action = syncNamespace(ns, remaining);
    if (action.kind === 'deleteContent') {
      for (const type of this.contentTypes) {
        await this.client.resource(type, name).deleteCollection({}, { propagationPolicy: 'Background' });
      }
      remaining = await this.countContent(name);
      action = syncNamespace(ns, remaining);
    }
    if (action.kind === 'deleteContent') {
      this.log.debug({ namespace: name, remaining }, 'waiting for content to go');
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    if (action.kind === 'finalize') {
      const finalized: Namespace = structuredClone(ns);
      finalized.spec = {
        ...finalized.spec,
        finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER_KUBERNETES),
      };
      await this.client.resource(namespaces).updateSubresource('finalize', finalized);
      this.log.info({ namespace: name }, 'namespace emptied and finalized');
    }
  }

  private async countContent(namespace: string): Promise<number> {
    let n = 0;
    for (const type of this.contentTypes) {
      n += (await this.client.resource(type as ResourceType<KubeObject>, namespace).list()).items.length;
    }
    return n;
  }
}
