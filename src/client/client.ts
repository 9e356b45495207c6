/**
 * The Client interface: how controllers and the node agent reach the API (client-go's shape).
 * Two implementations: in-process (straight into the registries, no HTTP or JSON) and HTTP.
 */
import type {
  DeleteOptions,
  KubeList,
  KubeObject,
  ListOptions,
  WatchEventType,
  WatchOptions,
} from '../api/meta/types.js';
import type { ResourceType } from '../api/scheme.js';

export type { ListOptions, WatchOptions };

export interface ClientWatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  /** Shared with other watchers: read it, never change it. */
  object: T;
}

export interface WatchHandle {
  stop(): void;
  /** Resolves when the stream ends: stopped, closed by the server, or failed (e.g. 410 Expired). */
  done: Promise<void>;
}

export type PatchType = 'merge' | 'json' | 'strategic';

export interface WriteOptions {
  dryRun?: boolean;
}

export interface ResourceClient<T extends KubeObject = KubeObject> {
  get(name: string): Promise<T>;
  list(opts?: ListOptions): Promise<KubeList<T>>;
  watch(opts: WatchOptions, onEvent: (ev: ClientWatchEvent<T>) => void): Promise<WatchHandle>;
  create(obj: T, opts?: WriteOptions): Promise<T>;
  update(obj: T, opts?: WriteOptions): Promise<T>;
  updateStatus(obj: T, opts?: WriteOptions): Promise<T>;
  /** Writes a subresource other than status (a namespace's finalize). */
  updateSubresource(subresource: string, obj: T): Promise<T>;
  patch(
    name: string,
    type: PatchType,
    patch: unknown,
    opts?: { subresource?: string; dryRun?: boolean },
  ): Promise<T>;
  delete(name: string, opts?: DeleteOptions): Promise<void>;
  deleteCollection(opts?: ListOptions, deleteOpts?: DeleteOptions): Promise<void>;
}

export interface Client {
  /** A client for one resource, in one namespace (namespaced resources) or across all (namespace undefined). */
  resource<T extends KubeObject>(type: ResourceType<T>, namespace?: string): ResourceClient<T>;
}

/**
 * @example
 * const job = await client.resource(jobs, 'default').get('pi');
 */
export type { ResourceType };
