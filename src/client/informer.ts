/**
 * An informer: lists, then watches from the list's resourceVersion, keeping a local cache that
 * controllers read instead of the API. When the watch ends (timeout, 410 Expired, a server
 * restart) it lists again and tells handlers only what changed.
 */
import { ApiError } from '../api/meta/status.js';
import type { KubeObject } from '../api/meta/types.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { ListOptions, ResourceClient, WatchHandle } from './client.js';

export interface InformerHandlers<T extends KubeObject> {
  add?(obj: T): void;
  update?(old: T, cur: T): void;
  delete?(obj: T): void;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the cache and work-queue key. */
export const objectKey = (obj: KubeObject): string =>
  obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : (obj.metadata.name ?? '');

const RELIST_BACKOFF_MS = 1000;

/**
 * @example
 * const inf = new Informer(client.resource(namespaces), clock, log);
 * inf.on({ update: (_old, ns) => queue.add(objectKey(ns)) });
 * await inf.start();
 */
export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private watch: WatchHandle | undefined;
  private stopped = false;
  private synced = false;
  private cancelTimer: () => void = () => {};

  constructor(
    private readonly client: ResourceClient<T>,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly selectors: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> = {},
    /**
     * Applied to every object before it is cached or handed to handlers (client-go's
     * SetTransform): a controller that needs only part of an object keeps only that part, so
     * the cache does not hold every full object of a large cluster.
     */
    private readonly transform: (obj: T) => T = (obj) => obj,
  ) {}

  on(handlers: InformerHandlers<T>): this {
    this.handlers.push(handlers);
    return this;
  }

  /** Resolves once the first list is in the cache. */
  async start(): Promise<void> {
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
    this.watch?.stop();
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const list = await this.client.list(this.selectors);
    const seen = new Set<string>();
    for (const item of list.items) {
      const obj = this.transform(item);
      const key = objectKey(obj);
      seen.add(key);
      this.apply(key, obj);
    }
    for (const [key, old] of this.cache) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        for (const h of this.handlers) h.delete?.(old);
      }
    }
    this.synced = true;
    await this.startWatch(list.metadata.resourceVersion ?? '0');
  }

  private apply(key: string, obj: T): void {
    const old = this.cache.get(key);
    this.cache.set(key, obj);
    if (!old) for (const h of this.handlers) h.add?.(obj);
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
      for (const h of this.handlers) h.update?.(old, obj);
    }
  }

  private async startWatch(resourceVersion: string): Promise<void> {
    if (this.stopped) return;
    try {
      this.watch = await this.client.watch({ ...this.selectors, resourceVersion }, (ev) => {
        const obj = this.transform(ev.object);
        const key = objectKey(obj);
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply(key, obj);
        else if (ev.type === 'DELETED') {
          const old = this.cache.get(key);
          this.cache.delete(key);
          for (const h of this.handlers) h.delete?.(old ?? obj);
        }
      });
    } catch (err) {
      // 410 Expired: our resourceVersion fell out of history, so list again.
      if (!(err instanceof ApiError && err.code === 410))
        this.log.warn({ err }, 'watch failed; listing again');
      this.scheduleRelist();
      return;
    }
    this.watch.done.then(
      () => this.scheduleRelist(),
      () => this.scheduleRelist(),
    );
  }

  private scheduleRelist(): void {
    if (this.stopped) return;
    this.cancelTimer = this.clock.setTimer(RELIST_BACKOFF_MS, () => {
      this.relist().catch((err: unknown) => {
        this.log.warn({ err }, 'list failed; retrying');
        this.scheduleRelist();
      });
    });
  }
}
