/**
 * The garbage collector: ownerReferences across every resource. It deletes dependents whose owners
 * are all gone (Background), strips references to an owner deleted with the `orphan` finalizer
 * (Orphan), and deletes blocking dependents before their owner (`foregroundDeletion`, Foreground).
 * Its state is rebuilt from informers at every start, so nothing is lost across restarts.
 */

import { ApiError } from '../../api/meta/status.js';
import {
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  type KubeObject,
  type OwnerReference,
} from '../../api/meta/types.js';
import type { ResourceType } from '../../api/scheme.js';
import type { Client } from '../../client/client.js';
import { Informer } from '../../client/informer.js';
import type { PriorityGate } from '../../client/priority.js';
import { WorkQueue } from '../../client/workqueue.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';

interface Node {
  type: ResourceType;
  obj: KubeObject;
}

export type OwnerState = 'present' | 'absent' | 'deletingForeground';

export type DependentAction =
  | { kind: 'none' }
  | { kind: 'delete'; policy: 'Background' | 'Foreground' }
  | { kind: 'removeReferences'; uids: string[] };

/**
 * The decision for one dependent, from the state of each owner it names (upstream's
 * attemptToDeleteItem): all owners gone → delete it; some gone → drop those references; an owner
 * waiting in the foreground that this dependent blocks → delete it in the foreground.
 */
export function decideDependent(
  refs: readonly OwnerReference[],
  owners: readonly OwnerState[],
): DependentAction {
  if (!refs.length) return { kind: 'none' };
  const absent = refs.filter((_, i) => owners[i] === 'absent');
  if (absent.length === refs.length) return { kind: 'delete', policy: 'Background' };
  const blocking = refs.some((r, i) => owners[i] === 'deletingForeground' && r.blockOwnerDeletion);
  if (absent.length) return { kind: 'removeReferences', uids: absent.map((r) => r.uid) };
  if (blocking) return { kind: 'delete', policy: 'Foreground' };
  return { kind: 'none' };
}

/**
 * What the collector reads of an object: its identity, owners, finalizers and deletion state
 * (upstream watches metadata only). Keeping just this makes its cache a fraction of the objects.
 */
export function ownershipOnly(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  return {
    ...(obj.apiVersion ? { apiVersion: obj.apiVersion } : {}),
    ...(obj.kind ? { kind: obj.kind } : {}),
    metadata: {
      name: m.name,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      ...(m.ownerReferences ? { ownerReferences: m.ownerReferences } : {}),
      ...(m.finalizers ? { finalizers: m.finalizers } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
  } as KubeObject;
}

export class GarbageCollector {
  private readonly informers = new Map<ResourceType, Informer<KubeObject>>();
  /** Every object we know, by uid; and the uids of each owner's dependents. */
  private readonly byUid = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly queue: WorkQueue;
  private readonly log: Logger;

  constructor(
    private readonly client: Client,
    private readonly types: readonly ResourceType[],
    clock: Clock,
    log: Logger,
    /** Waits for urgent work (CronJob fires) before taking each key. */
    gate?: PriorityGate,
  ) {
    this.log = log.child({ controller: 'garbagecollector' });
    this.queue = new WorkQueue(clock, { baseDelayMs: 100, maxDelayMs: 30_000, ...(gate ? { gate } : {}) });
    for (const type of types) {
      const informer = new Informer<KubeObject>(client.resource(type), clock, this.log, {}, ownershipOnly);
      informer.on({
        add: (obj) => this.observe(type, obj),
        update: (_old, obj) => this.observe(type, obj),
        delete: (obj) => this.forget(obj),
      });
      this.informers.set(type, informer);
    }
  }

  async start(workers = 2): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.start()));
    void this.queue.run(workers, (uid) => this.sync(uid), this.log);
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
    this.queue.shutdown();
  }

  private observe(type: ResourceType, obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    const old = this.byUid.get(uid);
    for (const ref of old?.obj.metadata.ownerReferences ?? []) this.dependents.get(ref.uid)?.delete(uid);
    this.byUid.set(uid, { type, obj });
    for (const ref of obj.metadata.ownerReferences ?? []) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    if (obj.metadata.ownerReferences?.length) this.queue.add(uid);
    const finalizers = obj.metadata.finalizers ?? [];
    if (
      obj.metadata.deletionTimestamp &&
      (finalizers.includes(FINALIZER_ORPHAN) || finalizers.includes(FINALIZER_FOREGROUND))
    ) {
      this.queue.add(uid);
    }
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid ?? '';
    this.byUid.delete(uid);
    for (const ref of obj.metadata.ownerReferences ?? []) {
      this.dependents.get(ref.uid)?.delete(uid);
      // An owner waiting for its blocking dependents looks again.
      this.queue.add(ref.uid);
    }
    // Its dependents may now be dangling.
    for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
  }

  private async sync(uid: string): Promise<void> {
    const node = this.byUid.get(uid);
    if (!node) return;
    const { obj } = node;
    const finalizers = obj.metadata.finalizers ?? [];
    if (obj.metadata.deletionTimestamp && finalizers.includes(FINALIZER_ORPHAN))
      await this.orphanDependents(node);
    else if (obj.metadata.deletionTimestamp && finalizers.includes(FINALIZER_FOREGROUND))
      await this.deleteForeground(node);
    if (obj.metadata.ownerReferences?.length) await this.syncDependent(node);
  }

  private ownerState(dependent: Node, ref: OwnerReference): OwnerState {
    const owner = this.byUid.get(ref.uid);
    if (!owner) {
      // An owner of a kind we do not serve cannot be checked: keep the dependent, as upstream does.
      const [group, version] = ref.apiVersion.includes('/')
        ? ref.apiVersion.split('/')
        : ['', ref.apiVersion];
      const known = this.types.some((t) => t.kind === ref.kind && t.group === group && t.version === version);
      return known ? 'absent' : 'present';
    }
    // A namespaced dependent can only be owned by something in its namespace or cluster-scoped.
    const ns = owner.obj.metadata.namespace;
    if (ns && ns !== dependent.obj.metadata.namespace) return 'absent';
    const f = owner.obj.metadata.finalizers ?? [];
    return owner.obj.metadata.deletionTimestamp && f.includes(FINALIZER_FOREGROUND)
      ? 'deletingForeground'
      : 'present';
  }

  private async syncDependent(node: Node): Promise<void> {
    const refs = node.obj.metadata.ownerReferences ?? [];
    const action = decideDependent(
      refs,
      refs.map((r) => this.ownerState(node, r)),
    );
    if (action.kind === 'delete') {
      if (node.obj.metadata.deletionTimestamp) return;
      this.log.debug({ uid: node.obj.metadata.uid, policy: action.policy }, 'deleting dependent');
      await this.deleteObject(node, action.policy);
    } else if (action.kind === 'removeReferences') {
      await this.removeOwnerReferences(node, new Set(action.uids));
    }
  }

  private async orphanDependents(owner: Node): Promise<void> {
    const uid = owner.obj.metadata.uid ?? '';
    for (const dep of [...(this.dependents.get(uid) ?? [])]) {
      const node = this.byUid.get(dep);
      if (node) await this.removeOwnerReferences(node, new Set([uid]));
    }
    await this.removeFinalizer(owner, FINALIZER_ORPHAN);
  }

  private async deleteForeground(owner: Node): Promise<void> {
    const uid = owner.obj.metadata.uid ?? '';
    let blocking = 0;
    for (const dep of [...(this.dependents.get(uid) ?? [])]) {
      const node = this.byUid.get(dep);
      if (!node) continue;
      const ref = node.obj.metadata.ownerReferences?.find((r) => r.uid === uid);
      if (ref?.blockOwnerDeletion) blocking++;
      if (!node.obj.metadata.deletionTimestamp) {
        await this.deleteObject(node, ref?.blockOwnerDeletion ? 'Foreground' : 'Background');
      }
    }
    // The owner goes once no dependent blocks it any more; forget() requeues it as they go.
    if (!blocking) await this.removeFinalizer(owner, FINALIZER_FOREGROUND);
  }

  private resourceClient(node: Node) {
    return this.client.resource(node.type, node.obj.metadata.namespace);
  }

  private async deleteObject(node: Node, policy: 'Background' | 'Foreground'): Promise<void> {
    const uid = node.obj.metadata.uid ?? '';
    await ignoreNotFound(
      this.resourceClient(node).delete(node.obj.metadata.name ?? '', {
        propagationPolicy: policy,
        preconditions: { uid },
      }),
    );
  }

  private async removeOwnerReferences(node: Node, uids: Set<string>): Promise<void> {
    const refs = node.obj.metadata.ownerReferences ?? [];
    const kept = refs.filter((r) => !uids.has(r.uid));
    if (kept.length === refs.length) return;
    const patch = [
      { op: 'test', path: '/metadata/uid', value: node.obj.metadata.uid },
      kept.length
        ? { op: 'replace', path: '/metadata/ownerReferences', value: kept }
        : { op: 'remove', path: '/metadata/ownerReferences' },
    ];
    await ignoreNotFound(this.resourceClient(node).patch(node.obj.metadata.name ?? '', 'json', patch));
  }

  private async removeFinalizer(node: Node, finalizer: string): Promise<void> {
    const name = node.obj.metadata.name ?? '';
    const rc = this.resourceClient(node);
    await ignoreNotFound(
      (async () => {
        const current = await rc.get(name);
        if (current.metadata.uid !== node.obj.metadata.uid) return;
        const left = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        await rc.patch(name, 'merge', {
          metadata: {
            finalizers: left.length ? left : null,
            resourceVersion: current.metadata.resourceVersion,
          },
        });
      })(),
    );
  }
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (
      err instanceof ApiError &&
      (err.code === 404 || (err.code === 409 && /Precondition failed: UID/.test(err.message)))
    )
      return;
    throw err;
  }
}
